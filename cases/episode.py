"""The turning points of a case episode: handover, step-up, step-down in and closure.

Every function here runs in one transaction, checks who is acting, locks the
case row so that two people acting at once queue, writes the record and the
chronology event, and leaves the case's reminders in line (ARCHITECTURE §4, §7).
State changes go through ``cases.services.change_status`` so the state machine
of DOMAIN §3.1 is the only way a case moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.episode_models import CaseClosure, LeadHandover, StepDownIn, StepUpReferral
from cases.models import (
    Case,
    Child,
    ChildRecordCheck,
    ClosureReason,
    ConsentRecord,
    Family,
    FamilyMember,
    LeadProfessionalAssignment,
    TACRole,
)
from cases.search import children_visible_to
from cases.services import (
    CaseError,
    ChildAlreadyInOpenCase,
    TransitionNotAllowed,
    add_external_contact_to_team,
    add_family_member_to_team,
    assign_lead_professional,
    change_status,
    open_case,
    open_cases_for,
    recent_closed_case,
    record_event,
    set_next_review_due,
)
from notifications.services import notify
from notifications.working_days import add_working_days

if TYPE_CHECKING:
    from agencies.models import User

#: A declined step-up is followed by a TAF review within this many working days (DOMAIN §4.2).
REVIEW_AFTER_DECLINE_WORKING_DAYS = 10

#: Reasons a case may be closed through the closure form. A step-up closes through
#: social care's decision, and "no further action" belongs to triage.
CLOSURE_FORM_REASONS = [
    (value, label)
    for value, label in ClosureReason.choices
    if value not in {ClosureReason.STEPPED_UP, ClosureReason.NFA_AFTER_TRIAGE}
]

#: Reasons for a handover. "Agreed at the first TAC" belongs to the first meeting.
HANDOVER_REASONS = [
    (value, label)
    for value, label in LeadProfessionalAssignment.ChangeReason.choices
    if value != LeadProfessionalAssignment.ChangeReason.AGREED_AT_FIRST_TAC
]

#: How a new lead was agreed at a handover (DOMAIN §5.4).
HANDOVER_BASES = [
    (value, label)
    for value, label in LeadProfessionalAssignment.Basis.choices
    if value
    in {
        LeadProfessionalAssignment.Basis.AGREED_AT_TAC,
        LeadProfessionalAssignment.Basis.FAMILY_CHOICE,
        LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED,
    }
]

MSG_NOT_ALLOWED = "Only the lead professional, their manager or the coordinator can do this."
MSG_STEP_DOWN_NOT_ALLOWED = "Only a team manager or the coordinator can open a stepped-down case."


# --- Who may act -------------------------------------------------------------


def can_run_episode(user: User, case: Case) -> bool:
    """Whether ``user`` may hand over, step up or close ``case``.

    The lead professional is accountable for the episode (DOMAIN §5.3); their
    line manager may act for them (the lead is away or has left), and so may
    the authority's early help coordinator. A manager who only manages another
    TAC member may not: they are not accountable for the lead role.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_coordinator:
        return True
    assignment = case.lead_assignments.active().select_related("professional").first()
    if assignment is None:
        return False
    if assignment.professional_id == user.pk:
        return True
    lead_team = assignment.professional.team_id
    if user.role != user.Role.TEAM_MANAGER or lead_team is None:
        return False
    return user.managed_teams.filter(pk=lead_team).exists()


def ensure_can_run_episode(user: User, case: Case) -> None:
    """Raises ``PermissionDenied`` unless ``can_run_episode``."""
    if not can_run_episode(user, case):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def can_open_stepped_down_case(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_coordinator or user.role == user.Role.TEAM_MANAGER)
    )


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


# --- Lead professional handover (DOMAIN §5.4) ---------------------------------


