"""The document tests are never silently skipped: without a ClamAV daemon they fail,
saying how to get one. The check runs pytest in a child process on a test that needs
no database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import clamav

ROOT = Path(__file__).resolve().parents[2]


def test_the_document_tests_fail_saying_how_to_get_clamd_when_there_is_none(
    tmp_path: Path,
) -> None:
    # Not this run's xdist worker, options or Redis namespace.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "TAC_TEST_"))
    }
    env[clamav.ENV_VAR] = str(tmp_path / "no-clamd-here")

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "tests/documents/test_file_types.py",
            "-k",
            "test_a_clean_answer_is_the_only_clean_one",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "apt-get install clamav-daemon" in result.stdout
    assert "skipped" not in result.stdout
