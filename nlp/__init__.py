"""Text processing: pure functions and spaCy components, text in and annotations out; no SQL."""