@transaction.atomic
def hand_over_lead(
    case: Case,
    *,
    to: User,
    by: User,
    expected_assignment_id: int | None,
    basis: str,
    reason: str,
    reason_detail: str = "",
    note: str,
    family_consulted: bool,
    family_note: str = "",
) -> LeadHandover:
    """Hand the lead professional role to ``to``, an active professional on the TAC.

    The outgoing lead's ``note`` is kept for their successor; the reason and the
    family's say go on the new assignment. ``expected_assignment_id`` is the
    assignment the form was written against: if the lead changed meanwhile the
    handover is refused rather than silently replacing someone else. The new lead
    is notified and the review reminders follow them.
    """
    locked = _lock(case)
    if not locked.is_open:
        raise CaseError("This case is closed: it has no lead professional.", code="case_closed")
    ensure_can_run_episode(by, locked)
    current = locked.lead_assignments.active().select_related("professional").first()
    if current is None:
        raise CaseError("This case has no lead professional to hand over.", code="no_lead")
    if expected_assignment_id is not None and current.pk != expected_assignment_id:
        raise CaseError(
            "The lead professional changed while you were writing. Check the case and try again.",
            code="lead_changed",
        )
    errors: dict[str, str] = {}
    if to.pk == current.professional_id:
        errors["to"] = f"{to} is already the lead professional. Choose someone else."
    elif not (
        locked.memberships.active().filter(professional=to, professional__is_active=True).exists()
    ):
        errors["to"] = "Choose a professional who is on the team around the child."
    if basis not in dict(HANDOVER_BASES):
        errors["basis"] = "Choose how the new lead professional was agreed."
    if reason not in dict(HANDOVER_REASONS):
        errors["reason"] = "Choose the reason for the handover."
    elif reason == LeadProfessionalAssignment.ChangeReason.OTHER and not reason_detail.strip():
        errors["reason_detail"] = "Describe the reason when you choose 'Other'."
    if not note.strip():
        errors["note"] = "Write a handover note for the new lead professional."
    if not family_consulted and not family_note.strip():
        errors["family_note"] = "Say why the family was not consulted."
    if errors:
        raise CaseError(errors, code="invalid")

    assignment = assign_lead_professional(
        locked,
        professional=to,
        by=by,
        basis=basis,
        change_reason=reason,
        change_reason_detail=reason_detail.strip(),
        family_consulted=family_consulted,
        family_preference=family_note.strip(),
    )
    now = assignment.started_at
    handover = LeadHandover.objects.create(
        case=locked,
        from_assignment=current,
        to_assignment=assignment,
        note=note.strip(),
        recorded_by=by,
        recorded_at=now,
    )
    record_event(
        locked,
        "lead.handed_over",
        by=by,
        at=now,
        summary=f"Lead handed over from {current.professional} to {to}: "
        f"{LeadProfessionalAssignment.ChangeReason(reason).label}"
        + ("" if family_consulted else " (family not consulted)"),
        data={
            "handover": handover.pk,
            "from": current.professional_id,
            "to": to.pk,
            "reason": reason,
            "family_consulted": family_consulted,
        },
    )
    notify(
        to,
        title="You are now the lead professional for a case",
        link=reverse("cases:detail", args=[locked.pk]),
    )
    return handover


# --- Step-up to children's social care (DOMAIN §4.2) -------------------------


