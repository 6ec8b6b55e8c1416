"""Pipeline family: covariates (to be written)."""
