"""The API's shared behaviour: problem details, content types, throttling, ETags, pages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework import serializers

from agencies.models import Agency, User
from cases.models import Case
from cases.services.reviews import set_next_review_due
from cases.services.teams import add_professional_to_team
from tac_portal.api.serializers import StrictInputSerializer

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path
    return body


def test_every_error_is_a_problem(case: Case, school_api: Client) -> None:
    _assert_problem(Client().get("/api/v1/cases/"), 401)
    _assert_problem(school_api.get("/api/v1/cases/999999/"), 404)
    _assert_problem(school_api.get("/api/v1/no-such-thing/"), 404)
    not_allowed = school_api.post("/api/v1/cases/", {}, content_type="application/json")
    _assert_problem(not_allowed, 405)
    assert "GET" in not_allowed["Allow"]
    _assert_problem(school_api.get("/api/v1/cases/", HTTP_ACCEPT="text/html"), 406)
    body = _assert_problem(school_api.get("/api/v1/cases/?updated_since=yesterday"), 400)
    assert body["type"] == "urn:tac-portal:problem:invalid-parameters"
    assert body["errors"][0]["parameter"] == "updated_since"


def test_a_body_that_is_not_json_is_refused(school_api: Client) -> None:
    response = school_api.post("/api/v1/cases/", "<case/>", content_type="application/xml")
    body = _assert_problem(response, 415)
    assert "application/xml" in body["detail"]


def test_unknown_query_parameters_are_refused(school_api: Client) -> None:
    body = _assert_problem(school_api.get("/api/v1/cases/?updatedSince=2026-01-01"), 400)
    assert body["errors"] == [
        {
            "parameter": "updatedSince",
            "detail": "This query parameter is not accepted here.",
            "code": "invalid",
        }
    ]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("cursor=not-a-cursor", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=ten", "page_size"),
        ("updated_since=2026-01-01T00:00:00", "updated_since"),
    ],
)
def test_bad_list_parameters_are_explained(school_api: Client, query: str, parameter: str) -> None:
    body = _assert_problem(school_api.get(f"/api/v1/cases/?{query}"), 400)
    assert [e["parameter"] for e in body["errors"]] == [parameter]


def test_validation_errors_point_at_each_field() -> None:
    class Note(StrictInputSerializer):
        text = serializers.CharField(max_length=5)
        id = serializers.IntegerField(read_only=True)

    unknown = Note(data={"text": "fine", "owner": 3})
    assert not unknown.is_valid()
    assert unknown.errors == {"owner": ["This field is not accepted here."]}
    read_only = Note(data={"text": "fine", "id": 3})
    assert not read_only.is_valid()
    assert read_only.errors == {"id": ["This field is read-only."]}
    too_long = Note(data={"text": "far too long"})
    assert not too_long.is_valid()
    assert "text" in too_long.errors


def test_it_throttles_each_client_with_retry_after(
    case: Case, school_api: Client, police_api: Client, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "3/min"},
    }
    for _ in range(3):
        assert school_api.get("/api/v1/agency-kinds/").status_code == 200
    response = school_api.get("/api/v1/agency-kinds/")
    _assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0
    # Another client has its own budget.
    assert police_api.get("/api/v1/agency-kinds/").status_code == 200


def test_the_budget_is_a_window_that_starts_again(
    case: Case, school_api: Client, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "2/min"},
    }
    start = dt.datetime(2026, 12, 7, 10, 0, 5, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        assert school_api.get("/api/v1/agency-kinds/").status_code == 200
        assert school_api.get("/api/v1/agency-kinds/").status_code == 200
        refused = school_api.get("/api/v1/agency-kinds/")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 55  # the rest of this minute
    with time_machine.travel(start + dt.timedelta(seconds=55), tick=False):
        assert school_api.get("/api/v1/agency-kinds/").status_code == 200


def test_a_single_object_has_an_etag_and_answers_304(case: Case, school_api: Client) -> None:
    url = f"/api/v1/cases/{case.pk}/"
    first = school_api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = school_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    set_next_review_due(case, due=dt.date(2027, 1, 4), by=case.opened_by)
    changed = school_api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_responses_are_not_stored_and_times_are_utc(case: Case, school_api: Client) -> None:
    response = school_api.get(f"/api/v1/cases/{case.pk}/")
    assert response["Cache-Control"] == "no-store"
    opened = response.json()["opened_at"]
    assert opened.endswith("Z")
    assert dt.datetime.fromisoformat(opened) == case.opened_at


def test_cursor_pages_and_updated_since_sync_every_case_once(
    make_case: Callable[..., Case], lead: User, member: User, school_api: Client
) -> None:
    cases = []
    for _ in range(5):
        c = make_case()
        add_professional_to_team(c, professional=member, by=lead)
        cases.append(c)
    seen: list[int] = []
    url: str | None = "/api/v1/cases/?page_size=2"
    pages = 0
    while url:
        body = school_api.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == [c.pk for c in sorted(cases, key=lambda c: (c.updated_at, c.pk))]

    mark = timezone.now()
    set_next_review_due(cases[1], due=dt.date(2027, 2, 1), by=lead)
    since = mark.isoformat().replace("+00:00", "Z")
    changed = school_api.get("/api/v1/cases/", {"updated_since": since}).json()
    assert [c["id"] for c in changed["results"]] == [cases[1].pk]


@pytest.fixture
def many_rows(
    case: Case,
    make_case: Callable[..., Case],
    lead: User,
    member: User,
    school_agency: Agency,
    share: Callable[..., object],
) -> Case:
    """Over a hundred rows behind every list the school's client can read."""
    from assessments.models import Assessment, AssessmentTemplate
    from cases.models import TeamMembership
    from meetings.models import Action, Meeting

    share("additional")
    for _ in range(100):
        c = make_case()
        add_professional_to_team(c, professional=member, by=lead)
    now = timezone.now()
    TeamMembership.objects.bulk_create(
        TeamMembership(
            case=case,
            kind="external",
            external_name=f"Contact {n}",
            external_agency="Demo charity",
            role="practitioner",
            joined_at=now,
            added_by=lead,
        )
        for n in range(100)
    )
    Action.objects.bulk_create(
        Action(
            case=case,
            description=f"Action {n}",
            owner_professional=member,
            owner_agency=school_agency,
            due_on=dt.date(2026, 12, 1),
            created_by=lead,
        )
        for n in range(101)
    )
    Meeting.objects.bulk_create(
        Meeting(case=case, kind="review", starts_at=now, created_by=lead) for _ in range(101)
    )
    template = AssessmentTemplate.objects.create(code="t", version=1, name="T", definition={})
    child = case.children.get()
    # One assessment in progress per child at most: the earlier ones are superseded.
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            child=child,
            template=template,
            assessor=lead,
            started_at=now,
            status="superseded" if n else "draft",
        )
        for n in range(101)
    )
    Agency.objects.bulk_create(
        Agency(name=f"Agency {n}", kind="voluntary", cin_source_code="8") for n in range(101)
    )
    return case