@transaction.atomic
def request_step_up(
    case: Case,
    *,
    by: User,
    referred_at: datetime,
    referred_by: User,
    reason: str,
    family_informed: bool,
    family_not_informed_reason: str = "",
) -> StepUpReferral:
    """Record a referral to children's social care; the case waits for its decision.

    The case moves to "step-up requested" and stays open with its lead
    professional and TAC until social care decides.
    """
    locked = _lock(case)
    ensure_can_run_episode(by, locked)
    if not locked.can_move_to(Case.Status.STEP_UP_REQUESTED):
        if locked.status == Case.Status.STEP_UP_REQUESTED:
            raise CaseError(
                "A step-up is already waiting for social care's decision.", code="pending"
            )
        raise TransitionNotAllowed(locked, Case.Status.STEP_UP_REQUESTED)
    errors: dict[str, str] = {}
    if referred_at > timezone.now():
        errors["referred_day"] = "The date of the referral must be today or in the past."
    if not reason.strip():
        errors["reason"] = "Enter why the child was referred to children's social care."
    if not family_informed and not family_not_informed_reason.strip():
        errors["family_not_informed_reason"] = "Say why the family was not told."
    if not locked.memberships.active().filter(professional=referred_by).exists():
        errors["referred_by"] = "Choose who made the referral from the team around the child."
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    change_status(locked, to=Case.Status.STEP_UP_REQUESTED, by=by, at=now)
    referral = StepUpReferral.objects.create(
        case=locked,
        referred_at=referred_at,
        referred_by=referred_by,
        reason=reason.strip(),
        family_informed=family_informed,
        family_not_informed_reason="" if family_informed else family_not_informed_reason.strip(),
        recorded_by=by,
        recorded_at=now,
    )
    record_event(
        locked,
        "step_up.requested",
        by=by,
        at=now,
        summary=f"Referred to children's social care by {referred_by} on "
        f"{timezone.localtime(referred_at):%d %B %Y at %H:%M}"
        + ("" if family_informed else " (family not told)"),
        data={"referral": referral.pk, "family_informed": family_informed},
    )
    return referral


def pending_step_up(case: Case) -> StepUpReferral | None:
    return case.step_ups.filter(decision=StepUpReferral.Decision.PENDING).first()


@transaction.atomic
def record_step_up_decision(
    case: Case,
    *,
    by: User,
    accepted: bool,
    decided_at: datetime,
    note: str = "",
    social_worker_name: str = "",
    social_worker_agency: str = "",
    social_worker_email: str = "",
    decline_outcome: str = "",
) -> StepUpReferral:
    """Record children's social care's decision on the case's pending step-up.

    Accepted: the allocated social worker joins the TAC as an external contact
    and the case closes ``STEPPED_UP``, ending the lead assignment (reason
    ``CSC_LEAD``) and its reminders. Declined: the case is active again and its
    next review is brought within ten working days, with a prompt to the lead.
    A second decision on the same referral is refused.
    """
    locked = _lock(case)
    referral = (
        StepUpReferral.objects.select_for_update()
        .filter(case=locked, decision=StepUpReferral.Decision.PENDING)
        .first()
    )
    # Checked before who is acting: once accepted, the lead role has ended.
    if referral is None or locked.status != Case.Status.STEP_UP_REQUESTED:
        raise CaseError(
            "There is no step-up waiting for social care's decision on this case.",
            code="no_pending_step_up",
        )
    ensure_can_run_episode(by, locked)
    errors: dict[str, str] = {}
    if decided_at > timezone.now():
        errors["decided_day"] = "The date of the decision must be today or in the past."
    elif timezone.localdate(decided_at) < timezone.localdate(referral.referred_at):
        errors["decided_day"] = "The date of the decision must be on or after the referral."
    if accepted and not social_worker_name.strip():
        errors["social_worker_name"] = "Enter the name of the allocated social worker."
    if not accepted and decline_outcome not in StepUpReferral.DeclineOutcome.values:
        errors["decline_outcome"] = "Choose what social care decided."
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    # A decision dated the day of the referral is never timed before it.
    referral.decided_at = max(decided_at, referral.referred_at)
    referral.decision_note = note.strip()
    referral.decision_recorded_by = by
    referral.decision_recorded_at = now
    lead = locked.lead_assignments.active().select_related("professional").first()
    if accepted:
        referral.decision = StepUpReferral.Decision.ACCEPTED
        referral.social_worker = add_external_contact_to_team(
            locked,
            name=social_worker_name,
            agency=social_worker_agency or "Children's social care",
            email=social_worker_email,
            by=by,
            role=TACRole.SOCIAL_WORKER,
        )
        referral.save()
        now = timezone.now()  # after the social worker joined, so the chronology reads in order
        record_event(
            locked,
            "step_up.accepted",
            by=by,
            at=now,
            summary=f"Children's social care accepted the referral; "
            f"{referral.social_worker.external_name} is the allocated social worker",
            data={"referral": referral.pk, "social_worker": referral.social_worker.pk},
        )
        change_status(
            locked,
            to=Case.Status.CLOSED_STEPPED_UP,
            by=by,
            closure_reason=ClosureReason.STEPPED_UP,
            note="Children's social care took the lead",
            at=now,
        )
    else:
        referral.decision = StepUpReferral.Decision.DECLINED
        referral.decline_outcome = decline_outcome
        review_by = add_working_days(timezone.localdate(now), REVIEW_AFTER_DECLINE_WORKING_DAYS)
        referral.review_due_by = review_by
        referral.save()
        change_status(locked, to=Case.Status.ACTIVE, by=by, note="Step-up not accepted", at=now)
        record_event(
            locked,
            "step_up.declined",
            by=by,
            at=now,
            summary=f"Children's social care did not accept the referral "
            f"({StepUpReferral.DeclineOutcome(decline_outcome).label}); "
            f"hold a TAF review by {review_by:%d %B %Y}",
            data={"referral": referral.pk, "outcome": decline_outcome},
        )
        locked.refresh_from_db()
        current_due = locked.next_review_due
        if current_due is None or current_due > review_by:
            set_next_review_due(locked, due=review_by, by=by)
        if lead is not None:
            notify(
                lead.professional,
                title="A step-up was not accepted: hold a review within 10 working days",
                link=reverse("cases:detail", args=[locked.pk]),
            )
    case.refresh_from_db()
    return referral


