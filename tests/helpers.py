"""Small helpers that tests import (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps
from django.test import Client
from django_otp.oath import totp

from agencies.models import User
from cases.models import Case, LeadProfessionalAssignment

PASSWORD = "correct-horse-battery-staple-42"

#: A TOTP code is good for its own 30-second step only (ASVS 6.5.5): a test computes one
#: with at least this many seconds of the step left, time enough to submit it.
TOTP_MARGIN_SECONDS = 5


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def active_leads(case: Case) -> list[LeadProfessionalAssignment]:
    return list(LeadProfessionalAssignment.objects.filter(case=case, ended_at__isnull=True))


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    """A date as a form posts it: the day, month and year boxes of field ``name``."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def fill_date(scope: Any, legend: str, day: dt.date) -> None:
    """In a browser test, type ``day`` into the Day, Month and Year boxes of the date
    whose legend is ``legend``."""
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def totp_code(key: bytes, *, drift: int = 0) -> str:
    """What an authenticator app with ``key`` shows now (``drift`` steps away), after
    waiting for the next 30-second step if fewer than TOTP_MARGIN_SECONDS of this one are
    left. Waits once only: under a frozen clock (time_machine) the step never ends."""
    left = 30 - time.time() % 30
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.05)
    return f"{totp(key, drift=drift):06d}"


class _WrittenHistoryLoader(MigrationLoader):
    """The migrations as they were written, one by one: without the squashed migrations
    that replace them on a new database, so that a test can go back to any of them. (A
    database that ran a squashed migration is recorded as having run each it replaces.)"""

    def load_disk(self) -> None:
        super().load_disk()
        last_replaced: dict[tuple[str, str], tuple[str, str]] = {}
        for key, migration in list(self.disk_migrations.items()):
            if migration.replaces:
                app_label, name = migration.replaces[-1]
                last_replaced[key] = (app_label, name)
                del self.disk_migrations[key]
        # A migration written after a squash depends on it: here, on what it replaced.
        for migration in self.disk_migrations.values():
            # Each loaded migration has its own list (Migration.__init__ copies it).
            migration.dependencies = [  # type: ignore[misc]
                last_replaced.get((parent[0], parent[1]), parent)
                for parent in migration.dependencies
            ]


def migrate_to(targets: list[tuple[str, str]]) -> StateApps:
    """Migrate the test database to ``targets`` of the written history; the apps as they
    were there."""
    executor = MigrationExecutor(connection)
    executor.loader = _WrittenHistoryLoader(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Migrate the test database to the latest migrations again."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
