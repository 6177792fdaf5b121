"""The production shape (docker-compose.yml, Dockerfile) and the local run files.

No container engine runs in the test environment, so these read the files and check
what they promise: which services run, from which images and commands, with which
health checks and volumes, and that Redis keeps every queued task.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_ENV = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    services = compose["services"]
    assert isinstance(services, dict)
    return services


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def words(command: str | list[str]) -> list[str]:
    """A compose command as a list of arguments, whichever form it is written in."""
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def healthcheck_text(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(str(part) for part in test)


def test_it_runs_the_six_services(services: dict[str, Any]) -> None:
    assert {"postgres", "redis", "web", "worker", "email-worker", "beat"} <= set(services)


def test_it_uses_postgres_16_and_redis_7(services: dict[str, Any]) -> None:
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_it_builds_the_app_services_from_the_dockerfile(services: dict[str, Any]) -> None:
    for name in ("web", "worker", "email-worker", "beat"):
        assert services[name]["build"] == ".", name


def test_it_keeps_every_queued_task_in_redis(services: dict[str, Any]) -> None:
    command = words(services["redis"]["command"])
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"


def test_it_serves_the_web_through_gunicorn(services: dict[str, Any]) -> None:
    command = words(services["web"]["command"])
    assert command[0] == "gunicorn"
    assert "tac_portal.wsgi" in command


def test_it_runs_a_celery_worker_on_the_tac_queue(services: dict[str, Any]) -> None:
    command = words(services["worker"]["command"])
    assert command[0] == "celery"
    assert "--app=tac_portal" in command
    assert "worker" in command
    assert "--queues=tac" in command


def test_it_sends_email_from_a_worker_of_its_own(services: dict[str, Any]) -> None:
    # A hung mail server must hold up only this worker, never reminder dispatch.
    command = words(services["email-worker"]["command"])
    assert command[0] == "celery"
    assert "--app=tac_portal" in command
    assert "worker" in command
    assert "--queues=email" in command
    assert "--queues=email" not in words(services["worker"]["command"])
    assert services["email-worker"]["environment"]["EMAIL_TIMEOUT"]


def test_it_sends_webhooks_from_a_worker_of_its_own(services: dict[str, Any]) -> None:
    # A slow partner endpoint must hold up only this worker, never email or reminders.
    command = words(services["webhook-worker"]["command"])
    assert "--queues=webhooks" in command
    for other in ("worker", "email-worker"):
        assert "--queues=webhooks" not in words(services[other]["command"])


def test_it_runs_celery_beat(services: dict[str, Any]) -> None:
    command = words(services["beat"]["command"])
    assert command[0] == "celery"
    assert "--app=tac_portal" in command
    assert "beat" in command


def test_it_health_checks_every_service(services: dict[str, Any]) -> None:
    for name in ("postgres", "redis", "web", "worker", "email-worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "pg_isready" in healthcheck_text(services["postgres"])
    assert "redis-cli ping" in healthcheck_text(services["redis"])
    web_check = healthcheck_text(services["web"])
    assert "curl" in web_check
    assert "/healthz" in web_check
    assert "inspect ping" in healthcheck_text(services["worker"])
    assert "inspect ping" in healthcheck_text(services["email-worker"])


def test_it_waits_for_healthy_postgres_and_redis(services: dict[str, Any]) -> None:
    for name in ("web", "worker", "email-worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_it_keeps_database_and_redis_data_in_named_volumes(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    volumes = set(compose["volumes"])
    postgres_mounts = dict(m.split(":", 1) for m in services["postgres"]["volumes"])
    redis_mounts = dict(m.split(":", 1) for m in services["redis"]["volumes"])
    assert postgres_mounts.keys() & volumes
    assert "/var/lib/postgresql/data" in postgres_mounts.values()
    assert redis_mounts.keys() & volumes
    assert "/data" in redis_mounts.values()


def test_it_configures_the_app_for_production(services: dict[str, Any]) -> None:
    for name in ("web", "worker", "email-worker", "beat"):
        environment = services[name]["environment"]
        assert environment["TAC_ENVIRONMENT"] == "production", name
        for variable in REQUIRED_ENV:
            assert environment.get(variable), (name, variable)
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_it_never_ships_a_default_secret(services: dict[str, Any]) -> None:
    environment = services["web"]["environment"]
    # ${VAR:?message} makes compose refuse to start when the variable is unset.
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]*\}", environment["SECRET_KEY"])
    assert re.fullmatch(r"\$\{ALLOWED_HOSTS:\?[^}]*\}", environment["ALLOWED_HOSTS"])


def test_it_builds_on_python_3_11_slim(dockerfile: str) -> None:
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)


def test_it_installs_from_the_lock_file_checking_every_hash(dockerfile: str) -> None:
    assert re.search(r"^COPY .*requirements-runtime\.lock", dockerfile, re.MULTILINE)
    install_steps = [
        step for step in re.split(r"\n(?=[A-Z]+ )", dockerfile) if "pip install" in step
    ]
    assert install_steps
    for step in install_steps:
        assert "-r requirements-runtime.lock" in step, step
        assert "--require-hashes" in step, step
        # Nothing outside the lock: every dependency is pinned and hashed there.
        assert "--no-deps" in step, step


def locked(name: str) -> dict[str, tuple[str, frozenset[str], str]]:
    """A lock file's packages: name -> (version, hashes, the block with its annotations)."""
    packages: dict[str, tuple[str, frozenset[str], str]] = {}
    for block in re.split(r"\n(?=\S)", (ROOT / name).read_text()):
        pin = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if pin:
            hashes = frozenset(re.findall(r"--hash=(sha256:[0-9a-f]{64})", block))
            packages[canonicalize_name(pin[1])] = (pin[2], hashes, block)
    return packages


