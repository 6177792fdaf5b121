"""SQL compiled once per process for the partner API's busiest reads.

Turning a queryset into SQL costs more than running it when one case is read by id:
the access rules' ``EXISTS`` probes and the JSON sub-selects are compiled afresh on
every request. ``CompiledQuery`` compiles its queryset once per shape (``key``), with
stand-in values, notes which parameters are the stand-ins, and from then on runs the
same SQL with the request's own values.

Only SQL text is kept, never rows or answers: every request still reads the database,
so a case that leaves an agency's reach, a withdrawn sharing preference or a revoked
token takes effect on the next request. The queryset is built by the same functions
as before (the access rules stay in ``cases.access``); a rule change is a code change,
and a restarted process compiles afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

#: Stand-ins no real request sends: negative ids inside the 32-bit range (Django
#: drops a lookup whose value overflows its column), instants in 1901, and strings no
#: checksum or name could be.
_INT_BASE = -1_987_654_000
_INSTANT_BASE = dt.datetime(1901, 2, 3, 4, 5, 6, 700_000, tzinfo=dt.UTC)


def _stand_in(value: Any, n: int) -> Any:
    if isinstance(value, bool):
        raise TypeError("booleans are part of a query's shape: put them in its key")
    if isinstance(value, int):
        return _INT_BASE - n
    if isinstance(value, dt.datetime):
        return _INSTANT_BASE + dt.timedelta(microseconds=n)
    if isinstance(value, str):
        return f"tac-stand-in-{n}-{_INT_BASE}"
    raise TypeError(f"no stand-in for {type(value).__name__}: put it in the query's key")


class CompiledQuery:
    """A queryset builder whose SQL is compiled once per ``key`` and then reused.

    ``build(key, **values)`` must return the same SQL for the same key whatever the values
    (only ints, aware datetimes and strings are bound; anything that changes the SQL, such as
    a page size or which filters apply, belongs in the key). If a stand-in does not
    come back as a parameter, the query is not kept and is compiled every time.
    Every other parameter is kept as compiled, so ``build`` must not read the clock or
    anything else that changes between requests (use ``Now()`` in SQL instead).
    """

    def __init__(self, build: Callable[..., QuerySet[Any]]) -> None:
        self.build = build
        self._compiled: dict[Hashable, tuple[str, list[tuple[bool, Any]]] | None] = {}

    def rows(self, key: Hashable, **values: Any) -> list[tuple[Any, ...]]:
        """Run the query for ``values``; the rows as the database cursor gives them."""
        if key not in self._compiled:
            self._compiled[key] = self._compile(key, values)
        compiled = self._compiled[key]
        if compiled is None:
            sql, params = self.build(key, **values).query.sql_with_params()
        else:
            sql, slots = compiled
            params = tuple(values[v] if named else v for named, v in slots)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows

    def _compile(
        self, key: Hashable, values: dict[str, Any]
    ) -> tuple[str, list[tuple[bool, Any]]] | None:
        stand_ins = {name: _stand_in(value, n) for n, (name, value) in enumerate(values.items())}
        sql, params = self.build(key, **stand_ins).query.sql_with_params()
        slots: list[tuple[bool, Any]] = []
        found: set[str] = set()
        for param in params:
            name = next(
                (k for k, v in stand_ins.items() if type(v) is type(param) and v == param), None
            )
            if name is None:
                slots.append((False, param))
            else:
                slots.append((True, name))
                found.add(name)
        inlined = any(str(v) in sql for v in stand_ins.values())
        if found != set(stand_ins) or inlined:
            return None
        return sql, slots
