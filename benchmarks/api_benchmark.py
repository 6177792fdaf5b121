"""Partner API benchmark: the case list and one case, beside a hand-written raw twin.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_api \\
    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python benchmarks/api_benchmark.py [--wrk]

Registers one partner client per measured agency (rows left in the benchmark
database), then times in-process, through the whole middleware stack and with
the record-access log on:

- ``GET /api/v1/cases/?page_size=100`` (first page, and a later page by cursor),
- ``GET /api/v1/cases/{id}/``,

each beside a raw twin that reads the same rows with one hand-written SQL
statement on the same connection and serialises them with ``json.dumps``.
With ``--wrk`` it also serves the API with gunicorn on loopback and measures
requests per second with wrk (bounded runs, loopback only).

Method: view and twin alternate (view first on even runs, twin first on odd ones, so
neither gains from the other's warm caches or a drift in load); ``BENCH_RUNS`` pairs
(default 41). Each line gives the median and the 10th and 90th percentiles of both,
and the ratio of the medians with the spread of the per-pair ratios. The script
prints the commit it runs from and checks that it imports this tree's code. Before
timing, it checks that the twin returns the same rows and fields as the API.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")
# Measure the work, not the throttle; a token that outlives the run.
os.environ.setdefault("TAC_API_RATE", "100000000/min")
os.environ.setdefault("TAC_API_TOKEN_SECONDS", "7200")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from agencies.models import Agency, ApiScope, PartnerClient  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "41"))
SECRET = "benchmark-client-secret-0123456789abcdef"  # noqa: S105  (a throwaway benchmark client)

# The same rows and fields as CaseSerializer, by hand: one statement.
# Who may see a case: as a set for a page of a list, as probes for one case.
VISIBLE_SET = """
    (c.id IN (SELECT m.case_id FROM cases_teammembership m
              JOIN agencies_user u ON u.id = m.professional_id
              WHERE m.left_at IS NULL AND u.agency_id = %(agency)s)
     OR c.id IN (SELECT l.case_id FROM cases_leadprofessionalassignment l
                 JOIN agencies_user u ON u.id = l.professional_id
                 WHERE l.ended_at IS NULL AND u.agency_id = %(agency)s))"""
VISIBLE_PROBE = """
    (EXISTS (SELECT 1 FROM cases_teammembership m JOIN agencies_user u ON u.id = m.professional_id
             WHERE m.case_id = c.id AND m.left_at IS NULL AND u.agency_id = %(agency)s)
     OR EXISTS (SELECT 1 FROM cases_leadprofessionalassignment l
                JOIN agencies_user u ON u.id = l.professional_id
                WHERE l.case_id = c.id AND l.ended_at IS NULL AND u.agency_id = %(agency)s))"""

RAW_CASES = """
SELECT c.id, c.reference, c.status, c.opened_at, c.closed_at, c.closure_reason,
       c.is_re_referral, c.next_review_due, c.updated_at,
       lvl.code, lvl.ordinal, lvl.label,
       (SELECT coalesce(json_agg(json_build_object(
                'id', ch.id, 'given_names', ch.given_names, 'family_name', ch.family_name,
                'sex', ch.sex, 'date_of_birth', ch.date_of_birth, 'is_unborn', ch.is_unborn,
                'expected_date_of_delivery', ch.expected_date_of_delivery) ORDER BY ch.id), '[]')
          FROM cases_casesubject s JOIN cases_child ch ON ch.id = s.child_id
         WHERE s.case_id = c.id) AS children,
       lp.full_name, lp.job_title, la.agency_id, ag.name, la.started_at,
       (SELECT CASE WHEN count(*) > 0 AND bool_and(
                   NOT EXISTS (SELECT 1 FROM cases_consentrecord_agencies_excluded x
                               WHERE x.consentrecord_id = r.id AND x.agency_id = %(agency)s)
                   AND (NOT EXISTS (SELECT 1 FROM cases_consentrecord_agencies_allowed a
                                    WHERE a.consentrecord_id = r.id)
                        OR EXISTS (SELECT 1 FROM cases_consentrecord_agencies_allowed a
                                   WHERE a.consentrecord_id = r.id AND a.agency_id = %(agency)s))
                   AND r.information_level = 'additional')
               THEN 'additional' ELSE 'basic' END
          FROM cases_consentrecord r
         WHERE r.case_id = c.id AND r.kind = 'sharing_preference'
           AND r.withdrawn_at IS NULL AND r.given_at <= now()
           AND (r.expires_at IS NULL OR r.expires_at > now())) AS information_level
