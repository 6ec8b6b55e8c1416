"""Pipeline family: elections (to be written)."""
