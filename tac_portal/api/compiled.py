"""SQL compiled once per process for the partner API's busiest reads.

Turning a queryset into SQL costs more than running it when one case is read by id:
the access rules' ``EXISTS`` probes and the JSON sub-selects are compiled afresh on
every request. ``CompiledQuery`` compiles its queryset once per shape (``key``), with
stand-in values, notes which parameters are the stand-ins, and from then on runs the
same SQL with the request's own values.

On each database connection the compiled SQL is also prepared (``PREPARE``) the first
time it runs there, and run with ``EXECUTE`` from then on, so PostgreSQL stops planning
it afresh too: planning the one-case read, with its access rules, took 0.8 ms of its
1.0 ms. A connection made anew (after ``CONN_MAX_AGE``, or a lost one) prepares again.
Prepared statements belong to a database session, so a pooler between the portal and
PostgreSQL must keep each connection to one session (PgBouncer's session mode); with a
transaction-mode pooler set ``TAC_DATABASE_PREPARED_STATEMENTS=false``.

Only SQL text is kept, never rows or answers: every request still reads the database,
so a case that leaves an agency's reach, a withdrawn sharing preference or a revoked
token takes effect on the next request. The queryset is built by the same functions
as before (the access rules stay in ``cases.access``); a rule change is a code change,
and a restarted process compiles afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Hashable
from typing import Any

import psycopg2  # type: ignore[import-untyped]
from django.conf import settings
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


#: What is prepared on a connection: Django's wrapper for it keeps the database
#: connection the names were prepared on, and the names. A connection made anew (a new
#: database session) has none prepared, whatever the wrapper kept before.
_PREPARED = "_tac_prepared_statements"
_PLACEHOLDER = re.compile(r"%%|%s")


def _numbered(sql: str) -> str:
    """The SQL with the driver's ``%s`` placeholders as PostgreSQL's ``$1``, ``$2``…"""
    count = 0

    def number(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(0) == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def _prepared(cursor: Any, name: str, sql: str) -> bool:
    """``sql`` is prepared as ``name`` in this database session, now or before; False
    when PostgreSQL will not prepare it (the query then runs as it is)."""
    session = connection.connection  # the database connection itself, once the cursor is open
    kept = getattr(connection, _PREPARED, None)
    if kept is None or kept[0] is not session:
        kept = (session, set())
        setattr(connection, _PREPARED, kept)
    done: set[str] = kept[1]
    if name in done:
        return True
    # On the driver's own cursor: preparing is bookkeeping, not one of the request's
    # queries (a page's query count is the same whether or not it prepared). In a
    # savepoint when inside a transaction, so that a refusal leaves it usable.
    driver = cursor.cursor
    in_transaction = connection.in_atomic_block
    if in_transaction:
        driver.execute("SAVEPOINT tac_prepare")
    try:
        # The name is a hash and the SQL the ORM's own, its values left as $n parameters.
        driver.execute(f"PREPARE {name} AS {_numbered(sql)}")  # nosemgrep
    except psycopg2.Error:
        if in_transaction:
            driver.execute("ROLLBACK TO SAVEPOINT tac_prepare")
            driver.execute("RELEASE SAVEPOINT tac_prepare")
        return False
    if in_transaction:
        driver.execute("RELEASE SAVEPOINT tac_prepare")
    done.add(name)
    return True


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
        #: The statement name each compiled query is prepared under.
        self._names: dict[Hashable, str] = {}

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
            name = self._names.get(key) if compiled is not None else None
            if name is not None and settings.TAC_DATABASE_PREPARED_STATEMENTS:
                if _prepared(cursor, name, sql):
                    sql = f"EXECUTE {name}({', '.join(['%s'] * len(params))})"
                else:
                    del self._names[key]  # not preparable: run as it is from now on
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
        self._names[key] = "tac_" + hashlib.sha256(sql.encode()).hexdigest()[:32]
        return sql, slots
