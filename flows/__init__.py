"""Prefect flows that run every stage; they call library code and hold no logic of their own."""