FROM cases_case c
LEFT JOIN cases_levelofneed lvl ON lvl.id = c.current_level_id
LEFT JOIN cases_leadprofessionalassignment la ON la.case_id = c.id AND la.ended_at IS NULL
LEFT JOIN agencies_user lp ON lp.id = la.professional_id
LEFT JOIN agencies_agency ag ON ag.id = la.agency_id
WHERE {visible} {where}
ORDER BY c.updated_at, c.id
LIMIT %(limit)s
"""


def _iso(value: Any) -> Any:
    return value.isoformat().replace("+00:00", "Z") if hasattr(value, "isoformat") else value


def raw_cases(agency_id: int, *, where: str = "", limit: int = 101, **params: Any) -> bytes:
    visible = VISIBLE_PROBE if limit == 1 else VISIBLE_SET
    with connection.cursor() as cursor:
        cursor.execute(
            RAW_CASES.format(visible=visible, where=where),
            {"agency": agency_id, "limit": limit, **params},
        )
        rows = cursor.fetchall()
    results = []
    for r in rows[:100]:
        level = r[18]
        results.append(
            {
                "id": r[0],
                "reference": r[1],
                "status": r[2],
                "opened_at": _iso(r[3]),
                "closed_at": _iso(r[4]),
                "closure_reason": r[5],
                "is_re_referral": r[6],
                "next_review_due": _iso(r[7]),
                "information_level": level,
                "level_of_need": (
                    {"code": r[9], "ordinal": r[10], "label": r[11]}
                    if r[9] and level == "additional"
                    else None
                ),
                "subject_children": r[12] if isinstance(r[12], list) else json.loads(r[12]),
                "lead_professional": (
                    {
                        "name": r[13],
                        "job_title": r[14],
                        "agency": {"id": r[15], "name": r[16]} if r[15] else None,
                        "since": _iso(r[17]),
                    }
                    if r[13]
                    else None
                ),
                "updated_at": _iso(r[8]),
            }
        )
    return json.dumps({"next": None, "results": results}).encode()


def partner_for(agency: Agency) -> str:
    """A client-credentials token for a benchmark partner client of ``agency``."""
    client_id = f"bench-api-{agency.pk}"
    application, _created = Application.objects.get_or_create(
        client_id=client_id,
        defaults={
            "name": f"Benchmark client for agency {agency.pk}",
            "client_secret": SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    PartnerClient.objects.get_or_create(
        application=application,
        defaults={
            "agency": agency,
            "allowed_scopes": [ApiScope.CASES_READ],
            "sharing_agreement": "Benchmark client",
            "purpose": "Timing the partner API.",
        },
    )
    response = Client(SERVER_NAME="localhost").post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": SECRET},
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def spread(values: list[float]) -> tuple[float, float, float]:
    """Median, 10th and 90th percentile."""
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    return statistics.median(values), deciles[0], deciles[-1]


def compare(name: str, view: Callable[[], Any], raw: Callable[[], Any]) -> dict[str, Any]:
    for _ in range(3):
        view()
        raw()
    view_ms, raw_ms = [], []
    for n in range(RUNS):
        if n % 2:
            raw_ms.append(timed(raw))
            view_ms.append(timed(view))
        else:
            view_ms.append(timed(view))
            raw_ms.append(timed(raw))
    (v, v10, v90), (r, r10, r90) = spread(view_ms), spread(raw_ms)
    ratio, ratio10, ratio90 = spread([a / b for a, b in zip(view_ms, raw_ms, strict=True)])
    row = {"name": name, "view_ms": v, "raw_ms": r, "ratio": v / r}
    print(
        f"{name}\n    view {v:7.1f} ms (p10 {v10:.1f}, p90 {v90:.1f})"
        f"   raw {r:7.1f} ms (p10 {r10:.1f}, p90 {r90:.1f})"
        f"   ratio of medians {v / r:.2f} (per pair: median {ratio:.2f}, "
        f"p10 {ratio10:.2f}, p90 {ratio90:.2f})",
        flush=True,
    )
    return row


def same_payload(api_results: list[dict[str, Any]], twin: bytes, what: str) -> None:
    """The twin must return the same rows and the same fields with the same values."""
    twin_results = json.loads(twin)["results"]
    assert [c["id"] for c in api_results] == [c["id"] for c in twin_results], what
    assert api_results == twin_results, f"{what}: the raw twin must return the same fields"


def in_process(agency: Agency, label: str) -> list[dict[str, Any]]:
    token = partner_for(agency)
    api = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(url: str) -> Any:
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        return response

    first = get("/api/v1/cases/?page_size=100").json()
    ours = [c["id"] for c in first["results"]]
    same_payload(first["results"], raw_cases(agency.pk), f"{label}: page 1")
    rows = [
        compare(
            f"{label}: GET /api/v1/cases/?page_size=100",
            lambda: get("/api/v1/cases/?page_size=100"),
            lambda: raw_cases(agency.pk),
        )
    ]
    if first["next"]:
        nxt = first["next"]
        last = first["results"][-1]
        same_payload(
            get(nxt).json()["results"],
            raw_cases(
                agency.pk,
                where="AND (c.updated_at, c.id) > (%(at)s, %(pk)s)",
                at=last["updated_at"],
                pk=last["id"],
            ),
            f"{label}: page 2",
        )
        rows.append(
            compare(
                f"{label}: GET /api/v1/cases/?page_size=100&cursor=… (page 2)",
                lambda: get(nxt),
                lambda: raw_cases(
                    agency.pk,
                    where="AND (c.updated_at, c.id) > (%(at)s, %(pk)s)",
                    at=last["updated_at"],
                    pk=last["id"],
                ),
            )
        )
    case_id = ours[len(ours) // 2]
    same_payload(
        [get(f"/api/v1/cases/{case_id}/").json()],
        raw_cases(agency.pk, where="AND c.id = %(pk)s", limit=1, pk=case_id),
        f"{label}: one case",
    )
    rows.append(
        compare(
            f"{label}: GET /api/v1/cases/{{id}}/",
            lambda: get(f"/api/v1/cases/{case_id}/"),
            lambda: raw_cases(agency.pk, where="AND c.id = %(pk)s", limit=1, pk=case_id),
        )
    )
    return rows


def wrk(agency: Agency) -> list[str]:
    """Requests per second through gunicorn on loopback (bounded wrk runs)."""
    if shutil.which("wrk") is None:
        return ["wrk is not installed: requests/second not measured"]
    token = partner_for(agency)
    case_id = json.loads(raw_cases(agency.pk))["results"][50]["id"]
    port = os.environ.get("BENCH_PORT", "8765")
    env = {**os.environ, "DATABASE_CONN_MAX_AGE": "600"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tac_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    lines = []
    try:
        time.sleep(10)
        for path in ["/api/v1/cases/?page_size=100", f"/api/v1/cases/{case_id}/"]:
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    "-c4",
                    "-d15s",
                    "--timeout",
                    "20s",
                    "-H",
                    f"Authorization: Bearer {token}",
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            ).stdout
            summary = [
                line.strip()
                for line in out.splitlines()
                if line.strip().startswith(("Requests/sec", "Latency", "Non-2xx"))
                or "requests in" in line
            ]
            lines.append(f"{path}: " + " | ".join(summary))
            print(lines[-1])
    finally:
        server.terminate()
        server.wait(timeout=30)
    return lines


def this_tree() -> str:
    """The commit measured; fails if the code imported is not this checkout's."""
    root = Path(__file__).resolve().parents[1]
    import cases

    assert Path(cases.__file__).resolve().is_relative_to(root), "run from this checkout"
    git = shutil.which("git") or "git"
    head = subprocess.run(
        [git, "-C", str(root), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        [git, "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{head or 'unknown'}{' with local changes' if dirty else ''}"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    print(f"commit {this_tree()}; {RUNS} interleaved pairs; load average {load()}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_child")
        children = cursor.fetchone()[0]
        cursor.execute(
            """SELECT u.agency_id, count(DISTINCT m.case_id) FROM cases_teammembership m
               JOIN agencies_user u ON u.id = m.professional_id
               WHERE m.left_at IS NULL GROUP BY 1 ORDER BY 2 DESC"""
        )
        counts = cursor.fetchall()
    print(f"children: {children:,}; agencies with cases: {len(counts)}")
    largest = Agency.objects.get(pk=counts[0][0])
    # The smallest agency with a second page (at least 150 cases), unless the largest.
    smallest = [a for a, n in sorted(counts, key=lambda c: (c[1], c[0])) if n >= 150]
    smaller = Agency.objects.get(pk=smallest[0]) if smallest[:1] != [counts[0][0]] else None
    rows = in_process(largest, f"largest agency ({counts[0][1]:,} cases)")
    if smaller is not None:
        n = dict(counts)[smaller.pk]
        rows += in_process(smaller, f"smallest agency ({n:,} cases)")
    print(f"load average at the end {load()}")
    if "--wrk" in sys.argv:
        wrk(largest)


if __name__ == "__main__":
    main()
