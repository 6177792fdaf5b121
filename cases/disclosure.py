"""What the case records hold about one person, for a subject access request.

The collector for ``settings.TAC_DISCLOSURE_SOURCES`` (interface: ``tac_portal.disclosure``):
the person's own record (a child, or a family member), their family's household, and
for each of their cases the case itself, its chronology, its team, requests for
support, consent and sharing decisions, safeguarding concerns and the turning points
(handover, step-up, step-down, closure).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import models
from django.utils import timezone

from cases.models import (
    Case,
    CaseClosure,
    CaseEvent,
    Child,
    ConsentRecord,
    DetailChange,
    DisclosureDecision,
    Family,
    FamilyMember,
    LeadHandover,
    RequestForSupport,
    SafeguardingConcern,
    StepDownIn,
    StepUpReferral,
    TeamMembership,
)
from tac_portal.disclosure import FoundRecord, Subject, record_fields

SOURCE = "cases"


def _found(obj: models.Model, kind: str, title: str, **extra: object) -> FoundRecord:
    return FoundRecord(
        source=SOURCE,
        key=f"{obj._meta.label_lower}:{obj.pk}",
        kind=kind,
        title=title,
        fields=record_fields(obj),
        **extra,  # type: ignore[arg-type]
    )


def _person(subject: Subject) -> Iterator[FoundRecord]:
    if subject.is_child:
        child = Child.objects.select_related("school").get(pk=subject.person_id)
        yield _found(child, "Child's record", child.full_name, at=child.created_at)
        for known in child.known_names.all():
            yield _found(known, "Name known by", known.full_name, at=known.recorded_at)
        changes = DetailChange.objects.filter(child_id=subject.person_id)
    else:
        member = FamilyMember.objects.get(pk=subject.person_id)
        yield _found(member, "Family member's record", member.full_name, at=member.created_at)
        changes = DetailChange.objects.filter(family_member_id=subject.person_id)
    for change in changes.select_related("changed_by"):
        yield _found(change, "Change of details", change.label, at=change.changed_at)
    family = Family.objects.get(pk=subject.family_id)
    yield _found(family, "Family household", str(family), at=family.created_at)


def _case_records(case_ids: Iterable[int]) -> Iterator[FoundRecord]:
    cases = Case.objects.filter(pk__in=case_ids).select_related("family", "current_level")
    for case in cases.order_by("opened_at", "pk"):
        yield _found(case, "Case", f"Case {case.reference}", at=case.opened_at, case_id=case.pk)
        events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")
        if events:
            yield FoundRecord(
                source=SOURCE,
                key=f"cases.chronology:{case.pk}",
                kind="Chronology",
                title=f"Chronology of case {case.reference}",
                at=case.opened_at,
                case_id=case.pk,
                fields=[
                    (
                        f"{timezone.localtime(event.at):%Y-%m-%d %H:%M}",
                        event.summary or event.code,
                    )
                    for event in events
                ],
            )
        memberships = TeamMembership.objects.filter(case=case).select_related(
            "professional", "family_member"
        )
        for membership in memberships:
            name = membership.professional or membership.family_member or membership.external_name
            yield _found(
                membership,
                "Team around the child",
                f"{membership.get_role_display()}: {name}",
                at=membership.joined_at,
                case_id=case.pk,
                third_parties=[membership.external_name] if membership.external_name else [],
            )


_PER_CASE: tuple[tuple[type[models.Model], str, str], ...] = (
    (ConsentRecord, "Consent and sharing", "given_at"),
    (DisclosureDecision, "Decision to share information", "decided_at"),
    (SafeguardingConcern, "Safeguarding concern", "raised_at"),
    (LeadHandover, "Lead professional handover", "pk"),
    (StepUpReferral, "Step-up to children's social care", "pk"),
    (StepDownIn, "Step-down from children's social care", "pk"),
    (CaseClosure, "Case closure", "pk"),
)


def _case_decisions(case_ids: tuple[int, ...]) -> Iterator[FoundRecord]:
    for model, kind, order in _PER_CASE:
        for obj in model._default_manager.filter(case_id__in=case_ids).order_by(order):
            when = getattr(obj, order, None) if order != "pk" else None
            yield _found(obj, kind, kind, at=when, case_id=obj.case_id)  # type: ignore[attr-defined]


def _requests(subject: Subject) -> Iterator[FoundRecord]:
    requests = RequestForSupport.objects.filter(
        models.Q(case_id__in=subject.case_ids)
        | models.Q(subjects__in=subject.child_ids)
        | models.Q(family_id=subject.family_id)
    ).distinct()
    for request in requests.order_by("received_at", "pk"):
        yield _found(
            request,
            "Request for support",
            "Request for support",
            at=request.received_at,
            case_id=request.case_id,
            third_parties=[request.requester_name] if request.requester_name else [],
        )


def collect(subject: Subject) -> Iterator[FoundRecord]:
    """The person's record, family household and every case record they are part of."""
    yield from _person(subject)
    yield from _case_records(subject.case_ids)
    yield from _case_decisions(subject.case_ids)
    yield from _requests(subject)
