"""Every write to a case goes through these functions (ARCHITECTURE §4).

Each runs in one transaction, enforces the case's invariants and writes the
chronology event that tells the story of the case.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from cases.access import (
    can_record_on_case,
    can_work_on_cases,
    ensure_can_run_case,
    ensure_can_triage,
)
from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    ChildRecordCheck,
    ClosureReason,
    ConsentRecord,
    DisclosureDecision,
    Family,
    FamilyMember,
    InformationLevel,
    LeadProfessionalAssignment,
    LevelOfNeed,
    LevelOfNeedJudgement,
    ReferralSource,
    RequestForSupport,
    SafeguardingConcern,
    TACRole,
    TeamMembership,
    TriageDecision,
)
from cases.search import ChildQuery, find_children
from cases.validators import normalise_postcode
from notifications.services import (
    cancel_reminders_for,
    schedule_lead_reminders,
    schedule_review_reminders,
)

if TYPE_CHECKING:
    from agencies.models import Agency, PartnerClient, User

security_log = logging.getLogger("tac.security")


class CaseError(ValidationError):
    """A case rule was broken; the message says which, and nothing was written."""


class ChildAlreadyInOpenCase(CaseError):
    def __init__(self, child: Child, existing: Case) -> None:
        self.child = child
        self.existing = existing
        super().__init__(
            f"{child.full_name} is already a subject of open case {existing.reference}. "
            "Add to that case's plan instead of opening another.",
            code="child_in_open_case",
        )


class TransitionNotAllowed(CaseError):
    def __init__(self, case: Case, to: str) -> None:
        super().__init__(
            f"A case that is '{case.get_status_display()}' cannot move to "
            f"'{Case.Status(to).label if to in Case.Status.values else to}'.",
            code="transition_not_allowed",
        )


def record_event(
    case: Case,
    code: str,
    *,
    by: User | None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Add an entry to the case chronology, and mark the case changed.

    Touching ``Case.updated_at`` here makes every step on a case (team, lead,
    level of need, consent, ...) visible to partner systems that sync with
    ``updated_since``.
    """
    Case.objects.filter(pk=case.pk).update(updated_at=Now())
    return CaseEvent.objects.create(
        case=case, code=code, actor=by, summary=summary, data=data or {}, at=at or timezone.now()
    )


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_reference_seq')")
        (number,) = cursor.fetchone()
    return f"EH-{number:06d}"


def _existing_open_case(child: Child) -> Case | None:
    subject = CaseSubject.objects.filter(child=child, is_open=True).select_related("case").first()
    return subject.case if subject else None


@transaction.atomic
def open_case(
    family: Family,
    *,
    children: Sequence[Child],
    by: User,
    status: str = Case.Status.IDENTIFIED,
    interim_lead: User | None = None,
    previous_case: Case | None = None,
    opened_at: datetime | None = None,
) -> Case:
    """Open an early help case for ``children`` of ``family``.

    Raises ``ChildAlreadyInOpenCase`` (naming the existing case) when any child is
    already the subject of an open case; nothing is written in that case, even
    when two requests race (the database's partial unique index decides).
    ``interim_lead`` holds the lead professional role until one is agreed
    (DOMAIN §5.4).
    """
    if not children:
        raise CaseError("Choose at least one child for the case.", code="no_children")
    if status not in Case.OPEN_STATUSES:
        raise CaseError("A new case must start in an open status.", code="closed_status")
    for child in children:
        if child.family_id != family.pk:
            raise CaseError(
                f"{child.full_name} is not in {family.name}.", code="child_not_in_family"
            )
        existing = _existing_open_case(child)
        if existing is not None:
            raise ChildAlreadyInOpenCase(child, existing)

    now = opened_at or timezone.now()
    case = Case.objects.create(
        reference=_next_reference(),
        family=family,
        status=status,
        opened_at=now,
        opened_by=by,
        previous_case=previous_case,
        is_re_referral=previous_case is not None,
    )
    for child in children:
        try:
            with transaction.atomic():
                CaseSubject.objects.create(case=case, child=child, is_open=True)
        except IntegrityError:
            # Another transaction opened a case for this child after our check.
            existing = _existing_open_case(child)
            if existing is None:  # pragma: no cover - the constraint named another row
                raise
            raise ChildAlreadyInOpenCase(child, existing) from None

    record_event(
        case,
        "case.opened",
        by=by,
        at=now,
        summary=f"Case opened for {len(children)} child(ren)",
        data={"children": [c.pk for c in children], "status": status},
    )
    if previous_case is not None:
        record_event(
            case,
            "case.re_referral",
            by=by,
            at=now,
            data={"previous_case": previous_case.reference},
        )
    if interim_lead is not None:
        assign_lead_professional(
            case,
            professional=interim_lead,
            by=by,
            basis=LeadProfessionalAssignment.Basis.INTERIM_INITIATOR,
            at=now,
        )
    return case


