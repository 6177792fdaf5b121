"""Every write to a meeting, the plan or a review goes through these functions, one module by
topic."""
