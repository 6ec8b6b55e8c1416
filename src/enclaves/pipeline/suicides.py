"""Pipeline family: suicides (to be written)."""