@transaction.atomic
def add_professional_to_team(
    case: Case,
    *,
    professional: User,
    by: User,
    role: str = TACRole.PRACTITIONER,
    at: datetime | None = None,
) -> TeamMembership:
    """Add a professional to the TAC; returns their existing membership if they are on it."""
    if not professional.is_active:
        raise CaseError(f"{professional} no longer has an active account.", code="inactive")
    if professional.is_system_administrator:
        raise CaseError(
            "System administrators cannot join a TAC.", code="administrator_cannot_join"
        )
    existing = case.memberships.active().filter(professional=professional).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                case=case,
                kind=TeamMembership.Kind.PROFESSIONAL,
                professional=professional,
                role=role,
                joined_at=at or timezone.now(),
                added_by=by,
            )
    except IntegrityError:
        # Someone added them at the same moment: their membership stands.
        return case.memberships.active().get(professional=professional)
    record_event(
        case,
        "team.member_added",
        by=by,
        at=membership.joined_at,
        summary=f"{professional} ({professional.role_and_agency}) joined the TAC",
        data={"membership": membership.pk, "role": role},
    )
    return membership


@transaction.atomic
def add_family_member_to_team(
    case: Case,
    *,
    family_member: FamilyMember,
    by: User,
    role: str = TACRole.FAMILY_MEMBER,
    at: datetime | None = None,
) -> TeamMembership:
    """Add a parent, carer or network member to the TAC (the family is part of the team).

    ``at`` dates a membership that began earlier (the demo data's case histories).
    """
    if family_member.family_id != case.family_id:
        raise CaseError(f"{family_member} is not in {case.family}.", code="not_in_family")
    existing = case.memberships.active().filter(family_member=family_member).first()
    if existing is not None:
        return existing
    membership = TeamMembership.objects.create(
        case=case,
        kind=TeamMembership.Kind.FAMILY,
        family_member=family_member,
        role=role,
        joined_at=at or timezone.now(),
        added_by=by,
    )
    record_event(
        case,
        "team.member_added",
        by=by,
        at=at,
        summary=f"{family_member} joined the TAC",
        data={"membership": membership.pk, "role": role},
    )
    return membership


@transaction.atomic
def add_external_contact_to_team(
    case: Case,
    *,
    name: str,
    agency: str,
    email: str,
    by: User,
    role: str = TACRole.PRACTITIONER,
    at: datetime | None = None,
) -> TeamMembership:
    """Add someone without an account (a social worker, an advocate) to the TAC.

    ``at`` dates a membership that began earlier (the demo data's case histories).
    """
    if not name.strip():
        raise CaseError("Enter the contact's name.", code="name_required")
    membership = TeamMembership.objects.create(
        case=case,
        kind=TeamMembership.Kind.EXTERNAL,
        external_name=name.strip(),
        external_agency=agency.strip(),
        external_email=email.strip(),
        role=role,
        joined_at=at or timezone.now(),
        added_by=by,
    )
    record_event(
        case,
        "team.member_added",
        by=by,
        at=at,
        summary=f"{membership.external_name} ({membership.external_agency}) joined the TAC",
        data={"membership": membership.pk, "role": role},
    )
    return membership


@transaction.atomic
def remove_from_team(membership: TeamMembership, *, by: User, reason: str = "") -> None:
    """End a TAC membership. It takes effect on the removed person's very next request."""
    if membership.left_at is not None:
        return
    case = membership.case
    if (
        membership.professional_id
        and case.lead_assignments.active()
        .filter(professional_id=membership.professional_id)
        .exists()
    ):
        raise CaseError(
            "The lead professional cannot leave the TAC until a new lead is agreed.",
            code="lead_cannot_leave",
        )
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    record_event(
        case,
        "team.member_removed",
        by=by,
        summary=f"{membership.display_name} left the TAC",
        data={"membership": membership.pk, "reason": reason},
    )


