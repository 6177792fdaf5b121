"""Webhooks from case events to a partner's receiver: signed as Standard Webhooks says,
retried with a capped backoff, dropped when the partner no longer sees the case, and a
subscription turned off (its contact emailed) after a run of failures."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, PartnerClient, User
from cases.models import Case
from cases.services.common import record_event
from cases.services.teams import add_professional_to_team, remove_from_team
from meetings.services.plan import Owner, add_action
from notifications.models import EmailOutbox, Notification
from tests.helpers import PASSWORD
from tests.webhooks.receiver import InvalidSignature, Receiver, verify
from webhooks.delivery import deliver_due_messages, retry_delay
from webhooks.events import queue_due_date_events
from webhooks.models import EventType, WebhookAttempt, WebhookMessage, WebhookSubscription
from webhooks.services import (
    create_subscription,
    enable_subscription,
    replay_message,
    rotate_secret,
)

pytestmark = pytest.mark.django_db


def _teacher(school_agency: Agency) -> User:
    return User.objects.create_user(
        "tess.teacher@riverside.example",
        PASSWORD,
        full_name="Tess Teacher",
        job_title="Class teacher",
        agency=school_agency,
    )


def _join(case: Case, lead: User, school_agency: Agency) -> WebhookMessage:
    add_professional_to_team(case, professional=_teacher(school_agency), by=lead)
    return WebhookMessage.objects.get(event_type=EventType.CASE_JOINED)


def test_it_signs_each_message_as_the_standard_webhooks_text_says(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    message = _join(case, lead, school_agency)

    assert deliver_due_messages() == 1

    (got,) = receiver.received
    verify(subscription.signing_secret, got.headers, got.body)
    assert got.webhook_id == message.webhook_id
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 60
    assert got.payload["type"] == "case.joined"
    assert got.payload["data"]["case"]["id"] == case.pk
    # Identifiers only: no name of the child, the family or the new member.
    for name in (
        case.family.name,
        "Tess",
        "Teacher",
        *[c.given_names for c in case.children.all()],
    ):
        assert name not in got.body.decode()
    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.DELIVERED
    assert message.attempts == 1


def test_a_tampered_body_or_another_secret_fails_verification(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    _join(case, lead, school_agency)
    deliver_due_messages()
    (got,) = receiver.received

    with pytest.raises(InvalidSignature):
        verify(subscription.signing_secret, got.headers, got.body + b" ")
    with pytest.raises(InvalidSignature):
        verify("whsec_" + "A" * 44, got.headers, got.body)
    with pytest.raises(InvalidSignature):
        verify(subscription.signing_secret, got.headers, got.body, now=time.time() + 600)


def test_during_a_rotation_both_secrets_sign(
    case: Case,
    lead: User,
    la_admin: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    old = subscription.signing_secret
    rotated = rotate_secret(subscription, by=la_admin)
    assert rotated.signing_secret != old
    _join(case, lead, school_agency)

    deliver_due_messages()

    (got,) = receiver.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    verify(old, got.headers, got.body)
    verify(rotated.signing_secret, got.headers, got.body)

    # After the grace period only the new secret signs.
    receiver.received.clear()
    replay_message(WebhookMessage.objects.get(), by=la_admin)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        deliver_due_messages()
    (got,) = receiver.received
    sent_at = int(got.headers["webhook-timestamp"])
    verify(rotated.signing_secret, got.headers, got.body, now=sent_at)
    with pytest.raises(InvalidSignature):
        verify(old, got.headers, got.body, now=sent_at)


def test_it_retries_after_receiver_errors_with_the_same_webhook_id(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    receiver.answers = [500, 503]
    message = _join(case, lead, school_agency)

    assert deliver_due_messages() == 0
    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.PENDING
    assert message.last_response_status == 500
    first_retry = message.next_attempt_at
    assert first_retry - timezone.now() > dt.timedelta(seconds=25)

    # Not before its time.
    assert deliver_due_messages() == 0
    assert len(receiver.received) == 1

    with time_machine.travel(first_retry + dt.timedelta(seconds=1)):
        assert deliver_due_messages() == 0
    message.refresh_from_db()
    # Twice the wait after the second failure.
    assert message.next_attempt_at - first_retry > dt.timedelta(seconds=55)

    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1)):
        assert deliver_due_messages() == 1

    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.DELIVERED
    assert message.attempts == 3
    assert {r.webhook_id for r in receiver.received} == {message.webhook_id}
    assert len(receiver.received) == 3
    outcomes = list(message.tries.order_by("at").values_list("outcome", "response_status"))
    assert outcomes == [("failed", 500), ("failed", 503), ("delivered", 200)]
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


@override_settings(TAC_WEBHOOK_RETRY_BASE_SECONDS=30, TAC_WEBHOOK_RETRY_CAP_SECONDS=3600)
def test_the_backoff_doubles_up_to_its_cap() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30).total_seconds() == 3600


@override_settings(TAC_WEBHOOK_MAX_ATTEMPTS=2)
def test_it_gives_up_after_the_last_attempt(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    receiver.answers = [500, 500]
    message = _join(case, lead, school_agency)
    deliver_due_messages()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        deliver_due_messages()
    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.FAILED
    assert len(receiver.received) == 2


def test_a_client_that_lost_access_gets_no_payload(
    case: Case,
    lead: User,
    member: User,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    # Written while Riverside's Sam is on the team...
    record_event(case, "meeting.scheduled", by=lead, data={"meeting": 0})
    record_event(case, "case.closed", by=lead, data={"to": "CLOSED_NEEDS_MET"})
    queued = WebhookMessage.objects.get(event_type=EventType.CASE_CLOSED)
    # ...then Sam leaves: Riverside no longer sees the case.
    remove_from_team(case.memberships.active().get(professional=member), by=lead)

    deliver_due_messages()

    assert receiver.received == []
    queued.refresh_from_db()
    assert queued.status == WebhookMessage.Status.DROPPED
    assert queued.tries.get().outcome == WebhookAttempt.Outcome.DROPPED
    # Nor was Riverside told of Sam leaving: it no longer sees the case.
    assert not WebhookMessage.objects.filter(event_type=EventType.CASE_LEFT).exists()


def test_an_agency_with_no_relationship_is_never_told(
    case: Case,
    lead: User,
    police_client: PartnerClient,
    la_admin: User,
    receiver: Receiver,
    school_agency: Agency,
) -> None:
    create_subscription(police_client, url=receiver.url, event_types=EventType.values, by=la_admin)
    add_professional_to_team(case, professional=_teacher(school_agency), by=lead)
    assert not WebhookMessage.objects.exists()


def test_a_deactivated_client_or_one_without_cases_read_gets_nothing(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    school_client: PartnerClient,
    receiver: Receiver,
) -> None:
    message = _join(case, lead, school_agency)
    school_client.allowed_scopes = ["reference:read"]
    school_client.save()

    deliver_due_messages()

    assert receiver.received == []
    message.refresh_from_db()
    assert message.status == WebhookMessage.Status.DROPPED


def test_with_basic_information_only_actions_of_other_agencies_are_not_sent(
    case: Case,
    lead: User,
    member: User,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    due = timezone.localdate() + dt.timedelta(days=14)
    lead_place = case.memberships.active().get(professional=lead)
    school_place = case.memberships.active().get(professional=member)
    add_action(case, by=lead, description="Home visit", owner=Owner(lead_place), due_on=due)
    own = add_action(
        case, by=lead, description="Attendance plan", owner=Owner(school_place), due_on=due
    )

    deliver_due_messages()

    (got,) = receiver.received
    assert got.payload["type"] == "action.assigned"
    assert got.payload["data"]["action"]["id"] == own.pk


def test_nothing_is_queued_when_the_change_rolls_back(
    case: Case, lead: User, school_agency: Agency, subscription: WebhookSubscription
) -> None:
    teacher = _teacher(school_agency)

    def change_that_fails() -> None:
        with transaction.atomic():
            add_professional_to_team(case, professional=teacher, by=lead)
            assert WebhookMessage.objects.count() == 1
            raise RuntimeError("the rest of the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert WebhookMessage.objects.count() == 0


def test_due_dates_are_told_once_however_often_the_scan_runs(
    case: Case,
    lead: User,
    member: User,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    today = timezone.localdate()
    school_place = case.memberships.active().get(professional=member)
    action = add_action(
        case, by=lead, description="Attendance plan", owner=Owner(school_place), due_on=today
    )
    Case.objects.filter(pk=case.pk).update(next_review_due=today)
    WebhookMessage.objects.all().delete()

    assert queue_due_date_events(today) == 2
    assert queue_due_date_events(today) == 0

    deliver_due_messages()
    kinds = {r.payload["type"]: r.payload["data"] for r in receiver.received}
    assert kinds["action.due"]["action"]["id"] == action.pk
    assert kinds["review.due"]["next_review_due"] == today.isoformat()


@override_settings(TAC_WEBHOOK_DISABLE_AFTER=3)
def test_a_run_of_failures_turns_the_subscription_off_and_tells_the_partner(
    case: Case,
    lead: User,
    la_admin: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    receiver.answers = [500] * 10
    _join(case, lead, school_agency)
    now = timezone.now()
    for hours in range(3):
        with time_machine.travel(now + dt.timedelta(hours=hours)):
            deliver_due_messages()

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.consecutive_failures == 3
    email = EmailOutbox.objects.get(to_address="mis-support@riverside.example")
    assert "turned off" in email.subject
    assert subscription.url in email.body_text
    assert Notification.objects.filter(recipient=la_admin).exists()

    # While it is off nothing is sent; the message waits.
    with time_machine.travel(now + dt.timedelta(hours=5)):
        deliver_due_messages()
    assert len(receiver.received) == 3
    assert WebhookMessage.objects.get().status == WebhookMessage.Status.PENDING


def test_the_body_is_the_same_bytes_on_every_attempt(
    case: Case,
    lead: User,
    la_admin: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    message = _join(case, lead, school_agency)
    deliver_due_messages()
    replay_message(message, by=la_admin)
    deliver_due_messages()
    first, second = receiver.received
    assert first.body == second.body
    assert first.webhook_id == second.webhook_id
    assert json.loads(first.body)["timestamp"].endswith("Z")


def test_the_services_events_become_webhooks(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    from cases.services.lifecycle import change_status
    from meetings.models import Meeting
    from meetings.services.scheduling import schedule_meeting

    teacher = _teacher(school_agency)
    add_professional_to_team(case, professional=teacher, by=lead)
    remove_from_team(case.memberships.active().get(professional=teacher), by=lead)
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.REVIEW,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        location="Riverside Primary School, room 2",
        members=list(case.memberships.active()),
    )
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")

    deliver_due_messages()

    told = [(r.payload["type"], r.payload["data"]) for r in receiver.received]
    types = [t for t, _ in told]
    assert types[:3] == ["case.joined", "case.left", "meeting.scheduled"]
    assert dict(told)["meeting.scheduled"]["meeting"]["id"] == meeting.pk
    assert dict(told)["case.closed"]["status"] == "CLOSED"


def test_health_reports_a_sender_that_is_not_running_but_not_a_partner_that_is_down(
    case: Case,
    lead: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
) -> None:
    from webhooks.delivery import webhook_health

    receiver.answers = [500]
    message = _join(case, lead, school_agency)
    assert webhook_health()["ok"]
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        unwell = webhook_health()
    assert unwell["ok"] is False
    assert unwell["webhooks_due"] == 1

    deliver_due_messages()  # the partner answers 500: a retry waits in the future
    message.refresh_from_db()
    with time_machine.travel(message.next_attempt_at - dt.timedelta(seconds=1)):
        assert webhook_health()["ok"]


def test_a_secret_whose_key_was_retired_holds_its_messages_until_it_is_rotated(
    case: Case,
    lead: User,
    la_admin: User,
    school_agency: Agency,
    subscription: WebhookSubscription,
    receiver: Receiver,
    settings: Any,
    client: Client,
) -> None:
    # The secret was sealed under a key that is no longer the secret key or a fallback.
    settings.SECRET_KEY = "a-new-secret-key-with-the-old-one-dropped-0123456789abcdef"
    other = create_subscription(
        subscription.client,
        url=subscription.url + "second/",
        event_types=[EventType.CASE_JOINED],
        by=la_admin,
    )
    add_professional_to_team(case, professional=_teacher(school_agency), by=lead)
    message = WebhookMessage.objects.get(subscription=subscription)

    deliver_due_messages()  # does not crash, and the readable subscription still gets its own

    held = WebhookMessage.objects.get(pk=message.pk)
    assert held.status == WebhookMessage.Status.PENDING
    assert held.attempts == 0
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert "can no longer be read" in subscription.disabled_reason
    assert WebhookMessage.objects.get(subscription=other).status == WebhookMessage.Status.DELIVERED

    client.force_login(la_admin)
    page = client.get(reverse("webhooks:detail", args=[subscription.pk]))
    assert page.status_code == 200
    assert "can no longer be read" in page.content.decode()

    rotate_secret(subscription, by=la_admin)
    enable_subscription(subscription, by=la_admin)
    assert deliver_due_messages() == 1
    got = receiver.received[-1]
    assert got.headers["webhook-id"] == message.webhook_id
    rotated = WebhookSubscription.objects.get(pk=subscription.pk)
    assert len(got.headers["webhook-signature"].split(" ")) == 1  # the old one cannot sign
    verify(rotated.signing_secret, got.headers, got.body)
