"""Test databases: migrate once into a template, then copy it for each test process.

pytest-django gives every xdist worker a test database of its own (``test_<name>_gw0``,
``_gw1``...) and would build each one by running every migration: a minute or more of
CPU per worker, on a machine whose cores the workers share. Instead the first process
of a run to get here brings one template database (``test_<name>_template``) up to date
with the migrations, holding a PostgreSQL advisory lock that the other processes wait
on, and marks it with the run's id; then every process copies the template into its own
database with ``CREATE DATABASE ... TEMPLATE``, which copies files and takes a second or
two. A serial run does the same with one copy (``test_<name>``).

The rules pytest-django's own ``django_db_setup`` follows still hold: ``--reuse-db``
keeps the template (it is only migrated forward) and the copies after the run;
``--create-db`` builds the template afresh, once per run; without ``--reuse-db`` the
copies are dropped at the end. A copy is always made anew, so it never lags the
migrations and never carries rows from an interrupted run.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

TEMPLATE_SUFFIX = "_template"
# The template this process's database was copied from, once set_up has run.
_templates: dict[str, str] = {}


@contextmanager
def _advisory_lock(connection: Any, name: str) -> Iterator[None]:
    """Hold a session-level advisory lock named after ``name``, on the server's own database."""
    key = zlib.crc32(f"tac-test-database:{name}".encode())
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _mark(connection: Any, database: str) -> str | None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def _build_template(
    connection: Any, template: str, *, mark: str, keepdb: bool, verbosity: int
) -> None:
    """Create or migrate ``template`` (Django's own test-database creation), then mark it."""
    test_settings = connection.settings_dict.setdefault("TEST", {})
    own_test_name = test_settings.get("NAME")
    original_name = connection.settings_dict["NAME"]
    test_settings["NAME"] = template
    try:
        connection.creation.create_test_db(
            verbosity=verbosity, autoclobber=True, serialize=False, keepdb=keepdb
        )
    finally:
        connection.close()  # no session may stay on a template that is copied
        test_settings["NAME"] = own_test_name
        connection.settings_dict["NAME"] = original_name
        settings.DATABASES[connection.alias]["NAME"] = original_name
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        # COMMENT takes no parameters: the mark is a uuid's hex digits, nothing else.
        cursor.execute(f"COMMENT ON DATABASE {quote(template)} IS '{mark}'")


def _copy(connection: Any, template: str, target: str) -> None:
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        # FORCE: a Celery worker left behind by an interrupted run may still be connected.
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quote(target)} WITH TEMPLATE {quote(template)}")


def set_up(*, run_id: str, keepdb: bool, createdb: bool, verbosity: int) -> str:
    """Give this process its copy of the template; return the database name it replaced.

    ``run_id`` (a uuid's hex) is shared by the processes of one run: the first of them
    to take the lock migrates the template, the others find it marked with this id.
    """
    connection: Any = connections[DEFAULT_DB_ALIAS]
    original_name: str = connection.settings_dict["NAME"]
    target = connection.creation._get_test_db_name()
    template = f"test_{original_name}{TEMPLATE_SUFFIX}"
    _templates[connection.alias] = template
    mark = uuid.UUID(run_id).hex

    with _advisory_lock(connection, template):
        if _mark(connection, template) != mark:
            if verbosity:
                print(f"\nMigrating the template test database {template}...")
            _build_template(
                connection,
                template,
                mark=mark,
                keepdb=keepdb and not createdb,
                verbosity=verbosity,
            )
        _copy(connection, template, target)

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = target
    connection.settings_dict["NAME"] = target
    return original_name


@contextmanager
def template_held() -> Iterator[str]:
    """The name of the template this process's database was copied from, while holding
    its lock: meanwhile no process migrates it or copies it (a copy fails while anyone
    else is connected to the template), so it can be read, by ``pg_dump`` for one."""
    connection: Any = connections[DEFAULT_DB_ALIAS]
    template = _templates[connection.alias]
    with _advisory_lock(connection, template):
        yield template


def tear_down(original_name: str, *, keepdb: bool, verbosity: int) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    connection.creation.destroy_test_db(original_name, verbosity=verbosity, keepdb=keepdb)