@transaction.atomic
def assign_lead_professional(
    case: Case,
    *,
    professional: User,
    by: User,
    basis: str,
    change_reason: str = "",
    change_reason_detail: str = "",
    family_consulted: bool = False,
    family_preference: str = "",
    at: datetime | None = None,
) -> LeadProfessionalAssignment:
    """Make ``professional`` the case's lead, ending the previous assignment.

    A change of lead needs a ``change_reason`` (DOMAIN §5.4). The case row is
    locked so that concurrent assignments queue; the partial unique index
    ``one_active_lead_per_case`` is the last line of defence.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("A closed case has no lead professional.", code="case_closed")
    if professional.is_system_administrator or not professional.is_active:
        raise CaseError(f"{professional} cannot be a lead professional.", code="not_eligible")
    if basis not in LeadProfessionalAssignment.Basis.values:
        raise CaseError("Choose how the lead professional was agreed.", code="basis_required")

    now = at or timezone.now()
    current = locked.lead_assignments.active().first()
    if current is not None:
        if current.professional_id == professional.pk:
            return current
        if not change_reason:
            raise CaseError(
                "Give the reason for changing the lead professional.",
                code="change_reason_required",
            )
        if change_reason not in LeadProfessionalAssignment.ChangeReason.values:
            raise CaseError("Choose a reason from the list.", code="change_reason_invalid")
        current.ended_at = now
        current.end_reason = LeadProfessionalAssignment.EndReason.REPLACED
        current.save(update_fields=["ended_at", "end_reason"])

    assignment = LeadProfessionalAssignment.objects.create(
        case=locked,
        professional=professional,
        agency=professional.agency,
        basis=basis,
        change_reason=change_reason,
        change_reason_detail=change_reason_detail,
        family_consulted=family_consulted,
        family_preference=family_preference,
        started_at=now,
        assigned_by=by,
    )
    if current is not None:
        # The outgoing lead stays on the TAC as a practitioner unless they leave.
        locked.memberships.active().filter(
            professional_id=current.professional_id, role=TACRole.LEAD_PROFESSIONAL
        ).update(role=TACRole.PRACTITIONER)
    membership = add_professional_to_team(
        locked, professional=professional, by=by, role=TACRole.LEAD_PROFESSIONAL, at=now
    )
    if membership.role != TACRole.LEAD_PROFESSIONAL:
        membership.role = TACRole.LEAD_PROFESSIONAL
        membership.save(update_fields=["role"])
    # Review reminders, and other reminders that copy the lead (an overdue action),
    # go to the lead: re-address them in this transaction.
    schedule_review_reminders(locked, by=by)
    schedule_lead_reminders(locked)
    record_event(
        locked,
        "lead.assigned" if current is None else "lead.changed",
        by=by,
        at=now,
        summary=f"{professional} ({professional.role_and_agency}) is lead professional",
        data={
            "assignment": assignment.pk,
            "basis": basis,
            "change_reason": change_reason,
            "previous": current.professional_id if current else None,
        },
    )
    return assignment


def _end_lead_assignment(case: Case, *, reason: str, at: datetime) -> None:
    case.lead_assignments.active().update(ended_at=at, end_reason=reason)


@transaction.atomic
def change_status(
    case: Case,
    *,
    to: str,
    by: User,
    closure_reason: str = "",
    closure_reason_detail: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Case:
    """Move a case along one transition of the state machine (DOMAIN §3.1).

    Raises ``TransitionNotAllowed`` for any move not drawn there. Moving into a
    terminal status closes the case: it frees its children for a new case and
    ends the lead professional assignment.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to not in Case.Status.values or not locked.can_move_to(to):
        raise TransitionNotAllowed(locked, to)
    now = at or timezone.now()
    previous = locked.status
    locked.status = to
    fields = ["status", "updated_at"]

    if to in Case.TERMINAL_STATUSES:
        reason = closure_reason or Case.DEFAULT_CLOSURE_REASONS.get(to, "")
        if not reason:
            raise CaseError("Choose the reason the case is closing.", code="closure_reason")
        if reason not in ClosureReason.values:
            raise CaseError("Choose a closure reason from the list.", code="closure_reason")
        if reason == ClosureReason.OTHER and not closure_reason_detail.strip():
            raise CaseError("Describe the reason when you choose 'Other'.", code="closure_detail")
        locked.closure_reason = reason
        locked.closure_reason_detail = closure_reason_detail
        locked.closed_at = now
        locked.next_review_due = None
        fields += ["closure_reason", "closure_reason_detail", "closed_at", "next_review_due"]
        locked.subjects.update(is_open=False)
        end_reason = (
            LeadProfessionalAssignment.EndReason.CSC_LEAD
            if reason == ClosureReason.STEPPED_UP
            else LeadProfessionalAssignment.EndReason.CASE_CLOSED
        )
        _end_lead_assignment(locked, reason=end_reason, at=now)

    locked.save(update_fields=fields)
    if to in Case.TERMINAL_STATUSES:
        cancel_reminders_for(locked)
    record_event(
        locked,
        "case.closed" if to in Case.TERMINAL_STATUSES else "case.status_changed",
        by=by,
        at=now,
        summary=f"{Case.Status(previous).label} → {Case.Status(to).label}",
        data={"from": previous, "to": to, "note": note, "closure_reason": locked.closure_reason},
    )
    case.refresh_from_db()
    return locked


@transaction.atomic
def record_level_of_need(
    case: Case,
    *,
    level: LevelOfNeed,
    rationale: str,
    by: User,
    family_informed: bool = False,
    at: datetime | None = None,
) -> LevelOfNeedJudgement:
    """Record a named professional's judgement of the level of need.

    The rationale is required: levels are never computed (DOMAIN §4.1).
    """
    if not rationale.strip():
        raise CaseError(
            {"rationale": "Explain why you judge the need to be at this level."},
            code="rationale_required",
        )
    now = at or timezone.now()
    judgement = LevelOfNeedJudgement.objects.create(
        case=case,
        level=level,
        rationale=rationale.strip(),
        family_informed=family_informed,
        judged_by=by,
        judged_at=now,
    )
    case.current_level = level
    case.save(update_fields=["current_level", "updated_at"])
    record_event(
        case,
        "level.judged",
        by=by,
        at=now,
        summary=str(level),
        data={"judgement": judgement.pk, "level": level.code},
    )
    return judgement


