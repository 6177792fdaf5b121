"""A PostgreSQL and a Redis of a test's own, to stop and start again in mid-journey.

The servers in ``DATABASE_URL`` and ``REDIS_URL`` are shared (other test runs, other
people): nothing here stops them. A test that takes a dependency away starts its own:

- :class:`PrivateRedis`: ``redis-server`` on a free port of 127.0.0.1, persisting nothing
  (the cache and the broker must cope with coming back empty);
- :class:`PrivatePostgres`: a PostgreSQL cluster on a free port of 127.0.0.1, from the
  binaries of the ``pgserver`` package (the ones ``tac_portal.embedded`` runs), holding
  the portal's database as the suite's migrated template has it (tests/databases.py).
  :func:`build_seed` copies the template into a cluster once per test process
  (``pg_dump``, then ``pg_restore``: a few seconds, where migrating takes minutes), and
  every test starts a copy of that cluster's files. PostgreSQL refuses to run as root;
  as root (CI) the server runs as pgserver's own system user, as
  ``tac_portal.embedded`` does.

:func:`portal_served_from` then points everything this process serves, the live server
included, at the two: new database connections, the cache and the Celery broker (with
tasks sent through the broker, as the web does in production, not run eagerly).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis
from django.db import connection
from kombu import pools as kombu_pools

from tac_portal import embedded
from tac_portal.celery import app as celery_app
from tests.databases import template_held

DATABASE = "tac_portal"
SUPERUSER = "postgres"
ROOT_RUNS_AS = "pgserver"  # the system user pgserver runs PostgreSQL as when started by root
START_TIMEOUT_SECONDS = 60
INITDB_OPTIONS = ("--auth=trust", "-U", SUPERUSER, "--encoding=utf8", "--no-sync")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_until(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- Redis ----------------------------------------------------------------------------


class PrivateRedis:
    """``redis-server`` on a free port, stopped and started again on that same port."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False
        finally:
            client.close()

    def start(self) -> None:
        executable = shutil.which("redis-server") or embedded._redis_executable()
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_until(self.answers, timeout=START_TIMEOUT_SECONDS, what="the private Redis")

    def stop(self) -> None:
        """Stop the server (SIGTERM, as a service manager does); every connection drops."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


# --- PostgreSQL -----------------------------------------------------------------------


def _binaries() -> Path:
    pgserver = embedded._import_pgserver()
    return Path(pgserver._commands.POSTGRES_BIN_PATH)


def _runs_as() -> str | None:
    """Who runs the server and owns its files: this user, or pgserver's when root."""
    if os.geteuid() != 0:
        return None
    embedded._import_pgserver().utils.ensure_user_exists(ROOT_RUNS_AS)
    return ROOT_RUNS_AS


def _own_directory(path: Path, user: str | None) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if user is not None:
        shutil.chown(path, user=user)


