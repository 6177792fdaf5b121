"""Django's PostgreSQL backend, with the password read from a file at each connection."""
