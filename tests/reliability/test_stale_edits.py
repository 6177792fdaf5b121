"""Every edit of an existing record carries the version its editor saw: no lost updates.

For each editable record: two people open the edit form (version N); one saves; the
other's save, now stale, comes back (200) with "What it says now" beside "What you
wrote", nothing written, and what they typed kept in the form. Sending that page's form
again, with the version it now carries, saves it. The forms are read from the pages
themselves (``form_on``), so what is sent is what a browser would send.

Covered edit forms:

- the next review date (the case's ``seen_due``), why a review or an action is late
  (the reason the page showed, ``seen``);
- a child's details, the family's details, an adult in the family;
- a TAC member's role and involvement, ending a member's place;
- handing the lead to someone else (the lead's assignment the page showed);
- an action: its progress, its due date and owner, cancelling it;
- an outcome's review;
- moving a meeting, cancelling a meeting, a reply to an invitation (refused in words:
  a one-choice form in a row of the meeting page);
- a webhook subscription's address and events;
- a redaction decision in a subject access request;

and, in the browser from sign-in, two people changing a child's details at once.

Typed live and saved field by field, with a conflict shown beside the field (their text,
and "Save my text instead of theirs"): an assessment's sections
(tests/assessments/test_saving_and_conflicts.py) and meeting mode's record of the meeting
(tests/meetings/test_meeting_mode.py). Which forms are edits, and which are not, is
checked in test_every_edit_form_is_versioned.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, User
from cases.models import Case, FamilyMember, TACRole
from cases.services.handover import HANDOVER_BASES, HANDOVER_REASONS
from cases.services.teams import add_professional_to_team
from disclosures import services as disclosure_services
from disclosures.models import Redaction, SubjectAccessRequest
from meetings.models import Action, Meeting
from meetings.services.contributions import add_contribution
from meetings.services.plan import Owner, add_action, add_outcome
from meetings.services.scheduling import schedule_meeting
from notifications.services import set_notification_preference
from tests.helpers import PASSWORD, active_leads, client_for, date_fields
from tests.webhooks.conftest import make_partner_client
from webhooks.services import create_subscription

pytestmark = pytest.mark.django_db

PANEL = "What it says now"


class _Forms(HTMLParser):
    """The post forms on a page, each as the fields a browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.actions: list[str] = []
        self._form: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def _put(self, name: str, value: str) -> None:
        assert self._form is not None
        self._form.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
            self.actions.append(a.get("action", ""))
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            default = "on" if kind in ("radio", "checkbox") else ""
            self._put(a["name"], a.get("value", default))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._put(a["name"], "")
        elif tag == "select":
            self._select, self._first_option = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._put(self._select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None and self._form is not None:
            # A browser drops the newline that starts a textarea's content.
            text = self._form[self._textarea][-1]
            self._form[self._textarea][-1] = text.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if self._select not in self._form and self._first_option is not None:
                self._put(self._select, self._first_option)
            self._select = None
        elif tag == "form":
            self._form = None


def form_on(page: str, key: str = "version") -> dict[str, Any]:
    """The fields of the post form on ``page`` that carries the hidden ``key``."""
    parser = _Forms()
    parser.feed(page)
    for found in parser.forms:
        if key in found:
            return {k: v[0] if len(v) == 1 else v for k, v in found.items()}
    raise AssertionError(f"no form with {key} on the page")


def form_posting_to(page: str, url: str) -> dict[str, Any]:
    """The fields of the post form on ``page`` sent to ``url`` (a page of many forms)."""
    parser = _Forms()
    parser.feed(page)
    for action, found in zip(parser.actions, parser.forms, strict=True):
        if action == url:
            return {k: v[0] if len(v) == 1 else v for k, v in found.items()}
    raise AssertionError(f"no form posting to {url} on the page")


def body(response: Any) -> str:
    return str(response.content.decode())


def problems(response: Any) -> str:
    """The error messages on a page that should not have any (for a failing assertion)."""
    return (
        " | ".join(re.findall(r'<a href="#[^"]*">([^<]*)</a>', body(response)))
        or body(response)[:3000]
    )


def refused_then_saved(
    url: str,
    *,
    me: Client,
    them: Client,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    read: Callable[[], Any],
    key: str = "version",
    shows: tuple[str, ...] = (),
) -> str:
    """Two people edit the record at ``url``; returns the page that refused the stale save.

    ``read()`` is what the record says: theirs after their save, still theirs after the
    stale one, mine after mine is sent again from the refusal page.
    """
    my_form = form_on(body(me.get(url)), key)
    their_form = form_on(body(them.get(url)), key)
    assert my_form[key] == their_form[key]
    before = read()
    saved = them.post(url, {**their_form, **theirs})
    assert saved.status_code == 302, problems(saved)
    after_theirs = read()
    assert after_theirs != before

    refused = me.post(url, {**my_form, **mine})
    page = body(refused)
    assert refused.status_code == 200, page
    assert PANEL in page
    assert "What you wrote" in page
    for text in shows:
        assert text in page, text
    assert read() == after_theirs  # nothing written

    kept = form_on(page, key)
    assert kept[key] != my_form[key]  # the version now shown
    for name, value in mine.items():
        if name != key:
            assert kept.get(name) == value, name  # what they typed is kept
    again = me.post(url, kept)
    assert again.status_code == 302, problems(again)
    mine_saved = read()
    assert mine_saved not in (before, after_theirs)
    return page


# --- The case ---------------------------------------------------------------------------


def test_review_date(case: Case, lead_client: Client, manager_client: Client) -> None:
    today = timezone.localdate()
    theirs, mine = today + dt.timedelta(days=20), today + dt.timedelta(days=30)

    def due() -> dt.date | None:
        case.refresh_from_db()
        return case.next_review_due

    refused_then_saved(
        reverse("cases:review_date", args=[case.pk]),
        me=lead_client,
        them=manager_client,
        mine={**date_fields("next_review_due", mine), "reason": "The family asked to move it"},
        theirs={**date_fields("next_review_due", theirs), "reason": "Holidays"},
        read=due,
        key="seen_due",
        shows=(f"{theirs:%-d %B %Y}", f"{mine:%-d %B %Y}"),
    )
    assert due() == mine


def test_why_a_review_is_late(case: Case, lead_client: Client, manager_client: Client) -> None:
    Case.objects.filter(pk=case.pk).update(
        next_review_due=timezone.localdate() - dt.timedelta(days=5)
    )

    def read() -> str:
        case.refresh_from_db()
        return case.review_late_reason

    refused_then_saved(
        reverse("dashboards:review_late_reason", args=[case.pk]),
        me=lead_client,
        them=manager_client,
        mine={"reason": "The family asked to move the meeting"},
        theirs={"reason": "The school was closed"},
        read=read,
        key="seen",
        shows=("The family asked to move the meeting", "The school was closed"),
    )
    assert read() == "The family asked to move the meeting"


def test_why_an_action_is_late(
    case: Case, lead: User, member: User, lead_client: Client, manager_client: Client
) -> None:
    action = _action(case, lead, member)
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))

    def read() -> str:
        action.refresh_from_db()
        return action.late_reason

    refused_then_saved(
        reverse("dashboards:action_late_reason", args=[action.pk]),
        me=lead_client,
        them=manager_client,
        mine={"reason": "Waiting for the school nurse"},
        theirs={"reason": "Mum was ill"},
        read=read,
        key="seen",
        shows=("Waiting for the school nurse", "Mum was ill"),
    )