@transaction.atomic
def set_next_review_due(case: Case, *, due: date | None, by: User) -> Case:
    """Set (or clear) when the case's plan is next reviewed.

    Review reminders are moved in the same transaction, so they follow the date
    whatever happens to Celery.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("A closed case has no review date.", code="case_closed")
    previous = locked.next_review_due
    if previous == due:
        return locked
    locked.next_review_due = due
    locked.save(update_fields=["next_review_due", "updated_at"])
    schedule_review_reminders(locked, by=by)
    record_event(
        locked,
        "review.date_set",
        by=by,
        summary=f"Next review due {due:%d %B %Y}" if due else "Next review date cleared",
        data={
            "from": previous.isoformat() if previous else None,
            "to": due.isoformat() if due else None,
        },
    )
    case.next_review_due = due
    return locked


def open_cases_for(children: Iterable[Child]) -> dict[int, Case]:
    """The open case of each child that has one, keyed by child id."""
    subjects = CaseSubject.objects.filter(child__in=list(children), is_open=True).select_related(
        "case"
    )
    return {s.child_id: s.case for s in subjects}


# --- Practitioner journeys -------------------------------------------------------------
# Adding a child, starting early help, requests for support and triage, consent and
# sharing, disclosure decisions, safeguarding concerns (DOMAIN §3.1, §3.2, §6).

#: A new request within this many days of a case closing is a re-referral (DOMAIN §3.7).
RE_REFERRAL_DAYS = 365


def _may_work_on_cases(user: User) -> None:
    if not can_work_on_cases(user):
        raise CaseError(
            "System administrators cannot work on cases.", code="administrator_cannot_work"
        )


def recent_closed_case(children: Sequence[Child], *, at: datetime | None = None) -> Case | None:
    """The most recently closed case of any of ``children`` closed within 12 months."""
    since = (at or timezone.now()) - timedelta(days=RE_REFERRAL_DAYS)
    return (
        Case.objects.closed()
        .filter(subjects__child__in=list(children), closed_at__gte=since)
        .order_by("-closed_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class NewChild:
    """What a practitioner typed to add a child (and their household) to the portal."""

    given_names: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    address: str = ""
    nhs_number: str = ""
    family_display_name: str = ""
    carer_given_names: str = ""
    carer_family_name: str = ""
    carer_relationship: str = ""
    carer_parental_responsibility: str = FamilyMember.ParentalResponsibility.UNKNOWN


@transaction.atomic
def add_child(
    details: NewChild,
    *,
    by: User | None,
    possible_matches: Sequence[int],
    reason: str = "",
    client_id: str = "",
) -> Child:
    """Add a new child record with its household (and a parent or carer, when given).

    ``possible_matches`` are the ids of the existing children the duplicate check
    showed the practitioner; adding anyway needs ``reason``. Both are kept as the
    child's ``ChildRecordCheck``, with who added it: the professional ``by``, or the
    partner system ``client_id`` when a referral came by API (``by=None``).
    """
    if by is not None:
        _may_work_on_cases(by)
    elif not client_id:
        raise CaseError("A new child record needs a professional or a partner system.")
    if possible_matches and not reason.strip():
        raise CaseError(
            {"duplicate_reason": "Explain why none of the possible matches is this child."},
            code="duplicate_reason_required",
        )
    if details.date_of_birth > timezone.localdate():
        raise CaseError(
            {"date_of_birth": "Date of birth must be today or in the past."}, code="dob_future"
        )
    postcode = normalise_postcode(details.postcode) if details.postcode else ""
    family = Family.objects.create(
        name=details.family_display_name.strip() or f"The {details.family_name.strip()} family",
        address=details.address.strip(),
        postcode=postcode,
    )
    child = Child(
        family=family,
        given_names=details.given_names.strip(),
        family_name=details.family_name.strip(),
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        address=details.address.strip(),
        postcode=postcode,
        nhs_number=details.nhs_number.replace(" ", ""),
    )
    child.full_clean()
    child.save()
    if details.carer_given_names.strip() or details.carer_family_name.strip():
        FamilyMember.objects.create(
            family=family,
            given_names=details.carer_given_names.strip(),
            family_name=details.carer_family_name.strip() or details.family_name.strip(),
            relationship=details.carer_relationship or FamilyMember.Relationship.OTHER,
            parental_responsibility=details.carer_parental_responsibility,
        )
    ChildRecordCheck.objects.create(
        child=child,
        added_by=by,
        added_by_client=client_id if by is None else "",
        added_at=timezone.now(),
        possible_matches=sorted(set(possible_matches)),
        reason=reason.strip(),
    )
    return child


@transaction.atomic
def start_case_for_child(
    children: Sequence[Child],
    *,
    by: User,
    level: LevelOfNeed | None = None,
    rationale: str = "",
) -> Case:
    """A practitioner starts early help themselves: they become interim lead (DOMAIN §5.4).

    A child whose case closed in the last 12 months starts a re-referral.
    """
    _may_work_on_cases(by)
    if not children:
        raise CaseError("Choose at least one child.", code="no_children")
    previous = recent_closed_case(children)
    case = open_case(
        children[0].family,
        children=children,
        by=by,
        status=Case.Status.IDENTIFIED,
        interim_lead=by,
        previous_case=previous,
    )
    for check in ChildRecordCheck.objects.filter(child__in=children).exclude(reason=""):
        record_event(
            case,
            "child.added_despite_matches",
            by=by,
            summary="Child record added although possible matches were shown",
            data={"child": check.child_id, "possible_matches": check.possible_matches},
        )
    if level is not None:
        record_level_of_need(case, level=level, rationale=rationale, by=by)
    return case


@transaction.atomic
def submit_request_for_support(
    *,
    by: User | None,
    source_code: str,
    summary_of_need: str,
    subjects: Sequence[Child],
    family: Family | None,
    family_aware: bool,
    consent_obtained: bool,
    requester_name: str = "",
    requester_agency: Agency | None = None,
    partner: PartnerClient | None = None,
) -> RequestForSupport:
    """Send a request for support to the early help hub (DOMAIN §3.2).

    Who asked is one of: ``by``, the requesting professional (their agency is the
    requesting organisation); ``partner``, a partner system sending it for its agency
    (``requester_name`` may name the person there); or, for a self-referral or a request
    taken by phone, ``requester_name`` with ``requester_agency`` when an organisation
    asked. The request waits for triage; a subject child already in an open case is
    linked to it as ``existing_case``.
    """
    errors: dict[str, str] = {}
    if by is not None:
        _may_work_on_cases(by)
        requester_agency = by.agency
    elif partner is not None:
        requester_agency = partner.agency
    elif not requester_name.strip():
        errors["requester_name"] = "Enter who asked for support."
    if source_code not in ReferralSource.values:
        errors["source_code"] = "Choose where the request comes from."
    if not summary_of_need.strip():
        errors["summary_of_need"] = "Describe what support the child or family needs."
    if not subjects:
        errors["subjects"] = "Choose at least one child."
    if errors:
        raise CaseError(errors, code="request_invalid")
    families = {child.family_id for child in subjects}
    if family is None and len(families) == 1:
        family = subjects[0].family
    if family is None or families != {family.pk}:
        raise CaseError(
            {"subjects": "Every child in a request must belong to the family."},
            code="child_not_in_family",
        )
    existing = open_cases_for(subjects)
    request = RequestForSupport.objects.create(
        received_at=timezone.now(),
        requester=by,
        requester_name=requester_name.strip(),
        requester_agency=requester_agency,
        partner_client=partner,
        source_code=source_code,
        family=family,
        summary_of_need=summary_of_need.strip(),
        family_aware=family_aware,
        consent_obtained=consent_obtained,
        existing_case=next(iter(existing.values()), None),
    )
    request.subjects.set(subjects)
    security_log.info(
        "request for support submitted",
        extra={
            "request": request.pk,
            "user_id": by.pk if by else None,
            "client_id": partner.client_id if partner else "",
        },
    )
    return request


@dataclass(frozen=True)
class ReferredNewChild:
    """A child named in a referral who is not yet known to the portal."""

    details: NewChild
    #: Why none of the likely matches is this child (needed when there are matches).
    duplicate_reason: str = ""


class PossibleDuplicates(CaseError):
    """New children in a referral look like children already known; nothing was saved.

    ``found`` holds, per unexplained new child, its position in the referral, how many
    records look like it, and the ids of those the caller may already see.
    """

    def __init__(self, found: list[tuple[int, int, list[int]]]) -> None:
        super().__init__("Likely matches exist for a new child.", code="possible_duplicate")
        self.found = found


@transaction.atomic
def refer_children(
    *,
    by: User | None,
    partner: PartnerClient | None,
    visible_cases: QuerySet[Case],
    child_ids: Sequence[int],
    new_children: Sequence[ReferredNewChild],
    source_code: str | None,
    summary_of_need: str,
    family_aware: bool,
    consent_obtained: bool,
    requester_name: str = "",
) -> RequestForSupport:
    """A partner system's (or a professional's API) request for support: the children the
    caller can already see (``child_ids``, within ``visible_cases``) and children new to
    the portal, which get the same duplicate check as the portal's own form.

    Raises ``CaseError`` on ``child_ids`` naming a child the caller cannot see (in the
    same words as a child that does not exist) and ``PossibleDuplicates`` when a new child
    looks like a known one and no reason says why it is not. All or nothing.
    """
    if by is None and partner is None:
        raise CaseError("A referral needs a professional or a partner system.")
    children = _children_in(visible_cases, child_ids)
    matches = [find_children(_query_for(child.details)) for child in new_children]
    unexplained = [
        (index, [m.child.pk for m in found])
        for index, (child, found) in enumerate(zip(new_children, matches, strict=True))
        if found and not child.duplicate_reason.strip()
    ]
    if unexplained:
        seen = set(
            CaseSubject.objects.filter(
                child_id__in=[i for _, ids in unexplained for i in ids], case__in=visible_cases
            ).values_list("child_id", flat=True)
        )
        raise PossibleDuplicates(
            [(index, len(ids), [i for i in ids if i in seen]) for index, ids in unexplained]
        )
    for child, found in zip(new_children, matches, strict=True):
        children.append(
            add_child(
                child.details,
                by=by,
                possible_matches=[m.child.pk for m in found],
                reason=child.duplicate_reason,
                client_id=partner.client_id if partner else "",
            )
        )
    agency = partner.agency if partner is not None else (by.agency if by else None)
    return submit_request_for_support(
        by=by,
        partner=partner,
        source_code=source_code
        or (agency.cin_source_code if agency is not None else ReferralSource.OTHER),
        summary_of_need=summary_of_need,
        subjects=children,
        family=None,
        family_aware=family_aware,
        consent_obtained=consent_obtained,
        requester_name=requester_name,
    )


def _children_in(visible_cases: QuerySet[Case], child_ids: Sequence[int]) -> list[Child]:
    if not child_ids:
        return []
    subjects = CaseSubject.objects.filter(child=OuterRef("pk"), case__in=visible_cases)
    found = {
        c.pk: c
        for c in Child.objects.filter(Exists(subjects), pk__in=child_ids).select_related("family")
    }
    missing = [str(i) for i in child_ids if i not in found]
    if missing:
        # The same words for a child that does not exist and one the caller may not see.
        raise CaseError(
            {"child_ids": f"No child you can see has the id {', '.join(missing)}."},
            code="child_not_visible",
        )
    return [found[i] for i in dict.fromkeys(child_ids)]


def _query_for(details: NewChild) -> ChildQuery:
    return ChildQuery(
        given_names=details.given_names,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        postcode=details.postcode,
        nhs_number=details.nhs_number.replace(" ", ""),
    )


@transaction.atomic
def triage_request(
    request: RequestForSupport,
    *,
    by: User,
    decision: str,
    level: LevelOfNeed | None,
    rationale: str,
) -> RequestForSupport:
    """The hub's decision on a request (DOMAIN §3.1 Triaged, §3.2).

    Only the early help coordinator or a team manager triages. An early help
    assessment decision opens a case awaiting the family's agreement (or joins the
    child's open case); a child whose case closed in the last 12 months starts a
    re-referral linked to it. The level of need always has a named rationale.
    """
    ensure_can_triage(by)
    locked = RequestForSupport.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestForSupport.Status.RECEIVED:
        raise CaseError("This request has already been triaged.", code="already_triaged")
    errors: dict[str, str] = {}
    if decision not in TriageDecision.values:
        errors["decision"] = "Choose a triage decision."
    if not rationale.strip():
        errors["rationale"] = "Explain the decision and the level of need."
    needs_case = decision in {
        TriageDecision.EARLY_HELP_ASSESSMENT,
        TriageDecision.LP_SUPPORT_EXISTING_PLAN,
    }
    if needs_case and level is None:
        errors["level"] = "Choose the level of need."
    if errors:
        raise CaseError(errors, code="triage_invalid")

    now = timezone.now()
    children = list(locked.subjects.select_related("family").order_by("pk"))
    existing = open_cases_for(children)
    case: Case | None = None
    if decision == TriageDecision.LP_SUPPORT_EXISTING_PLAN:
        if not existing:
            raise CaseError(
                {"decision": "No child in this request has an open case to support."},
                code="no_existing_case",
            )
        case = next(iter(existing.values()))
    elif decision == TriageDecision.EARLY_HELP_ASSESSMENT:
        if existing:
            case = next(iter(existing.values()))
        else:
            requester = locked.requester
            interim = (
                requester
                if requester is not None
                and requester.is_active
                and not requester.is_system_administrator
                else None
            )
            case = open_case(
                children[0].family,
                children=children,
                by=by,
                status=Case.Status.CONSENT_PENDING,
                interim_lead=interim,
                previous_case=recent_closed_case(children, at=now),
                opened_at=now,
            )
            record_event(
                case,
                "request.triaged",
                by=by,
                at=now,
                summary="Opened from a request for support: early help assessment agreed",
                data={"request": locked.pk, "decision": decision},
            )
    if case is not None and level is not None:
        record_level_of_need(case, level=level, rationale=rationale, by=by, at=now)
        if case.pk in {c.pk for c in existing.values()}:
            record_event(
                case,
                "request.linked",
                by=by,
                at=now,
                summary="A new request for support was linked to this case",
                data={"request": locked.pk, "decision": decision},
            )
    locked.status = RequestForSupport.Status.TRIAGED
    locked.triage_decision = decision
    locked.triage_decided_at = now
    locked.triaged_by = by
    locked.level_of_need_at_triage = level
    locked.triage_rationale = rationale.strip()
    locked.case = case
    locked.save()
    security_log.info(
        "request for support triaged",
        extra={"request": locked.pk, "user_id": by.pk, "decision": decision},
    )
    return locked


def _ensure_case_worker(case: Case, user: User) -> None:
    """Consent, sharing and safeguarding records (``cases.access.can_record_on_case``)."""
    _may_work_on_cases(user)
    if not can_record_on_case(user, case):
        raise PermissionDenied("You cannot record on this case.")


@transaction.atomic
def record_consent(
    case: Case,
    *,
    by: User,
    kind: str,
    given_by: FamilyMember | None,
    given_by_child: Child | None,
    subject_children: Sequence[Child],
    capacity_basis: str,
    method: str,
    given_at: datetime,
    information_level: str = InformationLevel.BASIC,
    agencies_allowed: Sequence[Agency] = (),
    agencies_excluded: Sequence[Agency] = (),
    capacity_note: str = "",
) -> ConsentRecord:
    """Record the family's agreement (to assessment or service) or sharing preference."""
    _ensure_case_worker(case, by)
    errors: dict[str, str] = {}
    if (given_by is None) == (given_by_child is None):
        errors["given_by"] = "Choose who gave their agreement."
    if given_by is not None and given_by.family_id != case.family_id:
        errors["given_by"] = "Choose someone in this family."
    subject_ids = set(case.subjects.values_list("child_id", flat=True))
    if given_by_child is not None and given_by_child.pk not in subject_ids:
        errors["given_by"] = "Choose someone in this family."
    if not subject_children:
        errors["subject_children"] = "Choose the children this covers."
    elif not {c.pk for c in subject_children} <= subject_ids:
        errors["subject_children"] = "Choose children who are subjects of this case."
    if given_at > timezone.now():
        errors["given_at"] = "The date given must be today or in the past."
    overlap = {a.pk for a in agencies_allowed} & {a.pk for a in agencies_excluded}
    if overlap:
        errors["agencies_excluded"] = "An agency cannot be both allowed and excluded."
    if errors:
        raise CaseError(errors, code="consent_invalid")
    consent = ConsentRecord.objects.create(
        case=case,
        kind=kind,
        given_by=given_by,
        given_by_child=given_by_child,
        capacity_basis=capacity_basis,
        capacity_note=capacity_note.strip(),
        information_level=information_level,
        method=method,
        given_at=given_at,
        recorded_by=by,
    )
    consent.subject_children.set(subject_children)
    consent.agencies_allowed.set(agencies_allowed)
    consent.agencies_excluded.set(agencies_excluded)
    record_event(
        case,
        "consent.recorded",
        by=by,
        summary=f"{consent.get_kind_display()} recorded",
        data={"consent": consent.pk, "kind": kind, "method": method},
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: ConsentRecord, *, by: User, note: str) -> ConsentRecord:
    """Record that the family withdrew an agreement or sharing preference.

    Withdrawing agreement to early help is recorded and shown on the case; closing
    the case (or stepping up, where there is a safeguarding concern) is a separate
    decision (DOMAIN §6.1).
    """
    _ensure_case_worker(consent.case, by)
    locked = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_at is not None:
        raise CaseError("This has already been withdrawn.", code="already_withdrawn")
    if not note.strip():
        raise CaseError(
            {"withdrawal_note": "Describe what the family said and when."},
            code="withdrawal_note_required",
        )
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_note = note.strip()
    locked.save(update_fields=["withdrawn_at", "withdrawal_note"])
    record_event(
        locked.case,
        f"consent.withdrawn.{locked.kind}",
        by=by,
        at=locked.withdrawn_at,
        summary=f"{locked.get_kind_display()} withdrawn",
        data={"consent": locked.pk},
    )
    return locked


