"""Redis and PostgreSQL really stopped in the middle of a person's journey, then started.

The live server (this process) runs on a PostgreSQL and a Redis of the test's own
(tests/reliability/private_services.py); the machine's shared servers are never
touched. Sam School, a TAC member, signs in and works through the real pages:

- Redis stopped: every page still answers, what she writes is saved, the API answers
  (its throttle lets the request through, with a warning in the log), signing in
  still works, and /healthz names Redis as the service that is down. Redis started
  again: /healthz says Redis is well, and the journey carries on.
- PostgreSQL stopped: sending her contribution meets the clean 503 page (nothing
  half-saved), so does every other page, and /healthz names the database. PostgreSQL
  started again: she goes back to the form, finds what she wrote and sends it: saved
  exactly once (the same submit sent again: still once), and what she had saved before
  is all there.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import expect

from agencies.models import User
from cases.models import Case
from meetings.models import Contribution
from tests.personas import MEMBER_EMAIL
from tests.reliability.private_services import (
    PrivatePostgres,
    PrivateRedis,
    build_seed,
    portal_served_from,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNAVAILABLE = "Sorry, the service is unavailable"


@dataclass(frozen=True)
class Services:
    postgres: PrivatePostgres
    redis: PrivateRedis


@pytest.fixture(scope="session")
def postgres_seed(django_db_setup: None, django_db_blocker: Any) -> Iterator[Path]:
    """The template's copy that each test's private PostgreSQL starts from (once per
    test process)."""
    directory = Path(tempfile.mkdtemp(prefix="tac-test-postgres-seed-"))
    try:
        with django_db_blocker.unblock():
            yield build_seed(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def services(
    postgres_seed: Path, transactional_db: None, settings: Any, tmp_path: Path
) -> Iterator[Services]:
    """A private PostgreSQL and Redis, running; this process's portal uses them.

    Requested before the personas, so that they are created in the private database.
    """
    postgres = PrivatePostgres.copy_of(postgres_seed)
    cache = PrivateRedis(tmp_path)
    try:
        postgres.start()
        cache.start()
        with portal_served_from(postgres, cache, settings):
            yield Services(postgres, cache)
    finally:
        cache.stop()
        postgres.remove()


def healthz(page: Any) -> tuple[int, dict[str, dict[str, Any]]]:
    response = page.request.get("/healthz")
    return response.status, response.json()["checks"]


def failing(checks: dict[str, dict[str, Any]]) -> set[str]:
    return {name for name, check in checks.items() if not check["ok"]}


def wait_for_health(page: Any, check: str, *, ok: bool, timeout: float = 30) -> dict[str, Any]:
    """/healthz until its ``check`` says ``ok`` (a returning server may take a moment)."""
    deadline = time.monotonic() + timeout
    while True:
        _status, checks = healthz(page)
        if checks[check]["ok"] is ok or time.monotonic() > deadline:
            return checks
        time.sleep(0.25)


def show_contributions(page: Any, case: Case) -> None:
    """The case page, at its contributions."""
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("tab", name="Contributions").click()  # the case page's sections


def open_contribution_form(page: Any, case: Case) -> None:
    show_contributions(page, case)
    page.get_by_role("link", name="Add a contribution").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Add a contribution")).to_be_visible()


def send_contribution(page: Any) -> Any:
    """Press "Add contribution"; the answer to the POST (before any redirect)."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Add contribution").click()
    page.wait_for_load_state("domcontentloaded")
    return posted.value


def contribute(page: Any, case: Case, body: str) -> None:
    open_contribution_form(page, case)
    page.get_by_label("Your contribution").fill(body)
    send_contribution(page)
    expect(page.get_by_text("Contribution added.")).to_be_visible()
    assert page.url.split("#")[0].endswith(f"/cases/{case.pk}/")


def bodies(case: Case) -> list[str]:
    return list(
        Contribution.objects.filter(case=case).order_by("pk").values_list("body", flat=True)
    )