def test_child_details(case: Case, lead_client: Client, member_client: Client) -> None:
    child = case.children.get()

    def read() -> tuple[str, str]:
        child.refresh_from_db()
        return (child.first_language, child.sex)

    page = refused_then_saved(
        reverse("cases:child_details", args=[case.pk, child.pk]),
        me=lead_client,
        them=member_client,
        mine={"first_language": "Polish", "sex": "female", "reason": ""},
        theirs={"first_language": "Welsh", "sex": "unknown", "reason": ""},
        read=read,
        shows=("Welsh", "Polish", "First language"),
    )
    assert read() == ("Polish", "female")
    assert ("Female" in page and "Not known" in page) or "Unknown" in page  # choice labels


def test_family_details(case: Case, lead_client: Client, member_client: Client) -> None:
    family = case.family
    url = reverse("cases:family_details", args=[case.pk])
    form = form_on(body(lead_client.get(url)))
    text_fields = [
        n
        for n, v in form.items()
        if isinstance(v, str) and n not in ("version", "csrfmiddlewaretoken", "reason")
    ]
    name = next(n for n in text_fields if n in ("name", "household_name", "display_name"))

    def read() -> str:
        family.refresh_from_db()
        return str(getattr(family, name))

    refused_then_saved(
        url,
        me=lead_client,
        them=member_client,
        mine={name: "The Fairweather household"},
        theirs={name: "Fairweather family"},
        read=read,
        shows=("The Fairweather household", "Fairweather family"),
    )