@transaction.atomic
def record_disclosure_decision(
    case: Case,
    *,
    by: User,
    decision: str,
    recipient: str,
    information: str,
    purpose: str,
    reason: str,
    lawful_basis: str = "",
    with_consent: bool = False,
    decided_at: datetime | None = None,
) -> DisclosureDecision:
    """Record a decision to share, or not to share, information (DOMAIN §6.2 rule 7)."""
    _ensure_case_worker(case, by)
    errors: dict[str, str] = {}
    if decision not in DisclosureDecision.Decision.values:
        errors["decision"] = "Choose whether the information was shared."
    for field, text, message in (
        ("recipient", recipient, "Enter who the information was (or was not) shared with."),
        ("information", information, "Describe the information."),
        ("purpose", purpose, "Enter the purpose."),
        ("reason", reason, "Explain the reasons for the decision."),
    ):
        if not text.strip():
            errors[field] = message
    now = timezone.now()
    if decided_at is not None and decided_at > now:
        errors["decided_at"] = "The decision date must be today or in the past."
    if errors:
        raise CaseError(errors, code="disclosure_invalid")
    disclosure = DisclosureDecision.objects.create(
        case=case,
        decision=decision,
        recipient=recipient.strip(),
        information=information.strip(),
        purpose=purpose.strip(),
        lawful_basis=lawful_basis.strip(),
        with_consent=with_consent,
        reason=reason.strip(),
        decided_by=by,
        decided_at=decided_at or now,
    )
    record_event(
        case,
        "disclosure.decided",
        by=by,
        summary=f"Information {disclosure.get_decision_display().lower()}: {disclosure.recipient}"[
            :300
        ],
        data={"disclosure": disclosure.pk, "decision": decision},
    )
    return disclosure


