"""Load test: the portal as it runs in production, under a working day's mix of users.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_load \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/load_test.py \\
        [--web-workers 4] [--users 25,50,100,200] [--step-seconds 120]

What it starts, on this machine: gunicorn with ``--web-workers`` worker processes (the
production image's server), a Celery worker on every queue and Celery beat, all against
``DATABASE_URL`` and ``REDIS_URL``. DEBUG is off. Two things differ from a production
deployment, both because the load comes over plain HTTP from this machine: cookies are
not marked Secure, and two-factor sign-in is off (the users sign in with the demo
password). Use a copy of a seeded database (``seed_demo --bulk``): the run issues new
secrets to the demo's partner clients.

Then, for each number of users in ``--users``, a headless locust run of
``--step-seconds`` (``benchmarks/load/locustfile.py``: practitioners, lead professionals,
managers and partner systems, 5 : 3 : 1 : 2), and a table of requests per second, median
and 95th-percentile response times and failures per step. "Held" is the highest rate
whose p95 stayed under 500 ms with no failures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
P95_AIM_MS = 500.0


def _environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TAC_ENVIRONMENT="development",
        DEBUG="0",
        TAC_REQUIRE_MFA="0",
        SECURE_COOKIES="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # A partner system is throttled per client (TAC_API_RATE). The run shares two
        # demo clients among all its partner users, so the budget is lifted to measure
        # the server, not the throttle.
        TAC_API_RATE="1000000/min",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _prepare(env: dict[str, str], workdir: Path) -> tuple[str, Path]:
    """New secrets for the demo partner clients, and names to search for."""
    script = """
import json, random, sys
import django
django.setup()
from django.db import connection
from demo.partners import issue_partner_clients
secrets = [f"{s.client_id}:{s.secret}" for s in issue_partner_clients()]
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT given_names, family_name FROM cases_child TABLESAMPLE SYSTEM (1) LIMIT 500"
    )
    names = [{"given_names": g.split()[0], "family_name": f} for g, f in cursor.fetchall() if g]
json.dump({"partners": secrets, "names": names}, sys.stdout)
"""
    env = dict(env, DJANGO_SETTINGS_MODULE="tac_portal.settings")
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True
    )
    prepared = json.loads(out.stdout)
    searches = workdir / "searches.json"
    searches.write_text(json.dumps(prepared["names"]))
    return ",".join(prepared["partners"]), searches


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local http only
                return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"the portal did not answer {url} within {seconds:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _aggregated(stats_csv: Path) -> dict[str, str]:
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    raise SystemExit(f"no aggregated row in {stats_csv}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--users", default="25,50,100,200")
    parser.add_argument("--step-seconds", type=int, default=120)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        raise SystemExit("set DATABASE_URL (a copy of a seeded database) and REDIS_URL")

    env = _environment(args.port)
    workdir = Path(tempfile.mkdtemp(prefix="tac-load-"))
    partners, searches = _prepare(env, workdir)
    processes = [
        _start(
            [
                str(BIN / "gunicorn"),
                "tac_portal.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.web_workers),
                "--timeout",
                "60",
            ],
            env,
            workdir / "web.log",
        ),
        _start(
            [
                str(BIN / "celery"),
                "-A",
                "tac_portal",
                "worker",
                "-Q",
                "tac,email,webhooks",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
            ],
            env,
            workdir / "worker.log",
        ),
        _start(
            [
                str(BIN / "celery"),
                "-A",
                "tac_portal",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(workdir / "beat-schedule"),
            ],
            env,
            workdir / "beat.log",
        ),
    ]
    rows = []
    try:
        _wait_for(f"http://127.0.0.1:{args.port}/healthz", 60)
        locust_env = dict(env, TAC_LOAD_PARTNERS=partners, TAC_LOAD_SEARCHES=str(searches))
        for users in [int(n) for n in args.users.split(",")]:
            prefix = workdir / f"step-{users}"
            log = (workdir / f"locust-{users}.log").open("wb")
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "benchmarks" / "load" / "locustfile.py"),
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(max(1, users // 10)),
                    "--run-time",
                    f"{args.step_seconds}s",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=locust_env,
                check=False,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            total = _aggregated(Path(f"{prefix}_stats.csv"))
            rows.append(
                {
                    "users": users,
                    "requests": int(total["Request Count"]),
                    "failures": int(total["Failure Count"]),
                    "rps": float(total["Requests/s"]),
                    "p50": float(total["50%"]),
                    "p95": float(total["95%"]),
                }
            )
            shutil.copy(Path(f"{prefix}_stats.csv"), workdir / f"stats-{users}.csv")
    finally:
        for process in processes:
            _stop(process)

    load = os.getloadavg()
    print(
        f"gunicorn workers: {args.web_workers}; steps of {args.step_seconds} s; "
        f"load average at the end {load[0]:.1f}; files in {workdir}"
    )
    print("| users | requests | req/s | median ms | p95 ms | failures | error rate |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        rate = row["failures"] / row["requests"] if row["requests"] else 0.0
        print(
            f"| {row['users']} | {row['requests']} | {row['rps']:.1f} | {row['p50']:.0f} "
            f"| {row['p95']:.0f} | {row['failures']} | {rate:.2%} |"
        )
    held = [r for r in rows if r["p95"] < P95_AIM_MS and r["failures"] == 0]
    if held:
        best = max(held, key=lambda r: r["rps"])
        print(
            f"Held: {best['rps']:.1f} requests/s at p95 {best['p95']:.0f} ms "
            f"({best['users']} users), no failures."
        )
    else:
        print("Held: no step kept p95 under 500 ms without failures.")


if __name__ == "__main__":
    main()
