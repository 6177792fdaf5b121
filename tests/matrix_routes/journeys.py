"""Permission-matrix routes served by the journeys area (see tests/matrix.py for the helpers)."""

from __future__ import annotations

from django.utils import timezone

from cases.models import (
    ConsentRecord,
    FamilyMember,
    ReferralSource,
    RequestForSupport,
    SafeguardingConcern,
)
from tests.matrix import Objects, Route, case_page, everyone, only, runs_the_case


def _request(o: Objects) -> list[int]:
    # Sent by the lead; a waiting request is theirs and the hub's to see.
    support = RequestForSupport.objects.create(
        received_at=timezone.now(),
        requester_id=o.notification.recipient_id,
        source_code=ReferralSource.LA_EARLY_HELP,
        family=o.case.family,
        summary_of_need="Matrix check",
    )
    support.subjects.set(o.case.children.all())
    return [support.pk]


def _consent(o: Objects) -> list[int]:
    parent = FamilyMember.objects.create(
        family=o.case.family,
        given_names="Pat",
        family_name="Parent",
        relationship=FamilyMember.Relationship.MOTHER,
    )
    consent = ConsentRecord.objects.create(
        case=o.case,
        kind=ConsentRecord.Kind.AGREEMENT_TO_SERVICE,
        given_by=parent,
        capacity_basis=ConsentRecord.CapacityBasis.ADULT,
        method=ConsentRecord.Method.WRITTEN,
        given_at=timezone.now(),
        recorded_by_id=o.notification.recipient_id,
    )
    return [o.case.pk, consent.pk]


def _concern(o: Objects) -> list[int]:
    concern = SafeguardingConcern.objects.create(
        case=o.case,
        raised_by_id=o.notification.recipient_id,
        raised_at=timezone.now(),
        route="MASH",
    )
    return [o.case.pk, concern.pk]


# Requests for support are triaged by every team manager and the coordinator.
TRIAGERS = ("manager", "member_manager", "coordinator")

# Case work is for practitioners, managers and the coordinator: the administrator
# configures, information governance audits, and both get a 404.
WORKERS = everyone(200) | {"admin": 404, "auditor": 404}

ROUTES: dict[str, Route] = {
    "cases:find_child": Route("get", expect=WORKERS),
    "cases:add_child": Route("get", expect=WORKERS),
    # Starting early help needs a child the user can see: none is named here.
    "cases:start_case": Route("post", expect=everyone(404)),
    "cases:request_sent": Route("get", args=_request, expect=only(200, "lead", *TRIAGERS)),
    "cases:triage_queue": Route("get", expect=only(200, *TRIAGERS)),
    "cases:triage": Route("get", args=_request, expect=only(200, *TRIAGERS)),
    "cases:consent_new": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "cases:consent_withdraw": Route("get", args=_consent, expect=case_page()),
    "cases:disclosures": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "cases:raise_concern": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "cases:concern": Route("get", args=_concern, expect=case_page()),
    # Moving the review date: those who run the case; the rest of the team may not.
    "cases:review_date": Route("get", args=lambda o: [o.case.pk], expect=runs_the_case(200)),
    # Judging the level of need again: those who run the case.
    "cases:level_of_need": Route("get", args=lambda o: [o.case.pk], expect=runs_the_case(200)),
}
