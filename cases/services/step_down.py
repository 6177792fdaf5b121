"""A case stepped down from children's social care into early help (DOMAIN §4.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.access import can_open_stepped_down_case
from cases.models import (
    Case,
    CaseEvent,
    Child,
    ChildRecordCheck,
    ConsentRecord,
    Family,
    FamilyMember,
    LeadProfessionalAssignment,
    StepDownIn,
    TACRole,
)
from cases.search import children_visible_to
from cases.services.common import CaseError, ChildAlreadyInOpenCase, record_event
from cases.services.lifecycle import open_case, open_cases_for, recent_closed_case
from cases.services.teams import (
    add_external_contact_to_team,
    add_family_member_to_team,
    assign_lead_professional,
)
from notifications.services import notify

if TYPE_CHECKING:
    from agencies.models import User

MSG_STEP_DOWN_NOT_ALLOWED = "Only a team manager or the coordinator can open a stepped-down case."


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
        CaseEvent.STEPPED_DOWN_IN,
        by=by,
        at=now,
        summary=f"Stepped down from children's social care; {lead} agreed as lead professional",
        data={"step_down": step_down.pk, "agreement": agreement.pk},
    )
    notify(
        lead,
        title="You are the lead professional for a case stepped down from social care",
        link=reverse("cases:detail", args=[case.pk]),
        case=case,
    )
    return step_down