LISTS = [
    "cases/",
    "children/",
    "agencies/",
    "cases/{case}/team/",
    "cases/{case}/actions/",
    "cases/{case}/meetings/",
    "cases/{case}/assessments/",
]


@pytest.mark.slow
def test_list_queries_do_not_grow_with_the_page_size(
    many_rows: Case, school_api: Client, django_assert_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in LISTS:
        url = "/api/v1/" + path.format(case=many_rows.pk)
        counts = []
        for size in (1, 10, 100):
            with CaptureQueriesContext(connection) as queries:
                response = school_api.get(url, {"page_size": size})
            assert response.status_code == 200, url
            assert len(response.json()["results"]) == size, url
            counts.append(len(queries))
        assert counts[0] == counts[1] == counts[2], (url, counts)
        assert counts[0] <= 10, (url, counts)


def test_a_body_validation_error_is_a_problem_with_pointers(member: User) -> None:
    from rest_framework.request import Request
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate

    from tac_portal.api.views import ApiView

    class Note(StrictInputSerializer):
        text = serializers.CharField(max_length=5)

    class NoteView(ApiView):
        def post(self, request: Request) -> Response:
            Note(data=request.data).is_valid(raise_exception=True)
            return Response(status=201)

    request = APIRequestFactory().post(
        "/api/v1/notes/", {"text": "far too long", "owner": 1}, format="json"
    )
    force_authenticate(request, user=member)
    response = NoteView.as_view()(request)
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["type"] == "urn:tac-portal:problem:validation-error"
    assert sorted(e["pointer"] for e in body["errors"]) == ["#/owner", "#/text"]
    assert {
        "pointer": "#/owner",
        "detail": "This field is not accepted here.",
        "code": "invalid",
    } in body["errors"]