def raise_safeguarding_concern(case: Case, *, by: User) -> SafeguardingConcern:
    """Record that ``by`` raised a safeguarding concern, and the MASH route given to them.

    Always available to anyone who can see the case; it never waits on consent or any
    other step, and leaves the case's status alone (DOMAIN §6.2, §9.2 F1).
    """
    _may_work_on_cases(by)
    now = timezone.now()
    with transaction.atomic():
        concern = SafeguardingConcern.objects.create(
            case=case, raised_by=by, raised_at=now, route=settings.TAC_MASH_CONTACT[:300]
        )
        record_event(
            case,
            "safeguarding.concern_raised",
            by=by,
            at=now,
            summary="Safeguarding concern raised: MASH contact given",
            data={"concern": concern.pk},
        )
    security_log.info(
        "safeguarding concern raised",
        extra={"concern": concern.pk, "case": case.pk, "user_id": by.pk},
    )
    return concern


# --- Moving the review date by hand ------------------------------------------

REASON_MAX_LENGTH = Case._meta.get_field("review_late_reason").max_length or 200
LATE_REASON_MAX_LENGTH = 200


def latest_allowed_review_date(today: date) -> date:
    """No review is set further ahead than the maximum interval (DOMAIN §3.6: 3 months)."""
    from meetings.services import max_review_interval_days

    return today + timedelta(days=max_review_interval_days())