def declared(group: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = project["dependency-groups"][group] if group else project["project"]["dependencies"]
    return {canonicalize_name(Requirement(spec).name) for spec in specs}


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-runtime.lock"])
def test_every_locked_package_carries_its_hashes(lock: str) -> None:
    packages = locked(lock)
    assert packages
    assert [name for name, (_, hashes, _) in packages.items() if not hashes] == []


def test_the_lock_holds_exactly_what_pyproject_declares() -> None:
    packages = locked("requirements.lock")
    wanted = declared() | declared("dev")
    assert wanted <= packages.keys()
    # A dependency dropped from pyproject.toml leaves the lock too (uv notes why each is in).
    direct = {name for name, (_, _, block) in packages.items() if "tac-portal (pyproject" in block}
    assert direct == wanted


def test_the_runtime_lock_is_the_lock_less_the_development_tools() -> None:
    everything = locked("requirements.lock")
    runtime = locked("requirements-runtime.lock")
    for name, (version, hashes, _) in runtime.items():
        assert name in everything, name
        assert (version, hashes) == everything[name][:2], name
    assert declared() <= runtime.keys()
    assert not {"pytest", "mypy", "ruff", "semgrep", "playwright", "pre-commit"} & runtime.keys()


def test_it_copies_every_app_of_the_portal(dockerfile: str) -> None:
    """An installed app left out of the image fails its collectstatic, or its start."""
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, re.MULTILINE))
    ours = {
        app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()
    }
    # The demo authority is installed outside production only, and the image leaves it out.
    assert ours - copied == {"demo"}


def test_it_collects_static_files_and_runs_as_a_non_root_user(dockerfile: str) -> None:
    assert "collectstatic --noinput" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}


def test_it_runs_web_worker_and_beat_locally_from_the_procfile() -> None:
    entries = dict(
        line.split(":", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert set(entries) == {"web", "worker", "email", "webhooks", "beat", "scanner"}
    assert "manage.py runserver" in entries["web"]
    worker = words(entries["worker"])
    assert worker[:3] == ["celery", "-A", "tac_portal"]
    assert "-Q" in worker
    assert worker[worker.index("-Q") + 1] == "tac"
    # Email has a worker of its own (a hung mail server holds up only that one), with
    # a node name of its own beside the other worker on the same machine.
    email = words(entries["email"])
    assert email[:3] == ["celery", "-A", "tac_portal"]
    assert email[email.index("-Q") + 1] == "email"
    assert email[email.index("--hostname") + 1].startswith("email@")
    webhooks = words(entries["webhooks"])
    assert webhooks[webhooks.index("-Q") + 1] == "webhooks"
    assert webhooks[webhooks.index("--hostname") + 1].startswith("webhooks@")
    assert ".data/" in entries["beat"]
    # The virus scanner for documents: the portal's own clamd, local test signatures.
    assert "documents.local_scanner run" in entries["scanner"]


def test_it_scans_documents_with_the_official_clamav_image(services: dict[str, Any]) -> None:
    assert services["clamav"]["image"].startswith("clamav/clamav:")
    assert "clamdcheck" in healthcheck_text(services["clamav"])
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["TAC_CLAMD_ADDRESS"] == "tcp://clamav:3310", name
        assert "clamav" in services[name]["depends_on"], name


def test_it_keeps_documents_in_minio_through_the_s3_api(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    assert services["minio"]["image"].startswith("minio/minio")
    assert "ports" not in services["minio"]
    assert "minio-data" in compose["volumes"]
    assert "mc anonymous set none" in " ".join(services["minio-bucket"]["entrypoint"])
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert environment["TAC_DOCUMENTS_STORAGE"] == "s3", name
        assert environment["TAC_DOCUMENTS_S3_ENDPOINT_URL"].endswith("minio:9000}"), name
        assert services[name]["depends_on"]["minio-bucket"]["condition"] == (
            "service_completed_successfully"
        )
