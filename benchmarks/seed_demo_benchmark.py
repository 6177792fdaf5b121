"""Time ``manage.py migrate`` and ``manage.py seed_demo`` for a million children, from an
empty database.

    .venv/bin/python benchmarks/seed_demo_benchmark.py [--children N] [--db NAME] [--keep-as NAME]

Drops and recreates the database ``--db`` (default ``tac_bench_seed``) on the server in
``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432``), then times
``migrate`` and ``seed_demo --children N --bulk`` one after the other, each as the whole
command with process start-up, and prints both parts, their sum (the figure), children
per second, the CPU time the two commands used, and the load average before and after
(the machine is shared, so a busy machine shows up there).
With ``--keep-as NAME`` the seeded database is renamed to NAME afterwards (replacing
any database of that name) so that other benchmarks can use it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                   check=True)  # fmt: skip


def _manage(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Run a management command; its wall-clock and CPU seconds (its own processes only)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", default="tac_bench_seed")
    parser.add_argument("--keep-as", default="", help="rename the seeded database afterwards")
    args = parser.parse_args()

    server = _server_url()
    env = dict(os.environ)
    env.setdefault("TAC_ENVIRONMENT", "development")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env["DATABASE_URL"] = f"{server}/{args.db}"

    _psql(server, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    _psql(server, f'CREATE DATABASE "{args.db}"')
    load_before = _load()
    migrate, migrate_cpu = _manage(env, "migrate", "-v", "0")
    seed, seed_cpu = _manage(
        env, "seed_demo", "--bulk", "--children", str(args.children), "--seed", str(args.seed)
    )
    elapsed = migrate + seed

    print()
    print(f"machine:   {os.cpu_count()} CPU cores, {platform.python_implementation()} "
          f"{platform.python_version()}")  # fmt: skip
    print(f"load:      {load_before} before, {_load()} after (1, 5, 15 min)")
    print(f"children:  {args.children:,}")
    print(f"migrate:   {migrate:,.1f} s (Python CPU {migrate_cpu:,.1f} s)")
    print(f"seed:      {seed:,.1f} s (Python CPU {seed_cpu:,.1f} s, both processes)")
    print(f"elapsed:   {elapsed:,.1f} s ({elapsed / 60:.1f} min) for migrate + seed, "
          "process start-up included")  # fmt: skip
    print(f"rate:      {args.children / elapsed:,.0f} children/s")

    if args.keep_as:
        _psql(server, f'DROP DATABASE IF EXISTS "{args.keep_as}" WITH (FORCE)')
        _psql(server, f'ALTER DATABASE "{args.db}" RENAME TO "{args.keep_as}"')
        print(f"database:  kept as {args.keep_as}")


if __name__ == "__main__":
    main()