@transaction.atomic
def move_next_review_due(case: Case, *, due: date, reason: str, by: User) -> Case:
    """Move the case's next review to ``due``, for ``reason``; nothing is written on refusal.

    The reason becomes the case's "why late" when the review was overdue or the
    new date has passed; otherwise the review is on time and any earlier "why
    late" is cleared.
    """
    ensure_can_run_case(by, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("This case is closed, so it has no review date.", code="case_closed")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError("Enter why the review date is changing", code="required")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
                    code="max_length",
                )
            }
        )
    today = timezone.localdate()
    opened_on = timezone.localtime(locked.opened_at).date()
    previous = locked.next_review_due
    if previous == due:
        raise ValidationError(
            {
                "next_review_due": ValidationError(
                    f"The next review is already due on {due:%-d %B %Y}: enter a different date",
                    code="unchanged",
                )
            }
        )
    if due < opened_on:
        raise ValidationError(
            {
                "next_review_due": ValidationError(
                    f"The review date must be on or after {opened_on:%-d %B %Y}, "
                    "when the case opened",
                    code="before_opened",
                )
            }
        )
    latest = latest_allowed_review_date(today)
    if due > latest:
        raise ValidationError(
            {
                "next_review_due": ValidationError(
                    f"The review date must be on or before {latest:%-d %B %Y}: "
                    "plans are reviewed at least every 3 months",
                    code="too_late",
                )
            }
        )
    is_late = (previous is not None and previous < today) or due < today
    set_next_review_due(locked, due=due, by=by)
    locked.review_late_reason = reason if is_late else ""
    locked.save(update_fields=["review_late_reason", "updated_at"])
    record_event(
        locked,
        "review.date_moved",
        by=by,
        summary=f"Review date moved to {due:%-d %B %Y}: {reason}",
        data={
            "from": previous.isoformat() if previous else None,
            "to": due.isoformat(),
            "late": is_late,
        },
    )
    case.next_review_due = locked.next_review_due
    case.review_late_reason = locked.review_late_reason
    return locked


