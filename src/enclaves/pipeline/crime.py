"""Pipeline family: crime (to be written)."""
