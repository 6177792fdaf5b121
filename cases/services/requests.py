"""Requests for support and their triage (DOMAIN §3.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.access import (
    can_work_on_cases,
    ensure_can_triage,
)
from cases.models import (
    Case,
    CaseSubject,
    Child,
    Family,
    LeadProfessionalAssignment,
    LevelOfNeed,
    ReferralSource,
    RequestForSupport,
    TriageDecision,
)
from cases.search import ChildQuery, find_children
from cases.services.children import NewChild, add_child
from cases.services.common import CaseError, ensure_works_on_cases, record_event, security_log
from cases.services.lifecycle import (
    open_case,
    open_cases_for,
    recent_closed_case,
    record_level_of_need,
)
from cases.services.teams import add_professional_to_team, assign_lead_professional
from notifications.services import notify

if TYPE_CHECKING:
    from agencies.models import Agency, PartnerClient, User


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
        ensure_works_on_cases(by)
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


@transaction.atomic
def log_request_for_support(
    *,
    logged_by: User,
    requester_name: str,
    requester_agency: Agency | None,
    source_code: str,
    summary_of_need: str,
    subjects: Sequence[Child],
    family_aware: bool,
    consent_obtained: bool,
) -> RequestForSupport:
    """Triage staff log a request that came by phone, or a family's self-referral.

    The requester is the person who asked (``requester_name``), with their organisation
    when a professional phoned; the request waits for triage like any other.
    """
    ensure_can_triage(logged_by)
    request = submit_request_for_support(
        by=None,
        source_code=source_code,
        summary_of_need=summary_of_need,
        subjects=subjects,
        family=None,
        family_aware=family_aware,
        consent_obtained=consent_obtained,
        requester_name=requester_name,
        requester_agency=requester_agency,
    )
    security_log.info(
        "request for support logged by triage",
        extra={"request": request.pk, "user_id": logged_by.pk},
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
    lead: User | None = None,
    family_preference: str = "",
) -> RequestForSupport:
    """The hub's decision on a request (DOMAIN §3.1 Triaged, §3.2).

    Only the early help coordinator or a team manager triages. An early help
    assessment decision opens a case awaiting the family's agreement (or joins the
    child's open case); a child whose case closed in the last 12 months starts a
    re-referral linked to it. The level of need always has a named rationale.

    ``lead`` allocates the new case's lead professional, anyone in any agency who works
    on cases, with what the family said about who should lead (``family_preference``)
    recorded on the assignment; the requester stays on the team. Without one the
    requesting professional leads for now.
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
    if lead is not None:
        if decision != TriageDecision.EARLY_HELP_ASSESSMENT:
            errors["lead"] = "Allocate a lead professional only when early help is offered."
        elif not can_work_on_cases(lead):
            errors["lead"] = f"{lead} cannot lead a case. Choose someone who works on cases."
    if len(family_preference) > 2000:
        errors["family_preference"] = "The family's preference must be 2000 characters or fewer."
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
            if lead is not None:
                raise CaseError(
                    {
                        "lead": "A child in this request already has an open case with a lead "
                        "professional: change the lead from that case."
                    },
                    code="triage_invalid",
                )
            case = next(iter(existing.values()))
        else:
            requester = locked.requester
            # An open case always has a lead: the requester, or else (a self-referral,
            # a request by phone or from a partner system) whoever triaged it, until
            # a lead is allocated or agreed.
            interim = (
                requester
                if requester is not None
                and requester.is_active
                and not requester.is_system_administrator
                else by
            )
            case = open_case(
                children[0].family,
                children=children,
                by=by,
                status=Case.Status.CONSENT_PENDING,
                interim_lead=None if lead is not None else interim,
                previous_case=recent_closed_case(children, at=now),
                opened_at=now,
            )
            if lead is not None:
                _allocate_lead(case, lead=lead, by=by, family_preference=family_preference, at=now)
                if interim is not None and interim.pk != lead.pk and can_work_on_cases(interim):
                    add_professional_to_team(case, professional=interim, by=by, at=now)
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
    if lead is not None and case is not None:
        notify(
            lead,
            title="You have been allocated as the lead professional for a new case",
            link=reverse("cases:detail", args=[case.pk]),
            case=case,
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


def _allocate_lead(
    case: Case, *, lead: User, by: User, family_preference: str, at: datetime
) -> LeadProfessionalAssignment:
    """Triage's choice of lead: allocated by the hub, or the family's own choice when the
    family named them."""
    preference = family_preference.strip()
    return assign_lead_professional(
        case,
        professional=lead,
        by=by,
        basis=LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED,
        family_consulted=bool(preference),
        family_preference=preference,
        at=at,
    )
