"""GOV.UK Notify as the outbox's way out: the right template and personalisation reach
Notify (a local server speaking its documented API, which checks the JWT), a text says
no more than a first name, a date, a time and a number to call, and Notify's 4xx answers
are refused at once while 429, 5xx and no answer are retried."""

from __future__ import annotations

import datetime as dt
import socket
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from agencies.models import User
from notifications import govuk_notify, outbox
from notifications.govuk_notify import TextMessage, UnsafeTextMessage
from notifications.models import EmailOutbox
from notifications.outbox import Email
from notifications.services import notify
from tests.helpers import client_for
from tests.notifications.notify_server import (
    EMAIL_TEMPLATE_ID,
    SERVICE_ID,
    TEXT_TEMPLATE_ID,
    FakeNotify,
    fake_notify_fixture,  # noqa: F401  (the fake_notify fixture)
    notify_settings,
)

pytestmark = pytest.mark.django_db

EMAIL = Email(subject="TAC Portal: Invitation: TAC meeting", text="A TAC meeting: see the portal.")
MESSAGE = TextMessage(
    first_name="Pat", date="Tuesday 2 March 2027", time="10:30am", phone_number="0300 000 0000"
)


def _text(phone: str = "07700 900982", message: TextMessage = MESSAGE) -> EmailOutbox:
    row = outbox.queue_text(
        phone, message, template="meeting_reminder_text", about=("meetings.text_reminder", 1)
    )
    assert row is not None
    return row


def _refresh(*rows: EmailOutbox) -> None:
    for row in rows:
        row.refresh_from_db()


# --- The channel -----------------------------------------------------------------


def test_smtp_is_the_default_channel_and_texts_are_off_without_notify() -> None:
    assert django_settings.TAC_EMAIL_CHANNEL == "smtp"
    assert not govuk_notify.texts_enabled()
    assert outbox.queue_text("07700 900982", MESSAGE, template="meeting_reminder_text") is None


def test_with_smtp_email_goes_to_the_mail_server_not_notify(fake_notify: FakeNotify) -> None:
    with override_settings(TAC_EMAIL_CHANNEL="smtp"):
        row = outbox.queue_email("sam@school.example", EMAIL)
        assert outbox.send_pending_emails() == 1
    assert [m.to for m in mail.outbox] == [["sam@school.example"]]
    assert fake_notify.requests == []
    assert row is not None
    _refresh(row)
    assert row.status == EmailOutbox.Status.SENT
    assert row.provider_id == ""


def test_an_email_goes_to_notify_with_the_email_template_and_only_subject_and_body(
    fake_notify: FakeNotify, lead: User
) -> None:
    notification = notify(lead, title="You are the lead professional", link="/cases/")
    row = EmailOutbox.objects.get(notification=notification)

    assert outbox.send_pending_emails() == 1

    assert mail.outbox == []  # not through the mail server
    [request] = fake_notify.requests
    assert request.path == "/v2/notifications/email"
    assert request.status == 201
    assert request.claims is not None
    assert request.claims["iss"] == SERVICE_ID
    assert request.body["template_id"] == EMAIL_TEMPLATE_ID
    assert request.body["email_address"] == lead.email
    assert set(request.body["personalisation"]) == {"subject", "body"}
    assert request.body["personalisation"]["subject"] == row.subject
    assert request.body["personalisation"]["body"] == row.body_text
    assert request.body["reference"] == row.message_id
    _refresh(row)
    assert row.status == EmailOutbox.Status.SENT
    assert str(uuid.UUID(row.provider_id)) == row.provider_id  # Notify's ID for it


def test_a_text_goes_to_notify_with_the_text_template_and_exactly_the_allowed_fields(
    fake_notify: FakeNotify,
) -> None:
    row = _text()

    assert outbox.send_pending_emails() == 1

    [request] = fake_notify.accepted
    assert request.path == "/v2/notifications/sms"
    assert request.claims is not None
    assert request.claims["iss"] == SERVICE_ID
    assert request.body["template_id"] == TEXT_TEMPLATE_ID
    assert request.body["phone_number"] == "07700 900982"
    assert request.body["personalisation"] == {
        "first_name": "Pat",
        "date": "Tuesday 2 March 2027",
        "time": "10:30am",
        "phone_number": "0300 000 0000",
    }
    assert request.body["reference"] == row.message_id
    assert request.rendered["body"] == (
        "Hello Pat, this is a reminder of your meeting with the early help team on Tuesday "
        "2 March 2027 at 10:30am. If you cannot come or have a question, call 0300 000 0000."
    )
    _refresh(row)
    assert row.status == EmailOutbox.Status.SENT
    assert row.provider_id


def test_the_fake_notify_checks_the_token_a_wrong_secret_is_refused_for_good(
    fake_notify: FakeNotify,
) -> None:
    other = FakeNotify(secret="00000000-0000-0000-0000-000000000000")
    try:
        with override_settings(**notify_settings(other.base_url)):
            row = outbox.queue_email("sam@school.example", EMAIL)
            outbox.send_pending_emails()
        [request] = other.requests
        assert request.status == 403
        assert request.claims is None
    finally:
        other.stop()
    assert row is not None
    _refresh(row)
    assert row.status == EmailOutbox.Status.DEAD
    assert row.last_error == "Notify HTTPError 403"
    assert row.refused


