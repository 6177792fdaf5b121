from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent, RecordAccess, TeamMembership
from meetings.models import (
    Action,
    Contribution,
    FamilyFeedback,
    Invitation,
    Meeting,
    Review,
)
from meetings.services.contributions import add_contribution, record_case_discussion
from meetings.services.meeting_mode import add_decision, add_dissent, save_invitation_update
from meetings.services.plan import Owner, add_action, add_outcome, update_action
from meetings.services.reviews import record_family_feedback, record_review_without_meeting
from notifications.models import EmailOutbox
from tests.helpers import client_for, date_fields

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_lead_schedules_a_meeting_from_the_form(
    case: Case, lead_client: Client, parent: TeamMembership, member: User
) -> None:
    day = timezone.localdate() + dt.timedelta(days=5)
    school = case.memberships.active().get(professional=member)
    response = lead_client.post(
        reverse("meetings:schedule", args=[case.pk]),
        {
            "kind": "initial",
            **date_fields("day", day),
            "starts": "10:00",
            "ends": "11:00",
            "mode": "in_person",
            "location": "Riverside Primary School",
            "members": [school.pk, parent.pk],
            "externals": "Alex Advocate, Demo Advocacy, alex@adv.example",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.invitations.count() == 3
    assert EmailOutbox.objects.count() == 3
    # Arranging the meeting used the case's record: its child is logged once.
    assert RecordAccess.objects.filter(case_id=case.pk).count() == 1


def test_bad_input_keeps_what_was_typed_and_writes_nothing(case: Case, lead_client: Client) -> None:
    response = lead_client.post(
        reverse("meetings:schedule", args=[case.pk]),
        {
            "kind": "review",
            **date_fields("day", timezone.localdate() + dt.timedelta(days=5)),
            "starts": "10:00",
            "ends": "09:00",
            "mode": "video",
            "location": "Video link to follow",
            "externals": "Just a name",
            "professionals_only": "on",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The meeting must end after it starts." in body
    assert "Line 1: write the name, agency and email" in body
    assert "Video link to follow" in body
    assert "govuk-error-summary" in body
    assert not Meeting.objects.exists()


def test_meeting_mode_answers_htmx_with_the_section(
    case: Case, lead: User, lead_client: Client, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    response = lead_client.post(
        reverse("meetings:add_decision", args=[meeting.pk]),
        {"text": "Refer to CAMHS"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="decisions"')
    assert "Refer to CAMHS" in body
    assert "<html" not in body


def test_a_bad_action_comes_back_with_field_errors(
    case: Case, lead_client: Client, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    response = lead_client.post(
        reverse("meetings:add_action", args=[meeting.pk]),
        {"description": "Walk to school together", "owner": "", "due_on": ""},
        headers=HTMX,
    )
    body = response.content.decode()
    assert 'id="plan"' in body
    assert "Walk to school together" in body
    assert "govuk-error-message" in body
    assert not Action.objects.exists()


def test_autosave_over_http_reports_a_conflict_and_keeps_both(
    case: Case, lead: User, lead_client: Client, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    url = reverse("meetings:autosave", args=[meeting.pk, "family_views"])
    first = lead_client.post(url, {"text": "Mum: things are better", "version": "0"}, headers=HTMX)
    assert "Saved" in first.content.decode()
    assert 'value="1"' in first.content.decode()  # the new version, swapped out of band

    stale = lead_client.post(url, {"text": "Dad: not sure", "version": "0"}, headers=HTMX)

    body = stale.content.decode()
    assert "Not saved" in body
    assert "Mum: things are better" in body
    meeting.refresh_from_db()
    assert meeting.family_views == "Mum: things are better"
    forced = lead_client.post(
        url, {"text": "Dad: not sure", "version": "0", "confirm_version": "1"}, headers=HTMX
    )
    assert "Saved" in forced.content.decode()
    meeting.refresh_from_db()
    assert meeting.family_views == "Dad: not sure"


def test_autosave_rejects_unknown_fields(
    case: Case, lead_client: Client, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    response = lead_client.post(
        reverse("meetings:autosave", args=[meeting.pk, "cancelled_reason"]),
        {"text": "x", "version": "0"},
        headers=HTMX,
    )
    assert "cannot be typed in" in response.content.decode()


def test_the_owner_marks_their_action_done_from_my_work(
    case: Case, lead: User, member: User, member_client: Client
) -> None:
    school = case.memberships.active().get(professional=member)
    action = add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    my_work = member_client.get(reverse("cases:my_cases")).content.decode()
    assert "Actions I own: due and overdue" in my_work
    assert reverse("meetings:update_action", args=[action.pk]) in my_work

    response = member_client.post(
        reverse("meetings:update_action", args=[action.pk]),
        {"status": "done", "progress_note": "Plan agreed with Mum", "version": "1"},
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_a_stale_action_update_is_refused(
    case: Case, lead: User, member: User, member_client: Client
) -> None:
    school = case.memberships.active().get(professional=member)
    action = add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    update_action(action, by=lead, progress_note="Lead's note")
    response = member_client.post(
        reverse("meetings:update_action", args=[action.pk]),
        {"status": "done", "progress_note": "My note", "version": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone updated this action" in body
    assert "My note" in body
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED


def test_review_without_a_meeting_over_http(case: Case, lead_client: Client) -> None:
    url = reverse("meetings:review", args=[case.pk])
    missing = lead_client.post(url, {"parent_views": "Calmer at home"})
    assert missing.status_code == 200
    assert "Record the child" in missing.content.decode()
    assert "Calmer at home" in missing.content.decode()
    done = lead_client.post(url, {"parent_views": "Calmer", "child_views": "I sleep better"})
    review = Review.objects.get()
    assert review.child_views == "I sleep better"
    # Next: ask the family whether this is working for them.
    assert done.status_code == 302
    assert done["Location"] == reverse("meetings:feedback", args=[case.pk, review.pk])


def test_the_lead_records_family_feedback_from_the_form(
    case: Case, lead: User, lead_client: Client
) -> None:
    review = record_review_without_meeting(case, by=lead, child_views="ok", parent_views="ok")
    url = reverse("meetings:feedback", args=[case.pk, review.pk])
    assert "Is this working for you?" in lead_client.get(url).content.decode()

    bad = lead_client.post(url, {"given_by": "child", "may_quote": "on"})
    page = bad.content.decode()
    assert bad.status_code == 200
    assert "Choose the family" in page
    assert "There are no words to quote" in page
    assert not FamilyFeedback.objects.exists()

    done = lead_client.post(
        url, {"given_by": "child", "answer": "working", "in_their_words": "Jo listens to me"}
    )
    assert done.status_code == 302
    feedback = FamilyFeedback.objects.get()
    assert (feedback.answer, feedback.may_quote) == ("working", False)
    case_page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Family feedback recorded (1)" in case_page


def test_family_feedback_is_for_this_cases_reviews_and_its_managers(
    case: Case, lead: User, member: User, make_case: Callable[..., Case]
) -> None:
    review = record_review_without_meeting(case, by=lead, child_views="ok", parent_views="ok")
    other = make_case()
    wrong_case = reverse("meetings:feedback", args=[other.pk, review.pk])
    assert client_for(lead).get(wrong_case).status_code == 404
    url = reverse("meetings:feedback", args=[case.pk, review.pk])
    refused = client_for(member).post(url, {"given_by": "child", "answer": "working"})
    assert refused.status_code == 403
    assert not FamilyFeedback.objects.exists()


def test_the_family_copy_leaves_out_dissent(
    case: Case, lead: User, member: User, lead_client: Client, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    decision = add_decision(meeting, by=lead, text="Referral to the parenting course")
    invitation = Invitation.objects.get(meeting=meeting, professional=member)
    add_dissent(decision, by=lead, invitation=invitation, text="Exams clash")
    add_outcome(case, by=lead, meeting=meeting, statement="Calmer mornings")

    copy = lead_client.get(reverse("meetings:family_copy", args=[meeting.pk])).content.decode()
    record = lead_client.get(reverse("meetings:detail", args=[meeting.pk]))

    assert "Referral to the parenting course" in copy
    assert "Calmer mornings" in copy
    assert "Exams clash" not in copy
    assert "differently" not in copy
    assert record.status_code == 200


def test_contributions_show_in_one_feed_on_the_case_page(
    case: Case, lead: User, member: User, member_client: Client
) -> None:
    response = member_client.post(
        reverse("meetings:contribute", args=[case.pk]), {"body": "Attendance up to 95%"}
    )
    assert response.status_code == 302
    add_contribution(case, by=lead, body="Home visit went well")
    page = member_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert page.index("Home visit went well") < page.index("Attendance up to 95%")
    assert "Designated safeguarding lead, Riverside Primary School" in page
    assert Contribution.objects.count() == 2


def test_a_discussion_is_invisible_to_non_participants(
    case: Case, lead: User, member_client: Client, lead_client: Client
) -> None:
    discussion = record_case_discussion(
        case, by=lead, held_on=timezone.localdate(), question="What keeps Dad away?"
    )
    url = reverse("meetings:discussion", args=[discussion.pk])
    assert member_client.get(url).status_code == 404
    assert "What keeps Dad away?" in lead_client.get(url).content.decode()
    case_page = member_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url not in case_page


def test_pages_run_a_fixed_number_of_queries(
    case: Case,
    lead: User,
    member: User,
    lead_client: Client,
    member_client: Client,
    parent: TeamMembership,
    schedule: Callable[..., Meeting],
) -> None:
    """The same number of queries with one row of everything as with twelve."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    school = case.memberships.active().get(professional=member)
    meeting = schedule()

    def add_rows(start: int, stop: int) -> None:
        for n in range(start, stop):
            add_contribution(case, by=member, body=f"Update {n}")
            add_outcome(case, by=lead, meeting=meeting, statement=f"Outcome {n}")
            decision = add_decision(meeting, by=lead, text=f"Decision {n}")
            invitation = meeting.invitations.get(professional=member)
            add_dissent(decision, by=lead, invitation=invitation, text="Differently")
            action = add_action(
                case,
                by=lead,
                meeting=meeting if n % 2 else None,
                description=f"Action {n}",
                owner=Owner(school if n % 2 else parent),
                due_on=timezone.localdate() + dt.timedelta(days=n),
            )
            update_action(action, by=lead, progress_note=f"Note {n}")
            save_invitation_update(
                invitation, by=lead, text=f"Said {n}", version=invitation.version
            )
            schedule(days=n + 1)

    pages = [
        (reverse("cases:detail", args=[case.pk]), lead_client),
        (reverse("meetings:run", args=[meeting.pk]), lead_client),
        (reverse("meetings:detail", args=[meeting.pk]), lead_client),
        (reverse("meetings:family_copy", args=[meeting.pk]), lead_client),
        (reverse("cases:my_cases"), member_client),
    ]

    def counts() -> list[int]:
        result = []
        for url, client in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    add_rows(0, 2)
    small = counts()
    add_rows(2, 14)
    assert counts() == small


def test_the_lead_records_the_familys_reply(
    case: Case, lead_client: Client, parent: TeamMembership, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    invitation = meeting.invitations.get(family_member=parent.family_member)
    page = lead_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f"Reply from {invitation.name}" in page

    response = lead_client.post(
        reverse("meetings:respond", args=[meeting.pk, invitation.pk]), {"response": "apologies"}
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.response == Invitation.Response.APOLOGIES


def test_the_lead_reviews_an_outcome_from_the_case_page(
    case: Case, lead: User, lead_client: Client
) -> None:
    outcome = add_outcome(case, by=lead, statement="Mornings are calm", baseline_scale=2)
    case_page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("meetings:review_outcome", args=[outcome.pk])
    assert url in case_page

    bad = lead_client.post(url, {"status": "achieved", "current_scale": "12", "version": "1"})
    assert "Use a number from 0 to 10." in bad.content.decode()
    long_note = lead_client.post(url, {"status": "achieved", "note": "x" * 2001, "version": "1"})
    assert long_note.status_code == 200
    assert "at most 2000 characters" in long_note.content.decode()
    done = lead_client.post(
        url, {"status": "achieved", "current_scale": "9", "note": "y" * 400, "version": "1"}
    )

    assert done.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.status, outcome.current_scale) == ("achieved", 9)
    assert outcome.review_note == "y" * 400  # kept on the outcome, not in the chronology
    case_page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "now 9 out of 10 (was 2)" in case_page

    # A second reviewer who opened the page before that save is not silently overwritten.
    stale = lead_client.post(url, {"status": "not_achieved", "version": "1"})
    assert "Someone reviewed this outcome since you opened it" in stale.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == "achieved"


def test_error_summary_links_reach_radio_groups(
    case: Case, lead: User, lead_client: Client
) -> None:
    review = record_review_without_meeting(case, by=lead, child_views="ok", parent_views="ok")
    page = lead_client.post(
        reverse("meetings:feedback", args=[case.pk, review.pk]), {"in_their_words": ""}
    )
    html = page.content.decode()
    for field in ("given_by", "answer"):
        assert f'href="#id_{field}"' in html
        assert f'id="id_{field}"' in html  # the first option carries the field's id


def test_family_words_stop_being_quoted_when_the_family_says_so(
    case: Case, lead: User, lead_client: Client
) -> None:
    review = record_review_without_meeting(case, by=lead, child_views="ok", parent_views="ok")
    feedback = record_family_feedback(
        review, by=lead, given_by="parent", answer="working", in_their_words="Good", may_quote=True
    )
    again = record_family_feedback(
        review, by=lead, given_by="parent", answer="working", in_their_words="Good", may_quote=True
    )
    assert again == feedback  # a double submit is kept once
    url = reverse("meetings:stop_quoting_feedback", args=[case.pk, review.pk, feedback.pk])

    response = lead_client.post(url)

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert not feedback.may_quote
    assert CaseEvent.objects.filter(case=case, code="review.feedback_unquoted").exists()
    assert FamilyFeedback.objects.count() == 1


def test_a_refused_action_review_keeps_the_note_typed(
    case: Case, lead: User, member: User, lead_client: Client, schedule: Callable[..., Meeting]
) -> None:
    school = case.memberships.active().get(professional=member)
    action = add_action(
        case,
        by=lead,
        description="Walk to school together",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    meeting = schedule()
    url = reverse("meetings:review_action", args=[meeting.pk, action.pk])

    response = lead_client.post(url, {"status": "", "note": "Mornings went well"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert f'<a href="#id_status-{action.pk}">Select what happened</a>' in html
    assert f'id="id_note-{action.pk}" name="note" type="text" value="Mornings went well"' in html
