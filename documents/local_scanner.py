"""A ClamAV daemon of the portal's own, for `make run` and the tests: no system service.

``start`` runs ``clamd`` in the foreground with its socket, log and a small local
signature database under a directory of ours: the EICAR test file's signature, which
every scanner recognises and which harms nothing. Machines without internet cannot
download ClamAV's real signatures; a production deployment runs the official ClamAV
image (docker-compose.yml), which keeps its signatures up to date.

``python -m documents.local_scanner run DIR`` is the scanner process of ``make run``
(Procfile): it starts clamd under DIR when clamd is installed; when it is not, it says
so and waits, and every upload is quarantined with the reason "the virus scanner could
not be reached". Nothing here imports Django, so that the tests' own set-up
(tests/clamav.py) can use it before anything else is ready.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "TAC_CLAMD_BINARY"
DEBIAN_CLAMD = Path("/usr/sbin/clamd")
START_TIMEOUT_SECONDS = 60

#: The EICAR anti-virus test file (https://www.eicar.org/download-anti-malware-testfile/):
#: 68 harmless printable characters that every scanner reports as a virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE_NAME = "Tac-Test-EICAR"
#: A body-based signature (ClamAV's .ndb format: name, target type, offset, hex), so
#: that the file is found wherever it sits in what is scanned.
SIGNATURES = f"{SIGNATURE_NAME}:0:*:{EICAR.hex()}\n"


def _usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find() -> Path | None:
    """The clamd to start: ``TAC_CLAMD_BINARY`` (alone when set), Debian's
    ``/usr/sbin/clamd``, or ``clamd`` on the PATH; None when there is none."""
    explicit = os.environ.get(ENV_VAR, "").strip()
    if explicit:
        path = Path(explicit)
        return path if _usable(path) else None
    if _usable(DEBIAN_CLAMD):
        return DEBIAN_CLAMD
    on_path = shutil.which("clamd")
    return Path(on_path) if on_path else None


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
        raise RuntimeError("clamd is not installed (Debian: apt-get install clamav-daemon)")
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
                "FixStaleSocket yes",
                "",
            ]
        )
    )
    log = (directory / "clamd.out").open("wb")
    process = subprocess.Popen(  # noqa: S603 - clamd, found by find(), with our own config
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


def _run(directory: Path) -> int:
    """The scanner process of ``make run``: clamd in the foreground until stopped."""
    if find() is None:
        print(
            "scanner: clamd is not installed, so uploaded documents cannot be scanned and "
            "each one is quarantined with that reason. Install it (Debian: apt-get install "
            "clamav-daemon) and restart `make run` to scan them.",
            file=sys.stderr,
            flush=True,
        )
        # Waits rather than exits: the other processes keep running without a scanner.
        while True:
            signal.pause()
    daemon = start(directory)
    print(f"scanner: clamd is listening on {daemon.address}", file=sys.stderr, flush=True)

    def stop(signum: int, frame: object) -> None:
        daemon.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return daemon.process.wait()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "run":
        print("usage: python -m documents.local_scanner run DIRECTORY", file=sys.stderr)
        sys.exit(2)
    sys.exit(_run(Path(sys.argv[2])))