# --- Step-down in from children's social care (DOMAIN §4.3) -------------------


@dataclass(frozen=True)
class StepDownChild:
    """One child named at a step-down: a new record, or an existing child chosen instead.

    ``record`` is the unsaved child built from what was typed. ``existing_id`` is
    the child the duplicate check showed and the user chose: the case is then
    opened for that child, in their family, and ``record`` is not saved.
    ``possible_matches`` are the ids of every likely match the check found; a
    new record despite them needs ``reason`` (kept as its ``ChildRecordCheck``).
    """

    record: Child
    existing_id: int | None = None
    possible_matches: Sequence[int] = ()
    reason: str = ""


def _known_children(
    entries: Sequence[StepDownChild], *, by: User, errors: dict[str, str]
) -> dict[int, Child]:
    """The existing children chosen at a step-down, checked; problems go in ``errors``.

    A child the user may not see is refused as if it did not exist, with the
    rule the duplicate check shows matches by (``cases.search``).
    """
    ids = [e.existing_id for e in entries if e.existing_id is not None]
    if not ids:
        return {}
    allowed = children_visible_to(by, ids)
    known = {c.pk: c for c in Child.objects.filter(pk__in=allowed).select_related("family")}
    open_cases = open_cases_for(known.values())
    family_id: int | None = None
    seen: set[int] = set()
    for n, entry in enumerate(entries, 1):
        if entry.existing_id is None:
            continue
        field = f"child{n}_record"
        child = known.get(entry.existing_id)
        if entry.existing_id in seen:
            errors[field] = "This child is already chosen above."
        elif child is None:
            errors[field] = "Choose one of the children shown, or say this is a different child."
        elif child.pk in open_cases:
            errors[field] = (
                f"{child.full_name} already has an open early help case: "
                "add to that case's plan instead of opening another."
            )
        elif family_id is not None and child.family_id != family_id:
            errors[field] = (
                f"{child.full_name} is recorded in a different family from the child above. "
                "Open a case for each family."
            )
        else:
            family_id = child.family_id
        seen.add(entry.existing_id)
    return known


