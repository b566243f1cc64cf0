"""Topic models, marker-word scores and links to regional participation indicators."""
