"""The bulk seed's loader: the tables end as migrated, and the change history it writes
itself is the history the triggers would have written."""

from __future__ import annotations

from typing import Any

import pghistory
import pytest
from django.db import connection

from demo.bulk import TABLE_ORDER, SeedProgress, seed_bulk
from demo.progress import ProgressDisplay, describe

HISTORY_OF = {
    table: f"{table}history" for table in TABLE_ORDER if table != "cases_caseevent"
}  # fmt: skip


def _catalogue() -> dict[str, list[Any]]:
    """Indexes, constraints and triggers of the loaded tables and their history tables
    (a foreign key's own internal triggers are named after their new oids)."""
    tables = list(TABLE_ORDER) + list(HISTORY_OF.values())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
              FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
             WHERE c.relname = ANY(%s) ORDER BY 1, 2
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid),
                   k.condeferrable, k.condeferred, k.convalidated
              FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
             WHERE c.relname = ANY(%s) ORDER BY 1, 2
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.relname, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid)
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE c.relname = ANY(%s) AND NOT t.tgisinternal ORDER BY 1, 2
            """,
            [tables],
        )
        triggers = cursor.fetchall()
    return {"indexes": indexes, "constraints": constraints, "triggers": triggers}


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT column_name FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s
             ORDER BY ordinal_position
            """,
            [table],
        )
        return [name for (name,) in cursor.fetchall()]


def _one(query: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.slow
def test_bulk_loader_leaves_the_schema_as_migrated_and_writes_the_triggers_history() -> None:
    before = _catalogue()
    reports: list[SeedProgress] = []
    with pghistory.context(command="seed_demo"):
        # Small rounds, so that several chunks go through the row builder and the loader.
        seed_bulk(1200, 5, families_per_chunk=150, progress=reports.append)

    assert _catalogue() == before
    assert [r.phase for r in reports][-2:] == ["indexing", "done"]
    writing = [r for r in reports if r.phase == "writing"]
    assert len(writing) > 3
    assert writing[-1].children == 1200
    assert [r.children for r in writing] == sorted(r.children for r in writing)

    context = _one("SELECT count(DISTINCT pgh_context_id) FROM cases_childhistory")
    assert context == 1
    assert (
        _one(
            "SELECT metadata->>'command' FROM pghistory_context "
            "WHERE id = (SELECT pgh_context_id FROM cases_childhistory LIMIT 1)"
        )
        == "seed_demo"
    )
    for table, history in HISTORY_OF.items():
        columns = [c for c in _columns(history) if not c.startswith("pgh_")]
        assert columns, history
        listed = ", ".join(f'"{c}"' for c in columns)
        rows = _one(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
        assert rows > 0, table
        assert _one(f"SELECT count(*) FROM {history}") == rows, table  # noqa: S608
        # Every row's history row holds the same values, as an insert, in this
        # transaction's context and at its start, as the trigger writes it ...
        assert (
            _one(
                f"SELECT count(*) FROM (SELECT {listed}, id, 'insert', NOW() FROM {table} "  # noqa: S608
                f"EXCEPT SELECT {listed}, pgh_obj_id, pgh_label, pgh_created_at FROM {history}) d"
            )
            == 0
        ), table
        # ... and in the order the rows were written, as the trigger numbers them: a
        # chunk's rows in id order. Two row builders' chunks interleave, so the ids go
        # back at most once a chunk.
        chunks = len(writing) - 1
        assert (
            _one(
                f"SELECT count(*) FROM (SELECT pgh_obj_id - lag(pgh_obj_id) OVER "  # noqa: S608
                f"(ORDER BY pgh_id) AS step FROM {history}) s WHERE step <= 0"
            )
            < chunks
        ), table


def test_progress_reads_as_a_line_or_a_bar() -> None:
    p = SeedProgress("writing", 250_000, 120_000, 1_000_000, 50.0)
    assert describe(p) == (
        "250,000 / 1,000,000 children, 120,000 families, 5,000 children/s, about 2m 30s left"
    )

    class Out:
        def __init__(self) -> None:
            self.text: list[str] = []

        def write(self, msg: str, ending: str | None = None) -> None:
            self.text.append(msg + ("\n" if ending is None else ending))

        def flush(self) -> None:
            pass

    lines = Out()
    now = [0.0]
    plain = ProgressDisplay(lines, tty=False, clock=lambda: now[0])
    plain(p)
    now[0] = 3.0
    plain(p)  # too soon for another line
    now[0] = 11.0
    plain(p)
    plain(SeedProgress("indexing", 1_000_000, 480_000, 1_000_000, 200.0))
    assert len(lines.text) == 3
    assert all(t.endswith("\n") and "\r" not in t for t in lines.text)

    bar = Out()
    ProgressDisplay(bar, tty=True)(p)
    assert bar.text[0].startswith("\r")
    assert "25%" in bar.text[0]
    assert not bar.text[0].endswith("\n")
