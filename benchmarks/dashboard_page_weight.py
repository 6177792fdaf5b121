"""Dashboard page weight: the bytes of the caseload dashboard's HTML for the current database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_dash_10k \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/dashboard_page_weight.py

Prints the number of children, cases, teams, agencies and professionals, then the size of
each dashboard page as the demo coordinator (the whole authority, unfiltered and filtered)
and the demo manager sees it: the HTML as sent, and gzipped. ``--refresh`` rebuilds the
summary first (otherwise the figures of the last refresh are read; with none, the page
says the figures are being computed). The overdue lists the dashboard links to are
weighed too. The target for the authority page is under 150 kB
at a million children (issue 18); the page lists at most ``FILTER_LIST_LIMIT`` teams or
agencies and ``LONG_TABLE_ROWS`` rows of a long table, so its weight should not grow with
the data.
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from agencies.models import Agency, Team, User  # noqa: E402
from cases.models import Case, Child  # noqa: E402
from dashboards import metrics  # noqa: E402
from dashboards.services import refresh_summaries  # noqa: E402

TARGET_BYTES = 150_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh", action="store_true", help="rebuild the summary first")
    args = parser.parse_args()
    print(
        f"children {Child.objects.count():,}, cases {Case.objects.count():,},"
        f" teams {Team.objects.count():,}, agencies {Agency.objects.count():,},"
        f" professionals {User.objects.count():,}"
    )
    if args.refresh:
        done = refresh_summaries()
        print(f"summary refresh: {done.duration_ms / 1000:.1f} s, {done.cell_count:,} cells")
    latest = metrics.latest_refresh()
    print(f"figures as of: {latest.finished_at if latest else 'never (none computed yet)'}")
    locality = next(iter(metrics.directory_of(latest).localities), "")
    agency = Agency.objects.order_by("pk").values_list("pk", flat=True).first()
    pages = [
        ("coordinator", "whole authority", "/dashboards/"),
        ("coordinator", "whole authority, 12 months", "/dashboards/?period=12"),
        ("coordinator", f"a locality ({locality})", f"/dashboards/?locality={locality}"),
        ("coordinator", "an agency", f"/dashboards/?agency={agency}"),
        ("manager", "a manager's teams", "/dashboards/"),
        # The drill-down lists: a page of PAGE_SIZE rows, the most overdue first.
        ("coordinator", "overdue reviews, whole authority", "/dashboards/list/overdue-reviews/"),
        ("coordinator", "overdue actions, whole authority", "/dashboards/list/overdue-actions/"),
        ("manager", "overdue reviews, a manager's teams", "/dashboards/list/overdue-reviews/"),
    ]
    worst = 0
    for persona, label, url in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(email=f"{persona}@demo.tac.example"))
        response = client.get(url)
        html = response.content
        if persona == "coordinator":
            worst = max(worst, len(html))
        print(
            f"  {label}: {len(html) / 1000:.1f} kB HTML"
            f" ({len(gzip.compress(html)) / 1000:.1f} kB gzipped), status {response.status_code}"
        )
    verdict = "under" if worst < TARGET_BYTES else "OVER"
    print(f"largest authority page: {worst / 1000:.1f} kB, {verdict} {TARGET_BYTES / 1000:.0f} kB")


if __name__ == "__main__":
    main()
