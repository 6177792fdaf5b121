"""A lead professional arranges and runs a TAC meeting; a school member does their action;
the plan is reviewed without a meeting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family, FamilyMember
from cases.services.lifecycle import open_case
from cases.services.teams import add_family_member_to_team, add_professional_to_team
from meetings.models import Action, FamilyFeedback, Meeting
from meetings.services.scheduling import schedule_meeting
from notifications import outbox
from notifications.models import EmailOutbox
from tests.e2e.steps import autosaved
from tests.helpers import PASSWORD, fill_date
from tests.notifications.notify_server import FakeNotify, notify_settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _professional(email: str, name: str, title: str, agency: Agency) -> User:
    team = Team.objects.create(agency=agency, name=f"{agency.name} team")
    return User.objects.create_user(
        email, PASSWORD, full_name=name, job_title=title, agency=agency, team=team
    )


@pytest.fixture
def journey_case(reminder_rules: None) -> Case:
    hub = Agency.objects.create(name="Eastfield Family Hub", kind=AgencyKind.EARLY_HELP)
    school = Agency.objects.create(name="Eastfield Primary School", kind=AgencyKind.SCHOOL)
    health = Agency.objects.create(
        name="Eastfield Health Visiting", kind=AgencyKind.HEALTH_VISITING
    )
    lead = _professional("lead@demo.tac.example", "Leah Leadworth", "Family support worker", hub)
    teacher = _professional("school@demo.tac.example", "Sunita Schoolfield", "DSL", school)
    visitor = _professional("hv@demo.tac.example", "Hal Healthway", "Health visitor", health)
    family = Family.objects.create(name="The Brightwater family", postcode="DT2 4QB")
    child = Child.objects.create(
        family=family, given_names="Poppy", family_name="Brightwater", date_of_birth="2015-03-02"
    )
    mum = FamilyMember.objects.create(
        family=family,
        given_names="Mara",
        family_name="Brightwater",
        relationship=FamilyMember.Relationship.MOTHER,
        email="mara@example.org",
        mobile_phone="07700 900321",
        agrees_to_text_messages=True,
    )
    case = open_case(
        family, children=[child], by=lead, interim_lead=lead, status=Case.Status.PLANNING
    )
    add_professional_to_team(case, professional=teacher, by=lead)
    add_professional_to_team(case, professional=visitor, by=lead)
    add_family_member_to_team(case, family_member=mum, by=lead)
    return case


@pytest.fixture
def notify_for_texts() -> Iterator[FakeNotify]:
    """A local GOV.UK Notify for the family's texts; email stays on SMTP."""
    server = FakeNotify()
    try:
        with override_settings(**notify_settings(server.base_url, channel="smtp")):
            yield server
    finally:
        server.stop()


