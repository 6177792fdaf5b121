"""The sender: refusals are dead at once, other failures retried, an unreachable server
stops the run; administrators see undelivered emails and send them again."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agencies.models import User
from notifications import outbox, tasks
from notifications.models import EmailOutbox
from notifications.outbox import Email
from tests.helpers import client_for
from tests.notifications.backends import ScriptedBackend

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
EMAIL = Email(subject="TAC Portal: Invitation: TAC meeting", text="The secret body text.")


@pytest.fixture
def scripted(settings: Any) -> Iterator[type[ScriptedBackend]]:
    settings.EMAIL_BACKEND = "tests.notifications.backends.ScriptedBackend"
    ScriptedBackend.reset()
    yield ScriptedBackend
    ScriptedBackend.reset()


def _queue(*addresses: str) -> list[EmailOutbox]:
    rows = [
        outbox.queue_email(a, EMAIL, about=("meetings.invitation", i))
        for i, a in enumerate(addresses)
    ]
    return [r for r in rows if r is not None]


def _refused(code: int) -> smtplib.SMTPRecipientsRefused:
    # The server's text quotes the address: it must never be stored or logged.
    return smtplib.SMTPRecipientsRefused({"pat@example.org": (code, b"5.1.1 <pat@example.org>")})


@pytest.mark.parametrize(
    ("error", "stored"),
    [
        (_refused(554), "SMTPRecipientsRefused 554"),
        (_refused(550), "SMTPRecipientsRefused 550"),
        (smtplib.SMTPDataError(554, b"5.7.1 Message rejected"), "SMTPDataError 554"),
        (
            smtplib.SMTPSenderRefused(553, b"sender rejected", "no-reply@tac.example"),
            "SMTPSenderRefused 553",
        ),
    ],
)
def test_a_5xx_refusal_is_dead_at_once_and_never_tried_again(
    scripted: type[ScriptedBackend], error: Exception, stored: str, caplog: Any
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        (row,) = _queue("pat@example.org")
        scripted.SCRIPT.append(error)
        assert outbox.send_pending_emails() == 0
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == ("dead", 1, stored)
        assert row.refused
        clock.shift(dt.timedelta(hours=7))  # past every backoff
        assert outbox.send_pending_emails() == 0
    assert scripted.HANDED == ["pat@example.org"]  # tried once, never again
    assert "pat@example.org" not in caplog.text


@pytest.mark.parametrize(
    ("error", "stored"),
    [
        (_refused(451), "SMTPRecipientsRefused 451"),
        (smtplib.SMTPDataError(452, b"4.3.1 Insufficient storage"), "SMTPDataError 452"),
    ],
)
def test_a_4xx_reply_is_retried_with_backoff(
    scripted: type[ScriptedBackend], error: Exception, stored: str
) -> None:
    with time_machine.travel(START, tick=False):
        first, _ = _queue("pat@example.org", "alex@adv.example")
        scripted.SCRIPT.append(error)
        assert outbox.send_pending_emails() == 1  # the run went on to the next email
    first.refresh_from_db()
    assert (first.status, first.attempts, first.last_error) == ("pending", 1, stored)
    assert first.next_attempt_at == START + dt.timedelta(minutes=1)
    assert not first.refused


@pytest.mark.parametrize(
    "error",
    [
        TimeoutError("timed out"),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out"),
        ConnectionRefusedError(111, "Connection refused"),
        smtplib.SMTPConnectError(554, b"no service here"),  # a greeting refused: the server's fault
        smtplib.SMTPAuthenticationError(535, b"bad credentials"),
    ],
)
def test_an_unreachable_server_stops_the_run_and_puts_the_rest_back(
    scripted: type[ScriptedBackend], error: Exception
) -> None:
    with time_machine.travel(START, tick=False):
        _queue("a@example.org", "b@example.org", "c@example.org")
        scripted.SCRIPT.append(error)
        assert outbox.send_pending_emails(batch_size=10) == 0

        tried, *rest = EmailOutbox.objects.order_by("id")
        assert (tried.status, tried.attempts) == ("pending", 1)
        assert tried.last_error == type(error).__name__
        assert tried.next_attempt_at == START + dt.timedelta(minutes=1)
        # Put back untried: no attempt counted, due now, so the next run starts with them.
        assert [(r.status, r.attempts, r.next_attempt_at) for r in rest] == [
            ("pending", 0, START),
            ("pending", 0, START),
        ]
        assert scripted.HANDED == ["a@example.org"]

        assert outbox.send_pending_emails(batch_size=10) == 2  # the server is back


def test_any_other_error_is_retried_and_the_run_goes_on(scripted: type[ScriptedBackend]) -> None:
    with time_machine.travel(START, tick=False):
        _queue("a@example.org", "b@example.org")
        scripted.SCRIPT.append(UnicodeEncodeError("ascii", "é", 0, 1, "no"))
        assert outbox.send_pending_emails() == 1
    failed = EmailOutbox.objects.get(status="pending")
    assert (failed.attempts, failed.last_error) == (1, "UnicodeEncodeError")


def test_a_run_leases_nothing_more_after_its_time_budget(scripted: type[ScriptedBackend]) -> None:
    with time_machine.travel(START, tick=False):
        _queue("a@example.org", "b@example.org", "c@example.org")
        assert outbox.send_pending_emails(max_seconds=-1) == 1
        assert list(EmailOutbox.objects.order_by("id").values_list("status", "attempts")) == [
            ("sent", 1),
            ("pending", 0),
            ("pending", 0),
        ]


def test_an_overrunning_task_stops_and_leaves_the_lease_to_run_out(
    scripted: type[ScriptedBackend],
) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    _queue("a@example.org")
    scripted.SCRIPT.append(SoftTimeLimitExceeded())
    with pytest.raises(SoftTimeLimitExceeded):
        outbox.send_pending_emails()
    row = EmailOutbox.objects.get()
    assert (row.status, row.attempts) == ("sending", 1)  # taken over when the lease ends


def test_the_task_logs_the_queue_depth(scripted: type[ScriptedBackend], caplog: Any) -> None:
    _queue("a@example.org", "b@example.org")
    scripted.SCRIPT.append(TimeoutError("timed out"))
    with caplog.at_level(logging.INFO, logger="notifications.tasks"):
        assert tasks.send_emails() == 0
    (record,) = [r for r in caplog.records if r.getMessage() == "email sender ran"]
    assert record.emails_sent == 0  # type: ignore[attr-defined]
    assert record.emails_waiting == 2  # type: ignore[attr-defined]
    assert record.dead_emails == 0  # type: ignore[attr-defined]


def test_the_dispatch_task_logs_reminders_due_and_emails_waiting(caplog: Any) -> None:
    with caplog.at_level(logging.INFO, logger="notifications.tasks"):
        assert tasks.dispatch_reminders() == 0
    (record,) = [r for r in caplog.records if r.getMessage() == "reminders dispatch ran"]
    assert record.reminders_due == 0  # type: ignore[attr-defined]
    assert record.emails_waiting == 0  # type: ignore[attr-defined]


# --- Undelivered emails: the administrators' page -----------------------------------


@pytest.fixture
def undelivered(scripted: type[ScriptedBackend]) -> list[EmailOutbox]:
    rows = _queue("pat@example.org", "alex@adv.example")
    scripted.SCRIPT.extend([_refused(554), smtplib.SMTPDataError(554, b"rejected")])
    outbox.send_pending_emails()
    return [EmailOutbox.objects.get(pk=r.pk) for r in rows]


def test_only_a_system_administrator_may_retry(
    undelivered: list[EmailOutbox], coordinator: User
) -> None:
    with pytest.raises(PermissionDenied):
        outbox.retry_undelivered_emails(by=coordinator)
    assert EmailOutbox.objects.undelivered().count() == 2


def test_the_administrator_sees_who_and_why_but_never_the_body(
    undelivered: list[EmailOutbox], admin_user: User
) -> None:
    page = client_for(admin_user).get(reverse("notifications:undelivered")).content.decode()
    assert "pat@example.org" in page
    assert "alex@adv.example" in page
    assert "Refused by the mail server (reply 554)" in page
    assert EMAIL.subject in page
    assert EMAIL.text not in page


def test_the_administrators_menu_leads_there(admin_user: User, coordinator: User) -> None:
    url = reverse("notifications:undelivered")
    assert url in client_for(admin_user).get(reverse("notifications:list")).content.decode()
    assert url not in client_for(coordinator).get(reverse("notifications:list")).content.decode()


def test_everyone_else_finds_no_such_page(
    undelivered: list[EmailOutbox], coordinator: User, client: Client
) -> None:
    url = reverse("notifications:undelivered")
    assert client_for(coordinator).get(url).status_code == 404
    retry = reverse("notifications:retry_undelivered", args=[undelivered[0].pk])
    assert client_for(coordinator).post(retry).status_code == 404
    assert client.get(url).status_code == 302  # signed out: sign in first
    assert EmailOutbox.objects.undelivered().count() == 2


def test_the_administrator_sends_one_again_then_all(
    undelivered: list[EmailOutbox], admin_user: User, scripted: type[ScriptedBackend]
) -> None:
    admin = client_for(admin_user)
    first, second = undelivered
    response = admin.post(reverse("notifications:retry_undelivered", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("pending", 0)
    second.refresh_from_db()
    assert second.status == "dead"

    admin.post(reverse("notifications:retry_all_undelivered"))
    assert outbox.send_pending_emails() == 2
    assert not EmailOutbox.objects.undelivered().exists()
    page = admin.get(reverse("notifications:undelivered")).content.decode()
    assert "Every email has been delivered or is still on its way." in page


# --- Configuration: email on its own queue, never waiting for ever ------------------


def test_email_goes_to_its_own_queue_and_reminders_stay_on_tac() -> None:
    from tac_portal.celery import app

    router = app.amqp.router
    for task in ("notifications.tasks.send_emails",):
        assert router.route({}, task)["queue"].name == "email"
    for task in ("notifications.tasks.dispatch_reminders", "notifications.tasks.send_digests"):
        assert router.route({}, task)["queue"].name == "tac"


def test_the_smtp_connection_gives_up_on_a_silent_server(settings: Any) -> None:
    from django.core.mail import get_connection

    from tac_portal import settings as project_settings

    assert project_settings.EMAIL_TIMEOUT == 15  # the default when EMAIL_TIMEOUT is unset
    settings.EMAIL_TIMEOUT = 7
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert smtp.timeout == 7  # type: ignore[attr-defined]
