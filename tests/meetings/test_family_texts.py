"""Text message reminders of a TAC meeting to family members who agreed to texts (GOV.UK
Notify): queued for the day before, saying only their first name, the date, the time and
a number to call; withdrawn when the meeting moves or is cancelled or the person's
agreement changes; and the meeting's page says whether each went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, FamilyMember, TeamMembership
from cases.services.family import change_family_member
from meetings.models import Meeting
from meetings.services.emails import ABOUT_TEXT_REMINDER
from meetings.services.scheduling import cancel_meeting, reschedule_meeting
from notifications import outbox
from notifications.models import EmailOutbox
from tests.meetings.conftest import at
from tests.notifications.notify_server import (
    TEXT_TEMPLATE_ID,
    FakeNotify,
    fake_notify_fixture,  # noqa: F401  (the fake_notify fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def texting_parent(parent: TeamMembership, lead: User) -> FamilyMember:
    """Pat Parent agreed to texts on their mobile; Lena, the lead, has a phone number."""
    member = parent.family_member
    assert member is not None
    member.mobile_phone = "07700 900982"
    member.agrees_to_text_messages = True
    member.save(update_fields=["mobile_phone", "agrees_to_text_messages"])
    lead.phone = "0113 496 0000"
    lead.save(update_fields=["phone"])
    return member


def _texts(**filters: Any) -> list[EmailOutbox]:
    return list(EmailOutbox.objects.filter(kind=EmailOutbox.Kind.TEXT, **filters).order_by("id"))


def _send_now() -> int:
    EmailOutbox.objects.filter(status=EmailOutbox.Status.PENDING).update(
        next_attempt_at=timezone.now()
    )
    return outbox.send_pending_emails()


def test_a_family_member_who_agreed_gets_a_text_the_day_before_with_only_the_allowed_fields(
    fake_notify: FakeNotify,
    texting_parent: FamilyMember,
    schedule: Callable[..., Meeting],
    case: Case,
) -> None:
    meeting = schedule(days=7)

    [text] = _texts()
    invitation = meeting.invitations.get(family_member=texting_parent)
    assert (text.about_type, text.about_id) == (ABOUT_TEXT_REMINDER, invitation.pk)
    assert text.phone_number == "07700 900982"
    assert text.next_attempt_at == at(6)  # 24 hours before 10am in a week
    assert text.status == EmailOutbox.Status.PENDING
    assert fake_notify.requests == []  # not yet

    assert _send_now() >= 1

    [request] = [r for r in fake_notify.accepted if r.path == "/v2/notifications/sms"]
    assert request.body["template_id"] == TEXT_TEMPLATE_ID
    starts = timezone.localtime(meeting.starts_at)
    assert request.body["personalisation"] == {
        "first_name": "Pat",
        "date": f"{starts:%A} {starts.day} {starts:%B %Y}",
        "time": "10am",
        "phone_number": "0113 496 0000",
    }
    read = request.rendered["body"]
    child = case.children.get()
    for private in (
        "Parent",  # the family name
        child.given_names,
        child.family_name,
        case.reference,
        "Riverside",  # where the meeting is
        "TAC",
    ):
        assert private not in read
    # Nor did any email to anyone carry the family's mobile number.
    assert all(
        "07700" not in r.body.get("personalisation", {}).get("body", "")
        for r in fake_notify.requests
    )


def test_no_text_without_agreement_and_the_page_says_why(
    fake_notify: FakeNotify,
    parent: TeamMembership,
    schedule: Callable[..., Meeting],
    lead_client: Client,
) -> None:
    member = parent.family_member
    assert member is not None
    member.mobile_phone = "07700 900982"
    member.save(update_fields=["mobile_phone"])

    meeting = schedule(days=7)

    assert _texts() == []
    page = lead_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Text reminders to the family" in page
    assert "No text reminder: they have not agreed to text messages" in page


def test_without_notify_no_text_is_queued_and_the_page_says_texts_are_off(
    texting_parent: FamilyMember, schedule: Callable[..., Meeting], lead_client: Client
) -> None:
    meeting = schedule(days=7)

    assert _texts() == []
    page = lead_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "text messages are not set up for this portal" in page


def test_moving_the_meeting_replaces_the_text_and_cancelling_withdraws_it(
    fake_notify: FakeNotify,
    texting_parent: FamilyMember,
    schedule: Callable[..., Meeting],
    lead: User,
) -> None:
    meeting = schedule(days=7)
    reschedule_meeting(
        meeting, by=lead, starts_at=at(9, 14), ends_at=at(9, 15), mode=meeting.mode, location=""
    )

    first, second = _texts()
    assert first.status == EmailOutbox.Status.CANCELLED
    assert second.status == EmailOutbox.Status.PENDING
    assert second.personalisation["time"] == "2pm"
    assert second.next_attempt_at == at(8, 14)

    cancel_meeting(meeting, by=lead, reason="The family asked to move it")

    assert {t.status for t in _texts()} == {EmailOutbox.Status.CANCELLED}
    _send_now()  # the emails about the meeting go; no text does
    assert [r for r in fake_notify.requests if r.path.endswith("/sms")] == []


def test_withdrawing_agreement_withdraws_the_waiting_text(
    fake_notify: FakeNotify,
    texting_parent: FamilyMember,
    schedule: Callable[..., Meeting],
    case: Case,
    lead: User,
) -> None:
    schedule(days=7)
    texting_parent.refresh_from_db()

    change_family_member(
        texting_parent,
        case=case,
        changes={"agrees_to_text_messages": False},
        reason="",
        expected_version=texting_parent.version,
        by=lead,
    )

    assert [t.status for t in _texts()] == [EmailOutbox.Status.CANCELLED]


def test_a_new_mobile_number_moves_the_waiting_text_to_it(
    fake_notify: FakeNotify,
    texting_parent: FamilyMember,
    schedule: Callable[..., Meeting],
    case: Case,
    lead: User,
) -> None:
    schedule(days=7)
    texting_parent.refresh_from_db()

    change_family_member(
        texting_parent,
        case=case,
        changes={"mobile_phone": "07700 900555"},
        reason="",
        expected_version=texting_parent.version,
        by=lead,
    )

    old, new = _texts()
    assert old.status == EmailOutbox.Status.CANCELLED
    assert (new.status, new.phone_number) == (EmailOutbox.Status.PENDING, "07700 900555")


def test_the_meeting_page_says_when_the_text_was_sent_or_could_not_be(
    fake_notify: FakeNotify,
    texting_parent: FamilyMember,
    schedule: Callable[..., Meeting],
    lead_client: Client,
    member_client: Client,
) -> None:
    meeting = schedule(days=7)
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "Text reminder to be sent on" in lead_client.get(url).content.decode()

    _send_now()
    page = lead_client.get(url).content.decode()
    assert "Text reminder sent on" in page
    # Only those who run the meeting see it; the number is never on the page.
    assert "Text reminders to the family" not in member_client.get(url).content.decode()
    assert "07700" not in page

    EmailOutbox.objects.filter(kind=EmailOutbox.Kind.TEXT).update(status=EmailOutbox.Status.DEAD)
    assert "Text reminder could not be sent" in lead_client.get(url).content.decode()


# --- Recording the agreement -----------------------------------------------------------

ADULT = {
    "given_names": "Sam",
    "family_name": "Fairweather",
    "relationship": "father",
    "parental_responsibility": "yes",
    "lives_with_children": "no",
}


def test_the_adult_form_records_a_mobile_number_and_the_agreement(
    case: Case, lead_client: Client
) -> None:
    url = reverse("cases:add_adult", args=[case.pk])
    data = {
        **ADULT,
        "mobile_phone": "+44 7700 900123",
        "agrees_to_text_messages": "on",
        "submission_token": "a" * 32,
    }
    assert lead_client.post(url, data).status_code == 302
    sam = FamilyMember.objects.get(given_names="Sam")
    assert (sam.mobile_phone, sam.agrees_to_text_messages) == ("07700 900123", True)
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Agreed to text reminders" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"agrees_to_text_messages": "on"}, "Enter their mobile number, or untick the text"),
        ({"mobile_phone": "0113 496 0000"}, "Enter a UK mobile number, like 07700 900 982"),
    ],
)
def test_the_adult_form_explains_a_missing_or_wrong_mobile_number(
    case: Case, lead_client: Client, fields: dict[str, str], message: str
) -> None:
    url = reverse("cases:add_adult", args=[case.pk])
    body = lead_client.post(url, {**ADULT, **fields, "submission_token": "b" * 32})
    assert message in body.content.decode()
    assert not FamilyMember.objects.filter(given_names="Sam").exists()