def test_a_tac_meeting_from_invitation_to_review(
    page: Any,
    notify_for_texts: FakeNotify,
    journey_case: Case,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    case = journey_case
    memberships = {m.display_name: m for m in case.memberships.active()}
    day = timezone.localdate() + dt.timedelta(days=1)

    # 1. The lead arranges the first TAC meeting and invites everyone.
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/cases/{case.pk}/")
    check_page(page, "meeting-case-page")
    page.get_by_role("tab", name="Meetings").click()  # the case page's sections
    page.get_by_role("link", name="Arrange a TAC meeting").click()
    check_page(page, "meeting-schedule")
    page.get_by_label("Initial TAC meeting").check()
    fill_date(page, "Date of the meeting", day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Place, or how to join").fill("Eastfield Primary School, room 2")
    page.get_by_label("Note-taker").select_option(
        label="Hal Healthway (Health visitor, Eastfield Health Visiting)"
    )
    for checkbox in page.locator("input[name=members]").all():
        checkbox.check()
    page.get_by_role("button", name="Arrange meeting and send invitations").click()
    expect(page.get_by_text("Meeting arranged.")).to_be_visible()
    check_page(page, "meeting-detail-scheduled")
    # Mara agreed to texts: the lead sees what became of her reminder.
    texts = page.locator(".govuk-summary-list__row", has_text="Mara Brightwater")
    assert "Text reminder" in texts.inner_text()

    meeting = Meeting.objects.get(case=case)
    assert meeting.invitations.count() == 4
    outbox.send_pending_emails()  # whatever the after-commit task has not sent yet
    emails = EmailOutbox.objects.filter(kind=EmailOutbox.Kind.EMAIL)
    assert set(emails.values_list("status", flat=True)) == {"sent"}
    # Mara's text waits for the day before, or has gone if that time has passed.
    [reminder] = EmailOutbox.objects.filter(kind=EmailOutbox.Kind.TEXT)
    assert reminder.phone_number == "07700 900321"
    assert set(reminder.personalisation) == {"first_name", "date", "time", "phone_number"}
    assert len(mail.outbox) == 4
    to_mum = next(m for m in mail.outbox if m.to == ["mara@example.org"])
    (attachment,) = to_mum.attachments
    calendar = Calendar.from_ical(attachment.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.ical_uid
    assert event.decoded("DTSTART") == meeting.starts_at
    for message in mail.outbox:
        for text in (message.subject, message.body, attachment.get_payload(decode=True).decode()):
            assert "Poppy" not in text
            assert "Brightwater" not in text
            assert case.reference not in text

    # 2. Meeting mode: the family first, actions for three owners, a decision, the review date.
    page.get_by_role("link", name="Start meeting mode").click()
    page.get_by_label("Attendance of Mara Brightwater").select_option("attended")
    expect(page.get_by_label("Attendance of Mara Brightwater")).to_have_value("attended")
    page.get_by_label("Mara Brightwater, Mother", exact=True).fill("Mornings are still hard.")
    autosaved(page, "Mara Brightwater, Mother")

    for description, owner in (
        ("Check in with Poppy every Monday", "Sunita Schoolfield"),
        ("Home visit about sleep routines", "Hal Healthway"),
        ("Lights out by 8pm on school nights", "Mara Brightwater"),
    ):
        page.get_by_label("What will be done (specific and measurable)").fill(description)
        page.get_by_label("Who will do it").select_option(str(memberships[owner].pk))
        fill_date(page, "Due date", day + dt.timedelta(days=1))
        page.get_by_role("button", name="Add action").click()
        expect(page.locator("#plan").get_by_text(description)).to_be_visible()

    page.get_by_label("Decision", exact=True).fill("Refer to the sleep clinic")
    page.get_by_role("button", name="Add decision").click()
    expect(page.locator("#decisions").get_by_text("Refer to the sleep clinic")).to_be_visible()
    page.get_by_label("The family's views, in their own words").fill("We want calmer mornings.")
    autosaved(page, "The family's views, in their own words")
    fill_date(page, "Next review date", day + dt.timedelta(weeks=6))
    page.get_by_role("button", name="Set next review date").click()
    expect(page.locator("#next-review").get_by_text("Agreed:")).to_be_visible()
    check_page(page, "meeting-mode")

    page.get_by_role("button", name="Finish meeting").click()
    page.get_by_role("button", name="Publish minutes").click()
    expect(page.get_by_text("Minutes published.")).to_be_visible()
    check_page(page, "meeting-minutes-published")
    page.get_by_role("link", name="Family's copy (print)").click()
    expect(page.get_by_role("heading", name="Our family plan")).to_be_visible()
    check_page(page, "meeting-family-copy")
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    assert meeting.family_views == "We want calmer mornings."
    assert EmailOutbox.objects.filter(subject__contains="minutes").count() == 3
    owners = set(Action.objects.filter(case=case).values_list("owner_agency__name", flat=True))
    assert owners == {"Eastfield Primary School", "Eastfield Health Visiting", None}
    page.get_by_role("button", name="Sign out").click()

    # 3. The school marks its action done from "My work".
    sign_in(page, "school@demo.tac.example")
    page.goto("/cases/")
    check_page(page, "meeting-my-work")
    page.get_by_role("link", name="Check in with Poppy every Monday").click()
    page.get_by_label("Done").check()
    page.get_by_label("Progress note").fill("Check-ins running since the meeting.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Action updated.")).to_be_visible()
    action = Action.objects.get(description="Check in with Poppy every Monday")
    assert action.status == Action.Status.DONE
    page.get_by_role("button", name="Sign out").click()

    # 4. The lead reviews the plan without a meeting: the next review date moves.
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("tab", name="Meetings").click()  # the case page's sections
    page.get_by_role("link", name="Review the plan without a meeting").click()
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "meeting-review-errors")
    page.get_by_label("The child's views, in their own words").fill("I like Mondays now.")
    page.get_by_label("The parents' or carers' views, in their own words").fill("Calmer.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.next_review_due == timezone.localdate() + dt.timedelta(weeks=8)

    # 5. Then the family is asked: is this working for you?
    expect(page.get_by_role("heading", name="Is this working for you?")).to_be_visible()
    page.get_by_label("A parent or carer").check()
    page.get_by_label("They agreed their words may be shown").check()
    page.get_by_role("button", name="Record feedback").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "meeting-review-feedback-errors")
    page.get_by_label("Partly").check()
    page.get_by_label("What they said, in their own words").fill("Mondays are better now.")
    page.get_by_role("button", name="Record feedback").click()
    expect(page.get_by_text("Family feedback recorded.")).to_be_visible()
    expect(page.get_by_text("Family feedback recorded (1)")).to_be_visible()
    feedback = FamilyFeedback.objects.get()
    assert (feedback.answer, feedback.may_quote) == ("partly", True)


@pytest.fixture
def meeting_in_an_hour(journey_case: Case) -> Meeting:
    """A meeting the lead has arranged, for the tests of what meeting mode keeps on the
    device (arranging one is the journey test above)."""
    return schedule_meeting(
        journey_case,
        by=User.objects.get(email="lead@demo.tac.example"),
        kind=Meeting.Kind.INITIAL,
        starts_at=timezone.now() + dt.timedelta(hours=1),
        members=list(journey_case.memberships.active()),
    )


def test_text_typed_before_the_laptop_closed_is_restored_and_saved(
    page: Any,
    meeting_in_an_hour: Meeting,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    meeting = meeting_in_an_hour
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/meetings/{meeting.pk}/run/")
    label = "The family's views, in their own words"

    page.get_by_label(label).fill("Typed just before the lid closed")
    kept = page.wait_for_function(
        "() => Object.keys(localStorage).filter(k => k.startsWith('tac-draft:'))"
        ".map(k => localStorage.getItem(k))[0]"
    ).json_value()
    assert "lid" not in kept  # sealed: the browser's storage never holds the text
    page.reload()  # before the autosave fired

    expect(page.get_by_label(label)).to_have_value("Typed just before the lid closed")
    autosaved(page, label)
    meeting.refresh_from_db()
    assert meeting.family_views == "Typed just before the lid closed"
    check_page(page, "meeting-mode-restored")


def test_signing_out_warns_of_unsaved_notes_then_clears_them_from_the_device(
    page: Any,
    meeting_in_an_hour: Meeting,
    sign_in: Callable[..., None],
) -> None:
    meeting = meeting_in_an_hour
    sign_in(page, "lead@demo.tac.example")
    page.goto(f"/meetings/{meeting.pk}/run/")
    label = "The family's views, in their own words"
    page.context.set_offline(True)
    page.get_by_label(label).fill("Typed with the connection down")
    expect(page.get_by_text("Not saved: check your connection")).to_be_visible()
    page.context.set_offline(False)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert").filter(has_text="have not reached the portal")).to_be_visible()
    assert page.evaluate("() => localStorage.length") == 1
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("() => localStorage.length") == 0
    meeting.refresh_from_db()
    assert meeting.family_views == ""
