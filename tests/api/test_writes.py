"""The API's writes: POST referrals/ and PATCH actions/{id}/ (contributions and meeting
replies: test_partner_writes.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pghistory.models import Context

from agencies.models import Agency, IdempotencyKey, User
from cases.models import Case, Child, ChildRecordCheck, RecordAccess, RequestForSupport
from meetings.models import Action, ActionUpdate
from tests.api.conftest import Partner, client_with_token
from tests.helpers import client_for

PROBLEM = "application/problem+json"


def post(api: Client, body: dict[str, Any], **headers: Any) -> Any:
    return api.post(
        "/api/v1/referrals/", json.dumps(body), content_type="application/json", **headers
    )


def patch(api: Client, action: Action, body: dict[str, Any], **headers: Any) -> Any:
    return api.patch(
        f"/api/v1/actions/{action.pk}/",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def referral(child_ids: list[int], **extra: Any) -> dict[str, Any]:
    return {
        "summary_of_need": "Attendance has fallen since January.",
        "family_aware": True,
        "consent_obtained": True,
        "requester_name": "Sam School",
        "child_ids": child_ids,
        **extra,
    }


NEW_CHILD = {
    "given_names": "Robin",
    "family_name": "Ashdown",
    "date_of_birth": "2017-09-03",
    "sex": "male",
    "postcode": "AB1 2CD",
}


def errors_at(body: dict[str, Any]) -> dict[str, str]:
    return {e["pointer"]: e["code"] for e in body["errors"]}


# --- POST referrals/ -------------------------------------------------------------------------


def test_a_partner_refers_a_child_it_can_see(
    case: Case, school_api: Client, school_partner: Partner, school_agency: Agency
) -> None:
    child = case.children.get()
    response = post(school_api, referral([child.pk]))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "status", "received_at"}
    assert body["status"] == "received"
    request = RequestForSupport.objects.get()
    assert response["Location"].endswith(f"/api/v1/referrals/{request.pk}/")
    assert list(request.subjects.all()) == [child]
    assert request.requester is None
    assert request.source_code == school_agency.cin_source_code
    # The partner system and its agency are records, not a marked name.
    assert request.partner_client is not None
    assert request.partner_client.client_id == school_partner.client_id
    assert request.requester_agency == school_agency
    assert request.requester_name.startswith("Sam School")
    assert Context.objects.filter(metadata__partner_client=school_partner.client_id).exists()
    # It can follow the Location (its status only), and no child's data was shown.
    follow = school_api.get(response["Location"])
    assert follow.status_code == 200
    assert follow.json() == body
    assert not RecordAccess.objects.exists()


def test_the_source_code_may_be_given(case: Case, school_api: Client) -> None:
    response = post(school_api, referral([case.children.get().pk], source_code="3C"))
    assert response.status_code == 201
    assert RequestForSupport.objects.get().source_code == "3C"


def test_referring_does_not_let_the_referrer_see_the_case(
    make_case: Callable[..., Case], police_api: Client, lead: User, outsider: User
) -> None:
    from cases.services.teams import add_professional_to_team

    # The police can refer a child on a case the police officer is on ...
    other = make_case()
    add_professional_to_team(other, professional=outsider, by=lead)
    assert post(police_api, referral([other.children.get().pk])).status_code == 201
    # ... but not a child they cannot see, and the answer gives no hint of the child.
    unseen_case = make_case()
    unseen = unseen_case.children.get()
    response = post(police_api, referral([unseen.pk]))
    assert response.status_code == 400
    assert unseen.given_names not in response.content.decode()
    missing = post(police_api, referral([unseen.pk + 10_000]))
    assert missing.json()["errors"][0]["detail"].replace(str(unseen.pk + 10_000), "N") == (
        response.json()["errors"][0]["detail"].replace(str(unseen.pk), "N")
    )
    assert RequestForSupport.objects.count() == 1
    # Referring gave no sight of a case the police could not already see.
    assert police_api.get(f"/api/v1/cases/{unseen_case.pk}/").status_code == 404
    assert [c["id"] for c in police_api.get("/api/v1/cases/").json()["results"]] == [other.pk]


def test_a_new_child_from_a_session_goes_through_the_duplicate_check(
    case: Case, member: User, make_child: Callable[..., Child]
) -> None:
    api = client_for(member)
    response = post(api, referral([], new_children=[NEW_CHILD]))
    assert response.status_code == 201, response.json()
    child = Child.objects.get(family_name="Ashdown")
    assert ChildRecordCheck.objects.get(child=child).possible_matches == []
    request = RequestForSupport.objects.get()
    assert request.requester == member
    assert list(request.subjects.all()) == [child]
    # The case it may lead to is not the member's to see by referring.
    assert client_for(member).get(f"/api/v1/children/{child.pk}/").status_code == 404


def test_likely_matches_answer_409_without_naming_children(
    case: Case,
    make_case: Callable[..., Case],
    school_api: Client,
    member: User,
) -> None:
    hidden = make_case().children.get()  # Jamie Fairweather, on a case the school cannot see
    seen = case.children.get()  # also Jamie Fairweather: the school is on this TAC
    twin = {
        "given_names": hidden.given_names,
        "family_name": hidden.family_name,
        "date_of_birth": hidden.date_of_birth.isoformat(),  # type: ignore[union-attr]
        "sex": "female",
        "postcode": "",
    }
    for api in (school_api, client_for(member)):
        response = post(api, referral([], new_children=[twin]))
        assert response.status_code == 409
        assert response["Content-Type"] == PROBLEM
        body = response.json()
        assert body["type"] == "urn:tac-portal:problem:possible-duplicate"
        [error] = body["errors"]
        assert error["pointer"] == "#/new_children/0"
        assert error["code"] == "possible_duplicate"
        assert error["detail"].startswith("2 child record(s) already look like this child.")
        # Only the child the caller can already see is named, by id.
        assert error["detail"].endswith(
            f"children you can see that match: {seen.pk} (refer them by child_ids instead)."
        )
        text = response.content.decode()
        assert hidden.given_names not in text
        assert hidden.family_name not in text
    assert not RequestForSupport.objects.exists()
    assert Child.objects.count() == 2
    # With a reason, a professional adds the child anyway; the matches are kept with it.
    response = post(
        client_for(member),
        referral([], new_children=[{**twin, "duplicate_reason": "A different Jamie: new pupil."}]),
    )
    assert response.status_code == 201, response.json()
    check = ChildRecordCheck.objects.get()
    assert sorted(check.possible_matches) == sorted([hidden.pk, seen.pk])


def test_a_partner_adds_a_new_child_through_the_duplicate_check(
    case: Case, school_api: Client, school_partner: object
) -> None:
    response = post(school_api, referral([], new_children=[NEW_CHILD]))
    assert response.status_code == 201, response.json()
    child = Child.objects.get(family_name="Ashdown")
    check = ChildRecordCheck.objects.get(child=child)
    assert check.added_by is None
    assert check.added_by_client == school_partner.client_id  # type: ignore[attr-defined]
    assert list(RequestForSupport.objects.get().subjects.all()) == [child]
    # Referring a new child gives the partner no sight of it.
    assert school_api.get(f"/api/v1/children/{child.pk}/").status_code == 404


def test_the_same_idempotency_key_makes_one_request(case: Case, school_api: Client) -> None:
    body = referral([case.children.get().pk])
    first = post(school_api, body, HTTP_IDEMPOTENCY_KEY="9b1d5e0a-key")
    again = post(school_api, body, HTTP_IDEMPOTENCY_KEY="9b1d5e0a-key")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first["Location"] == again["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert RequestForSupport.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    # Another key is another request; the same key with another body is refused.
    assert post(school_api, body, HTTP_IDEMPOTENCY_KEY="another").status_code == 201
    reused = post(
        school_api, {**body, "summary_of_need": "Else"}, HTTP_IDEMPOTENCY_KEY="9b1d5e0a-key"
    )
    assert reused.status_code == 422
    assert reused["Content-Type"] == PROBLEM
    assert RequestForSupport.objects.count() == 2


def test_keys_belong_to_their_caller(
    case: Case, school_api: Client, make_partner: Callable[..., Partner], school_agency: Agency
) -> None:
    body = referral([case.children.get().pk])
    other = client_with_token(make_partner(school_agency))
    assert post(school_api, body, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    assert post(other, body, HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    assert RequestForSupport.objects.count() == 2


def test_a_session_may_send_a_key_too(case: Case, member: User) -> None:
    api = client_for(member)
    body = referral([case.children.get().pk])
    first = post(api, body, HTTP_IDEMPOTENCY_KEY="from-the-browser")
    again = post(api, body, HTTP_IDEMPOTENCY_KEY="from-the-browser")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert RequestForSupport.objects.get().requester == member
    assert IdempotencyKey.objects.get().principal == f"user:{member.pk}"


def test_a_failed_request_stores_no_key(case: Case, school_api: Client) -> None:
    bad = post(school_api, referral([], summary_of_need=""), HTTP_IDEMPOTENCY_KEY="k2")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = post(school_api, referral([case.children.get().pk]), HTTP_IDEMPOTENCY_KEY="k2")
    assert good.status_code == 201


@pytest.mark.parametrize(
    ("extra", "pointer", "code"),
    [
        ({"colour": "blue"}, "#/colour", "invalid"),
        ({"id": 5}, "#/id", "invalid"),
        ({"status": "TRIAGED"}, "#/status", "invalid"),
        ({"source_code": "ZZ"}, "#/source_code", "invalid_choice"),
        ({"summary_of_need": ""}, "#/summary_of_need", "blank"),
        ({"child_ids": []}, "#/child_ids", "invalid"),
        (
            {"new_children": [{**NEW_CHILD, "shoe_size": 3}]},
            "#/new_children/0/shoe_size",
            "invalid",
        ),
    ],
)
def test_bad_referrals_are_explained_field_by_field(
    case: Case, school_api: Client, extra: dict[str, Any], pointer: str, code: str
) -> None:
    response = post(school_api, referral([case.children.get().pk]) | extra)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "urn:tac-portal:problem:validation-error"
    assert pointer in errors_at(body), body
    assert not RequestForSupport.objects.exists()


def test_a_referral_must_be_json(case: Case, school_api: Client) -> None:
    response = school_api.post("/api/v1/referrals/", {"summary_of_need": "x"})
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM


def test_writes_need_their_scope(
    case: Case, make_partner: Callable[..., Partner], school_agency: Agency, member: User
) -> None:
    action = _school_action(case, member, school_agency)
    reader = client_with_token(make_partner(school_agency, scopes=["cases:read"]))
    refused = post(reader, referral([case.children.get().pk]))
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM
    assert "referrals:write" in refused.json()["detail"]
    refused = patch(reader, action, {"progress_note": "x"}, HTTP_IF_MATCH='"v1"')
    assert refused.status_code == 403
    assert "actions:write" in refused.json()["detail"]
    assert reader.get(f"/api/v1/actions/{action.pk}/").status_code == 200
    writer = client_with_token(make_partner(school_agency, scopes=["actions:write"]))
    assert writer.get(f"/api/v1/actions/{action.pk}/").status_code == 403
    assert not RequestForSupport.objects.exists()
    assert not ActionUpdate.objects.exists()


def test_the_session_needs_the_csrf_token_to_refer(case: Case, member: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = post(browser, referral([case.children.get().pk]))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- PATCH actions/{id}/ ---------------------------------------------------------------------


def _school_action(case: Case, member: User, school_agency: Agency) -> Action:
    return Action.objects.create(
        case=case,
        description="Attendance plan",
        owner_professional=member,
        owner_agency=school_agency,
        due_on=dt.date(2026, 12, 1),
        created_by=case.opened_by,
    )


@pytest.fixture
def action(case: Case, member: User, school_agency: Agency) -> Action:
    return _school_action(case, member, school_agency)


def test_a_partner_records_progress_on_its_agencys_action(
    action: Action, school_api: Client, school_partner: Partner, member: User
) -> None:
    etag = school_api.get(f"/api/v1/actions/{action.pk}/")["ETag"]
    response = patch(
        school_api, action, {"status": "done", "progress_note": "Back to 96%."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "done"
    assert body["completed_at"] is not None
    assert response["ETag"] != etag
    update = ActionUpdate.objects.get()
    assert (update.by, update.text) == (member, "Back to 96%.")
    assert Context.objects.filter(metadata__partner_client=school_partner.client_id).exists()
    # The answer shows the case's children: logged with the client.
    logged = RecordAccess.objects.filter(route="api:action-detail")
    assert {r.client_id for r in logged} == {school_partner.client_id}
    assert {r.child_id for r in logged} == {action.case.children.get().pk}
    # The ETag is the action's version.
    action.refresh_from_db()
    assert (etag, response["ETag"]) == (f'"v{action.version - 1}"', f'"v{action.version}"')
    # The old ETag no longer matches: 412 naming the current version, nothing saved.
    stale = patch(school_api, action, {"progress_note": "Again"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == PROBLEM
    problem = stale.json()
    assert problem["type"] == "urn:tac-portal:problem:precondition-failed"
    assert problem["current_version"] == action.version
    assert problem["current_etag"] == stale["ETag"] == response["ETag"]
    assert f"version {action.version}" in problem["detail"]
    assert ActionUpdate.objects.count() == 1
    assert (
        patch(
            school_api, action, {"progress_note": "Again"}, HTTP_IF_MATCH=response["ETag"]
        ).status_code
        == 200
    )


def test_a_note_alone_is_enough(action: Action, school_api: Client) -> None:
    response = patch(
        school_api, action, {"progress_note": "Met mum at the gate."}, HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 200
    assert response.json()["status"] == "not_started"


def test_an_update_without_if_match_is_refused(action: Action, school_api: Client) -> None:
    response = patch(school_api, action, {"status": "done"})
    assert response.status_code == 428
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"] == "urn:tac-portal:problem:precondition-required"
    action.refresh_from_db()
    assert (action.status, action.version) == ("not_started", 1)


@pytest.mark.parametrize("if_match", ['"v7"', '"3f1c0a"', 'W/"v1"', "v1", '"v1 "'])
def test_an_etag_that_is_not_the_current_version_is_stale(
    action: Action, school_api: Client, if_match: str
) -> None:
    response = patch(school_api, action, {"status": "done"}, HTTP_IF_MATCH=if_match)
    assert response.status_code == 412
    assert response.json()["current_version"] == 1
    assert not ActionUpdate.objects.exists()


def test_if_match_star_and_lists(action: Action, school_api: Client) -> None:
    listed = patch(school_api, action, {"progress_note": "a"}, HTTP_IF_MATCH='"v9", "v1"')
    assert listed.status_code == 200
    star = patch(school_api, action, {"progress_note": "b"}, HTTP_IF_MATCH="*")
    assert star.status_code == 200
    assert star["ETag"] == '"v3"'


def test_a_retried_update_with_its_key_is_answered_not_repeated(
    action: Action, school_api: Client
) -> None:
    body = {"status": "in_progress", "progress_note": "Started the daily check-in."}
    first = patch(school_api, action, body, HTTP_IF_MATCH='"v1"', HTTP_IDEMPOTENCY_KEY="u-1")
    # The answer was lost; the retry carries the same key and the ETag it had read.
    again = patch(school_api, action, body, HTTP_IF_MATCH='"v1"', HTTP_IDEMPOTENCY_KEY="u-1")
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert first["ETag"] == again["ETag"] == '"v2"'
    assert ActionUpdate.objects.count() == 1
    # Without the key, the same retry is stale: 412, never a second note.
    assert patch(school_api, action, body, HTTP_IF_MATCH='"v1"').status_code == 412
    # The key with another body, or on another address, is refused.
    other = patch(
        school_api, action, {"progress_note": "x"}, HTTP_IF_MATCH='"v2"', HTTP_IDEMPOTENCY_KEY="u-1"
    )
    assert other.status_code == 422
    assert ActionUpdate.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"status": "overdue"}, "#/status"),
        ({"status": "finished", "progress_note": "x"}, "#/status"),
        ({}, "#/progress_note"),
        ({"progress_note": "   "}, "#/progress_note"),
        ({"description": "Something else"}, "#/description"),
        ({"due_on": "2027-01-01", "progress_note": "x"}, "#/due_on"),
        ({"owner": None, "progress_note": "x"}, "#/owner"),
        ({"priority": "high", "progress_note": "x"}, "#/priority"),
    ],
)
def test_bad_updates_are_explained_field_by_field(
    action: Action, school_api: Client, body: dict[str, Any], pointer: str
) -> None:
    response = patch(school_api, action, body)
    assert response.status_code == 400
    assert pointer in errors_at(response.json())
    action.refresh_from_db()
    assert action.status == "not_started"
    assert not ActionUpdate.objects.exists()


def test_an_update_must_be_json(action: Action, school_api: Client) -> None:
    response = school_api.patch(
        f"/api/v1/actions/{action.pk}/", "status=done", content_type="text/plain"
    )
    assert response.status_code == 415


def test_another_agencys_action_is_not_found(
    case: Case, action: Action, police_api: Client, school_api: Client, lead: User
) -> None:
    # Police are not on the case: 404, like an action that does not exist.
    assert patch(police_api, action, {"progress_note": "x"}).status_code == 404
    # The school sees the case, but the lead's own action is not the school's to update.
    leads = Action.objects.create(
        case=case,
        description="Family support sessions",
        owner_professional=lead,
        owner_agency=lead.agency,
        due_on=dt.date(2026, 12, 1),
        created_by=lead,
    )
    response = patch(school_api, leads, {"progress_note": "x"})
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    missing = patch(school_api, leads, {"progress_note": "x"})
    assert (
        missing.json()["detail"]
        == school_api.patch(
            "/api/v1/actions/999999/", "{}", content_type="application/json"
        ).json()["detail"]
    )
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 200),  # owns the action
        ("lead", 200),  # the lead professional may update any action
        ("manager", 403),  # sees the case, may not update others' actions
        ("coordinator", 403),
        ("outsider", 404),
        ("admin_user", 404),
        ("auditor", 404),
    ],
)
def test_sessions_follow_the_service_rules(
    action: Action, request: pytest.FixtureRequest, persona: str, status: int
) -> None:
    api = client_for(request.getfixturevalue(persona))
    response = patch(api, action, {"progress_note": "Checked in."}, HTTP_IF_MATCH='"v1"')
    assert response.status_code == status
    assert ActionUpdate.objects.count() == (1 if status == 200 else 0)


# --- The description ---------------------------------------------------------------------------


def test_the_schema_describes_the_writes_with_examples(db: None) -> None:
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    create = schema["paths"]["/api/v1/referrals/"]["post"]
    assert create["security"][0] == {"partnerClient": ["referrals:write"]}
    assert {"201", "400", "403", "409", "415", "422"} <= set(create["responses"])
    body = create["requestBody"]["content"]["application/json"]
    assert len(body["examples"]) == 2
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    update = schema["paths"]["/api/v1/actions/{id}/"]["patch"]
    assert update["security"][0] == {"partnerClient": ["actions:write"]}
    assert {"200", "400", "404", "412", "422", "428"} <= set(update["responses"])
    if_match = next(p for p in update["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True
    assert "Idempotency-Key" in [p["name"] for p in update["parameters"]]
    assert update["requestBody"]["content"]["application/json"]["examples"]
    read = schema["paths"]["/api/v1/actions/{id}/"]["get"]
    assert read["security"][0] == {"partnerClient": ["cases:read"]}
