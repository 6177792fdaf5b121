"""Demo data for a fictional local authority (ARCHITECTURE §9).

``manage.py seed_demo`` builds "Demo Borough Council": agencies of every kind, their
teams, professionals and team managers, the eight fixed demo sign-ins, and families and
children at every stage of the TAC process.

Two writers share one planner, so both paths produce the same kind of data:

- the *small* path (the default for a few hundred children, ``small.py``) writes each
  case through ``cases.services``, so the chronology is exactly what the portal writes,
  and walks a handful of families through the whole TAC cycle for the demo sign-ins
  (``cycle.py``, ``plan_story.py``, ``stories.py``);
- the *bulk* path (``--bulk``, or more than ``bulk.BULK_THRESHOLD`` children,
  ``bulk.py``) writes the same plans as rows streamed to PostgreSQL with ``COPY``, in
  chunks, and reaches a million children in minutes.

The modules, from the bottom up: ``authority`` (who's who: the sign-ins, agencies and
teams), ``names`` (fictional names and NHS numbers), ``directory`` (writes the
authority), ``families`` (households and children), ``plans`` (each case's history),
then the two writers and the cycle's stories.

Everything is fictional: names come from seeded Faker pools, NHS numbers from the
999 test range, postcodes from "Q" areas (Q is never the first letter of a real
postcode area). Nothing here prints personal data; the summary holds counts only.

Nothing in the portal imports this app: it sits above every other layer.
"""
