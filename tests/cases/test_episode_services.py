"""The episode steps through their services: handover, step-up, step-down in and closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies.models import Team, User
from cases.models import (
    Case,
    CaseClosure,
    CaseEvent,
    Child,
    ConsentRecord,
    Family,
    FamilyMember,
    LeadHandover,
    LeadProfessionalAssignment,
    StepDownIn,
    StepUpReferral,
    TACRole,
)
from cases.services.closure import close_case
from cases.services.handover import hand_over_lead
from cases.services.reviews import set_next_review_due
from cases.services.step_down import open_stepped_down_case
from cases.services.step_up import record_step_up_decision, request_step_up
from cases.services.teams import add_professional_to_team
from notifications.models import EmailOutbox, Notification, NotificationPreference, Reminder
from notifications.working_days import add_working_days

pytestmark = pytest.mark.django_db


def codes(case: Case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("code", flat=True)
    )


def handover(case: Case, *, to: User, by: User, **overrides: Any) -> LeadHandover:
    fields: dict[str, Any] = {
        "expected_assignment_id": None,
        "basis": "AGREED_AT_TAC",
        "reason": "MANAGING_CASELOADS",
        "note": "Mum prefers mornings; school attendance is the main worry.",
        "family_consulted": True,
        "family_note": "Mum is happy for the school to lead.",
    }
    fields.update(overrides)
    return hand_over_lead(case, to=to, by=by, **fields)


def step_up(case: Case, *, by: User, **overrides: Any) -> StepUpReferral:
    fields: dict[str, Any] = {
        "referred_at": timezone.now() - dt.timedelta(hours=2),
        "referred_by": by,
        "reason": "Bruising seen at school; needs unmet despite the plan.",
        "family_informed": True,
    }
    fields.update(overrides)
    return request_step_up(case, by=by, **fields)


def decide(case: Case, *, by: User, accepted: bool, **overrides: Any) -> StepUpReferral:
    fields: dict[str, Any] = {
        "decided_at": timezone.now(),
        "social_worker_name": "Sasha Social" if accepted else "",
        "social_worker_agency": "Assessment team 2",
        "decline_outcome": "" if accepted else "RC9",
    }
    fields.update(overrides)
    return record_step_up_decision(case, by=by, accepted=accepted, **fields)


def close(case: Case, *, by: User, **overrides: Any) -> CaseClosure:
    fields: dict[str, Any] = {
        "reason": "NEEDS_MET",
        "progress_summary": "Attendance is up to 96%.",
        "outcomes_achieved": "ALL",
        "outcomes_detail": "Both outcomes achieved.",
        "child_views": "Jamie says school feels better.",
        "family_views": "Mum feels confident to carry on.",
        "continuing_support": "The school's pastoral team.",
    }
    fields.update(overrides)
    return close_case(case, by=by, **fields)


def error_fields(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


# --- Handover -------------------------------------------------------------------


def test_it_hands_the_lead_over_with_a_note_and_tells_the_new_lead(
    case: Case, lead: User, member: User, reminder_rules: None
) -> None:
    set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=30), by=lead)
    old = case.lead_assignment
    assert old is not None

    result = handover(case, to=member, by=lead, expected_assignment_id=old.pk)

    old.refresh_from_db()
    assert old.ended_at is not None
    assert old.end_reason == "REPLACED"
    new = case.lead_assignments.active().get()
    assert new.professional == member
    assert new.change_reason == "MANAGING_CASELOADS"
    assert new.family_consulted is True
    assert new.family_preference == "Mum is happy for the school to lead."
    assert result.to_assignment == new
    assert result.from_assignment == old
    assert "school attendance" in result.note
    assert codes(case)[-2:] == ["lead.changed", "lead.handed_over"]
    notification = Notification.objects.get(recipient=member)
    assert notification.title == "You are now the lead professional for a case"
    assert case.family.name not in notification.title
    assert EmailOutbox.objects.get(notification=notification).to_address == member.email
    recipients = set(
        Reminder.objects.pending().filter(case=case).values_list("recipient_id", flat=True)
    )
    assert member.pk in recipients
    assert lead.pk not in recipients


def test_it_leaves_the_email_to_the_digest_for_those_who_want_one(
    case: Case, lead: User, member: User
) -> None:
    NotificationPreference.objects.create(user=member, email_frequency="daily_digest")
    handover(case, to=member, by=lead)
    notification = Notification.objects.get(recipient=member)
    assert notification.awaiting_digest is True
    assert not EmailOutbox.objects.exists()


def test_it_hands_over_only_to_someone_on_the_team(case: Case, lead: User, outsider: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        handover(case, to=outsider, by=lead)
    assert error_fields(excinfo) == {"to"}
    assert case.lead_assignments.active().get().professional == lead
    assert not LeadHandover.objects.exists()


def test_it_will_not_hand_over_to_the_current_lead(case: Case, lead: User) -> None:
    with pytest.raises(ValidationError, match="already the lead professional"):
        handover(case, to=lead, by=lead)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"note": "  "}, "note"),
        ({"reason": "OTHER", "reason_detail": ""}, "reason_detail"),
        ({"reason": "AGREED_AT_FIRST_TAC"}, "reason"),
        ({"basis": "INTERIM_INITIATOR"}, "basis"),
        ({"family_consulted": False, "family_note": ""}, "family_note"),
    ],
)
def test_it_refuses_an_incomplete_handover(
    case: Case, lead: User, member: User, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        handover(case, to=member, by=lead, **overrides)
    assert field in error_fields(excinfo)
    assert case.lead_assignments.count() == 1
    assert not Notification.objects.exists()


def test_it_refuses_a_handover_written_against_an_old_lead(
    case: Case, lead: User, member: User, coordinator: User
) -> None:
    stale = case.lead_assignment
    assert stale is not None
    handover(case, to=member, by=lead)
    with pytest.raises(ValidationError, match="changed while you were writing"):
        handover(case, to=lead, by=coordinator, expected_assignment_id=stale.pk)
    assert case.lead_assignments.active().get().professional == member


def test_a_tac_member_may_not_hand_over_the_lead(case: Case, member: User) -> None:
    with pytest.raises(PermissionDenied):
        handover(case, to=member, by=member)


def test_the_leads_manager_and_the_coordinator_may_hand_over(
    case: Case, lead: User, member: User, manager: User, coordinator: User
) -> None:
    handover(case, to=member, by=manager, basis="MANAGER_ALLOCATED")
    handover(case, to=lead, by=coordinator, basis="MANAGER_ALLOCATED")
    assert case.lead_assignments.active().get().professional == lead


def test_a_manager_of_another_member_may_not_run_the_case(
    case: Case, member: User, school_team: Team
) -> None:
    head = User.objects.create_user(
        "hana.head@riverside.example", "x", full_name="Hana Head", role=User.Role.TEAM_MANAGER
    )
    school_team.managers.add(head)
    with pytest.raises(PermissionDenied):
        handover(case, to=member, by=head)
    with pytest.raises(PermissionDenied):
        close(case, by=head)


# --- Step-up ----------------------------------------------------------------------


def test_it_records_a_step_up_and_keeps_the_case_open_with_its_lead(case: Case, lead: User) -> None:
    referral = step_up(case, by=lead)

    case.refresh_from_db()
    assert case.status == Case.Status.STEP_UP_REQUESTED
    assert case.is_open
    assert case.lead_assignments.active().get().professional == lead
    assert referral.decision == "PENDING"
    assert codes(case)[-2:] == ["case.status_changed", "step_up.requested"]


def test_it_needs_a_reason_when_the_family_was_not_told(case: Case, lead: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        step_up(case, by=lead, family_informed=False, family_not_informed_reason="")
    assert error_fields(excinfo) == {"family_not_informed_reason"}
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE

    referral = step_up(
        case, by=lead, family_informed=False, family_not_informed_reason="Telling dad raises risk."
    )
    assert referral.family_not_informed_reason == "Telling dad raises risk."


def test_it_refuses_a_referral_in_the_future_or_by_an_outsider(
    case: Case, lead: User, outsider: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        step_up(
            case, by=lead, referred_at=timezone.now() + dt.timedelta(days=1), referred_by=outsider
        )
    assert error_fields(excinfo) == {"referred_day", "referred_by"}


def test_it_refuses_a_step_up_before_triage(make_case: Any, lead: User) -> None:
    identified = make_case(status=Case.Status.IDENTIFIED)
    with pytest.raises(
        ValidationError, match="'Need identified' cannot move to 'Step-up requested'"
    ):
        step_up(identified, by=lead)
    assert not StepUpReferral.objects.exists()


@pytest.mark.parametrize(
    "stage",
    [
        Case.Status.TRIAGED,
        Case.Status.CONSENT_PENDING,
        Case.Status.ASSESSING,
        Case.Status.PLANNING,
        Case.Status.REASSESSING,
        Case.Status.CLOSING,
    ],
)
def test_a_step_up_is_open_from_every_stage_after_triage_and_a_decline_goes_back(
    make_case: Any, lead: User, stage: str
) -> None:
    case = make_case(status=stage)
    step_up(case, by=lead)
    case.refresh_from_db()
    assert case.status == Case.Status.STEP_UP_REQUESTED
    decide(case, by=lead, accepted=False)
    case.refresh_from_db()
    assert case.status == stage


def test_it_refuses_a_second_step_up_while_one_is_pending(case: Case, lead: User) -> None:
    step_up(case, by=lead)
    with pytest.raises(ValidationError, match="already waiting"):
        step_up(case, by=lead)
    assert StepUpReferral.objects.count() == 1


def test_social_care_accepting_closes_the_case_stepped_up(
    case: Case, lead: User, reminder_rules: None
) -> None:
    set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=30), by=lead)
    step_up(case, by=lead)

    referral = decide(case, by=lead, accepted=True, social_worker_email="sasha@csc.example")

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED_STEPPED_UP
    assert case.closure_reason == "STEPPED_UP"
    assert case.closed_at is not None
    ended = case.lead_assignments.get()
    assert ended.ended_at is not None
    assert ended.end_reason == LeadProfessionalAssignment.EndReason.CSC_LEAD
    assert referral.decision == "ACCEPTED"
    social_worker = referral.social_worker
    assert social_worker is not None
    assert social_worker.kind == "external"
    assert social_worker.role == TACRole.SOCIAL_WORKER
    assert social_worker.external_name == "Sasha Social"
    assert social_worker.external_email == "sasha@csc.example"
    assert not case.subjects.filter(is_open=True).exists()
    assert not Reminder.objects.pending().filter(case=case).exists()
    assert codes(case)[-3:] == ["team.member_added", "step_up.accepted", "case.closed"]


def test_it_needs_the_social_worker_to_accept(case: Case, lead: User) -> None:
    step_up(case, by=lead)
    with pytest.raises(ValidationError) as excinfo:
        decide(case, by=lead, accepted=True, social_worker_name=" ")
    assert error_fields(excinfo) == {"social_worker_name"}
    case.refresh_from_db()
    assert case.status == Case.Status.STEP_UP_REQUESTED
    assert not case.memberships.filter(kind="external").exists()


def test_social_care_declining_makes_the_case_active_with_a_review_within_ten_days(
    case: Case, lead: User, reminder_rules: None
) -> None:
    step_up(case, by=lead)

    referral = decide(case, by=lead, accepted=False, note="Threshold not met.")

    case.refresh_from_db()
    due = add_working_days(timezone.localdate(), 10)
    assert case.status == Case.Status.ACTIVE
    assert case.next_review_due == due
    assert referral.review_due_by == due
    assert referral.decline_outcome == "RC9"
    assert case.lead_assignments.active().get().professional == lead
    assert "step_up.declined" in codes(case)
    assert codes(case)[-1] == "review.date_set"
    prompt = Notification.objects.get(recipient=lead)
    assert "within 10 working days" in prompt.title
    assert Reminder.objects.pending().filter(case=case, due_on=due).exists()


def test_a_declined_step_up_keeps_an_earlier_review_date(case: Case, lead: User) -> None:
    soon = add_working_days(timezone.localdate(), 3)
    set_next_review_due(case, due=soon, by=lead)
    step_up(case, by=lead)
    decide(case, by=lead, accepted=False)
    case.refresh_from_db()
    assert case.next_review_due == soon


def test_it_needs_the_outcome_when_social_care_declines(case: Case, lead: User) -> None:
    step_up(case, by=lead)
    with pytest.raises(ValidationError) as excinfo:
        decide(case, by=lead, accepted=False, decline_outcome="")
    assert error_fields(excinfo) == {"decline_outcome"}


def test_it_refuses_a_decision_before_the_referral(case: Case, lead: User) -> None:
    step_up(case, by=lead, referred_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="on or after the referral"):
        decide(case, by=lead, accepted=True, decided_at=timezone.now() - dt.timedelta(days=3))


def test_it_refuses_a_decision_with_nothing_pending(case: Case, lead: User) -> None:
    with pytest.raises(ValidationError, match="no step-up waiting"):
        decide(case, by=lead, accepted=True)
    step_up(case, by=lead)
    decide(case, by=lead, accepted=False)
    with pytest.raises(ValidationError, match="no step-up waiting"):
        decide(case, by=lead, accepted=True)


def test_a_tac_member_may_not_record_a_step_up(case: Case, member: User) -> None:
    with pytest.raises(PermissionDenied):
        step_up(case, by=member)


# --- Step-down in -----------------------------------------------------------------


def new_records() -> tuple[Family, Child, FamilyMember]:
    family = Family(name="The Rivers family", address="4 Mill Lane\nDemoton", postcode="DT3 3AA")
    child = Child(
        given_names="Robin", family_name="Rivers", date_of_birth=dt.date(2014, 2, 3), sex="male"
    )
    parent = FamilyMember(
        given_names="Rae",
        family_name="Rivers",
        relationship="mother",
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )
    return family, child, parent


def step_down(by: User, lead: User, **overrides: Any) -> StepDownIn:
    family, child, parent = new_records()
    fields: dict[str, Any] = {
        "children": [child],
        "agreement_given_by": parent,
        "agreement_given_on": timezone.localdate() - dt.timedelta(days=2),
        "lead": lead,
        "by": by,
        "summary": "CIN plan met; mum engaging with parenting support.",
        "outstanding_actions": "Finish the parenting course.",
        "handover_meeting_on": timezone.localdate() - dt.timedelta(days=3),
        "social_worker_name": "Stevie Social",
    }
    fields.update(overrides)
    return open_stepped_down_case(family, **fields)


def test_a_coordinator_opens_a_case_stepped_down_from_social_care(
    coordinator: User, lead: User
) -> None:
    record = step_down(coordinator, lead)

    case = record.case
    assert case.status == Case.Status.PLANNING
    assignment = case.lead_assignments.active().get()
    assert assignment.professional == lead
    assert assignment.basis == "STEP_DOWN_HANDOVER"
    assert record.lead_assignment == assignment
    agreement = record.agreement
    assert agreement.kind == ConsentRecord.Kind.AGREEMENT_TO_SERVICE
    assert agreement.method == ConsentRecord.Method.WRITTEN
    given_on = timezone.localdate() - dt.timedelta(days=2)
    assert timezone.localtime(agreement.given_at).date() == given_on
    assert agreement.given_by is not None
    assert agreement.given_by.full_name == "Rae Rivers"
    assert list(agreement.subject_children.all()) == list(case.children.all())
    assert record.social_worker is not None
    assert record.social_worker.role == TACRole.SOCIAL_WORKER
    assert case.memberships.filter(kind="family").count() == 1
    assert "case.stepped_down_in" in codes(case)
    assert Notification.objects.filter(recipient=lead).count() == 1
    # Dashboards count step-downs in per period.
    assert StepDownIn.objects.filter(recorded_at__date=timezone.localdate()).count() == 1


def test_a_practitioner_may_not_open_a_stepped_down_case(lead: User) -> None:
    with pytest.raises(PermissionDenied):
        step_down(lead, lead)
    assert not Family.objects.exists()


def test_it_writes_nothing_when_the_step_down_is_invalid(manager: User, lead: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        step_down(
            manager,
            lead,
            summary="",
            agreement_given_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert error_fields(excinfo) == {"summary", "agreement_day"}
    assert not Family.objects.exists()
    assert not Case.objects.exists()


def test_it_needs_agreement_from_someone_with_parental_responsibility(
    manager: User, lead: User
) -> None:
    family, child, parent = new_records()
    parent.parental_responsibility = FamilyMember.ParentalResponsibility.UNKNOWN
    with pytest.raises(ValidationError, match="parental responsibility"):
        open_stepped_down_case(
            family,
            children=[child],
            agreement_given_by=parent,
            agreement_given_on=timezone.localdate(),
            lead=lead,
            by=manager,
            summary="Summary",
        )
    assert not Family.objects.exists()


# --- Closure ----------------------------------------------------------------------


def test_the_lead_closes_an_active_case(case: Case, lead: User, reminder_rules: None) -> None:
    set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=30), by=lead)
    assert Reminder.objects.pending().filter(case=case).exists()

    closure = close(case, by=lead, post_closure_actions="School checks in at half term.")

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.closure_reason == "NEEDS_MET"
    assert case.next_review_due is None
    assert closure.closed_by == lead
    assert closure.post_closure_actions == "School checks in at half term."
    assignment = case.lead_assignments.get()
    assert assignment.end_reason == LeadProfessionalAssignment.EndReason.CASE_CLOSED
    assert not Reminder.objects.pending().filter(case=case).exists()
    assert codes(case)[-3:] == ["case.status_changed", "case.closed", "closure.recorded"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "STEPPED_UP"}, "reason"),
        ({"reason": "NFA_AFTER_TRIAGE"}, "reason"),
        ({"reason": "OTHER"}, "reason_detail"),
        ({"child_views": ""}, "child_views"),
        ({"family_views": " "}, "family_views"),
        ({"outcomes_achieved": "MOST"}, "outcomes_achieved"),
        ({"continuing_support": ""}, "continuing_support"),
    ],
)
def test_it_refuses_an_incomplete_closure(
    case: Case, lead: User, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        close(case, by=lead, **overrides)
    assert field in error_fields(excinfo)
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert not CaseClosure.objects.exists()


def test_only_the_lead_their_manager_or_the_coordinator_may_close(
    make_case: Any, lead: User, member: User, manager: User, coordinator: User
) -> None:
    first, second, third = make_case(), make_case(), make_case()
    add_professional_to_team(first, professional=member, by=lead)
    with pytest.raises(PermissionDenied):
        close(first, by=member)
    close(first, by=lead)
    close(second, by=manager)
    close(third, by=coordinator)
    assert CaseClosure.objects.count() == 3


def test_it_will_not_close_a_case_waiting_for_social_care(case: Case, lead: User) -> None:
    step_up(case, by=lead)
    with pytest.raises(ValidationError, match="Record the decision first"):
        close(case, by=lead)


@pytest.mark.parametrize(
    ("stage", "reason", "ends_as"),
    [
        (Case.Status.IDENTIFIED, "NFA_AFTER_TRIAGE", Case.Status.CLOSED),
        (Case.Status.TRIAGED, "NFA_AFTER_TRIAGE", Case.Status.CLOSED_NFA),
        (Case.Status.CONSENT_PENDING, "CONSENT_WITHDRAWN", Case.Status.CLOSED_DECLINED),
        (Case.Status.CONSENT_PENDING, "MOVED_OUT_OF_AREA", Case.Status.CLOSED),
        (Case.Status.ASSESSING, "NEEDS_MET", Case.Status.CLOSED_NEEDS_MET),
        (Case.Status.ASSESSING, "SINGLE_AGENCY", Case.Status.CLOSED),
        (Case.Status.PLANNING, "DISENGAGED", Case.Status.CLOSED),
        (Case.Status.REASSESSING, "NEEDS_MET", Case.Status.CLOSED),
        (Case.Status.CLOSING, "NEEDS_MET", Case.Status.CLOSED),
    ],
)
def test_a_case_closes_from_every_open_stage_with_a_reason_that_fits(
    make_case: Any, lead: User, stage: str, reason: str, ends_as: str
) -> None:
    case = make_case(status=stage)
    closure = close(case, by=lead, reason=reason)
    case.refresh_from_db()
    assert case.status == ends_as
    assert case.closure_reason == reason
    assert not case.lead_assignments.active().exists()
    if stage in Case.BEFORE_PLAN:
        # Nothing is asked about a plan that was never made.
        assert closure.outcomes_achieved == CaseClosure.OutcomesAchieved.NO_PLAN


def test_a_reason_that_does_not_fit_the_stage_is_refused(make_case: Any, lead: User) -> None:
    active = make_case(status=Case.Status.ACTIVE)
    with pytest.raises(ValidationError) as excinfo:
        close(active, by=lead, reason="NFA_AFTER_TRIAGE")
    assert error_fields(excinfo) == {"reason"}
    identified = make_case(status=Case.Status.IDENTIFIED)
    with pytest.raises(ValidationError) as excinfo:
        close(identified, by=lead, reason="NEEDS_MET")
    assert error_fields(excinfo) == {"reason"}


def test_it_closes_a_case_once(case: Case, lead: User, coordinator: User) -> None:
    close(case, by=lead)
    with pytest.raises(ValidationError, match="already closed"):
        close(case, by=coordinator)
    assert CaseClosure.objects.count() == 1