# --- What a text may say -----------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"first_name": "Pat Parent"},  # a family name too
        {"first_name": "Pat, about Riley"},
        {"first_name": "07700900982"},
        {"date": "2 March 2027, Riverside Primary School"},
        {"date": "Tuesday 2 March 2027 re Riley Parent"},
        {"time": "10:30am at 12 Acacia Avenue"},
        {"time": "10:30"},
        {"phone_number": "0300 000 0000 (Lena Lead, case TAC-2027-00001)"},
        {"phone_number": "call me"},
    ],
)
def test_a_text_message_refuses_anything_beyond_its_allowed_form(fields: dict[str, str]) -> None:
    values = {**MESSAGE.personalisation(), **fields}
    with pytest.raises(UnsafeTextMessage):
        TextMessage(**values)


def test_a_text_message_holds_only_first_name_date_time_and_phone_number() -> None:
    assert {"first_name", "date", "time", "phone_number"} == govuk_notify.ALLOWED_TEXT_FIELDS
    with pytest.raises(UnsafeTextMessage):
        TextMessage.from_personalisation({**MESSAGE.personalisation(), "child": "Riley"})
    with pytest.raises(UnsafeTextMessage):
        TextMessage.from_personalisation({"first_name": "Pat"})


def test_dates_and_times_are_written_the_gov_uk_way() -> None:
    starts = dt.datetime(2027, 3, 2, 14, 0, tzinfo=dt.UTC)
    message = TextMessage.for_meeting(
        first_name="Pat", starts_at=starts, phone_number="0300 000 0000"
    )
    assert (message.date, message.time) == ("Tuesday 2 March 2027", "2pm")
    assert govuk_notify.notify_time(dt.time(12, 0)) == "midday"
    assert govuk_notify.notify_time(dt.time(9, 5)) == "9:05am"


def test_a_stored_text_changed_to_say_more_is_never_sent(fake_notify: FakeNotify) -> None:
    row = _text()
    EmailOutbox.objects.filter(pk=row.pk).update(
        personalisation={**MESSAGE.personalisation(), "child_name": "Riley Parent"}
    )
    smuggled = _text()
    EmailOutbox.objects.filter(pk=smuggled.pk).update(template="email")

    outbox.send_pending_emails()

    assert fake_notify.requests == []
    _refresh(row, smuggled)
    assert row.status == smuggled.status == EmailOutbox.Status.DEAD
    assert row.last_error == "UnsafeTextMessage"
    assert row.refused


# --- Notify's answers --------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 403])
def test_a_4xx_answer_is_permanent(fake_notify: FakeNotify, status: int) -> None:
    row = _text()
    fake_notify.fail_next(status)

    assert outbox.send_pending_emails() == 0

    _refresh(row)
    assert row.status == EmailOutbox.Status.DEAD
    assert row.attempts == 1
    assert row.last_error == f"Notify HTTPError {status}"
    assert row.refused


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_429_or_5xx_is_retried_later_and_the_run_waits(
    fake_notify: FakeNotify, status: int
) -> None:
    first, second = _text(), _text("07700 900983")
    fake_notify.fail_next(status)

    assert outbox.send_pending_emails() == 0

    _refresh(first, second)
    assert first.status == EmailOutbox.Status.PENDING
    assert first.attempts == 1
    assert not first.refused
    assert first.last_error.startswith("Notify ")
    assert first.last_error.endswith(str(status))
    assert first.next_attempt_at > second.next_attempt_at
    # The run stopped: the other text was put back untried.
    assert second.status == EmailOutbox.Status.PENDING
    assert second.attempts == 0
    assert len(fake_notify.requests) == 1


def test_no_answer_is_retried(settings: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for name, value in notify_settings(f"http://127.0.0.1:{port}").items():
        setattr(settings, name, value)
    row = _text()

    assert outbox.send_pending_emails() == 0

    _refresh(row)
    assert row.status == EmailOutbox.Status.PENDING
    assert row.last_error == "Notify unreachable"


def test_a_text_after_its_last_attempt_is_dead_and_the_administrator_sees_the_number(
    fake_notify: FakeNotify, admin_user: User, settings: Any
) -> None:
    settings.TAC_EMAIL_MAX_ATTEMPTS = 1
    row = _text()
    fake_notify.fail_next(500)
    outbox.send_pending_emails()
    _refresh(row)
    assert row.status == EmailOutbox.Status.DEAD

    page = client_for(admin_user).get(reverse("notifications:undelivered"))
    assert "07700 900982" in page.content.decode()
    assert "Text message: a meeting reminder" in page.content.decode()


def test_a_text_waits_for_its_time(fake_notify: FakeNotify) -> None:
    from django.utils import timezone

    later = timezone.now() + dt.timedelta(hours=3)
    row = outbox.queue_text(
        "07700 900982", MESSAGE, template="meeting_reminder_text", send_at=later
    )
    assert row is not None
    assert row.next_attempt_at == later

    assert outbox.send_pending_emails() == 0
    assert fake_notify.requests == []


def test_undelivered_page_is_still_only_for_administrators(lead: User) -> None:
    response = client_for(lead).get(reverse("notifications:undelivered"))
    assert response.status_code in {403, 404}