def test_an_adult_in_the_family(
    case: Case, family_member: FamilyMember, lead_client: Client, member_client: Client
) -> None:
    def read() -> str:
        family_member.refresh_from_db()
        return family_member.given_names

    refused_then_saved(
        reverse("cases:change_adult", args=[case.pk, family_member.pk]),
        me=lead_client,
        them=member_client,
        mine={"given_names": "Patricia", "reason": "Her full name"},
        theirs={"given_names": "Patsy", "reason": "What she is called"},
        read=read,
        shows=("Patricia", "Patsy"),
    )


def test_a_members_role(
    case: Case, member: User, lead_client: Client, manager_client: Client
) -> None:
    membership = case.memberships.active().get(professional=member)

    def read() -> str:
        membership.refresh_from_db()
        return membership.role

    refused_then_saved(
        reverse("cases:team_member_role", args=[case.pk, membership.pk]),
        me=lead_client,
        them=manager_client,
        mine={"role": TACRole.OBSERVER},
        theirs={"role": TACRole.NOTE_TAKER},
        read=read,
        shows=(TACRole.OBSERVER.label, TACRole.NOTE_TAKER.label),
    )


def test_moving_a_case_on_twice(
    make_case: Callable[..., Case], lead_client: Client, manager_client: Client
) -> None:
    """A stage's move is named by the stage it leaves: taken once, the second is refused."""
    case = make_case(status=Case.Status.ACTIVE)
    url = reverse("cases:stage", args=[case.pk, Case.Status.CLOSING])
    mine = form_on(body(lead_client.get(url)), "note")
    theirs = form_on(body(manager_client.get(url)), "note")
    assert manager_client.post(url, {**theirs, "note": "Agreed at the review"}).status_code == 302
    events = case.events.count()
    again = lead_client.post(url, {**mine, "note": "Agreed with Mum"}, follow=True)
    assert "This case is now" in body(again)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSING
    assert case.events.count() == events


def test_handing_over_the_lead(
    case: Case,
    member: User,
    member_manager: User,
    lead: User,
    manager_client: Client,
    coordinator_client: Client,
) -> None:
    add_professional_to_team(case, professional=member_manager, by=lead)
    chosen = {
        "basis": HANDOVER_BASES[0][0],
        "reason": HANDOVER_REASONS[0][0],
        "note": "Handover note",
        "family_consulted": "yes",
        "family_note": "",
    }

    def read() -> int:
        return int(active_leads(case)[0].professional_id)

    refused_then_saved(
        reverse("cases:lead_handover", args=[case.pk]),
        me=coordinator_client,
        them=manager_client,
        mine={**chosen, "to": str(member_manager.pk)},
        theirs={**chosen, "to": str(member.pk)},
        read=read,
        key="expected_assignment",
        shows=(member.full_name, member_manager.full_name),
    )
    assert read() == member_manager.pk


# --- The plan ---------------------------------------------------------------------------


def _action(case: Case, lead: User, member: User) -> Action:
    school = case.memberships.active().get(professional=member)
    return add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )


def test_an_actions_progress(
    case: Case, lead: User, member: User, lead_client: Client, member_client: Client
) -> None:
    action = _action(case, lead, member)

    def read() -> str:
        action.refresh_from_db()
        return action.status

    refused_then_saved(
        reverse("meetings:update_action", args=[action.pk]),
        me=member_client,
        them=lead_client,
        mine={"status": Action.Status.DONE, "progress_note": "Plan agreed with Mum"},
        theirs={"status": Action.Status.IN_PROGRESS, "progress_note": "Started"},
        read=read,
        shows=("Plan agreed with Mum",),
    )
    assert read() == Action.Status.DONE


