"""Every write to an assessment goes through these functions, one module by topic."""
