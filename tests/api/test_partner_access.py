"""What a partner client sees: its agency's legitimate relationships, nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from assessments.models import Assessment, AssessmentTemplate
from cases.models import Case, RecordAccess, TeamMembership
from cases.services.teams import remove_from_team
from meetings.models import Action, Meeting
from tests.api.conftest import Partner, client_with_token
from tests.helpers import client_for


def _assessment(case: Case, lead: User) -> Assessment:
    template = AssessmentTemplate.objects.create(
        code="caf-test", version=1, name="Test CAF", definition={}
    )
    return Assessment.objects.create(
        case=case,
        child=case.children.get(),
        template=template,
        assessor=lead,
        started_at=timezone.now(),
    )


def test_it_shows_the_case_to_a_client_whose_agency_is_on_the_tac(
    case: Case, school_api: Client
) -> None:
    listed = school_api.get("/api/v1/cases/").json()["results"]
    assert [c["reference"] for c in listed] == [case.reference]
    detail = school_api.get(f"/api/v1/cases/{case.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == "ACTIVE"
    assert body["lead_professional"]["name"] == "Lena Lead"
    child = case.children.get()
    assert body["subject_children"] == [
        {
            "id": child.pk,
            "given_names": "Jamie",
            "family_name": "Fairweather",
            "sex": "female",
            "date_of_birth": "2016-05-17",
            "is_unborn": False,
            "expected_date_of_delivery": None,
        }
    ]
    assert body["lead_professional"]["since"].endswith("Z")
    assert listed[0] == body


def test_it_shows_the_case_to_the_lead_professionals_agency(
    case: Case, make_partner: Callable[..., Partner], early_help_agency: Agency
) -> None:
    api = client_with_token(make_partner(early_help_agency))
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_it_hides_everything_from_an_uninvolved_agency(
    case: Case, lead: User, police_api: Client
) -> None:
    assessment = _assessment(case, lead)
    for path in ["cases/", "children/"]:
        response = police_api.get(f"/api/v1/{path}")
        assert response.status_code == 200
        assert response.json() == {"next": None, "results": []}
    child = case.children.get()
    for path in [
        f"cases/{case.pk}/",
        f"cases/{case.pk}/team/",
        f"cases/{case.pk}/actions/",
        f"cases/{case.pk}/meetings/",
        f"cases/{case.pk}/assessments/",
        f"children/{child.pk}/",
        f"assessments/{assessment.pk}/",
    ]:
        response = police_api.get(f"/api/v1/{path}")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    assert not RecordAccess.objects.exists()


def test_a_missing_case_and_an_invisible_one_look_the_same(case: Case, police_api: Client) -> None:
    invisible = police_api.get(f"/api/v1/cases/{case.pk}/")
    missing = police_api.get(f"/api/v1/cases/{case.pk + 1000}/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json()["detail"] == missing.json()["detail"]


def test_it_loses_sight_of_the_case_when_the_agency_leaves_the_tac(
    case: Case, lead: User, member: User, school_api: Client
) -> None:
    membership = TeamMembership.objects.get(case=case, professional=member)
    remove_from_team(membership, by=lead)
    assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert school_api.get("/api/v1/cases/").json()["results"] == []


def test_it_logs_every_child_shown_with_the_client(
    case: Case, school_api: Client, school_partner: Partner
) -> None:
    school_api.get("/api/v1/cases/")
    school_api.get(f"/api/v1/cases/{case.pk}/")
    school_api.get(f"/api/v1/cases/{case.pk}/team/")
    rows = list(RecordAccess.objects.order_by("id"))
    child = case.children.get()
    assert [(r.child_id, r.case_id) for r in rows] == [(child.pk, case.pk)] * 3
    assert {r.client_id for r in rows} == {school_partner.client_id}
    assert {r.user_id for r in rows} == {None}
    assert [r.route for r in rows] == ["api:case-list", "api:case-detail", "api:case-team"]


def test_a_professional_reaches_the_api_with_their_session(
    case: Case, member_client: Client, outsider_client: Client, member: User
) -> None:
    assert member_client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert outsider_client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    row = RecordAccess.objects.get()
    assert (row.user_id, row.client_id) == (member.pk, "")


def test_the_session_needs_the_csrf_token_to_write(case: Case, member: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post("/api/v1/cases/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_token_without_the_scope_is_refused(
    case: Case, make_partner: Callable[..., Partner], school_agency: Agency
) -> None:
    api = client_with_token(make_partner(school_agency, scopes=["reference:read"]))
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 403
    assert "cases:read" in response.json()["detail"]
    assert api.get("/api/v1/agencies/").status_code == 200


def test_team_actions_and_meetings_of_a_visible_case(
    case: Case, lead: User, member: User, school_agency: Agency, school_api: Client
) -> None:
    Meeting.objects.create(
        case=case, kind=Meeting.Kind.INITIAL, starts_at=timezone.now(), created_by=lead
    )
    Action.objects.create(
        case=case,
        description="Attendance support plan",
        owner_professional=member,
        owner_agency=school_agency,
        due_on=dt.date(2026, 12, 1),
        created_by=lead,
    )
    team = school_api.get(f"/api/v1/cases/{case.pk}/team/").json()["results"]
    assert {m["name"] for m in team} == {"Lena Lead", "Sam School"}
    meetings = school_api.get(f"/api/v1/cases/{case.pk}/meetings/").json()["results"]
    assert [m["kind"] for m in meetings] == ["initial"]
    actions = school_api.get(f"/api/v1/cases/{case.pk}/actions/").json()["results"]
    assert actions[0]["owner"] == {
        "kind": "professional",
        "name": "Sam School",
        "agency": {"id": school_agency.pk, "name": "Riverside Primary School"},
    }


def test_the_access_report_names_the_partner_system_and_its_agreement(
    case: Case, school_api: Client, school_partner: Partner, auditor: User
) -> None:
    assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    row = RecordAccess.objects.get(client_id=school_partner.client_id)
    assert row.user is None

    report = client_for(auditor).get(reverse("audit:case_access", args=[case.pk]))

    page = report.content.decode()
    assert f"Partner system {school_partner.record.application.name}" in page
    assert "Under ISA-2026-07 Early help information sharing agreement" in page