def test_redis_stopped_and_started_again_in_mid_journey(
    services: Services,
    case: Case,
    member: User,
    page: Any,
    browser: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = "Attendance is up to 92% this half term."
    during = "No lates since the plan began; breakfast club every day."
    after = "Reading age up six months at the latest check."
    sign_in(page, MEMBER_EMAIL)
    contribute(page, case, before)

    services.redis.stop()
    status, checks = healthz(page)
    assert status == 503
    # Redis, and the Celery broker that lives in it; the database and the queues are well.
    assert failing(checks) == {"redis", "celery"}
    assert checks["celery"]["error"] == "OperationalError"

    # Every page still answers, with what she saved.
    page.goto("/cases/")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    show_contributions(page, case)
    expect(page.get_by_text(before)).to_be_visible()
    check_page(page, "redis-down-case-page")
    # What she writes now is saved: the email sender's wake-up cannot reach the broker,
    # and the sender's own minute sends the emails instead.
    with caplog.at_level(logging.WARNING):
        contribute(page, case, during)
        # The API answers: its throttle lets the request through and says so in the log.
        api = page.request.get("/api/v1/cases/")
    assert api.status == 200
    assert any("api throttle unavailable" in r.getMessage() for r in caplog.records)
    # Signing in still works (the lockout counts are kept in the database).
    elsewhere = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        other = elsewhere.new_page()
        sign_in(other, MEMBER_EMAIL)
        expect(other.get_by_role("heading", name="My work")).to_be_visible()
    finally:
        elsewhere.close()

    services.redis.start()
    checks = wait_for_health(page, "redis", ok=True)
    # All well again. No Celery worker runs in this test: the broker answers, no worker does.
    assert failing(checks) == {"celery"}
    assert "error" not in checks["celery"]
    assert checks["celery"]["workers"] == 0
    contribute(page, case, after)
    assert bodies(case) == [before, during, after]


def test_postgresql_stopped_and_started_again_in_mid_journey(
    services: Services,
    case: Case,
    member: User,
    page: Any,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    saved = "Attendance is up to 92% this half term."
    writing = "Sam asked for the meeting after school on Thursdays."
    sign_in(page, MEMBER_EMAIL)
    contribute(page, case, saved)
    open_contribution_form(page, case)
    page.get_by_label("Your contribution").fill(writing)

    services.postgres.stop()
    refused = send_contribution(page)
    assert refused.status == 503
    assert refused.headers["retry-after"] == "60"
    expect(page.get_by_role("heading", name=UNAVAILABLE)).to_be_visible()
    check_page(page, "database-unavailable")
    status, checks = healthz(page)
    assert status == 503
    assert checks["database"]["ok"] is False
    assert checks["database"]["error"] == "OperationalError"
    assert checks["redis"]["ok"] is True
    assert "error" not in checks["celery"]  # the broker answers (no worker runs here)
    # Any other page: the same clean page.
    elsewhere = page.context.new_page()
    try:
        assert elsewhere.goto("/cases/").status == 503
        expect(elsewhere.get_by_role("heading", name=UNAVAILABLE)).to_be_visible()
    finally:
        elsewhere.close()

    services.postgres.start()
    connection.close()  # this test's own session ended with the server (the portal's reconnect)
    checks = wait_for_health(page, "database", ok=True)
    assert failing(checks) == {"celery"}  # all well again (no worker runs in this test)
    # Still signed in, she goes back to the form, finds what she wrote and sends it.
    page.go_back()
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_role("heading", name="Add a contribution")).to_be_visible()
    assert page.get_by_label("Your contribution").input_value() == writing
    sent = send_contribution(page)
    assert sent.status == 302
    expect(page.get_by_text("Contribution added.")).to_be_visible()
    assert bodies(case) == [saved, writing]
    # The same submit again (a browser retrying it): the first answer, nothing doubled.
    again = page.request.post(
        sent.url,
        headers={"Content-Type": sent.request.headers["content-type"]},
        data=sent.request.post_data,
        max_redirects=0,
    )
    assert again.status == 302
    assert again.headers["location"] == sent.headers["location"]
    assert bodies(case) == [saved, writing]
