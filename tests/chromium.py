"""Where the browser tests get their Chromium: the one place for that rule.

The browser tests (marked ``browser``) are never skipped for want of a browser:
``make test`` runs ``python -m tests.chromium ensure`` first, and the suite's
conftest fails the run when they are selected and :func:`find` finds nothing.

:func:`find` looks, in this order, at:

1. ``TAC_CHROMIUM``: an explicit path, used alone when set;
2. Debian's package, ``/usr/bin/chromium``;
3. Playwright's own download (``playwright install chromium``).

``ensure`` installs one when none is found: Debian's ``chromium`` package when
running as root where ``apt-get`` exists, otherwise Playwright's download where
it can be reached; failing both it says how to get one and exits non-zero.
This module imports neither Django nor the project, so that ``make`` can run it
before anything is set up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ENV_VAR = "TAC_CHROMIUM"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# --no-sandbox: Chromium's sandbox refuses to start as root, which CI is.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
INSTALL_TIMEOUT_SECONDS = 900

HOW_TO_GET_ONE = f"""\
No Chromium was found for the browser tests (the tests marked "browser").
Get one of these, then run the tests again:
  - Debian or Ubuntu, as root:  apt-get install chromium   (gives {DEBIAN_CHROMIUM})
  - anywhere Playwright's download is reachable:  .venv/bin/playwright install chromium
  - any other Chromium or Chrome build:  export {ENV_VAR}=/path/to/chromium
`make test` tries the first two itself. To run the suite without the browser tests on
purpose, use `make test-quick` (it says that it leaves them out)."""


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def playwright_chromium() -> Path | None:
    """Playwright's own Chromium build, if ``playwright install chromium`` has fetched it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = Path(playwright.chromium.executable_path)
    except Exception:  # a broken driver install means "not there", not a crash
        return None
    return path if _usable(path) else None


def find() -> Path | None:
    """The Chromium the browser tests launch, or None when there is none."""
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        # Asked for by name: that one or nothing, never a silent substitute.
        path = Path(explicit)
        return path if _usable(path) else None
    if _usable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    return playwright_chromium()


def missing_message() -> str:
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        return f"{ENV_VAR}={explicit} is not an executable file.\n{HOW_TO_GET_ONE}"
    return HOW_TO_GET_ONE


def _say(message: str) -> None:
    print(f"chromium: {message}", file=sys.stderr, flush=True)


def _run(command: list[str]) -> bool:
    _say("running " + " ".join(command))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        result = subprocess.run(
            command, env=env, stdin=subprocess.DEVNULL, timeout=INSTALL_TIMEOUT_SECONDS
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        _say(f"{command[0]} failed: {error}")
        return False
    return result.returncode == 0


def _install_debian_package() -> bool:
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        return False
    # The package lists may be empty or stale on a fresh machine.
    _run([apt_get, "update"])
    return _run([apt_get, "install", "-y", "chromium"])


def _install_playwright_build() -> bool:
    return _run([sys.executable, "-m", "playwright", "install", "chromium"])


def ensure() -> Path | None:
    """Find a Chromium, installing one if need be; None when that is impossible here."""
    found = find()
    if found is not None or os.environ.get(ENV_VAR, "").strip():
        return found
    _say("no Chromium found; installing one for the browser tests")
    if _install_debian_package() and _usable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    if _install_playwright_build():
        return playwright_chromium()
    return None


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "find"
    if command not in {"find", "ensure"}:
        print("usage: python -m tests.chromium [find|ensure]", file=sys.stderr)
        return 2
    path = ensure() if command == "ensure" else find()
    if path is None:
        print(missing_message(), file=sys.stderr)
        return 1
    _say(f"using {path}")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
