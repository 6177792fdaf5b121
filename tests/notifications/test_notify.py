"""notify(): the in-app notification and its email, written together, as the person prefers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from agencies.models import User
from notifications import outbox
from notifications.models import EmailOutbox, Notification, NotificationPreference
from notifications.outbox import Email
from notifications.services import notify

pytestmark = pytest.mark.django_db

INVITATION = Email(
    subject="TAC Portal: Invitation: TAC meeting",
    text="You are invited to a team around the child (TAC) meeting.",
    calendar="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
    calendar_method="REQUEST",
)
MINUTES = Email(subject="TAC Portal: TAC meeting minutes are ready", text="The minutes are ready.")


def _digest(user: User) -> None:
    NotificationPreference.objects.create(user=user, email_frequency="daily_digest")


def test_it_writes_the_notification_and_the_standard_email(lead: User, settings: Any) -> None:
    settings.SITE_URL = "https://tac.example.gov.uk"
    notification = notify(lead, title="You are now the lead professional for a case", link="/x/")

    row = EmailOutbox.objects.get()
    assert row.notification == notification
    assert row.recipient == lead
    assert row.to_address == lead.email
    assert row.subject == "TAC Portal: You are now the lead professional for a case"
    assert f"https://tac.example.gov.uk/notifications/{notification.pk}/" in row.body_text
    assert row.body_html
    assert row.message_id == f"<notification-{notification.pk}@tac-portal>"
    assert notification.awaiting_digest is False


def test_it_leaves_the_email_to_the_digest_for_a_digest_reader(lead: User) -> None:
    _digest(lead)
    notification = notify(lead, title="A step-up was not accepted", link="/x/")
    assert notification.awaiting_digest is True
    assert not EmailOutbox.objects.exists()


def test_a_custom_email_without_a_calendar_waits_for_the_digest_too(lead: User) -> None:
    _digest(lead)
    notification = notify(lead, title="The minutes are ready", link="/m/", email=MINUTES)
    assert notification.awaiting_digest is True
    assert not EmailOutbox.objects.exists()


def test_a_calendar_entry_goes_at_once_even_to_a_digest_reader(lead: User) -> None:
    _digest(lead)
    notification = notify(
        lead, title="You are invited", link="/m/", email=INVITATION, about=("meetings.x", 7)
    )

    assert notification.awaiting_digest is False  # the digest will not list it again
    row = EmailOutbox.objects.get()
    assert (row.subject, row.body_text) == (INVITATION.subject, INVITATION.text)
    assert (row.calendar, row.calendar_method) == (INVITATION.calendar, "REQUEST")
    assert (row.about_type, row.about_id) == ("meetings.x", 7)
    assert row.notification == notification


def test_it_can_notify_without_an_email(lead: User) -> None:
    notify(lead, title="Someone used emergency access", link="/audit/", email=False)
    assert Notification.objects.filter(recipient=lead).count() == 1
    assert not EmailOutbox.objects.exists()


def test_it_emails_no_inactive_account_and_no_empty_address(lead: User, member: User) -> None:
    User.objects.filter(pk=lead.pk).update(is_active=False)
    lead.refresh_from_db()
    member.email = ""  # as a row read before its address was removed
    notify(lead, title="A notice", link="/x/")
    notify(member, title="A notice", link="/x/")
    assert Notification.objects.count() == 2
    assert not EmailOutbox.objects.exists()


def test_nothing_is_left_behind_when_the_callers_transaction_rolls_back(lead: User) -> None:
    @transaction.atomic
    def hand_over_then_fail() -> None:
        notify(lead, title="A notice", link="/x/", email=INVITATION)
        raise RuntimeError("the caller's write failed")

    with pytest.raises(RuntimeError):
        hand_over_then_fail()
    assert not Notification.objects.exists()
    assert not EmailOutbox.objects.exists()


def test_it_wakes_the_sender_once_after_commit(
    lead: User, member: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(lead, title="A notice", link="/x/")
        notify(member, title="A notice", link="/x/", email=INVITATION)
        outbox.queue_email("pat.parent@example.org", MINUTES)
    assert len(callbacks) == 1
    # The wake-up ran the sender (eagerly in the tests): everything went.
    assert set(EmailOutbox.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [lead.email, member.email, "pat.parent@example.org"]
    )


def test_someone_without_an_account_is_emailed_without_a_notification() -> None:
    row = outbox.queue_email("pat.parent@example.org", MINUTES, about=("meetings.meeting", 3))
    assert row is not None
    assert row.recipient is None
    assert row.notification is None
    assert row.message_id.startswith("<email-")
    assert outbox.queue_email("", MINUTES) is None
    assert not Notification.objects.exists()


def test_the_daily_digests_wake_the_sender_once_for_them_all(
    lead: User, member: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    from notifications.services import send_daily_digests, set_notification_preference

    for person in (lead, member):
        set_notification_preference(person, email_frequency="daily_digest", digest_hour=17)
        notify(person, title="A step-up was not accepted", link="/x/")
    five_pm = dt.datetime(2027, 1, 12, 17, 0, tzinfo=dt.UTC)  # 17:00 in London in winter
    with django_capture_on_commit_callbacks() as callbacks, time_machine.travel(five_pm):
        assert send_daily_digests() == 2
    assert len(callbacks) == 1
    assert EmailOutbox.objects.filter(message_id__startswith="<digest-").count() == 2
