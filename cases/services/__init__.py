"""Every write to a case goes through these functions (ARCHITECTURE §4), one module by topic.

Each runs in one transaction, checks who is acting through ``cases.access``, enforces the
case's invariants and writes the chronology event that tells the story of the case.
Import them from their module: ``from cases.services.teams import add_professional_to_team``.
"""
