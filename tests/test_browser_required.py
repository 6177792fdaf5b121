"""A browser test is never silently skipped: no Chromium is a failure, and so is a skip.

The first checks run pytest in a child process; none of them touches a test database
(one stops at collection, one collects nothing, one runs a test that needs no database).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests import chromium

ROOT = Path(__file__).resolve().parents[1]


def run_pytest(*args: str, chromium_path: Path) -> subprocess.CompletedProcess[str]:
    # Not this run's xdist worker, options or Redis namespace.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "TAC_TEST_"))
    }
    env[chromium.ENV_VAR] = str(chromium_path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_selected_browser_tests_with_no_chromium_stop_the_run(tmp_path: Path) -> None:
    result = run_pytest("tests/e2e/test_sign_in_journey.py", chromium_path=tmp_path / "none")

    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "browser tests are selected" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert "playwright install chromium" in result.stderr
    assert "skipped" not in result.stdout


def test_deselecting_the_browser_tests_needs_no_chromium(tmp_path: Path) -> None:
    result = run_pytest(
        "tests/e2e/test_sign_in_journey.py",
        "-m",
        "not browser",
        chromium_path=tmp_path / "none",
    )

    # Nothing left to run (exit 5), and no complaint about the browser.
    assert result.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, result.stdout + result.stderr
    assert "No Chromium" not in result.stderr


def test_a_skip_inside_a_browser_test_is_a_failure(tmp_path: Path) -> None:
    stand_in = tmp_path / "chromium"
    stand_in.write_text("#!/bin/sh\nexit 1\n")
    stand_in.chmod(0o755)
    # Under tests/ so that the suite's conftest applies; not named test_*.py, so that no
    # other run collects it even if it were left behind.
    probe_dir = Path(tempfile.mkdtemp(prefix="_probe_", dir=ROOT / "tests"))
    try:
        probe = probe_dir / "probe_browser_skip.py"
        probe.write_text(
            "import pytest\n"
            "\n"
            "@pytest.mark.browser\n"
            "def test_it_skips():\n"
            "    pytest.skip('no browser today')\n"
        )
        result = run_pytest(str(probe.relative_to(ROOT)), chromium_path=stand_in)
    finally:
        shutil.rmtree(probe_dir)

    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout + result.stderr
    assert "1 failed" in result.stdout
    assert "browser tests are never skipped, but this one was: no browser today" in result.stdout


def test_an_explicit_chromium_path_is_used_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(chromium.ENV_VAR, str(tmp_path / "missing"))
    assert chromium.find() is None
    stand_in = tmp_path / "chromium"
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    monkeypatch.setenv(chromium.ENV_VAR, str(stand_in))
    assert chromium.find() == stand_in
