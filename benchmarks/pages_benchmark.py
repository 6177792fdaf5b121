"""Pages benchmark: every practitioner and manager page at two sizes, interleaved in one run.

    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/pages_benchmark.py \\
        --small tac_pages_10k --large tac_pages_1m --repeat 15

Both databases must be seeded (``seed_demo --bulk``) and migrated with this tree. Like
``dashboard_benchmark.py``, the first run adds synthetic requests, assessments, meetings,
reviews and actions to each database (the demo seed writes none) and keeps them, so run
it only against copies made for benchmarking. The summary tables are refreshed once if
they have never been.

One worker process serves each database, so each keeps its own connection and caches, as
a server process would. Each worker signs the demo people in through the sign-in page (a
real session), finds the pages' records (the first open case ``lead@`` leads that has a
meeting, that meeting, the case's first child for "find a child") and requests each page
once to warm up. Then the parent asks for each page in turn, from the small database and
the large one alternately (which goes first alternates too), ``--repeat`` times, so both
sizes see the same machine load. For each page it prints the median time at each size,
the spread (the quartiles), the ratio of the medians with the quartiles of the paired
ratios, the number of queries at each size (the fewest seen: once a minute a request
also saves the session's last-seen time) and the large page's HTML in kB. The target is
a ratio of at most 1.3 and the same number of queries at both sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.3

#: (persona, label, page kind). The worker turns each kind into a request.
PAGES = [
    ("lead", "My work, lead@", "my_work"),
    ("practitioner", "My work, practitioner@", "my_work"),
    ("manager", "My work, manager@", "my_work"),
    ("lead", "case page", "case"),
    ("lead", "case team page", "case_team"),
    ("lead", "case chronology", "chronology"),
    ("lead", "meeting mode", "meeting_mode"),
    ("practitioner", "find a child (name)", "find_child"),
    ("coordinator", "dashboard, authority", "dashboard"),
    ("manager", "dashboard, manager's teams", "dashboard"),
    ("coordinator", "overdue reviews, authority", "overdue_reviews"),
    ("coordinator", "overdue reviews, authority, page 4", "overdue_reviews_page_4"),
    ("manager", "overdue reviews, teams", "overdue_reviews"),
    ("coordinator", "overdue actions, authority", "overdue_actions"),
    ("manager", "overdue actions, teams", "overdue_actions"),
]

#: The dashboard benchmark's pages (``dashboard_benchmark.py``), through the same harness.
DASHBOARD_PAGES = [
    ("coordinator", "dashboard, authority", "dashboard"),
    ("coordinator", "dashboard, authority, first request after a refresh", "dashboard_cold"),
    ("coordinator", "dashboard, authority, 12 months", "dashboard_12"),
    ("manager", "dashboard, a manager's teams", "dashboard"),
    ("coordinator", "overdue reviews list, authority", "overdue_reviews"),
    ("manager", "overdue reviews list, teams", "overdue_reviews"),
    ("coordinator", "overdue actions list, authority", "overdue_actions"),
    ("lead", "My work (with the caseload panel)", "my_work"),
]

PAGE_SETS = {"pages": PAGES, "dashboards": DASHBOARD_PAGES}


def chosen_pages(page_set: str, only: list[str] | None) -> list[tuple[str, str, str]]:
    """The set's pages, or those whose label is one of ``only`` (to time a few quickly)."""
    pages = PAGE_SETS[page_set]
    if not only:
        return pages
    chosen = [page for page in pages if page[1] in only]
    if not chosen:
        raise SystemExit(f"no page of {page_set!r} is labelled {only}")
    return chosen


# --- The worker: one process per database -----------------------------------------------


