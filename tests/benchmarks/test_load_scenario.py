"""The load test's scenario (benchmarks/load/locustfile.py) still walks the portal.

The load test itself runs on a million children outside the suite (benchmarks/load.md).
This runs its users for a few seconds against the live server on a small demo seed, so a
changed sign-in page, link or API answer shows up here as a failure, not on the day of a
load test.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.partners import issue_partner_clients

ROOT = Path(__file__).resolve().parents[2]
LOCUST = Path(sys.executable).parent / "locust"


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_user_gets_what_it_asks_for(live_server, tmp_path) -> None:
    call_command("seed_demo", children=40, seed=7, stdout=StringIO())
    partners = ",".join(f"{s.client_id}:{s.secret}" for s in issue_partner_clients())
    env = dict(
        os.environ,
        TAC_LOAD_PARTNERS=partners,
        TAC_LOAD_THINK_SECONDS="0.2,0.6",
    )

    subprocess.run(
        [
            str(LOCUST),
            "-f",
            str(ROOT / "benchmarks" / "load" / "locustfile.py"),
            "--host",
            live_server.url,
            "--headless",
            "--users",
            "11",
            "--spawn-rate",
            "11",
            "--run-time",
            "30s",
            "--csv",
            str(tmp_path / "run"),
            "--only-summary",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        timeout=120,
    )

    with (tmp_path / "run_stats.csv").open() as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    with (tmp_path / "run_failures.csv").open() as handle:
        failures = [f"{row['Name']}: {row['Error']}" for row in csv.DictReader(handle)]
    assert failures == []
    asked = {name for name, row in rows.items() if int(row["Request Count"]) > 0}
    # Every kind of user signed in (people see "My work" first) and got a token.
    assert {"sign in", "My work", "API token"} <= asked