def test_an_actions_due_date_and_owner(
    case: Case, lead: User, member: User, lead_client: Client, manager_client: Client
) -> None:
    action = _action(case, lead, member)
    today = timezone.localdate()

    def read() -> dt.date:
        action.refresh_from_db()
        return action.due_on

    refused_then_saved(
        reverse("meetings:change_action", args=[action.pk]),
        me=lead_client,
        them=manager_client,
        mine={**date_fields("due_on", today + dt.timedelta(days=20)), "reason": "After half term"},
        theirs={**date_fields("due_on", today + dt.timedelta(days=10)), "reason": "Sooner"},
        read=read,
        shows=("After half term", f"{today + dt.timedelta(days=10):%-d %B %Y}"),
    )
    assert read() == today + dt.timedelta(days=20)


def test_cancelling_an_action(
    case: Case, lead: User, member: User, lead_client: Client, manager_client: Client
) -> None:
    action = _action(case, lead, member)
    today = timezone.localdate()
    url = reverse("meetings:change_action", args=[action.pk])
    cancel_url = reverse("meetings:cancel_action", args=[action.pk])
    mine = form_on(body(lead_client.get(url)), "cancel-version")
    theirs = form_on(body(manager_client.get(url)))
    moved = manager_client.post(url, {**theirs, **date_fields("due_on", today + dt.timedelta(9))})
    assert moved.status_code == 302
    refused = lead_client.post(cancel_url, {**mine, "cancel-reason": "Done another way"})
    page = body(refused)
    assert refused.status_code == 200
    assert PANEL in page or "Someone" in page
    action.refresh_from_db()
    assert action.is_open
    kept = form_on(page, "cancel-version")
    assert kept["cancel-reason"] == "Done another way"
    assert kept["cancel-version"] == str(action.version)
    assert lead_client.post(cancel_url, kept).status_code == 302
    action.refresh_from_db()
    assert not action.is_open


def test_an_outcomes_review(
    case: Case, lead: User, lead_client: Client, manager_client: Client
) -> None:
    outcome = add_outcome(case, by=lead, statement="Mornings are calm", baseline_scale=2)

    def read() -> tuple[str, int | None]:
        outcome.refresh_from_db()
        return (outcome.status, outcome.current_scale)

    refused_then_saved(
        reverse("meetings:review_outcome", args=[outcome.pk]),
        me=lead_client,
        them=manager_client,
        mine={"status": "achieved", "current_scale": "9", "note": "Mum says mornings are easy"},
        theirs={"status": "partly_achieved", "current_scale": "5", "note": "Some better days"},
        read=read,
        shows=("Mum says mornings are easy", "Some better days", "Partly achieved"),
    )
    assert read() == ("achieved", 9)


# --- Meetings ---------------------------------------------------------------------------


def _meeting(case: Case, lead: User, *, chair: User | None = None) -> Meeting:
    day = timezone.localdate() + dt.timedelta(days=7)
    starts = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    return schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.INITIAL,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        location="Riverside Primary School, room 2",
        members=list(case.memberships.active()),
        chair=chair,
    )


def test_moving_a_meeting(
    case: Case, lead: User, lead_client: Client, manager_client: Client
) -> None:
    meeting = _meeting(case, lead)

    def read() -> str:
        meeting.refresh_from_db()
        return meeting.location

    refused_then_saved(
        reverse("meetings:reschedule", args=[meeting.pk]),
        me=lead_client,
        them=manager_client,
        mine={"location": "Family centre, room 1", "starts": "14:00", "ends": "15:00"},
        theirs={"location": "Riverside Primary School, hall", "starts": "09:30"},
        read=read,
        shows=("Family centre, room 1", "Riverside Primary School, hall", "09:30", "14:00"),
    )
    assert timezone.localtime(meeting.starts_at).time() == dt.time(14)


