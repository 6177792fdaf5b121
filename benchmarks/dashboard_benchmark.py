"""Dashboard benchmark: page times at two sizes in one run, and the summary refresh.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/dashboard_benchmark.py \\
        --small tac_dash_10k --large tac_bench_dash

Both databases must be seeded (``seed_demo --bulk``) and migrated. The demo seed
writes no requests, assessments, meetings, reviews or actions, so the first run
adds synthetic ones to each database with set-based SQL (one request per case,
an assessment, a first meeting, a review and two actions where the case's
status implies them), marked ``benchmark synthetic``, with row triggers off (no
change history for them). Run it only against a copy made for benchmarking: the
rows are kept for the next run.

For each database in turn: the summary refresh, once to warm up and then
``--refresh-repeat`` times (median, fastest, slowest). Then the pages of both
databases are compared request by request with ``pages_benchmark.compare``: one
worker process a database, each page asked of the small database and the large one
alternately, ``--repeat`` times, so the ratio is taken under the same machine load;
it prints each page's median and quartiles at each size, the ratio with the quartiles
of the paired ratios, and the number of queries. ``--pages-only`` skips the refresh.
The "first request after a refresh" row forgets the process's rendered filter options
before each request, so it pays for reading and rendering the directory, as the first
request in each process after each refresh does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from pages_benchmark import compare  # noqa: E402

from assessments.models import AssessmentTemplate  # noqa: E402
from dashboards.models import MetricCell, MetricTotal  # noqa: E402
from dashboards.services import refresh_summaries  # noqa: E402

MARK = "benchmark synthetic"
ASSESSED = (
    "PLANNING", "ACTIVE", "REASSESSING", "STEP_UP_REQUESTED", "CLOSING", "CLOSED",
    "CLOSED_NEEDS_MET", "CLOSED_STEPPED_UP",
)  # fmt: skip
MET = ("ACTIVE", "REASSESSING", "STEP_UP_REQUESTED", "CLOSING", "CLOSED", "CLOSED_STEPPED_UP")
WORKING = ("ACTIVE", "REASSESSING", "STEP_UP_REQUESTED", "CLOSING")

SYNTHETIC_SQL = [
    # One request per case that got past identification.
    """
    INSERT INTO cases_requestforsupport (received_at, requester_name, source_code, family_id,
        summary_of_need, family_aware, consent_obtained, status, triage_decision,
        triage_rationale, case_id, created_at, updated_at)
    SELECT c.opened_at - make_interval(days => (c.id %% 5)::int), 'A benchmark referrer',
        (ARRAY['1A','2A','2A','2A','3A','3B','3C','4','5A','5D','6','8'])[1 + c.id %% 12],
        c.family_id, %(mark)s, true, true,
        CASE WHEN c.status = 'REQUEST_SUBMITTED' THEN 'received' ELSE 'triaged' END,
        CASE WHEN c.status = 'REQUEST_SUBMITTED' THEN '' ELSE
            (ARRAY['advice_signpost','single_agency','early_help_assessment',
                   'early_help_assessment','early_help_assessment','refer_to_csc'])[1 + c.id %% 6]
        END, '', c.id, now(), now()
    FROM cases_case c WHERE c.status <> 'IDENTIFIED'
    """,
    """
    INSERT INTO cases_requestforsupport_subjects (requestforsupport_id, child_id)
    SELECT r.id, s.child_id FROM cases_requestforsupport r
    JOIN cases_casesubject s ON s.case_id = r.case_id WHERE r.summary_of_need = %(mark)s
    """,
    # An assessment of the first child; completed unless the case is still assessing.
    """
    INSERT INTO assessments_assessment (case_id, child_id, template_id, status, assessor_id,
        started_at, completed_at, lock_version, abandoned_reason, family_copy_left_out,
        created_at, updated_at)
    SELECT c.id, s.child_id, %(template)s,
        CASE WHEN c.status = 'ASSESSING' THEN 'in_progress' ELSE 'completed' END,
        c.opened_by_id, c.opened_at + interval '1 day',
        CASE WHEN c.status = 'ASSESSING' THEN NULL
             ELSE LEAST(c.opened_at + make_interval(days => (3 + c.id %% 30)::int), now()) END,
        1, '', '[]'::jsonb, now(), now()
    FROM cases_case c
    JOIN LATERAL (SELECT child_id FROM cases_casesubject WHERE case_id = c.id
                  ORDER BY child_id LIMIT 1) s ON true
    WHERE c.status = ANY(%(assessing)s)
    """,
    # The first TAC meeting, held after the assessment.
    """
    INSERT INTO meetings_meeting (case_id, kind, status, starts_at, held_at, created_by_id,
        mode, location, professionals_only, professionals_only_reason, ical_sequence,
        cancelled_reason, version, text_versions, family_views, child_views, progress_summary,
        created_at, updated_at)
    SELECT a.case_id, 'initial', 'held', t.at, t.at, a.assessor_id,
        'in_person', '', false, '', 0, '', 1, '{}'::jsonb, '', '', '', now(), now()
    FROM assessments_assessment a
    JOIN cases_case c ON c.id = a.case_id
    CROSS JOIN LATERAL (SELECT LEAST(a.completed_at
        + make_interval(days => (2 + a.case_id %% 15)::int), now()) AS at) t
    WHERE c.status = ANY(%(met)s) AND a.completed_at IS NOT NULL
    """,
    # A review two months after the first meeting, with or without the family's views.
    """
    INSERT INTO meetings_review (case_id, reviewed_at, child_views, parent_views,
        recorded_by_id, progress, summary)
    SELECT m.case_id, m.held_at + interval '60 days',
        CASE WHEN m.case_id %% 3 <> 0 THEN 'In my own words' ELSE '' END,
        CASE WHEN m.case_id %% 4 <> 0 THEN 'In our own words' ELSE '' END, m.created_by_id,
        '', ''
    FROM meetings_meeting m WHERE m.held_at + interval '60 days' < now()
    """,
    # Two actions on each working case, due around today; a third are done.
    """
    INSERT INTO meetings_action (description, owner_name, due_on, status, late_reason,
        version, created_at, updated_at, case_id, created_by_id, owner_agency_id,
        owner_professional_id)
    SELECT %(mark)s, '', current_date - (c.id %% 40)::int + 20 + n,
        CASE WHEN (c.id + n) %% 3 = 0 THEN 'done' ELSE 'in_progress' END, '', 1, now(), now(),
        c.id, l.professional_id, l.agency_id, l.professional_id
    FROM cases_case c
    JOIN cases_leadprofessionalassignment l ON l.case_id = c.id AND l.ended_at IS NULL
    CROSS JOIN generate_series(0, 1) AS n
    WHERE c.status = ANY(%(working)s)
    """,
]


def use_database(name: str) -> None:
    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name
    ContentType.objects.clear_cache()


def add_synthetic_rows() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM cases_requestforsupport WHERE summary_of_need = %s", [MARK])
        if cursor.fetchone():
            return
    template, _ = AssessmentTemplate.objects.get_or_create(
        code="benchmark", version=1, defaults={"name": MARK, "definition": {}}
    )
    params: dict[str, Any] = {
        "mark": MARK,
        "template": template.pk,
        "assessing": ["ASSESSING", *ASSESSED],
        "met": list(MET),
        "working": list(WORKING),
    }
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        # Synthetic rows need no change history: row triggers off for this transaction.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for sql in SYNTHETIC_SQL:
            cursor.execute(sql, params)
            print(f"    synthetic rows: {cursor.rowcount:,}")
    with connection.cursor() as cursor:
        for table in ("cases_requestforsupport", "assessments_assessment", "meetings_meeting",
                      "meetings_review", "meetings_action"):  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    print(f"    synthetic rows written in {time.monotonic() - started:.1f} s")


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM cases_child), (SELECT count(*) FROM cases_case),"
            " (SELECT count(*) FROM cases_requestforsupport),"
            " (SELECT count(*) FROM assessments_assessment),"
            " (SELECT count(*) FROM meetings_action)"
        )
        row = cursor.fetchone()
    return dict(zip(("children", "cases", "requests", "assessments", "actions"), row, strict=True))


def refresh(name: str, repeat: int) -> dict[str, Any]:
    """Add the synthetic rows if need be, then time the summary refresh ``repeat`` times."""
    print(f"database: {name}")
    use_database(name)
    add_synthetic_rows()
    sizes = counts()
    print("    " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    times = []
    if repeat:
        refresh_summaries()  # warm the cache
    for _ in range(repeat):
        started = time.perf_counter()
        refresh_summaries()
        times.append(time.perf_counter() - started)
    cells = MetricCell.objects.count()
    totals = MetricTotal.objects.count()
    if times:
        print(
            f"    summary refresh, {len(times)} runs: median {statistics.median(times):.2f} s,"
            f" fastest {min(times):.2f} s, slowest {max(times):.2f} s;"
            f" {cells:,} cells, {totals:,} totals"
        )
    connections["default"].close()
    return {"sizes": sizes, "refresh": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="tac_dash_10k")
    parser.add_argument("--large", default="tac_bench_dash")
    parser.add_argument("--repeat", type=int, default=15, help="requests a page at each size")
    parser.add_argument("--refresh-repeat", type=int, default=3, help="timed summary refreshes")
    parser.add_argument("--pages-only", action="store_true", help="skip the summary refresh")
    args = parser.parse_args()
    refresh_repeat = 0 if args.pages_only else args.refresh_repeat
    # The refreshes one database after the other (each is one long pass), then the
    # pages of both interleaved, request by request (pages_benchmark.compare).
    for name in (args.small, args.large):
        refresh(name, refresh_repeat)
    compare(args.small, args.large, args.repeat, "dashboards")


if __name__ == "__main__":
    main()
