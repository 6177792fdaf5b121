"""SQL shapes the ORM does not write by itself."""

from __future__ import annotations

from django.db.models import BooleanField, Func


class AnyOf(Func):
    """``value = ANY(ARRAY(subquery))``: the subquery runs once, before the scan (an
    ``InitPlan``), and its ids are then looked up in the primary key index.

    Written as ``id IN (subquery)``, PostgreSQL may instead hash the subquery and scan the
    whole table past it (when it guesses the subquery large), or check it row by row as a
    subplan (inside an ``OR``): either way the work follows the table, not the ids."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()
