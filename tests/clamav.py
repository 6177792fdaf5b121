"""Where the tests get their ClamAV daemon: the one place for that rule.

The document tests scan every upload with the real daemon (``clamd``), never a stand-in,
and are never skipped for want of one: ``make test`` runs ``python -m tests.clamav
ensure`` first, and the ``clamd`` fixture (tests/documents/conftest.py) fails the tests
that need it, saying how to get one, when :func:`find` finds nothing.

:func:`find` looks at ``TAC_CLAMD_BINARY`` (an explicit path, used alone when set),
then Debian's ``/usr/sbin/clamd``, then ``clamd`` on the PATH. ``ensure`` installs
Debian's ``clamav-daemon`` package when running as root where ``apt-get`` exists.

The machines that run the tests have no internet for signature updates, so each test
process starts its own daemon (its own socket in a temporary directory: one per xdist
worker) with a small local signature database holding the EICAR test signature
(``documents.local_scanner.start``, which imports nothing of Django).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from documents.local_scanner import (
    DEBIAN_CLAMD,
    EICAR,
    ENV_VAR,
    SIGNATURE_NAME,
    Daemon,
    find,
    start,
)

__all__ = [
    "EICAR",
    "ENV_VAR",
    "SIGNATURE_NAME",
    "Daemon",
    "ensure",
    "find",
    "missing_message",
    "start",
]

INSTALL_TIMEOUT_SECONDS = 900

HOW_TO_GET_ONE = f"""\
No ClamAV daemon (clamd) was found for the document tests, which scan every upload
with the real scanner. Get one of these, then run the tests again:
  - Debian or Ubuntu, as root:  apt-get install clamav-daemon   (gives {DEBIAN_CLAMD})
  - any other clamd build:  export {ENV_VAR}=/path/to/clamd
`make test` tries the first itself. The tests start their own daemon with a local test
signature; no signature download is needed."""


def missing_message() -> str:
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        return f"{ENV_VAR}={explicit} is not an executable file.\n{HOW_TO_GET_ONE}"
    return HOW_TO_GET_ONE


def _say(message: str) -> None:
    print(f"clamav: {message}", file=sys.stderr, flush=True)


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


def ensure() -> Path | None:
    """Find a clamd, installing Debian's package if need be; None when impossible here."""
    found = find()
    if found is not None or os.environ.get(ENV_VAR, "").strip():
        return found
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        return None
    _say("no clamd found; installing Debian's clamav-daemon for the document tests")
    _run([apt_get, "update"])
    _run([apt_get, "install", "-y", "--no-install-recommends", "clamav-daemon"])
    return find()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "find"
    if command not in {"find", "ensure"}:
        print("usage: python -m tests.clamav [find|ensure]", file=sys.stderr)
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