def test_cancelling_a_meeting(
    case: Case, lead: User, lead_client: Client, manager_client: Client
) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:cancel", args=[meeting.pk])
    mine = form_on(body(lead_client.get(url)))
    moved = manager_client.post(
        reverse("meetings:reschedule", args=[meeting.pk]),
        {
            **form_on(body(manager_client.get(reverse("meetings:reschedule", args=[meeting.pk])))),
            "location": "Family centre",
        },
    )
    assert moved.status_code == 302
    refused = lead_client.post(url, {**mine, "reason": "The family moved away"})
    page = body(refused)
    assert refused.status_code == 200
    assert "Someone" in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    kept = form_on(page)
    assert kept["reason"] == "The family moved away"
    assert lead_client.post(url, kept).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


# --- Meeting mode: one page, a form for each part of the record -------------------------


def refused_in_meeting_mode(
    meeting: Meeting,
    url: str,
    *,
    me: Client,
    them: Client,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    read: Callable[[], Any],
) -> str:
    """Both open meeting mode; they save first, my save from the older page is refused
    and nothing is written; sent again from the refusal page, mine is saved. Returns the
    refusal page."""
    run = reverse("meetings:run", args=[meeting.pk])
    my_form = form_posting_to(body(me.get(run)), url)
    their_form = form_posting_to(body(them.get(run)), url)
    before = read()
    saved = them.post(url, {**their_form, **theirs})
    assert saved.status_code == 302, problems(saved)
    after_theirs = read()
    assert after_theirs != before

    refused = me.post(url, {**my_form, **mine})
    page = body(refused)
    assert refused.status_code == 200, page
    assert "since you opened" in page
    assert read() == after_theirs  # nothing written

    kept = {**form_posting_to(page, url), **mine}
    again = me.post(url, kept)
    assert again.status_code == 302, problems(again)
    assert read() not in (before, after_theirs)
    return page


def test_meeting_mode_the_next_review_date(
    case: Case, lead: User, lead_client: Client, manager_client: Client
) -> None:
    meeting = _meeting(case, lead)
    start = timezone.localtime(meeting.starts_at).date()
    theirs, mine = start + dt.timedelta(days=40), start + dt.timedelta(days=60)

    def read() -> dt.date | None:
        meeting.refresh_from_db()
        return meeting.next_review_on

    page = refused_in_meeting_mode(
        meeting,
        reverse("meetings:next_review", args=[meeting.pk]),
        me=lead_client,
        them=manager_client,
        mine=date_fields("next_review_on", mine),
        theirs=date_fields("next_review_on", theirs),
        read=read,
    )
    assert PANEL in page
    assert f"{theirs:%-d %B %Y}" in page
    assert read() == mine


def test_meeting_mode_the_agreed_lead(
    case: Case, lead: User, member: User, lead_client: Client, manager_client: Client
) -> None:
    # The lead chairs, so still runs the meeting once someone else is agreed as lead.
    meeting = _meeting(case, lead, chair=lead)

    def read() -> tuple[int, str]:
        agreed = case.lead_assignments.active().get()
        return agreed.professional_id, agreed.family_preference

    page = refused_in_meeting_mode(
        meeting,
        reverse("meetings:agree_lead", args=[meeting.pk]),
        me=lead_client,
        them=manager_client,
        mine={"professional": str(lead.pk), "family_preference": "Whoever Mum knows"},
        theirs={"professional": str(member.pk), "family_preference": "The school"},
        read=read,
    )
    assert PANEL in page
    assert "Whoever Mum knows" in page  # what was typed is kept
    assert read() == (lead.pk, "Whoever Mum knows")


def test_meeting_mode_who_attended(
    case: Case, lead: User, lead_client: Client, manager_client: Client
) -> None:
    meeting = _meeting(case, lead)
    invitation = meeting.invitations.order_by("pk").first()
    assert invitation is not None

    def read() -> str:
        invitation.refresh_from_db()
        return invitation.attendance

    page = refused_in_meeting_mode(
        meeting,
        reverse("meetings:attendance", args=[meeting.pk, invitation.pk]),
        me=manager_client,
        them=lead_client,
        mine={"attendance": "apologies"},
        theirs={"attendance": "attended"},
        read=read,
    )
    assert "as &#x27;Attended&#x27;" in page or "as 'Attended'" in page
    assert read() == "apologies"


