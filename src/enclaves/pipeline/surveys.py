"""Pipeline family: surveys (to be written)."""
