"""Page weight of the busiest practitioner pages: the bytes of their HTML for the current database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_1m_copy \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/page_weight.py

Signs in (in-process, Django's test client) as the demo lead professional and prints the
size of My work (open and closed cases), of the case page, team page, plan and history of the
busiest case they lead (most chronology events, actions and team members), and of their
notifications, as sent and gzipped. The dashboards have their own script
(``dashboard_page_weight.py``). The target for every page is under 150 kB of HTML at a
million children (issue 18).
"""

from __future__ import annotations

import gzip
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.db.models import Count, F, IntegerField, OuterRef, Subquery  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from agencies.models import User  # noqa: E402
from cases.models import Case, CaseEvent, Child, TeamMembership  # noqa: E402
from meetings.models import Action  # noqa: E402

TARGET_BYTES = 150_000
LEAD_EMAIL = "lead@demo.tac.example"


def _count(model: type) -> Coalesce:
    rows = (
        model.objects.filter(case=OuterRef("pk"))  # type: ignore[attr-defined]
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def busiest_case_led_by(user: User) -> Case | None:
    """The case ``user`` leads with the most events, actions and team members."""
    return (
        Case.objects.filter(lead_assignments__professional=user, lead_assignments__ended_at=None)
        .annotate(busy=_count(CaseEvent) + _count(Action) + _count(TeamMembership))
        .order_by(F("busy").desc(), "pk")
        .first()
    )


def main() -> None:
    print(f"children {Child.objects.count():,}, cases {Case.objects.count():,}")
    lead = User.objects.get(email=LEAD_EMAIL)
    case = busiest_case_led_by(lead)
    pages = [
        ("My work (open cases)", reverse("cases:my_cases")),
        ("My work (closed cases)", reverse("cases:my_cases") + "?show=closed"),
        ("notifications", reverse("notifications:list")),
    ]
    if case is not None:
        busy = case.busy  # type: ignore[attr-defined]
        print(f"busiest case led: {case.reference}, {busy} events, actions and members")
        pages += [
            ("case page", reverse("cases:detail", args=[case.pk])),
            ("team page", reverse("cases:team", args=[case.pk])),
            ("plan", reverse("meetings:case_plan", args=[case.pk])),
            ("history", reverse("cases:history", args=[case.pk])),
        ]
    client = Client(HTTP_HOST="localhost")
    client.force_login(lead)
    worst = 0
    for label, url in pages:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        html = response.content
        worst = max(worst, len(html))
        print(
            f"  {label}: {len(html) / 1000:.1f} kB HTML ({len(gzip.compress(html)) / 1000:.1f} kB"
            f" gzipped), status {response.status_code}, {elapsed * 1000:.0f} ms"
        )
    verdict = "under" if worst < TARGET_BYTES else "OVER"
    print(f"largest page: {worst / 1000:.1f} kB, {verdict} {TARGET_BYTES / 1000:.0f} kB")


if __name__ == "__main__":
    main()
