"""Pipeline family: avocado (to be written)."""