def worker(database: str, pages: list[tuple[str, str, str]]) -> None:
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + database
    os.environ.setdefault("TAC_ENVIRONMENT", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from dashboard_benchmark import add_synthetic_rows, counts

    from agencies.models import User
    from cases.models import Case, CaseSubject
    from dashboards import metrics
    from dashboards.services import refresh_summaries
    from meetings.models import Meeting

    # Standard output carries the answers to the parent; anything else goes to stderr.
    answers, sys.stdout = sys.stdout, sys.stderr

    def say(message: dict[str, Any]) -> None:
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    add_synthetic_rows()
    if metrics.latest_refresh() is None:
        refresh_summaries()
    clients: dict[str, Client] = {}
    for persona in {p for p, _label, _kind in pages}:
        client = Client(HTTP_HOST="localhost")
        response = client.post(
            "/accounts/sign-in/",
            {"username": f"{persona}@demo.tac.example", "password": settings.DEMO_PASSWORD},
        )
        assert response.status_code == 302, (persona, response.status_code)
        clients[persona] = client
    lead = User.objects.get(email="lead@demo.tac.example")
    case = (
        Case.objects.open()
        .filter(lead_assignments__professional=lead, lead_assignments__ended_at=None)
        .filter(meetings__isnull=False)
        .order_by("pk")
        .first()
    )
    assert case is not None, "lead@ leads no open case with a meeting"
    meeting = Meeting.objects.filter(case=case).order_by("pk").first()
    assert meeting is not None
    child = CaseSubject.objects.filter(case=case).select_related("child").order_by("pk")[0].child
    # The fourth page of the authority's overdue reviews (rows 151 to 200: the 10k demo has
    # 214 overdue), reached by "Next" as a person would.
    deep = "/dashboards/list/overdue-reviews/"
    if "coordinator" in clients:
        for _ in range(3):
            html = clients["coordinator"].get(deep).content.decode()
            following = re.search(r'href="(\?[^"]*)" rel="next"', html)
            assert following is not None, "the authority has fewer than four pages overdue"
            deep = "/dashboards/list/overdue-reviews/" + following.group(1).replace("&amp;", "&")
    requests: dict[str, tuple[str, str, dict[str, str] | None]] = {
        "my_work": ("get", "/cases/", None),
        "case": ("get", f"/cases/{case.pk}/", None),
        "case_team": ("get", f"/cases/{case.pk}/team/", None),
        "chronology": ("get", f"/cases/{case.pk}/chronology/", None),
        "meeting_mode": ("get", f"/meetings/{meeting.pk}/run/", None),
        "find_child": (
            "post",
            "/cases/find-a-child/",
            {"given_names": child.given_names, "family_name": child.family_name},
        ),
        "dashboard": ("get", "/dashboards/", None),
        "dashboard_cold": ("get", "/dashboards/", None),
        "dashboard_12": ("get", "/dashboards/?period=12", None),
        "overdue_reviews": ("get", "/dashboards/list/overdue-reviews/", None),
        "overdue_reviews_page_4": ("get", deep, None),
        "overdue_actions": ("get", "/dashboards/list/overdue-actions/", None),
    }

    def request(index: int) -> dict[str, Any]:
        persona, label, kind = pages[index]
        method, path, data = requests[kind]
        client = clients[persona]
        if kind == "dashboard_cold":
            # As the first request in a process after a refresh: the filter options
            # are read and rendered again.
            metrics._rendered.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response: Any = getattr(client, method)(path, data) if data else client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (label, path, response.status_code)
        return {"seconds": elapsed, "queries": len(captured), "bytes": len(body)}

    for index in range(len(pages)):  # warm-up
        request(index)
    say({"ready": True, "sizes": counts(), "case": case.reference, "events": case.events.count()})
    for line in sys.stdin:
        say(request(int(line)))


# --- The parent: interleave the two workers ---------------------------------------------


class Worker:
    def __init__(self, database: str, page_set: str, only: list[str] | None = None) -> None:
        self.database = database
        chosen = [arg for label in only or () for arg in ("--only", label)]
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", database, "--pages", page_set, *chosen],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the worker for {self.database} stopped")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, index: int) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{index}\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def compare(
    small_db: str,
    large_db: str,
    repeat: int,
    page_set: str = "pages",
    only: list[str] | None = None,
) -> int:
    """Run the interleaved comparison and print it; the number of pages over target."""
    pages = chosen_pages(page_set, only)
    started = time.monotonic()
    small, large = Worker(small_db, page_set, only), Worker(large_db, page_set, only)
    for w in (small, large):
        ready = w.read()
        sizes = ", ".join(f"{k} {v:,}" for k, v in ready["sizes"].items())
        print(f"{w.database}: {sizes}; case {ready['case']} ({ready['events']} events)")
    times: dict[int, dict[str, list[float]]] = {
        i: {"small": [], "large": []} for i in range(len(pages))
    }
    queries: dict[int, dict[str, set[int]]] = {
        i: {"small": set(), "large": set()} for i in range(len(pages))
    }
    weight: dict[int, dict[str, int]] = {i: {} for i in range(len(pages))}
    for rep in range(repeat):
        for index in range(len(pages)):
            order = [("small", small), ("large", large)]
            if (rep + index) % 2:
                order.reverse()
            for size, w in order:
                result = w.ask(index)
                times[index][size].append(result["seconds"])
                queries[index][size].add(result["queries"])
                weight[index][size] = result["bytes"]
    small.close()
    large.close()

    load = os.getloadavg()
    print(
        f"\n{repeat} interleaved requests a page at each size; load average"
        f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {time.monotonic() - started:.0f} s in all"
    )
    print(
        f"{'page':<34} {'small: median (IQR) ms':>24} {'large: median (IQR) ms':>24}"
        f" {'ratio (IQR)':>18} {'queries':>9} {'kB':>6}"
    )
    failures = 0
    for index, (_persona, label, _kind) in enumerate(pages):
        s, g = times[index]["small"], times[index]["large"]
        ms, mg = statistics.median(s), statistics.median(g)
        ratio = mg / ms
        r_lo, r_hi = quartiles([b / a for a, b in zip(s, g, strict=True)])
        s_lo, s_hi = quartiles(s)
        g_lo, g_hi = quartiles(g)
        # The fewest: a request now and then also saves the session's last-seen time
        # (once a minute, agencies.middleware), three more queries at either size.
        qs, qg = min(queries[index]["small"]), min(queries[index]["large"])
        same = qs == qg
        counted = f"{qs}{'=' if same else '/'}{qg}"
        ok = ratio <= TARGET_RATIO and same
        failures += not ok
        print(
            f"{label[:34]:<34} {ms * 1000:8.1f} ({s_lo * 1000:6.1f}-{s_hi * 1000:6.1f})"
            f" {mg * 1000:8.1f} ({g_lo * 1000:6.1f}-{g_hi * 1000:6.1f})"
            f" {ratio:6.2f} ({r_lo:.2f}-{r_hi:.2f})"
            f" {counted:>9} {weight[index]['large'] / 1000:6.1f}"
            f"{'' if ok else '  <-- over target'}"
        )
    print(f"\npages over target (ratio > {TARGET_RATIO} or different query counts): {failures}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="tac_pages_10k")
    parser.add_argument("--large", default="tac_pages_1m")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--pages", choices=sorted(PAGE_SETS), default="pages")
    parser.add_argument(
        "--only",
        action="append",
        metavar="LABEL",
        help='time only the page with this label (e.g. "dashboard, authority"); repeatable',
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, chosen_pages(args.pages, args.only))
        return
    compare(args.small, args.large, args.repeat, args.pages, args.only)


if __name__ == "__main__":
    main()
