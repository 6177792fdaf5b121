"""Permission-matrix routes served by the api area (see tests/matrix.py for the helpers).

Professionals reach the partner API with their session; signed out, the API
answers 401 (a problem, never a redirect to the sign-in page). A case's data
follows the access policy (404 for anyone without a relationship); lists are
200 for everyone signed in and simply hold less.
"""

from __future__ import annotations

from django.utils import timezone

from agencies.models import Agency
from tests.matrix import PERSONAS, Objects, Route, everyone

UNAUTHORISED = 401
CASE_READERS = {"lead", "member", "manager", "coordinator"}


def api_case_data() -> dict[str, int | frozenset[int]]:
    expect: dict[str, int | frozenset[int]] = {"anonymous": UNAUTHORISED}
    for p in PERSONAS[:-1]:
        expect[p] = 200 if p in CASE_READERS else 404
    return expect


def _child(o: Objects) -> list[int]:
    return [o.case.children.get().pk]


def _shared_assessment(o: Objects) -> list[int]:
    """An assessment on the case, with the family sharing additional information with all."""
    from assessments.models import Assessment, AssessmentTemplate
    from cases.models import ConsentRecord, FamilyMember

    now = timezone.now()
    parent = FamilyMember.objects.create(
        family=o.case.family, given_names="Pat", family_name="Parent", relationship="mother"
    )
    consent = ConsentRecord.objects.create(
        case=o.case,
        kind=ConsentRecord.Kind.SHARING_PREFERENCE,
        given_by=parent,
        capacity_basis=ConsentRecord.CapacityBasis.ADULT,
        information_level="additional",
        method=ConsentRecord.Method.WRITTEN,
        given_at=now,
        recorded_by=o.case.opened_by,
    )
    assert consent.pk
    template = AssessmentTemplate.objects.create(
        code="matrix", version=1, name="Matrix CAF", definition={}
    )
    assessment = Assessment.objects.create(
        case=o.case,
        child=o.case.children.get(),
        template=template,
        assessor=o.case.opened_by,
        started_at=now,
    )
    return [assessment.pk]


ROUTES: dict[str, Route] = {
    "api:case-list": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    "api:child-list": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    "api:case-detail": Route("get", args=lambda o: [o.case.pk], expect=api_case_data()),
    "api:child-detail": Route("get", args=_child, expect=api_case_data()),
    "api:case-team": Route("get", args=lambda o: [o.case.pk], expect=api_case_data()),
    "api:case-actions": Route("get", args=lambda o: [o.case.pk], expect=api_case_data()),
    "api:case-meetings": Route("get", args=lambda o: [o.case.pk], expect=api_case_data()),
    "api:case-assessments": Route("get", args=lambda o: [o.case.pk], expect=api_case_data()),
    "api:assessment-detail": Route("get", args=_shared_assessment, expect=api_case_data()),
    # Reference data holds no personal data: anyone signed in.
    "api:agency-list": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    "api:agency-detail": Route(
        "get",
        args=lambda o: [Agency.objects.order_by("pk").first().pk],  # type: ignore[union-attr]
        expect=everyone(200, anonymous=UNAUTHORISED),
    ),
    "api:agency-kinds": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    "api:levels-of-need": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    "api:closure-reasons": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    "api:ethnicity-codes": Route("get", expect=everyone(200, anonymous=UNAUTHORISED)),
    # The API's description and its documentation page are public.
    "api:schema": Route("get", expect=everyone(200, anonymous=200)),
    "api:docs": Route("get", expect=everyone(200, anonymous=200)),
    "api:not-found": Route(
        "get", args=lambda o: ["nothing-here/"], expect=everyone(404, anonymous=404)
    ),
    # Token endpoints answer OAuth2 errors to anyone without client credentials.
    "oauth2_provider:token": Route(
        "post", data={"grant_type": "client_credentials"}, expect=everyone(401, anonymous=401)
    ),
    "oauth2_provider:revoke-token": Route(
        "post", data={"token": "not-a-token"}, expect=everyone(401, anonymous=401)
    ),
}
