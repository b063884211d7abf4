"""counsellor."""