def test_meeting_mode_reviewing_an_earlier_action(
    case: Case, lead: User, member: User, lead_client: Client, manager_client: Client
) -> None:
    action = _action(case, lead, member)
    meeting = _meeting(case, lead)

    def read() -> tuple[str, int]:
        action.refresh_from_db()
        return action.status, action.updates.count()

    page = refused_in_meeting_mode(
        meeting,
        reverse("meetings:review_action", args=[meeting.pk, action.pk]),
        me=manager_client,
        them=lead_client,
        mine={"status": Action.Status.DONE, "note": "Finished last week"},
        theirs={"status": Action.Status.CARRIED_FORWARD, "note": "Half done"},
        read=read,
    )
    assert PANEL in page
    assert "Finished last week" in page
    assert read() == (Action.Status.DONE, 2)


def test_ending_a_members_place(
    case: Case, member: User, lead_client: Client, manager_client: Client
) -> None:
    membership = case.memberships.active().get(professional=member)
    role_url = reverse("cases:team_member_role", args=[case.pk, membership.pk])
    url = reverse("cases:team_member_end", args=[case.pk, membership.pk])
    mine = form_on(body(lead_client.get(url)))
    theirs = form_on(body(manager_client.get(role_url)))
    assert manager_client.post(role_url, {**theirs, "role": TACRole.NOTE_TAKER}).status_code == 302
    refused = lead_client.post(url, {**mine, "reason": "Their work with the family is done"})
    page = body(refused)
    assert refused.status_code == 200
    assert "Someone else saved a change" in page
    assert case.memberships.active().filter(pk=membership.pk).exists()
    kept = form_on(page)
    assert kept["reason"] == "Their work with the family is done"
    assert lead_client.post(url, kept).status_code == 302
    assert not case.memberships.active().filter(pk=membership.pk).exists()


def test_a_reply_to_an_invitation(
    case: Case, lead: User, member: User, member_client: Client, lead_client: Client
) -> None:
    """A one-choice form on the meeting page: refused in words that say both replies."""
    meeting = _meeting(case, lead)
    invitation = meeting.invitations.get(professional=member)
    page = body(member_client.get(reverse("meetings:detail", args=[meeting.pk])))
    url = reverse("meetings:respond", args=[meeting.pk, invitation.pk])
    mine = form_on(page)
    # The lead records Sam's reply from the row of the table the meeting page shows.
    theirs = {"version": str(invitation.version), "response": "apologies"}
    assert lead_client.post(url, theirs).status_code == 302
    refused = member_client.post(url, {**mine, "response": "attending"}, follow=True)
    shown = body(refused).replace("&#x27;", "'")
    assert "What it says now: Sent apologies. What you sent: Attending." in shown
    invitation.refresh_from_db()
    assert invitation.response == "apologies"
    again = member_client.post(url, {**form_on(shown), "response": "attending"})
    assert again.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == "attending"


def test_ones_own_email_preferences_from_two_tabs(lead: User, lead_client: Client) -> None:
    other_tab = client_for(lead)

    def read() -> tuple[str, int]:
        chosen = lead.notification_preference
        chosen.refresh_from_db()
        return chosen.email_frequency, chosen.digest_hour

    set_notification_preference(lead, email_frequency="immediate", digest_hour=8)
    refused_then_saved(
        reverse("notifications:preferences"),
        me=lead_client,
        them=other_tab,
        mine={"email_frequency": "daily_digest", "digest_hour": "17"},
        theirs={"email_frequency": "daily_digest", "digest_hour": "7"},
        read=read,
        key="seen",
        shows=("07:00", "17:00"),
    )
    assert read() == ("daily_digest", 17)


