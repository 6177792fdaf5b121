"""/healthz reports database, Redis and Celery reachability against the real services."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from tac_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process() -> Iterator[subprocess.Popen[bytes]]:
    """A real Celery worker process on the test broker, stopped afterwards."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tac_portal",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "-Q",
            "tac",
            "--hostname",
            f"healthz-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tac_portal.test_settings"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if celery_app.control.ping(timeout=0.5):
                break
            if process.poll() is not None:
                pytest.fail("the Celery worker exited during start-up")
        else:
            pytest.fail("the Celery worker did not answer within 60 seconds")
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.django_db
def test_it_reports_healthy_when_every_service_answers(
    client: Client, celery_worker_process: subprocess.Popen[bytes]
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True
    assert body["checks"]["celery"]["workers"] >= 1
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_it_reports_unavailable_when_no_worker_answers(client: Client) -> None:
    if celery_app.control.ping(timeout=0.5):
        pytest.skip("a Celery worker is already running against this broker")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["celery"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True


@pytest.mark.django_db
def test_an_undelivered_email_is_reported(client: Client) -> None:
    from django.utils import timezone

    from notifications.models import EmailOutbox

    now = timezone.now()
    EmailOutbox.objects.create(
        to_address="pat.parent@example.org",
        subject="TAC meeting invitation",
        body_text="See the portal.",
        about_type="meetings.invitation",
        about_id=1,
        message_id="<meeting-test@tac-portal>",
        status=EmailOutbox.Status.DEAD,
        attempts=1,
        last_error="SMTPRecipientsRefused 554",
        next_attempt_at=now,
        created_at=now,
    )
    body = client.get("/healthz").json()
    assert body["checks"]["emails"] == {
        "ok": False,
        "emails_waiting": 0,
        "oldest_due_email_seconds": 0.0,
        "dead_emails": 1,
        "ms": body["checks"]["emails"]["ms"],
    }
    assert "pat.parent" not in str(body)
