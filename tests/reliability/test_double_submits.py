"""Every form that creates something stores it once however often it is sent: one after
the other (a double click, a retry) or five at once, in threads against the database, each
with its own connection. Here: a contribution, a written update, meeting mode's actions,
outcomes, decisions and dissents, a meeting and its further invitations, a case discussion,
a review without a meeting and the family's feedback, a request for support, its triage, a
step-up, a case stepped down from social care, an assessment started, a consent, a
disclosure decision and a restriction.

(Adding a child has its own file: tests/cases/test_add_child_once.py.)
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment
from cases.models import (
    Case,
    Child,
    ConsentRecord,
    DisclosureDecision,
    FamilyMember,
    LevelOfNeed,
    ReferralSource,
    RequestForSupport,
    Restriction,
    StepDownIn,
    StepUpReferral,
)
from cases.services.requests import submit_request_for_support
from meetings.models import (
    Action,
    CaseDiscussion,
    Contribution,
    Decision,
    Dissent,
    FamilyFeedback,
    Invitation,
    Meeting,
    Outcome,
    Review,
)
from meetings.services.meeting_mode import add_decision
from meetings.services.reviews import record_review_without_meeting
from meetings.services.scheduling import schedule_meeting
from notifications.models import EmailOutbox
from tests.cases.test_episode_pages import step_down_data
from tests.cases.test_journeys import ADD, _new_child
from tests.helpers import client_for, date_fields

TOKEN = "9b2d4c6e8f0a1b3c5d7e9f1a2b3c4d5e"
HTMX = {"HX-Request": "true"}


def _at_once(count: int, send: Callable[[], int]) -> list[int]:
    """Send ``count`` requests at the same moment; their status codes."""
    start = threading.Barrier(count)
    codes: list[int] = []

    def run() -> None:
        try:
            start.wait()
            codes.append(send())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


def _meeting(case: Case, lead: User) -> Meeting:
    day = timezone.localdate() + dt.timedelta(days=3)
    zone = timezone.get_current_timezone()
    return schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.INITIAL,
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone),
        ends_at=dt.datetime.combine(day, dt.time(11), tzinfo=zone),
        location="Riverside Primary School, room 2",
        members=list(case.memberships.active()),
    )


def _action_form(case: Case, member: User, token: str = TOKEN) -> dict[str, object]:
    owner = case.memberships.active().get(professional=member)
    due = timezone.localdate() + dt.timedelta(days=30)
    return {
        "submission_token": token,
        "description": "Walk to school together each Monday",
        "owner": str(owner.pk),
        **date_fields("due_on", due),
    }


# --- One after the other ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_contribution_sent_twice_is_stored_once(case: Case, member_client: Client) -> None:
    url = reverse("meetings:contribute", args=[case.pk])
    data = {"submission_token": TOKEN, "body": "Attendance is up to 92%"}
    first = member_client.post(url, data)
    second = member_client.post(url, data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "You sent this form twice" in second.content.decode()
    assert Contribution.objects.count() == 1


@pytest.mark.django_db
def test_a_new_token_is_a_new_contribution(case: Case, member_client: Client) -> None:
    url = reverse("meetings:contribute", args=[case.pk])
    member_client.post(url, {"submission_token": TOKEN, "body": "First"})
    member_client.post(url, {"submission_token": "another", "body": "Second"})
    assert Contribution.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_contribution_can_be_corrected_and_sent_with_the_same_token(
    case: Case, member_client: Client
) -> None:
    url = reverse("meetings:contribute", args=[case.pk])
    refused = member_client.post(url, {"submission_token": TOKEN, "body": "   "})
    assert refused.status_code == 200
    sent = member_client.post(url, {"submission_token": TOKEN, "body": "Now with words"})
    assert sent.status_code == 302
    assert Contribution.objects.count() == 1


@pytest.mark.django_db
def test_a_written_update_sent_twice_is_stored_once(
    case: Case, lead: User, member_client: Client
) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:written_update", args=[meeting.pk])
    data = {"submission_token": TOKEN, "body": "Sorry I cannot attend: attendance is up"}
    member_client.post(url, data)
    member_client.post(url, data)
    assert Contribution.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db
def test_a_new_action_sent_twice_is_stored_once(
    case: Case, lead: User, member: User, lead_client: Client
) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:add_action", args=[meeting.pk])
    first = lead_client.post(url, _action_form(case, member), headers=HTMX)
    second = lead_client.post(url, _action_form(case, member), headers=HTMX)
    assert first.status_code == second.status_code == 200
    assert Action.objects.count() == 1
    # The repeat shows the plan with the one action, ready for the next.
    assert 'id="plan"' in second.content.decode()
    assert "Walk to school together each Monday" in second.content.decode()
    plain = lead_client.post(url, _action_form(case, member))
    assert plain.status_code == 302
    assert Action.objects.count() == 1


@pytest.mark.django_db
def test_an_outcome_sent_twice_in_meeting_mode_is_stored_once(
    case: Case, lead: User, lead_client: Client
) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:add_outcome", args=[meeting.pk])
    data = {"submission_token": TOKEN, "statement": "Mornings are calm", "child": ""}
    first = lead_client.post(url, data, headers=HTMX)
    second = lead_client.post(url, data, headers=HTMX)
    assert first.status_code == second.status_code == 200
    assert Outcome.objects.count() == 1
    assert 'id="plan"' in second.content.decode()
    assert "Mornings are calm" in second.content.decode()
    plain = lead_client.post(url, data)
    assert plain.status_code == 302
    assert Outcome.objects.count() == 1


@pytest.mark.django_db
def test_a_decision_sent_twice_in_meeting_mode_is_stored_once(
    case: Case, lead: User, lead_client: Client
) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:add_decision", args=[meeting.pk])
    data = {"submission_token": TOKEN, "text": "Refer to the parenting course"}
    first = lead_client.post(url, data)
    second = lead_client.post(url, data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "You sent this form twice" in second.content.decode()
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_a_review_without_a_meeting_sent_twice_is_recorded_once(
    case: Case, lead_client: Client
) -> None:
    url = reverse("meetings:review", args=[case.pk])
    data = {"submission_token": TOKEN, "parent_views": "Calmer", "child_views": "I sleep better"}
    first = lead_client.post(url, data)
    second = lead_client.post(url, data, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "You sent this form twice" in second.content.decode()
    assert Review.objects.count() == 1


@pytest.mark.django_db
def test_family_feedback_sent_twice_is_recorded_once(
    case: Case, lead: User, lead_client: Client
) -> None:
    review = record_review_without_meeting(case, by=lead, child_views="ok", parent_views="ok")
    url = reverse("meetings:feedback", args=[case.pk, review.pk])
    data = {"submission_token": TOKEN, "given_by": "child", "answer": "working"}
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert FamilyFeedback.objects.count() == 1


@pytest.mark.django_db
def test_a_step_up_sent_twice_is_recorded_once(case: Case, lead: User, lead_client: Client) -> None:
    data = {
        "submission_token": TOKEN,
        **date_fields("referred", timezone.localdate()),
        "referred_time": "00:01",
        "referred_by": lead.pk,
        "reason": "Escalating concerns.",
        "family_informed": "yes",
    }
    url = reverse("cases:step_up_request", args=[case.pk])
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert StepUpReferral.objects.count() == 1


@pytest.mark.django_db
def test_an_assessment_started_twice_is_started_once(case: Case, lead_client: Client) -> None:
    # The default template is seeded by a data migration.
    url = reverse("assessments:start", args=[case.pk, case.children.get().pk])
    data = {"submission_token": TOKEN, "copy_from": ""}
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_a_consent_record_sent_twice_is_recorded_once(
    case: Case, family_member: FamilyMember, member_client: Client
) -> None:
    data = {
        "submission_token": TOKEN,
        "kind": "sharing_preference",
        "given_by": f"member:{family_member.pk}",
        "subject_children": [str(c.pk) for c in case.children.all()],
        "capacity_basis": "adult",
        "method": "verbal",
        **date_fields("given_on", timezone.localdate()),
        "information_level": "additional",
    }
    url = reverse("cases:consent_new", args=[case.pk])
    first = member_client.post(url, data)
    second = member_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert ConsentRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_request_for_support_sent_twice_is_sent_once(outsider_client: Client) -> None:
    data = _new_child(
        submission_token=TOKEN,
        next_step="request_support",
        source_code=ReferralSource.POLICE,
        summary_of_need="Repeated police call-outs; the family asked for help.",
        family_aware="on",
        consent_obtained="on",
    )
    first = outsider_client.post(reverse(ADD), data)
    second = outsider_client.post(reverse(ADD), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert RequestForSupport.objects.count() == 1


@pytest.mark.django_db
def test_a_dissent_sent_twice_is_stored_once_and_the_same_form_serves_each_decision(
    case: Case, lead: User, member: User, lead_client: Client
) -> None:
    meeting = _meeting(case, lead)
    first_decision = add_decision(meeting, by=lead, text="Refer to the parenting course")
    second_decision = add_decision(meeting, by=lead, text="Ask the school nurse to visit")
    school = Invitation.objects.get(meeting=meeting, professional=member)
    # One form is drawn under every decision: the same token under each.
    data = {"submission_token": TOKEN, "invitation": school.pk, "dissent": "Exams clash"}
    first_url = reverse("meetings:add_dissent", args=[meeting.pk, first_decision.pk])
    first = lead_client.post(first_url, data, headers=HTMX)
    again = lead_client.post(first_url, data, headers=HTMX)
    assert first.status_code == again.status_code == 200
    assert 'id="decisions"' in again.content.decode()
    assert Dissent.objects.count() == 1
    second_url = reverse("meetings:add_dissent", args=[meeting.pk, second_decision.pk])
    lead_client.post(second_url, data, headers=HTMX)
    assert Dissent.objects.filter(decision=second_decision).count() == 1
    assert Dissent.objects.count() == 2


@pytest.mark.django_db
def test_a_disclosure_decision_sent_twice_is_recorded_once(
    case: Case, member_client: Client
) -> None:
    data = {
        "submission_token": TOKEN,
        "decision": "not_share",
        "recipient": "Housing officer",
        "information": "The assessment",
        "purpose": "Rehousing application",
        "reason": "Not necessary for the purpose; family not asked.",
        **date_fields("decided_on", timezone.localdate()),
    }
    url = reverse("cases:disclosures", args=[case.pk])
    first = member_client.post(url, data)
    second = member_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert DisclosureDecision.objects.count() == 1


@pytest.mark.django_db
def test_a_stepped_down_case_sent_twice_is_opened_once(
    lead: User, coordinator_client: Client
) -> None:
    data = {**step_down_data(lead), "submission_token": TOKEN}
    url = reverse("cases:step_down_in")
    first = coordinator_client.post(url, data)
    second = coordinator_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert StepDownIn.objects.count() == 1


@pytest.mark.django_db
def test_a_triage_decision_sent_twice_is_made_once(
    make_child: Callable[..., Child], coordinator_client: Client, level_targeted: LevelOfNeed
) -> None:
    child = make_child()
    support = submit_request_for_support(
        by=None,
        source_code=ReferralSource.SCHOOLS,
        summary_of_need="Attendance has fallen; mum is struggling.",
        subjects=[child],
        family=child.family,
        family_aware=True,
        consent_obtained=True,
        requester_name="Mrs Example (phone)",
    )
    data = {
        "submission_token": TOKEN,
        "decision": "early_help_assessment",
        "level": level_targeted.pk,
        "rationale": "Agreed.",
    }
    url = reverse("cases:triage", args=[support.pk])
    first = coordinator_client.post(url, data)
    second = coordinator_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    support.refresh_from_db()
    assert support.case is not None
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_an_invitation_to_a_meeting_sent_twice_is_sent_once(
    case: Case, lead: User, lead_client: Client
) -> None:
    meeting = _meeting(case, lead)
    invited = meeting.invitations.count()
    data = {
        "submission_token": TOKEN,
        "externals": "Alex Advocate, Demo Advocacy, alex@advocacy.example",
    }
    url = reverse("meetings:invite", args=[meeting.pk])
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert meeting.invitations.count() == invited + 1


@pytest.mark.django_db
def test_a_restriction_sent_twice_is_set_once(case: Case, lead_client: Client) -> None:
    item = f"child:{case.children.get().pk}:address"
    data = {"submission_token": TOKEN, "item": item, "reason": "Must not reach the father"}
    url = reverse("audit:case_restrictions", args=[case.pk])
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Restriction.objects.count() == 1


# --- At the same moment -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_five_identical_contributions_at_once_store_one(case: Case, member: User) -> None:
    url = reverse("meetings:contribute", args=[case.pk])
    data = {"submission_token": TOKEN, "body": "Attendance is up to 92%"}
    codes = _at_once(5, lambda: client_for(member).post(url, data).status_code)
    assert codes == [302] * 5
    assert Contribution.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_identical_new_actions_at_once_store_one(case: Case, lead: User, member: User) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:add_action", args=[meeting.pk])
    data = _action_form(case, member)
    codes = _at_once(5, lambda: client_for(lead).post(url, data, headers=HTMX).status_code)
    assert codes == [200] * 5
    assert Action.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_identical_decisions_at_once_store_one(case: Case, lead: User) -> None:
    meeting = _meeting(case, lead)
    url = reverse("meetings:add_decision", args=[meeting.pk])
    data = {"submission_token": TOKEN, "text": "Refer to the parenting course"}
    codes = _at_once(5, lambda: client_for(lead).post(url, data, headers=HTMX).status_code)
    assert codes == [200] * 5
    assert Decision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_identical_triage_decisions_at_once_open_one_case(
    make_child: Callable[..., Child], coordinator: User, level_targeted: LevelOfNeed
) -> None:
    child = make_child()
    support = submit_request_for_support(
        by=None,
        source_code=ReferralSource.SCHOOLS,
        summary_of_need="Attendance has fallen; mum is struggling.",
        subjects=[child],
        family=child.family,
        family_aware=True,
        consent_obtained=True,
        requester_name="Mrs Example (phone)",
    )
    data = {
        "submission_token": TOKEN,
        "decision": "early_help_assessment",
        "level": level_targeted.pk,
        "rationale": "Agreed.",
    }
    url = reverse("cases:triage", args=[support.pk])
    codes = _at_once(5, lambda: client_for(coordinator).post(url, data).status_code)
    assert codes == [302] * 5
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_five_forms_each_sent_five_times_at_once_store_five(case: Case, member: User) -> None:
    url = reverse("meetings:contribute", args=[case.pk])
    tokens = [f"{TOKEN[:-1]}{n}" for n in range(5)]
    sends = [
        {"submission_token": token, "body": f"Update number {n}"}
        for n, token in enumerate(tokens)
        for _ in range(5)
    ]
    lock = threading.Lock()

    def send() -> int:
        with lock:
            data = sends.pop()
        return client_for(member).post(url, data).status_code

    codes = _at_once(25, send)
    assert codes == [302] * 25
    assert Contribution.objects.count() == 5


@pytest.mark.django_db
def test_a_meeting_arranged_twice_is_arranged_once(
    case: Case, lead_client: Client, member: User
) -> None:
    school = case.memberships.active().get(professional=member)
    data = {
        "submission_token": TOKEN,
        "kind": "initial",
        **date_fields("day", timezone.localdate() + dt.timedelta(days=5)),
        "starts": "10:00",
        "ends": "11:00",
        "mode": "in_person",
        "location": "Riverside Primary School",
        "members": [school.pk],
    }
    url = reverse("meetings:schedule", args=[case.pk])
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Meeting.objects.count() == 1
    assert EmailOutbox.objects.count() == 1  # the school's invitation, sent once


@pytest.mark.django_db
def test_a_case_discussion_recorded_twice_is_recorded_once(
    case: Case, lead: User, lead_client: Client
) -> None:
    data = {
        "submission_token": TOKEN,
        **date_fields("held_on", timezone.localdate()),
        "question": "Why do mornings go wrong?",
        "participants": [lead.pk],
    }
    url = reverse("meetings:new_discussion", args=[case.pk])
    first = lead_client.post(url, data)
    second = lead_client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert CaseDiscussion.objects.count() == 1