def _run(
    command: list[str],
    *,
    user: str | None,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 120,
) -> None:
    result = subprocess.run(
        command,
        user=user,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


class PrivatePostgres:
    """A cluster of this test's own, on a free port, with the portal's database."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.port = free_port()
        self.user = _runs_as()
        self.bin = _binaries()

    @property
    def settings(self) -> dict[str, str]:
        """What Django's connection settings take to reach the portal's database here."""
        return {"HOST": "127.0.0.1", "PORT": str(self.port), "NAME": DATABASE, "USER": SUPERUSER}

    @property
    def url(self) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    def _pg_ctl(self, *arguments: str) -> None:
        data = str(self.data / "data")
        _run([str(self.bin / "pg_ctl"), "-D", data, "-w", "-t", "60", *arguments], user=self.user)

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' -F"
        self._pg_ctl("-l", str(self.data / "log"), "-o", options, "start")

    def stop(self) -> None:
        """``pg_ctl stop -m fast``: open sessions are ended, as on a server restart."""
        if (self.data / "data" / "postmaster.pid").exists():
            self._pg_ctl("-m", "fast", "stop")

    def answers(self) -> bool:
        result = subprocess.run(
            [str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
            check=False,
        )
        return result.returncode == 0

    @classmethod
    def copy_of(cls, seed: Path) -> PrivatePostgres:
        """A new cluster whose files are a copy of ``seed`` (see :func:`build_seed`)."""
        user = _runs_as()
        directory = Path(tempfile.mkdtemp(prefix="tac-test-postgres-"))
        directory.chmod(0o755)
        if user is not None:
            shutil.chown(directory, user=user)
        # cp -a keeps the owner and the modes PostgreSQL insists on (0700 on the data).
        subprocess.run(["cp", "-a", str(seed), str(directory / "data")], check=True)
        return cls(directory)

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)


# Column options (planner hints such as n_distinct): the portal sets none, and a server's
# own build may add options of its own that another build's server refuses.
COLUMN_OPTIONS = re.compile(r"^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(.*\);$")


def build_seed(directory: Path) -> Path:
    """A stopped cluster, under ``directory``, holding a copy of the suite's template.

    The template (already migrated by the suite) is read with ``pg_dump`` under its
    lock; the schema goes in before the rows and the indexes, constraints and triggers
    after them, as ``pg_restore`` does it, so that no history trigger fires on the copy.
    """
    user = _runs_as()
    directory.chmod(0o755)
    if user is not None:
        shutil.chown(directory, user=user)
    cluster = PrivatePostgres(directory)
    binaries = cluster.bin
    dump = directory / "template.dump"
    source = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    with template_held() as template:
        there = ["-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432)]
        there += ["-U", source["USER"] or SUPERUSER, "-d", template]
        _run([str(binaries / "pg_dump"), "-Fc", "-f", str(dump), *there], user=None, env=env)
    _own_directory(directory / "data", user)
    _run([str(binaries / "initdb"), "-D", str(directory / "data"), *INITDB_OPTIONS], user=user)
    cluster.start()
    try:
        here = ["-h", "127.0.0.1", "-p", str(cluster.port), "-U", SUPERUSER]
        _run([str(binaries / "createdb"), *here, DATABASE], user=None)
        restore = [str(binaries / "pg_restore"), "--no-owner", "--no-privileges"]
        schema = subprocess.run(
            [*restore, "--section=pre-data", "-f", "-", str(dump)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        schema = "\n".join(line for line in schema.splitlines() if not COLUMN_OPTIONS.match(line))
        psql = [str(binaries / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", *here, "-d", DATABASE]
        _run([*psql, "-f", "-"], user=None, input=schema)
        rows_then_indexes = ["--section=data", "--section=post-data", "--exit-on-error"]
        _run([*restore, *rows_then_indexes, *here, "-d", DATABASE, str(dump)], user=None)
    finally:
        cluster.stop()
    dump.unlink()
    return directory / "data"


# --- Pointing this process (and its live server) at them -------------------------------


@contextlib.contextmanager
def database_at(postgres: PrivatePostgres) -> Iterator[None]:
    """New connections, in every thread, go to ``postgres``: the settings dictionary is
    shared by the connections of all threads, the live server's included."""
    keys = ("HOST", "PORT", "NAME", "USER")
    saved = {key: connection.settings_dict[key] for key in keys}
    connection.close()
    connection.settings_dict.update(postgres.settings)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _forget_broker_connections() -> None:
    """Close the pools Celery keeps for the broker it connected to; the next task sent
    opens a connection to the broker the configuration names now.

    Celery's pool is kombu's shared pool for the broker's URL: closing it alone left a
    closed pool in kombu's registry, handed back to every later test in the process
    that sent to the same broker ("Acquire on closed pool"). ``kombu.pools.reset``
    closes the pools and empties the registry, so new ones are made.
    """
    app: Any = celery_app  # the pools are Celery's private attributes
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Tasks go through the broker at ``url`` (as the web sends them), not eagerly."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_always_eager)
    _forget_broker_connections()
    conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        _forget_broker_connections()
        conf.update(broker_url=saved[0], task_always_eager=saved[1])


@contextlib.contextmanager
def portal_served_from(
    postgres: PrivatePostgres, cache: PrivateRedis, settings: Any
) -> Iterator[None]:
    """The database, the cache and the broker of this process are the private ones."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": cache.url}}
    with database_at(postgres), broker_at(cache.url):
        yield
