"""The API's writes for partner systems' staff: contributions to a case
(POST cases/{id}/contributions/) and replies to meeting invitations
(PATCH invitations/{id}/). Same policy, services and audit as the portal's pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pghistory.models import Context

from agencies.models import Agency, IdempotencyKey, User
from cases.models import Case, CaseEvent, RecordAccess
from cases.services.teams import add_professional_to_team
from meetings.models import Contribution, Invitation, Meeting
from tests.api.conftest import Partner, client_with_token
from tests.helpers import client_for
from tests.personas import former_member

PROBLEM = "application/problem+json"


def contribute(api: Client, case: Case, body: dict[str, Any], **headers: Any) -> Any:
    return api.post(
        f"/api/v1/cases/{case.pk}/contributions/",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def reply(api: Client, invitation: Invitation, body: dict[str, Any], **headers: Any) -> Any:
    return api.patch(
        f"/api/v1/invitations/{invitation.pk}/",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def pointers(response: Any) -> set[str]:
    return {e["pointer"] for e in response.json()["errors"]}


NOTE = {"body": "Jamie was on time every day this week and joined the breakfast club."}


# --- POST cases/{id}/contributions/ ---------------------------------------------------------


def test_a_partner_adds_a_contribution_as_its_team_member(
    case: Case, school_api: Client, school_partner: Partner, member: User
) -> None:
    response = contribute(school_api, case, NOTE)
    assert response.status_code == 201, response.json()
    body = response.json()
    contribution = Contribution.objects.get()
    assert body["id"] == contribution.pk
    assert body["case"] == case.pk
    assert body["author"] == {
        "name": "Sam School",
        "role": "Designated safeguarding lead",
        "agency": member.agency.name,  # type: ignore[union-attr]
    }
    assert contribution.author == member
    assert contribution.body == NOTE["body"]
    # The same chronology entry as the page makes, and the history names the client.
    assert CaseEvent.objects.filter(case=case, code="contribution.added", actor=member).exists()
    assert Context.objects.filter(metadata__partner_client=school_partner.client_id).exists()


def test_a_written_update_for_a_meeting(case: Case, school_api: Client, lead: User) -> None:
    meeting = Meeting.objects.create(
        case=case, kind="review", starts_at=timezone.now(), created_by=lead
    )
    response = contribute(school_api, case, {**NOTE, "meeting": meeting.pk})
    assert response.status_code == 201, response.json()
    assert Contribution.objects.get().meeting == meeting


def test_with_two_people_on_the_team_the_partner_says_who_wrote_it(
    case: Case, school_api: Client, school_team: Any, lead: User, member: User
) -> None:
    nurse = former_member(school_team)
    add_professional_to_team(case, professional=nurse, by=lead)
    unnamed = contribute(school_api, case, NOTE)
    assert unnamed.status_code == 400
    assert pointers(unnamed) == {"#/team_member"}
    team = {
        m["name"]: m["id"]
        for m in school_api.get(f"/api/v1/cases/{case.pk}/team/").json()["results"]
    }
    named = contribute(school_api, case, {**NOTE, "team_member": team["Fran Former"]})
    assert named.status_code == 201, named.json()
    assert Contribution.objects.get().author == nurse
    # Someone from another agency is not the school's to write as.
    as_lead = contribute(school_api, case, {**NOTE, "team_member": team["Lena Lead"]})
    assert as_lead.status_code == 400
    assert pointers(as_lead) == {"#/team_member"}
    assert Contribution.objects.count() == 1


def test_a_staff_member_whose_account_is_off_writes_nothing(
    case: Case, school_api: Client, member: User
) -> None:
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = contribute(school_api, case, NOTE)
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_the_same_key_adds_one_contribution(case: Case, school_api: Client) -> None:
    first = contribute(school_api, case, NOTE, HTTP_IDEMPOTENCY_KEY="c-1")
    again = contribute(school_api, case, NOTE, HTTP_IDEMPOTENCY_KEY="c-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Contribution.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    reused = contribute(school_api, case, {"body": "Another"}, HTTP_IDEMPOTENCY_KEY="c-1")
    assert reused.status_code == 422
    assert reused["Content-Type"] == PROBLEM
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "#/body"),
        ({"body": "   "}, "#/body"),
        ({"body": "x" * 10_001}, "#/body"),
        ({"body": "Hidden \u202e text"}, "#/body"),
        ({**NOTE, "colour": "blue"}, "#/colour"),
        ({**NOTE, "id": 5}, "#/id"),
        ({**NOTE, "author": "Someone"}, "#/author"),
        ({**NOTE, "team_member": "Sam"}, "#/team_member"),
        ({**NOTE, "meeting": 999_999}, "#/meeting"),
    ],
)
def test_bad_contributions_are_explained_field_by_field(
    case: Case, school_api: Client, body: dict[str, Any], pointer: str
) -> None:
    response = contribute(school_api, case, body)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert pointer in pointers(response), response.json()
    assert not Contribution.objects.exists()


def test_another_cases_meeting_is_refused(
    case: Case, make_case: Callable[..., Case], school_api: Client, lead: User
) -> None:
    other = make_case()
    meeting = Meeting.objects.create(
        case=other, kind="review", starts_at=timezone.now(), created_by=lead
    )
    response = contribute(school_api, case, {**NOTE, "meeting": meeting.pk})
    assert response.status_code == 400
    assert pointers(response) == {"#/meeting"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 201),  # on the team
        ("lead", 201),  # leads it: on the team
        ("manager", 403),  # sees the case (manages the lead), is not on the team
        ("coordinator", 403),
        ("member_manager", 403),  # sees it through Sam, is not on the team
        ("outsider", 404),
        ("admin_user", 404),
        ("auditor", 404),
    ],
)
def test_sessions_contribute_as_the_page_allows(
    case: Case, request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    response = contribute(client_for(request.getfixturevalue(persona)), case, NOTE)
    assert response.status_code == status, response.json()
    assert Contribution.objects.count() == (1 if status == 201 else 0)


def test_partners_contribute_only_where_their_agency_is_on_the_team(
    case: Case,
    make_case: Callable[..., Case],
    police_api: Client,
    school_api: Client,
    make_partner: Callable[..., Partner],
    school_agency: Agency,
) -> None:
    # Not on the team: 404, like a case that does not exist.
    assert contribute(police_api, case, NOTE).status_code == 404
    assert contribute(school_api, make_case(), NOTE).status_code == 404
    missing = school_api.post(
        "/api/v1/cases/999999/contributions/", json.dumps(NOTE), content_type="application/json"
    )
    assert missing.status_code == 404
    # Without the scope: 403 naming it.
    reader = client_with_token(make_partner(school_agency, scopes=["cases:read"]))
    refused = contribute(reader, case, NOTE)
    assert refused.status_code == 403
    assert "contributions:write" in refused.json()["detail"]
    assert not Contribution.objects.exists()


# --- PATCH invitations/{id}/ ----------------------------------------------------------------


@pytest.fixture
def meeting(case: Case, lead: User) -> Meeting:
    return Meeting.objects.create(
        case=case, kind="review", starts_at=timezone.now(), created_by=lead
    )


def _invite(meeting: Meeting, professional: User) -> Invitation:
    return Invitation.objects.create(
        meeting=meeting,
        kind=Invitation.Kind.PROFESSIONAL,
        professional=professional,
        name=professional.full_name,
        agency=professional.role_and_agency,
        invited_at=timezone.now(),
    )


@pytest.fixture
def invitation(meeting: Meeting, member: User) -> Invitation:
    return _invite(meeting, member)


def test_a_partner_sends_apologies_for_its_staff_member(
    invitation: Invitation, school_api: Client, school_partner: Partner, case: Case
) -> None:
    read = school_api.get(f"/api/v1/invitations/{invitation.pk}/")
    assert read.status_code == 200
    assert read["ETag"] == '"v1"'
    assert read.json()["response"] == "awaiting"
    response = reply(school_api, invitation, {"response": "apologies"}, HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"v2"'
    assert response.json()["response"] == "apologies"
    invitation.refresh_from_db()
    assert (invitation.response, invitation.version) == ("apologies", 2)
    assert invitation.responded_at is not None
    assert Context.objects.filter(metadata__partner_client=school_partner.client_id).exists()
    logged = RecordAccess.objects.filter(route="api:invitation-detail")
    assert {r.client_id for r in logged} == {school_partner.client_id}
    # The case's meetings list the school's own invitations, with their ids.
    [listed] = school_api.get(f"/api/v1/cases/{case.pk}/meetings/").json()["results"]
    assert listed["invitations"] == [
        {
            "id": invitation.pk,
            "name": "Sam School",
            "response": "apologies",
            "attendance": "unknown",
        }
    ]


def test_a_stale_reply_is_refused_naming_the_current_version(
    invitation: Invitation, school_api: Client
) -> None:
    first = reply(school_api, invitation, {"response": "attending"}, HTTP_IF_MATCH='"v1"')
    assert first.status_code == 200
    stale = reply(school_api, invitation, {"response": "apologies"}, HTTP_IF_MATCH='"v1"')
    assert stale.status_code == 412
    assert stale["Content-Type"] == PROBLEM
    assert stale.json()["current_version"] == 2
    assert stale["ETag"] == '"v2"'
    missing = reply(school_api, invitation, {"response": "apologies"})
    assert missing.status_code == 428
    invitation.refresh_from_db()
    assert (invitation.response, invitation.version) == ("attending", 2)


def test_the_same_key_records_one_reply(invitation: Invitation, school_api: Client) -> None:
    body = {"response": "apologies"}
    first = reply(school_api, invitation, body, HTTP_IF_MATCH='"v1"', HTTP_IDEMPOTENCY_KEY="r-1")
    again = reply(school_api, invitation, body, HTTP_IF_MATCH='"v1"', HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == '"v2"'
    invitation.refresh_from_db()
    assert invitation.version == 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"response": "awaiting"},
        {"response": "maybe"},
        {"response": "attending", "attendance": "attended"},
        {"response": "attending", "name": "Someone else"},
    ],
)
def test_bad_replies_are_explained_field_by_field(
    invitation: Invitation, school_api: Client, body: dict[str, Any]
) -> None:
    response = reply(school_api, invitation, body, HTTP_IF_MATCH='"v1"')
    assert response.status_code == 400
    assert response.json()["type"] == "urn:tac-portal:problem:validation-error"
    invitation.refresh_from_db()
    assert invitation.version == 1


def test_a_cancelled_meeting_takes_no_reply(
    invitation: Invitation, meeting: Meeting, school_api: Client
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = reply(school_api, invitation, {"response": "apologies"}, HTTP_IF_MATCH='"v1"')
    assert response.status_code == 400
    assert "cancelled" in response.json()["errors"][0]["detail"]


def test_partners_reply_only_for_their_own_staff(
    invitation: Invitation,
    meeting: Meeting,
    lead: User,
    member: User,
    school_api: Client,
    police_api: Client,
    make_partner: Callable[..., Partner],
    school_agency: Agency,
) -> None:
    # Another agency's system: the invitation is not there.
    assert police_api.get(f"/api/v1/invitations/{invitation.pk}/").status_code == 404
    assert (
        reply(police_api, invitation, {"response": "apologies"}, HTTP_IF_MATCH='"v1"').status_code
        == 404
    )
    # The lead's invitation is not the school's.
    leads = _invite(meeting, lead)
    assert school_api.get(f"/api/v1/invitations/{leads.pk}/").status_code == 404
    assert (
        reply(school_api, leads, {"response": "apologies"}, HTTP_IF_MATCH='"v1"').status_code == 404
    )
    # Without meetings:write the school reads the invitation but may not reply.
    reader = client_with_token(make_partner(school_agency, scopes=["cases:read"]))
    assert reader.get(f"/api/v1/invitations/{invitation.pk}/").status_code == 200
    refused = reply(reader, invitation, {"response": "apologies"}, HTTP_IF_MATCH='"v1"')
    assert refused.status_code == 403
    assert "meetings:write" in refused.json()["detail"]
    # A staff member whose account is off: nobody replies for them.
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert (
        reply(school_api, invitation, {"response": "apologies"}, HTTP_IF_MATCH='"v1"').status_code
        == 404
    )
    invitation.refresh_from_db()
    leads.refresh_from_db()
    assert invitation.version == leads.version == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 200),  # the person invited
        ("member_manager", 403),  # of the school, sees the case, neither invited nor running it
        ("lead", 404),  # runs the meeting, but the API shows only one's own agency's staff
        ("outsider", 404),
        ("admin_user", 404),
        ("auditor", 404),
    ],
)
def test_sessions_reply_as_the_page_allows(
    invitation: Invitation, request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    api = client_for(request.getfixturevalue(persona))
    response = reply(api, invitation, {"response": "attending"}, HTTP_IF_MATCH='"v1"')
    assert response.status_code == status
    invitation.refresh_from_db()
    assert invitation.version == (2 if status == 200 else 1)


# --- The description --------------------------------------------------------------------------


def test_the_schema_describes_the_new_writes(db: None) -> None:
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    create = schema["paths"]["/api/v1/cases/{case_pk}/contributions/"]["post"]
    assert create["security"][0] == {"partnerClient": ["contributions:write"]}
    assert {"201", "400", "403", "404", "422"} <= set(create["responses"])
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    update = schema["paths"]["/api/v1/invitations/{id}/"]["patch"]
    assert update["security"][0] == {"partnerClient": ["meetings:write"]}
    assert {"200", "400", "404", "412", "422", "428"} <= set(update["responses"])
    names = {p["name"]: p for p in update["parameters"]}
    assert names["If-Match"]["required"] is True
    assert "Idempotency-Key" in names
    read = schema["paths"]["/api/v1/invitations/{id}/"]["get"]
    assert read["security"][0] == {"partnerClient": ["cases:read"]}
    problem = schema["components"]["schemas"]["Problem"]["properties"]
    assert {"current_version", "current_etag"} <= set(problem)