# --- "Why late" (DOMAIN §7.3) ---------------------------------------------------------------


class LateReasonError(CaseError):
    """A "why late" reason that cannot be recorded (too long, or nothing is late)."""


def clean_late_reason(reason: str) -> str:
    """One line, at most 200 characters (it sits beside the overdue flag on dashboards)."""
    reason = " ".join(reason.split())
    if len(reason) > LATE_REASON_MAX_LENGTH:
        raise LateReasonError(
            f"The reason must be {LATE_REASON_MAX_LENGTH} characters or fewer.", code="too_long"
        )
    return reason


@transaction.atomic
def record_review_late_reason(case: Case, *, by: User, reason: str) -> Case:
    """Say why a case's overdue review is late (an empty reason clears it)."""
    ensure_can_run_case(by, case)
    reason = clean_late_reason(reason)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_review_overdue(timezone.localdate()):
        raise LateReasonError("This case's review is not overdue.", code="not_overdue")
    case.review_late_reason = reason
    case.save(update_fields=["review_late_reason", "updated_at"])
    record_event(
        case,
        "case.review_late_reason_recorded",
        by=by,
        summary=f"Why the review is late: {reason}" if reason else "Review late reason cleared",
        data={"next_review_due": str(case.next_review_due)},
    )
    return case
