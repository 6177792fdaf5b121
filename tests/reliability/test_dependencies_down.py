"""When Redis or PostgreSQL is away the portal degrades, it does not fail.

Redis is "stopped" by pointing the cache at a port where nothing listens (the shared
server stays up for everyone else); PostgreSQL by pointing new connections at such a port.

- Redis away: pages and the API still answer; the API's throttle lets requests through
  with a warning in the log; sign-in lockout (kept in the database) still locks;
  /healthz says Redis is the one down.
- PostgreSQL away: a plain 503 page (a 503 problem on the API) asking to try again.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case
from tests.cases.test_journeys import _new_child
from tests.helpers import client_for

PASSWORD = "a-long-test-password-for-lockouts"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def redis_down(settings: Any) -> None:
    """The cache points at a port where no Redis listens (restored afterwards)."""
    cache = dict(settings.CACHES["default"])
    cache["LOCATION"] = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": cache}


@pytest.mark.django_db
def test_the_api_answers_and_logs_a_warning_when_redis_is_down(
    case: Case, lead: User, redis_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    api = client_for(lead)
    with caplog.at_level(logging.WARNING, logger="agencies.api_auth"):
        response = api.get("/api/v1/cases/")
    assert response.status_code == 200
    assert any("api throttle unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_pages_answer_when_redis_is_down(case: Case, lead: User, redis_down: None) -> None:
    page = client_for(lead).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_sign_in_still_locks_after_five_failures_when_redis_is_down(
    redis_down: None, lead: User
) -> None:
    lead.set_password(PASSWORD)
    lead.save()
    url = reverse("agencies:sign_in")
    control = Client()
    control.post(url, {"username": lead.email, "password": PASSWORD})
    assert "_auth_user_id" in control.session  # the password is right
    browser = Client()
    assert browser.get(url).status_code == 200
    for _ in range(5):
        failed = browser.post(url, {"username": lead.email, "password": "wrong-password-123"})
        assert failed.status_code < 500
    # Locked: even the right password is refused now.
    locked = browser.post(url, {"username": lead.email, "password": PASSWORD})
    assert locked.status_code in {200, 403, 429}
    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_healthz_names_redis_as_the_service_that_is_down(client: Client, redis_down: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["ok"] is False
    assert checks["database"]["ok"] is True


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """New connections go to a port where no PostgreSQL listens (restored afterwards)."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", str(_closed_port()))
    yield
    monkeypatch.undo()
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_clean_503_page_when_postgresql_is_down(lead: User, database_down: None) -> None:
    browser = Client(raise_request_exception=False)
    browser.cookies.load({"sessionid": "a-session-that-needs-the-database"})
    response = browser.get("/cases/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Sorry, the service is unavailable" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_503_problem_when_postgresql_is_down(database_down: None) -> None:
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer some-token")
    response = api.get("/api/v1/cases/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


@pytest.mark.django_db
def test_a_child_is_added_and_a_contribution_sent_while_redis_is_down(
    case: Case, member: User, redis_down: None
) -> None:
    browser = client_for(member)
    added = browser.post(reverse("cases:add_child"), _new_child(submission_token="redis-away"))
    assert added.status_code == 302
    sent = browser.post(
        reverse("meetings:contribute", args=[case.pk]),
        {"submission_token": "redis-away-2", "body": "Attendance is up to 92%"},
    )
    assert sent.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_healthz_names_the_database_as_the_service_that_is_down(database_down: None) -> None:
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is False
    assert checks["database"]["error"] == "OperationalError"


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_a_signed_in_browser_when_postgresql_is_down(database_down: None) -> None:
    """The session (kept in the database) is not loaded for /healthz, nor thrown away."""
    browser = Client(raise_request_exception=False)
    browser.cookies.load({"sessionid": "a-session-that-needs-the-database"})
    response = browser.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
    assert "sessionid" not in response.cookies
