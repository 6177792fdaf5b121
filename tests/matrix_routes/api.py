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
CASE_READERS = {"lead", "member", "manager", "member_manager", "coordinator"}


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


def _leads_action(o: Objects) -> list[int]:
    """An action the lead owns (early help agency); no sharing preference is recorded."""
    import datetime as dt

    from meetings.models import Action

    lead = o.case.opened_by
    action = Action.objects.create(
        case=o.case,
        description="Matrix action",
        owner_professional=lead,
        owner_agency=lead.agency,
        due_on=dt.date(2026, 12, 1),
        created_by=lead,
    )
    return [action.pk]


def _leads_referral(o: Objects) -> list[int]:
    """A request for support the lead sent."""
    from cases.services.requests import submit_request_for_support

    request = submit_request_for_support(
        by=o.case.opened_by,
        source_code="5D",
        summary_of_need="Matrix referral",
        subjects=list(o.case.children.all()),
        family=None,
        family_aware=True,
        consent_obtained=True,
    )
    return [request.pk]


def _members_invitation(o: Objects) -> list[int]:
    """A meeting invitation of the member (of the school), on the case."""
    from agencies.models import User
    from meetings.models import Invitation, Meeting
    from tests.personas import MEMBER_EMAIL

    member = User.objects.get(email=MEMBER_EMAIL)
    meeting = Meeting.objects.create(
        case=o.case, kind="review", starts_at=timezone.now(), created_by=o.case.opened_by
    )
    invitation = Invitation.objects.create(
        meeting=meeting,
        kind=Invitation.Kind.PROFESSIONAL,
        professional=member,
        name=member.full_name,
        agency=member.role_and_agency,
        invited_at=timezone.now(),
    )
    return [invitation.pk]


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
    # Writes take JSON only: the matrix sends a form, which everyone (signed out too: the
    # body is parsed while the caller is identified) gets back as 415 before anything is
    # looked up. Who may write what is decided per persona
    # in tests/api/test_writes.py (PATCH actions: owner and lead 200, manager and
    # coordinator 403, anyone without sight of the case 404).
    "api:referral-create": Route("post", expect=everyone(415, anonymous=415)),
    # The same for a contribution; who may add one is decided per persona and per partner
    # system in tests/api/test_partner_writes.py (the team's members 201, those who only
    # see the case 403, anyone else 404).
    "api:case-contributions": Route(
        "post", args=lambda o: [o.case.pk], expect=everyone(415, anonymous=415)
    ),
    # Reading an action follows the case's action list: with basic information only (no
    # sharing preference here) a professional sees their own agency's actions. The lead,
    # manager and coordinator work for the early help agency that owns this one.
    "api:action-detail": Route(
        "get",
        args=_leads_action,
        expect=everyone(404, anonymous=UNAUTHORISED)
        | {"lead": 200, "manager": 200, "coordinator": 200},
    ),
    # A meeting invitation is shown to its agency's staff who see the case (the API shows
    # one's own agency's invitations); replies (PATCH) per persona in test_partner_writes.py.
    "api:invitation-detail": Route(
        "get",
        args=_members_invitation,
        # The member's own invitation: another member of the team (the invited one, of
        # another agency) does not reach it.
        expect=everyone(404, anonymous=UNAUTHORISED)
        | {"member": 200, "member_manager": 200, "invited": 404},
    ),
    # A request for support's status is shown to whoever sent it, and no one else.
    "api:referral-detail": Route(
        "get",
        args=_leads_referral,
        expect=everyone(404, anonymous=UNAUTHORISED) | {"lead": 200},
    ),
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