def test_a_webhook_subscription(early_help_agency: Agency, school_agency: Agency) -> None:
    partner = make_partner_client(
        school_agency, name="Riverside Primary School MIS", client_id="riverside-mis"
    )
    admins = [
        User.objects.create_user(
            f"admin{n}@northgate.example",
            PASSWORD,
            full_name=f"Admin {n}",
            role=User.Role.SYSTEM_ADMINISTRATOR,
            agency=early_help_agency,
        )
        for n in (1, 2)
    ]
    subscription = create_subscription(
        partner, url="https://mis.example/hooks", event_types=["case.closed"], by=admins[0]
    )

    def read() -> str:
        subscription.refresh_from_db()
        return subscription.url

    refused_then_saved(
        reverse("webhooks:change", args=[subscription.pk]),
        me=client_for(admins[0]),
        them=client_for(admins[1]),
        mine={"url": "https://mis.example/new-hooks"},
        theirs={"url": "https://mis.example/other-hooks"},
        read=read,
        shows=("https://mis.example/new-hooks", "https://mis.example/other-hooks"),
    )
    assert read() == "https://mis.example/new-hooks"


def test_a_redaction(case: Case, lead: User, auditor: User, early_help_agency: Agency) -> None:
    FamilyMember.objects.create(
        family=case.family,
        given_names="Morgan",
        family_name="Fairweather",
        relationship=FamilyMember.Relationship.SIBLING,
    )
    sar = disclosure_services.log_subject_access_request(
        case.children.get(),
        by=auditor,
        requester_name="Robin Requester",
        requester_relationship=SubjectAccessRequest.RequesterRelationship.PARENT,
        received_on=timezone.localdate() - dt.timedelta(days=3),
    )
    add_contribution(case, by=lead, body="Morgan Fairweather helps at home.")
    disclosure_services.search_for_subject(sar, by=auditor)
    flag = Redaction.objects.get(item__request=sar, term="Morgan Fairweather")
    second = User.objects.create_user(
        "iggy.governance@northgate.example",
        PASSWORD,
        full_name="Iggy Governance",
        role=User.Role.INFORMATION_GOVERNANCE,
        agency=early_help_agency,
    )

    def read() -> tuple[bool, str]:
        flag.refresh_from_db()
        return (flag.redacted, flag.decision_reason)

    page = refused_then_saved(
        reverse("disclosures:redaction", args=[flag.pk]),
        me=client_for(auditor),
        them=client_for(second),
        mine={"redacted": "yes", "reason": "A third party"},
        theirs={"redacted": "no", "reason": "Agreed with the family"},
        read=read,
        shows=("A third party", "Agreed with the family"),
    )
    assert "Disclose it" in page
    assert read() == (True, "A third party")


# --- In the browser ---------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_people_change_a_childs_details_at_once(
    browser: Any,
    live_server: Any,
    case: Case,
    lead: User,
    member: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    """Lena (the lead) and Sam (the school) open the child's details together; Sam saves
    first. Lena's save is refused with both versions shown, her typing kept; she saves
    again, having read it, and hers is kept."""
    child = case.children.get()
    url = reverse("cases:child_details", args=[case.pk, child.pk])
    pages = []
    for user in (lead, member):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(15_000)
        page = context.new_page()
        sign_in(page, user.email)
        page.goto(url)
        pages.append(page)
    lena, sam = pages

    sam.get_by_label("First language (optional)").fill("Welsh")
    sam.get_by_role("button", name="Save the changes").click()
    expect(sam.get_by_role("heading", level=1)).not_to_have_text("Change")

    lena.get_by_label("First language (optional)").fill("Polish")
    lena.get_by_role("button", name="Save the changes").click()
    expect(lena.locator(".govuk-error-summary")).to_be_visible()
    panel = lena.get_by_role("region", name="What it says now and what you wrote")
    expect(panel).to_be_visible()
    row = panel.get_by_role("row", name="First language")
    expect(row).to_contain_text("Welsh")
    expect(row).to_contain_text("Polish")
    expect(lena.get_by_label("First language (optional)")).to_have_value("Polish")
    expect(panel.get_by_role("row", name="Address")).to_have_count(0)  # the same in both
    check_page(lena, "stale-edit-child-details")
    child.refresh_from_db()
    assert child.first_language == "Welsh"

    lena.get_by_role("button", name="Save the changes").click()
    expect(lena.locator(".govuk-error-summary")).to_have_count(0)
    child.refresh_from_db()
    assert child.first_language == "Polish"
    for page in pages:
        page.context.close()
