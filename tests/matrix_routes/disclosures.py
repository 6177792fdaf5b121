"""Permission-matrix routes served by the subject access requests (see tests/matrix.py)."""

from __future__ import annotations

import datetime as dt

from agencies.models import User
from cases.models import FamilyMember
from disclosures import services
from disclosures.models import Disclosure, Redaction, SubjectAccessRequest
from meetings.services.contributions import add_contribution
from tests.matrix import Objects, Route, only

GOVERNANCE = ("auditor",)


def _governance() -> User:
    return User.objects.filter(role=User.Role.INFORMATION_GOVERNANCE).order_by("pk").first()  # type: ignore[return-value]


def _request(o: Objects) -> SubjectAccessRequest:
    return services.log_subject_access_request(
        o.case.children.get(),
        by=_governance(),
        requester_name="Robin Requester",
        requester_relationship=SubjectAccessRequest.RequesterRelationship.PARENT,
        received_on=dt.date(2026, 1, 5),
    )


def _searched(o: Objects) -> SubjectAccessRequest:
    return services.search_for_subject(_request(o), by=_governance())


def _redaction(o: Objects) -> int:
    FamilyMember.objects.create(
        family=o.case.family,
        given_names="Morgan",
        family_name="Brother",
        relationship=FamilyMember.Relationship.SIBLING,
    )
    lead = o.case.lead_assignments.active().get().professional
    add_contribution(o.case, by=lead, body="A note naming Morgan Brother.")
    sar = _searched(o)
    return Redaction.objects.filter(item__request=sar).values_list("pk", flat=True)[0]


def _ready(o: Objects) -> int:
    sar = _searched(o)
    disclosure = Disclosure.objects.create(
        request=sar, requested_by=_governance(), requested_at=sar.logged_at
    )
    services.build_disclosure_package(disclosure)
    return disclosure.pk


ROUTES: dict[str, Route] = {
    "disclosures:list": Route("get", expect=only(200, *GOVERNANCE)),
    "disclosures:new": Route("get", expect=only(200, *GOVERNANCE)),
    # An empty search goes back to the search page.
    "disclosures:log": Route("post", expect=only(302, *GOVERNANCE)),
    "disclosures:detail": Route(
        "get", args=lambda o: [_request(o).pk], expect=only(200, *GOVERNANCE)
    ),
    "disclosures:extend": Route(
        "get", args=lambda o: [_request(o).pk], expect=only(200, *GOVERNANCE)
    ),
    "disclosures:withdraw": Route(
        "get", args=lambda o: [_request(o).pk], expect=only(200, *GOVERNANCE)
    ),
    "disclosures:search": Route(
        "post", args=lambda o: [_request(o).pk], expect=only(302, *GOVERNANCE)
    ),
    "disclosures:review": Route(
        "get", args=lambda o: [_searched(o).pk], expect=only(200, *GOVERNANCE)
    ),
    "disclosures:withhold": Route(
        "get",
        args=lambda o: [_searched(o).items.values_list("pk", flat=True)[0]],
        expect=only(200, *GOVERNANCE),
    ),
    "disclosures:redaction": Route(
        "get", args=lambda o: [_redaction(o)], expect=only(200, *GOVERNANCE)
    ),
    # Not searched yet: the page says what to do first.
    "disclosures:export": Route(
        "post", args=lambda o: [_request(o).pk], expect=only(200, *GOVERNANCE)
    ),
    "disclosures:export_status": Route(
        "get", args=lambda o: [_ready(o)], expect=only(200, *GOVERNANCE)
    ),
    "disclosures:download": Route("get", args=lambda o: [_ready(o)], expect=only(200, *GOVERNANCE)),
}
