"""The case list and one case read as rows with SQL compiled once per process.

What is kept between requests is SQL text only: these tests show that every request
still decides afresh who is calling and what they may see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import AccessToken

from agencies.models import Agency, User
from cases.api.resources import CaseSerializer
from cases.models import Case, LevelOfNeed, RecordAccess, TeamMembership
from cases.services.teams import add_professional_to_team, remove_from_team
from cases.sharing import information_levels
from tac_portal.api.compiled import _PREPARED, CompiledQuery
from tests.api.conftest import Partner, bearer_client, get_token


def _as_serializer_shows(case: Case, agency_id: int | None) -> dict[str, Any]:
    """The case as ``CaseSerializer`` describes it, from model instances."""
    loaded = Case.objects.with_list_details().get(pk=case.pk)
    levels = information_levels([case.pk], agency_id)
    return dict(CaseSerializer(loaded, context={"levels": levels}).data)


@pytest.mark.parametrize("level", [None, "basic", "additional"])
def test_a_case_read_as_rows_is_what_the_serializer_describes(
    case: Case,
    school_api: Client,
    school_agency: Agency,
    member_client: Client,
    level_targeted: LevelOfNeed,
    share: Callable[..., object],
    make_child: Callable[..., Any],
    level: str | None,
) -> None:
    Case.objects.filter(pk=case.pk).update(current_level=level_targeted)
    case.subjects.create(child=make_child(given_names="Alex"))
    if level is not None:
        share(level)
    expected = _as_serializer_shows(case, school_agency.pk)
    assert len(expected["subject_children"]) == 2
    for api in (school_api, member_client):  # a partner system, a professional's session
        for _ in range(2):  # compiling, then reusing the kept SQL
            assert api.get(f"/api/v1/cases/{case.pk}/").json() == expected
            assert api.get("/api/v1/cases/").json()["results"] == [expected]
    if level == "additional":
        assert expected["level_of_need"] == {"code": "TARGETED", "ordinal": 3, "label": "Targeted"}


def test_a_case_leaving_the_agencys_reach_disappears_at_once(
    case: Case, lead: User, member: User, school_api: Client
) -> None:
    for _ in range(2):
        assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
        assert len(school_api.get("/api/v1/cases/?page_size=5").json()["results"]) == 1
    remove_from_team(TeamMembership.objects.get(case=case, professional=member), by=lead)
    assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert school_api.get("/api/v1/cases/?page_size=5").json()["results"] == []


def test_a_revoked_token_is_refused_at_once(case: Case, school_partner: Partner) -> None:
    _, body = get_token(school_partner)
    api = bearer_client(str(body["access_token"]))
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    AccessToken.objects.filter(application=school_partner.record.application_id).delete()
    response = api.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_agency_deactivated_behind_the_portals_back_is_refused_at_once(
    case: Case, school_partner: Partner, school_agency: Agency
) -> None:
    _, body = get_token(school_partner)
    api = bearer_client(str(body["access_token"]))
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    Agency.objects.filter(pk=school_agency.pk).update(is_active=False)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 401


def test_a_token_in_the_query_string_is_still_refused(case: Case, school_partner: Partner) -> None:
    _, body = get_token(school_partner)
    token = str(body["access_token"])
    response = bearer_client(token).get(f"/api/v1/cases/{case.pk}/?access_token={token}")
    assert response.status_code == 401


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_an_id_out_of_range_is_a_404(case: Case, school_api: Client, pk: int) -> None:
    response = school_api.get(f"/api/v1/cases/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_one_case_costs_three_queries_and_one_access_log_insert(
    case: Case, school_api: Client, school_partner: Partner
) -> None:
    school_api.get(f"/api/v1/cases/{case.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    # The token with its client and agency; the case with its sharing level; the log.
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 3, statements
    assert sum("INSERT INTO" in s for s in statements) == 1
    row = RecordAccess.objects.order_by("-id").first()
    assert row is not None
    assert (row.client_id, row.case_id, row.route, row.purpose) == (
        school_partner.client_id,
        case.pk,
        "api:case-detail",
        "api",
    )
    assert row.ip_address == "127.0.0.1"


def test_a_list_page_costs_the_same_queries_however_many_cases(
    make_case: Callable[..., Case], member: User, lead: User, school_api: Client
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert school_api.get("/api/v1/cases/?page_size=100").status_code == 200
        return len(queries.captured_queries)

    add_professional_to_team(make_case(), professional=member, by=lead)
    school_api.get("/api/v1/cases/")
    few = count()
    for _ in range(4):
        add_professional_to_team(make_case(), professional=member, by=lead)
    assert count() == few
    assert RecordAccess.objects.filter(route="api:case-list").values("case").distinct().count() == 5


def test_compiled_sql_is_reused_with_new_values(case: Case, make_case: Callable[..., Case]) -> None:
    other = make_case()
    built: list[int] = []

    def build(key: tuple[str], *, pk: int) -> Any:
        built.append(pk)
        return Case.objects.filter(pk=pk, status=Case.Status.ACTIVE).values_list("pk", "status")

    query = CompiledQuery(build)
    assert query.rows(("one",), pk=case.pk) == [(case.pk, "ACTIVE")]
    assert query.rows(("one",), pk=other.pk) == [(other.pk, other.status)]
    assert query.rows(("one",), pk=-5) == []
    assert len(built) == 1  # compiled once, with a stand-in value


def test_a_query_whose_values_are_not_parameters_is_compiled_every_time(case: Case) -> None:
    built: list[int] = []

    def build(key: tuple[str], *, pk: int) -> Any:
        built.append(pk)
        return Case.objects.filter(pk=case.pk).values_list("pk")  # ``pk`` unused

    query = CompiledQuery(build)
    assert query.rows(("one",), pk=1) == [(case.pk,)]
    assert query.rows(("one",), pk=2) == [(case.pk,)]
    assert len(built) == 3  # the stand-in compile, then each call builds its own


def _statements(query: CompiledQuery, key: Any, **values: Any) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        query.rows(key, **values)
    return [q["sql"] for q in queries.captured_queries]


def _by_pk() -> CompiledQuery:
    return CompiledQuery(lambda key, *, pk: Case.objects.filter(pk=pk).values_list("pk", "status"))


def _prepared_here() -> tuple[Any, set[str]]:
    kept: tuple[Any, set[str]] = getattr(connection, _PREPARED)
    return kept


def test_compiled_sql_is_prepared_once_per_database_session(
    case: Case, make_case: Callable[..., Case]
) -> None:
    other = make_case()
    query = _by_pk()
    first = _statements(query, ("one",), pk=case.pk)
    # Preparing is not one of the queries: a count of them does not change with it.
    assert len(first) == 1
    assert first[0].startswith("EXECUTE tac_")
    assert set(query._names.values()) <= _prepared_here()[1]
    assert _statements(query, ("one",), pk=other.pk) == [
        first[0].replace(f"({case.pk})", f"({other.pk})")
    ]
    assert query.rows(("one",), pk=other.pk) == [(other.pk, other.status)]
    assert query.rows(("one",), pk=-5) == []


@pytest.mark.django_db(transaction=True)
def test_a_new_database_session_prepares_again(case: Case) -> None:
    query = _by_pk()
    assert query.rows(("one",), pk=case.pk) == [(case.pk, case.status)]
    before = connection.connection
    connection.close()  # as after CONN_MAX_AGE, or a lost connection

    assert query.rows(("one",), pk=case.pk) == [(case.pk, case.status)]

    session, prepared = _prepared_here()
    assert session is connection.connection is not before
    assert prepared == set(query._names.values())


def test_a_query_postgresql_will_not_prepare_runs_as_it_is(case: Case) -> None:
    # A parameter tested only for NULL has no type PostgreSQL can infer.
    query = CompiledQuery(
        lambda key, *, word: (
            Case.objects.filter(pk=case.pk)
            .annotate(said=RawSQL("%s IS NULL", [word]))
            .values_list("pk", "said")
        )
    )
    assert query.rows(("one",), word="hello") == [(case.pk, False)]
    assert query.rows(("one",), word="again") == [(case.pk, False)]
    statements = _statements(query, ("one",), word="third")
    assert len(statements) == 1
    assert statements[0].startswith("SELECT")
    # The refusal left the test's transaction usable.
    assert Case.objects.filter(pk=case.pk).exists()


def test_prepared_statements_can_be_turned_off(case: Case, settings: Any) -> None:
    settings.TAC_DATABASE_PREPARED_STATEMENTS = False
    query = _by_pk()
    assert query.rows(("one",), pk=case.pk) == [(case.pk, case.status)]
    statements = _statements(query, ("one",), pk=case.pk)
    assert len(statements) == 1
    assert statements[0].startswith("SELECT")


def test_cursor_pages_keep_cases_changed_at_the_same_instant(
    make_case: Callable[..., Case], member: User, lead: User, school_api: Client
) -> None:
    cases = [make_case() for _ in range(3)]
    for each in cases:
        add_professional_to_team(each, professional=member, by=lead)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(updated_at="2026-03-01T10:00:00Z")
    seen: list[int] = []
    url: str | None = "/api/v1/cases/?page_size=1"
    while url:
        body = school_api.get(url).json()
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert seen == sorted(c.pk for c in cases)