def _agreeing_member(family: Family, parent: FamilyMember, errors: dict[str, str]) -> FamilyMember:
    """The family member who gave agreement: the one already recorded by that name, if any.

    A member already recorded without known parental responsibility is taken as
    having it (the person opening the case confirms it); one recorded as not
    having it is refused.
    """
    if family.pk is None:
        return parent
    existing = (
        FamilyMember.objects.filter(
            family=family,
            given_names__iexact=parent.given_names.strip(),
            family_name__iexact=parent.family_name.strip(),
        )
        .order_by("pk")
        .first()
    )
    if existing is None:
        return parent
    if existing.parental_responsibility == FamilyMember.ParentalResponsibility.NO:
        errors["parent_given_names"] = (
            f"{existing.full_name} is recorded as not having parental responsibility: "
            "written agreement must come from someone who has it."
        )
    return existing


@transaction.atomic
def open_stepped_down_case(
    family: Family,
    *,
    children: Sequence[Child | StepDownChild],
    agreement_given_by: FamilyMember,
    agreement_given_on: date,
    lead: User,
    by: User,
    summary: str,
    outstanding_actions: str = "",
    handover_meeting_on: date | None = None,
    social_worker_name: str = "",
    social_worker_agency: str = "",
    social_worker_email: str = "",
) -> StepDownIn:
    """Open an early help case for a family stepped down from children's social care.

    ``family``, ``children`` and ``agreement_given_by`` may be new, unsaved
    records: they are validated and saved here, in the same transaction as the
    case, so nothing is half-written. A child already known to early help comes
    as a ``StepDownChild`` naming the existing child: the case is then opened in
    that child's family (``family`` is not saved), further new children join that
    family, and the parent who agreed is the family's existing member of that
    name when there is one. A new child keeps its duplicate check as a
    ``ChildRecordCheck``. The agreed ``lead`` becomes lead professional (basis
    ``STEP_DOWN_HANDOVER``) and is notified; the family's written agreement is
    kept as a ``ConsentRecord``; the stepping-down social worker, when named,
    joins the TAC as an external contact. The case starts in "planning": the
    first early help TAF meeting agrees the plan. A case closed in the last 12
    months for one of the children is linked as the previous episode.

    Raises ``CaseError`` with errors keyed by the step-down form's fields.
    """
    if not can_open_stepped_down_case(by):
        raise PermissionDenied(MSG_STEP_DOWN_NOT_ALLOWED)
    # A saved child passed as it is goes through the same checks as one chosen on the form.
    entries = [
        c if isinstance(c, StepDownChild) else StepDownChild(record=c, existing_id=c.pk)
        for c in children
    ]
    errors: dict[str, str] = {}
    if not entries:
        errors["child1_given_names"] = "Enter the given names of the child"
    if not summary.strip():
        errors["summary"] = "Enter the social care handover summary."
    if not lead.is_active or lead.is_system_administrator or lead.is_information_governance:
        errors["lead"] = "Choose a professional who can be the lead professional."
    if agreement_given_on > timezone.localdate():
        errors["agreement_day"] = "The date of the agreement must be today or in the past."
    if handover_meeting_on is not None and handover_meeting_on > timezone.localdate():
        errors["meeting_day"] = "The date of the handover meeting must be today or in the past."
    if agreement_given_by.parental_responsibility != FamilyMember.ParentalResponsibility.YES:
        errors["parent_given_names"] = (
            "Written agreement must come from someone with parental responsibility."
        )
    for n, entry in enumerate(entries, 1):
        if entry.existing_id is None and entry.possible_matches and not entry.reason.strip():
            errors[f"child{n}_duplicate_reason"] = (
                "Explain why none of the possible matches is this child."
            )
    known = _known_children(entries, by=by, errors=errors)
    chosen = [known[e.existing_id] for e in entries if e.existing_id in known]
    if chosen:
        family = chosen[0].family
    if agreement_given_by.pk is None and not errors:
        agreement_given_by = _agreeing_member(family, agreement_given_by, errors)
    elif agreement_given_by.pk is not None and agreement_given_by.family_id != family.pk:
        errors["parent_given_names"] = "Choose someone in the child's family."
    if errors:
        raise CaseError(errors, code="invalid")

    if family.pk is None:
        family.full_clean()
        family.save()
    subjects: list[Child] = []
    added: list[ChildRecordCheck] = []
    for entry in entries:
        if entry.existing_id is not None:
            subjects.append(known[entry.existing_id])
            continue
        child = entry.record
        if child.pk is None:
            child.family = family
            child.full_clean()
            child.save()
            added.append(
                ChildRecordCheck.objects.create(
                    child=child,
                    added_by=by,
                    added_at=timezone.now(),
                    possible_matches=sorted(set(entry.possible_matches)),
                    reason=entry.reason.strip(),
                )
            )
        subjects.append(child)
    if agreement_given_by.pk is None:
        agreement_given_by.family = family
        agreement_given_by.full_clean()
        agreement_given_by.save()
    elif agreement_given_by.parental_responsibility != FamilyMember.ParentalResponsibility.YES:
        agreement_given_by.parental_responsibility = FamilyMember.ParentalResponsibility.YES
        agreement_given_by.save(update_fields=["parental_responsibility"])

    now = timezone.now()
    try:
        case = open_case(
            family,
            children=subjects,
            by=by,
            status=Case.Status.PLANNING,
            opened_at=now,
            previous_case=recent_closed_case(subjects, at=now),
        )
    except ChildAlreadyInOpenCase as error:
        # Someone opened a case for the child a moment ago; its reference may not be
        # one the user may see, so it is not named.
        n = next(i for i, c in enumerate(subjects, 1) if c.pk == error.child.pk)
        raise CaseError(
            {f"child{n}_record": f"{error.child.full_name} already has an open early help case."},
            code="child_in_open_case",
        ) from None
    for check in added:
        if check.reason:
            record_event(
                case,
                "child.added_despite_matches",
                by=by,
                at=now,
                summary="Child record added although possible matches were shown",
                data={"child": check.child_id, "possible_matches": check.possible_matches},
            )
    assignment = assign_lead_professional(
        case,
        professional=lead,
        by=by,
        basis=LeadProfessionalAssignment.Basis.STEP_DOWN_HANDOVER,
        family_consulted=True,
        at=now,
    )
    add_family_member_to_team(case, family_member=agreement_given_by, by=by)
    agreement = ConsentRecord.objects.create(
        case=case,
        kind=ConsentRecord.Kind.AGREEMENT_TO_SERVICE,
        given_by=agreement_given_by,
        capacity_basis=ConsentRecord.CapacityBasis.ADULT,
        method=ConsentRecord.Method.WRITTEN,
        given_at=datetime.combine(
            agreement_given_on, datetime.min.time(), tzinfo=timezone.get_current_timezone()
        ),
        recorded_by=by,
    )
    agreement.subject_children.set(subjects)
    social_worker = None
    if social_worker_name.strip():
        social_worker = add_external_contact_to_team(
            case,
            name=social_worker_name,
            agency=social_worker_agency or "Children's social care",
            email=social_worker_email,
            by=by,
            role=TACRole.SOCIAL_WORKER,
        )
    step_down = StepDownIn.objects.create(
        case=case,
        summary=summary.strip(),
        outstanding_actions=outstanding_actions.strip(),
        handover_meeting_on=handover_meeting_on,
        lead_assignment=assignment,
        agreement=agreement,
        social_worker=social_worker,
        recorded_by=by,
        recorded_at=now,
    )
    record_event(
        case,
        "case.stepped_down_in",
        by=by,
        at=now,
        summary=f"Stepped down from children's social care; {lead} agreed as lead professional",
        data={"step_down": step_down.pk, "agreement": agreement.pk},
    )
    notify(
        lead,
        title="You are the lead professional for a case stepped down from social care",
        link=reverse("cases:detail", args=[case.pk]),
    )
    return step_down


