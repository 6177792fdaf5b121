"""``manage.py seed_demo``: a fictional local authority to try the portal with (ARCHITECTURE §9)."""

from __future__ import annotations

from typing import Any

import pghistory
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.authority import DEMO_EMAILS, demo_accounts_exist
from demo.bulk import BULK_THRESHOLD, seed_bulk
from demo.progress import ProgressDisplay
from demo.small import seed_small


class Command(BaseCommand):
    help = (
        "Create Demo Borough Council: agencies of every kind, teams, professionals, the "
        "eight demo sign-ins, and families and children at every stage of the TAC process. "
        "Does nothing when the demo sign-ins already exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children",
            type=int,
            default=240,
            help="How many children to create (default 240; up to millions with --bulk).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                "Write families and cases with COPY instead of the case services. Chosen "
                f"automatically for more than {BULK_THRESHOLD} children."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n_children: int = options["children"]
        seed: int = options["seed"]
        if n_children < 0:
            raise CommandError("--children cannot be negative.")
        if demo_accounts_exist():
            self.stdout.write(
                "Demo data is already loaded (the demo sign-ins exist); nothing to do."
            )
            return
        bulk = bool(options["bulk"]) or n_children > BULK_THRESHOLD
        verbosity: int = options["verbosity"]

        progress = ProgressDisplay(self.stdout, tty=self.stdout.isatty()) if verbosity else None

        # Change history records which command wrote the rows (there is no acting user).
        with pghistory.context(command="seed_demo"):
            if bulk:
                self.stdout.write(f"Seeding {n_children:,} children with COPY (seed {seed})…")
                summary = seed_bulk(n_children, seed, progress=progress)
            else:
                self.stdout.write(f"Seeding {n_children:,} children through the case services…")
                summary = seed_small(n_children, seed)

        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<20} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {summary.elapsed:,.1f} s "
                f"({summary.children_per_second:,.0f} children/s, {summary.path} path). "
                f"Sign in as any of: {', '.join(DEMO_EMAILS)}."
            )
        )
