"""Where the tests get their ClamAV daemon: the one place for that rule.

The document tests scan every upload with the real daemon (``clamd``), never a stand-in,
and are never skipped for want of one: ``make test`` runs ``python -m tests.clamav
ensure`` first, and the ``clamd`` fixture fails the tests that need it, saying how to
get one, when :func:`find` finds nothing.

:func:`find` looks at ``TAC_CLAMD_BINARY`` (an explicit path, used alone when set),
then Debian's ``/usr/sbin/clamd``, then ``clamd`` on the PATH. ``ensure`` installs
Debian's ``clamav-daemon`` package when running as root where ``apt-get`` exists.

The machines that run the tests have no internet for signature updates, so each test
process starts its own daemon (its own socket in a temporary directory: one per xdist
worker) with a small local signature database: the EICAR test file's signature, which
every scanner recognises and which harms nothing. :func:`start` does that, and
``make run`` uses it too (``tac_portal.embedded``). This module imports neither
Django nor the project, so that ``make`` can run it before anything is set up.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "TAC_CLAMD_BINARY"
DEBIAN_CLAMD = Path("/usr/sbin/clamd")
INSTALL_TIMEOUT_SECONDS = 900
START_TIMEOUT_SECONDS = 60

#: The EICAR anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/):
#: 68 harmless printable characters that every scanner reports as a virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE_NAME = "Tac-Test-EICAR"
#: A body-based signature (ClamAV's .ndb format: name, target type, offset, hex), so
#: that the file is found wherever it sits in what is scanned.
SIGNATURES = f"{SIGNATURE_NAME}:0:*:{EICAR.hex()}\n"

HOW_TO_GET_ONE = f"""\
No ClamAV daemon (clamd) was found for the document tests, which scan every upload
with the real scanner. Get one of these, then run the tests again:
  - Debian or Ubuntu, as root:  apt-get install clamav-daemon   (gives {DEBIAN_CLAMD})
  - any other clamd build:  export {ENV_VAR}=/path/to/clamd
`make test` tries the first itself. The tests start their own daemon with a local test
signature; no signature download is needed."""


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find() -> Path | None:
    """The clamd the tests start, or None when there is none."""
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        path = Path(explicit)
        return path if _usable(path) else None
    if _usable(DEBIAN_CLAMD):
        return DEBIAN_CLAMD
    on_path = shutil.which("clamd")
    return Path(on_path) if on_path else None


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


@dataclass
class Daemon:
    """A clamd this process started, listening on ``socket_path``."""

    process: subprocess.Popen[bytes]
    socket_path: Path
    directory: Path

    @property
    def address(self) -> str:
        return f"unix://{self.socket_path}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def _answers(socket_path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect(str(socket_path))
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


def start(directory: Path, binary: Path | None = None) -> Daemon:
    """Start clamd in the foreground with its socket, log and test signatures under
    ``directory``; returns once it answers PING. Raises ``RuntimeError`` otherwise."""
    binary = binary or find()
    if binary is None:
        raise RuntimeError(missing_message())
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "signatures"
    database.mkdir(exist_ok=True)
    (database / "tac-test.ndb").write_text(SIGNATURES)
    # A unix socket path must stay short (about 100 bytes).
    socket_path = directory / "clamd.sock"
    if len(str(socket_path)) > 100:
        raise RuntimeError(f"The socket path is too long for a unix socket: {socket_path}")
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {socket_path}",
                f"DatabaseDirectory {database}",
                f"LogFile {directory / 'clamd.log'}",
                f"TemporaryDirectory {directory}",
                "Foreground yes",
                "LogTime yes",
                "StreamMaxLength 600M",
                "MaxScanSize 600M",
                "MaxFileSize 600M",
                "Bytecode no",
                "",
            ]
        )
    )
    log = (directory / "clamd.out").open("wb")
    process = subprocess.Popen(
        [str(binary), "--config-file", str(config)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    daemon = Daemon(process=process, socket_path=socket_path, directory=directory)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _answers(socket_path):
            return daemon
        time.sleep(0.2)
    daemon.stop()
    output = (directory / "clamd.out").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"clamd did not start (exit status {process.poll()}):\n{output}")


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