# --- Closure (DOMAIN §3.7) ----------------------------------------------------


@transaction.atomic
def close_case(
    case: Case,
    *,
    by: User,
    reason: str,
    reason_detail: str = "",
    progress_summary: str,
    outcomes_achieved: str,
    outcomes_detail: str,
    child_views: str,
    family_views: str,
    continuing_support: str,
    post_closure_actions: str = "",
) -> CaseClosure:
    """Close an active case with the closure record of DOMAIN §3.7.

    The case moves active → closing → closed through the state machine, which
    ends the lead assignment and cancels the case's reminders. Two people
    closing at once: the second is told the case is already closed.
    """
    locked = _lock(case)
    # Checked before who is acting: once closed, the lead role has ended.
    if not locked.is_open:
        raise CaseError("This case is already closed.", code="already_closed")
    ensure_can_run_episode(by, locked)
    if locked.status not in {Case.Status.ACTIVE, Case.Status.CLOSING}:
        if locked.status == Case.Status.STEP_UP_REQUESTED:
            raise CaseError(
                "This case is waiting for social care's decision on a step-up. "
                "Record the decision first.",
                code="step_up_pending",
            )
        raise TransitionNotAllowed(locked, Case.Status.CLOSED)
    errors: dict[str, str] = {}
    if reason not in dict(CLOSURE_FORM_REASONS):
        errors["reason"] = "Choose the reason the case is closing."
    elif reason == ClosureReason.OTHER and not reason_detail.strip():
        errors["reason_detail"] = "Describe the reason when you choose 'Other'."
    required = {
        "progress_summary": (progress_summary, "Summarise the progress made."),
        "outcomes_detail": (
            outcomes_detail,
            "Say which outcomes were achieved, and why any were not.",
        ),
        "child_views": (child_views, "Record the child's views on closure."),
        "family_views": (family_views, "Record the family's views on closure."),
        "continuing_support": (
            continuing_support,
            "Say who will continue to support the family, or that no one will.",
        ),
    }
    for field, (value, message) in required.items():
        if not value.strip():
            errors[field] = message
    if outcomes_achieved not in CaseClosure.OutcomesAchieved.values:
        errors["outcomes_achieved"] = "Choose whether the plan's outcomes were achieved."
    if errors:
        raise CaseError(errors, code="invalid")

    now = timezone.now()
    if locked.status == Case.Status.ACTIVE:
        change_status(locked, to=Case.Status.CLOSING, by=by, at=now)
    change_status(
        locked,
        to=Case.Status.CLOSED,
        by=by,
        closure_reason=reason,
        closure_reason_detail=reason_detail.strip(),
        at=now,
    )
    try:
        with transaction.atomic():
            closure = CaseClosure.objects.create(
                case=locked,
                reason=reason,
                reason_detail=reason_detail.strip(),
                progress_summary=progress_summary.strip(),
                outcomes_achieved=outcomes_achieved,
                outcomes_detail=outcomes_detail.strip(),
                child_views=child_views.strip(),
                family_views=family_views.strip(),
                continuing_support=continuing_support.strip(),
                post_closure_actions=post_closure_actions.strip(),
                closed_by=by,
                closed_at=now,
            )
    except IntegrityError:  # pragma: no cover - the row lock above serialises closures
        raise CaseError("This case is already closed.", code="already_closed") from None
    record_event(
        locked,
        "closure.recorded",
        by=by,
        at=now,
        summary=f"Closure recorded: {ClosureReason(reason).label}; "
        f"{CaseClosure.OutcomesAchieved(outcomes_achieved).label.lower()}",
        data={"closure": closure.pk, "reason": reason, "outcomes": outcomes_achieved},
    )
    case.refresh_from_db()
    return closure
