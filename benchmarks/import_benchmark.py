"""Bulk import benchmark: a generated file of 100,000 children, checked and imported.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_import \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/import_benchmark.py

Migrates the database named by DATABASE_URL (create it first), makes a system
administrator if there is none, writes an XLSX workbook in the import template (a
families sheet and a children sheet: two children a household, fictional names, valid NHS
numbers), then times the dry run (``check_batch``) and the import (``import_batch``) as
the Celery tasks run them, in this process. Source keys carry the run's time, so each run
imports new rows into whatever the database already holds. Prints each step's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from agencies.models import User  # noqa: E402
from cases.models import Child  # noqa: E402
from imports import services  # noqa: E402
from imports.columns import SHEETS  # noqa: E402
from imports.models import ImportBatch  # noqa: E402

GIVEN = ["Amara", "Tobi", "Ella", "Noah", "Isla", "Leo", "Maya", "Ravi", "Zara", "Finn"]
FAMILY = ["Okafor", "Brightwater", "Nowak", "Patel", "Hughes", "Khan", "Murphy", "Evans"]


def nhs_number(n: int) -> str:
    """A valid NHS number (modulus 11 check digit) made from ``n``."""
    while True:
        digits = f"{n:09d}"[-9:]
        total = sum(int(d) * (10 - i) for i, d in enumerate(digits))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{digits}{check}"
        n += 1


def letters(n: int) -> str:
    """``n`` written in letters (a name may hold letters only): 0 is "a", 27 is "bb"."""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if n == 0:
            return word.capitalize()


def workbook(children: int, run: str) -> bytes:
    rng = random.Random(20261207)
    book = Workbook(write_only=True)
    families = book.create_sheet("families")
    families.append([c.name for c in SHEETS["families"]])
    kids = book.create_sheet("children")
    headers = [c.name for c in SHEETS["children"]]
    kids.append(headers)
    for n in range((children + 1) // 2):
        surname = f"{rng.choice(FAMILY)}-{letters(n)}"
        families.append([f"{run}-F{n}", f"The {surname} family", "", "EF1 2AB"])
    for n in range(children):
        born = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(6000))
        row = {
            "child_key": f"{run}-C{n}",
            "family_key": f"{run}-F{n // 2}",
            # Every household's name is its own, and siblings' first names differ: the
            # file has no duplicates of its own.
            "given_names": GIVEN[n % len(GIVEN)],
            "family_name": f"{FAMILY[(n // 2) % len(FAMILY)]}-{letters(n // 2)}",
            "date_of_birth": born.isoformat(),
            "sex": rng.choice(["male", "female"]),
            "nhs_number": nhs_number(100_000_000 + n * 7 + int(run[-4:])),
            "postcode": "EF1 2AB",
        }
        kids.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    admin = User.objects.filter(role=User.Role.SYSTEM_ADMINISTRATOR, is_active=True).first()
    if admin is None:
        admin = User.objects.create_user(
            "bench.admin@bench.example", None, full_name="Bench Admin", role="system_administrator"
        )
    run = timezone.now().strftime("%Y%m%d%H%M%S")
    before = Child.objects.count()

    started = time.perf_counter()
    content = workbook(args.children, run)
    made = time.perf_counter() - started
    print(f"file: {args.children:,} children, {len(content) / 1e6:.1f} MB, written in {made:.1f} s")

    batch = ImportBatch.objects.create(
        file_name=f"benchmark-{run}.xlsx",
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=admin,
        uploaded_at=timezone.now(),
    )
    started = time.perf_counter()
    services.check_batch(batch.pk)
    checked = time.perf_counter() - started
    batch.refresh_from_db()
    print(f"dry run: {checked:.1f} s; will create {batch.report['to_create']:,} records")
    if batch.report["has_problems"]:
        sys.exit(f"the dry run found problems: {batch.report['rows'][:3]}")

    # As confirm_import leaves it; the task is run here rather than by a worker.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.QUEUED, confirmed_by=admin, confirmed_at=timezone.now()
    )
    started = time.perf_counter()
    services.import_batch(batch.pk)
    imported = time.perf_counter() - started
    batch.refresh_from_db()
    if batch.status != ImportBatch.Status.DONE:
        sys.exit(f"the import failed: {batch.failure}")
    added = Child.objects.count() - before
    print(f"import: {imported:.1f} s; created {batch.created}")
    print(
        f"total (dry run + import): {checked + imported:.1f} s "
        f"({(checked + imported) / 60:.1f} min) for {added:,} children"
    )


if __name__ == "__main__":
    main()
