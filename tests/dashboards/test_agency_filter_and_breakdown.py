"""A large authority's agencies on the authority dashboard: typed into the agency filter
(not listed), and only the agencies leading the most open episodes named in the
breakdown, in the same number of queries however many agencies there are."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, LevelOfNeed
from dashboards import metrics
from dashboards.metrics import AgencyChoice, agencies_matching
from dashboards.services import refresh_summaries
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

#: More than the filter lists, and more than the breakdown names.
MANY = metrics.FILTER_LIST_LIMIT + 10


def _agencies(count: int) -> list[Agency]:
    return [
        Agency.objects.create(name=f"Weight test school {i:04d}", kind=AgencyKind.SCHOOL)
        for i in range(count)
    ]


def _leads(agencies: list[Agency]) -> list[User]:
    """A lead professional at each agency, in a team of its own."""
    leads = []
    for i, agency in enumerate(agencies):
        team = Team.objects.create(agency=agency, name=f"Pastoral team {i:04d}")
        lead = User.objects.create_user(
            f"lead-{i}@weight.example", "pw-not-used-1234", full_name=f"Lead {i}",
            agency=agency, team=team,
        )  # fmt: skip
        leads.append(lead)
    return leads


def _get(user: User, **query: Any) -> Any:
    response = client_for(user).get(reverse("dashboards:dashboard"), query)
    assert response.status_code == 200
    return response


def _html(response: Any) -> str:
    return str(response.content.decode())


# --- Matching a typed name ---------------------------------------------------------------------


def test_an_agency_so_named_comes_first_then_names_that_start_with_it() -> None:
    agencies = [
        AgencyChoice(1, "Hill school", "SCHOOL", ""),
        AgencyChoice(2, "Riverside school", "SCHOOL", ""),
        AgencyChoice(3, "Riverside school annexe", "SCHOOL", ""),
        AgencyChoice(4, "Old riverside school", "SCHOOL", ""),
    ]

    found = agencies_matching(agencies, "  RIVERSIDE   school ")

    assert [a.pk for a in found] == [2, 3, 4]
    assert agencies_matching(agencies, "   ") == []
    assert agencies_matching(agencies, "nowhere") == []


# --- The typed filter --------------------------------------------------------------------------


def test_a_large_authority_types_the_agency_instead_of_choosing_from_hundreds(
    coordinator: User,
) -> None:
    _agencies(MANY)
    refresh_summaries()

    page = _html(_get(coordinator))

    assert 'name="agency"' not in page
    assert '<input class="govuk-input" id="id_agency_name" name="agency_name" type="text"' in page
    assert "Type part of the agency&#x27;s name." in page
    assert "Weight test school 0042" not in page


def test_one_agency_matching_what_was_typed_is_applied(coordinator: User) -> None:
    agency = _agencies(MANY)[42]
    refresh_summaries()

    response = _get(coordinator, agency_name="school 0042", period=6)

    assert response.context["board"].filters.agency_id == agency.pk
    assert response.context["board"].filters.period == 6
    assert "There is a problem" not in _html(response)
    # The drill-down links keep the agency, by id.
    assert f"agency={agency.pk}" in response.context["query"]


def test_several_matches_are_offered_as_links_that_keep_the_other_filters(
    coordinator: User,
) -> None:
    _agencies(MANY)
    refresh_summaries()

    response = _get(coordinator, agency_name="school 00", period=12)
    page = _html(response)

    assert response.context["board"].filters.agency_id is None  # not yet chosen
    assert "There is a problem" not in page
    assert f"{MANY} agencies have \u201cschool 00\u201d in their name" in page
    matches = page.split('id="agency-matches"', 1)[1].split("</div>", 1)[0]
    links = matches.count('class="govuk-link"')
    assert links == metrics.AGENCY_MATCH_LIMIT
    assert f"And {MANY - metrics.AGENCY_MATCH_LIMIT} more" in matches

    first = Agency.objects.get(name="Weight test school 0000")
    href = matches.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert parse_qs(href.split("?", 1)[1]) == {"period": ["12"], "agency": [str(first.pk)]}

    chosen = client_for(coordinator).get(href)
    assert chosen.context["board"].filters.agency_id == first.pk
    assert 'value="Weight test school 0000"' in _html(chosen)  # shown by name in the box
    assert 'id="agency-matches"' not in _html(chosen)


def test_the_agency_named_exactly_wins_over_longer_names(coordinator: User) -> None:
    _agencies(MANY)
    exact = Agency.objects.create(name="Riverside school", kind=AgencyKind.SCHOOL)
    Agency.objects.create(name="Riverside school annexe", kind=AgencyKind.SCHOOL)
    refresh_summaries()

    response = _get(coordinator, agency_name="riverside SCHOOL")

    assert response.context["board"].filters.agency_id == exact.pk


def test_no_agency_matching_is_an_error_at_the_box(coordinator: User) -> None:
    _agencies(MANY)
    refresh_summaries()

    response = _get(coordinator, agency_name="Nowhere academy")
    page = _html(response)

    assert response.context["board"].filters.agency_id is None
    assert "There is a problem" in page
    assert 'href="#id_agency_name"' in page
    assert "No agency has &quot;Nowhere academy&quot; in its name" in page
    assert 'value="Nowhere academy"' in page  # kept, to correct


def test_an_unknown_agency_id_is_reported_at_the_box_and_ignored(coordinator: User) -> None:
    _agencies(MANY)
    refresh_summaries()

    response = _get(coordinator, agency=99_999_999)
    page = _html(response)

    assert response.context["board"].filters.agency_id is None
    assert 'href="#id_agency_name"' in page
    assert "Type part of the agency&#x27;s name again" in page


def test_emptying_the_box_shows_every_agency_again(coordinator: User) -> None:
    agency = _agencies(MANY)[3]
    refresh_summaries()

    response = _get(coordinator, agency=agency.pk, agency_name="")

    assert response.context["board"].filters.agency_id is None
    assert "There is a problem" not in _html(response)


def test_a_small_authority_keeps_its_list_of_agencies(
    coordinator: User, housing_agency: Agency
) -> None:
    refresh_summaries()

    page = _html(_get(coordinator, agency=housing_agency.pk))

    assert 'name="agency_name"' not in page
    assert f'<option value="{housing_agency.pk}" selected>' in page


# --- The breakdown by agency -------------------------------------------------------------------


def _open_cases(build_case: Callable[..., Case], leads: list[User], **fields: Any) -> None:
    """One open case for each lead, three for the first."""
    for lead in [*leads, leads[0], leads[0]]:
        build_case(lead_by=lead, **fields)


def test_the_breakdown_names_the_agencies_leading_the_most_and_sums_the_rest(
    coordinator: User, build_case: Callable[..., Case], level_universal: LevelOfNeed
) -> None:
    agencies = _agencies(metrics.TOP_AGENCIES + 5)
    _open_cases(build_case, _leads(agencies), level=level_universal)
    refresh_summaries()

    board = _get(coordinator).context["board"]

    table = board.tables["m1_agency"]
    assert len(table.rows) == metrics.TOP_AGENCIES + 1
    assert table.rows[0] == ["Weight test school 0000", 3]
    assert table.rows[-1] == ["5 other agencies", 5]
    assert sum(int(r[1]) for r in table.rows) == int(board.figures["m1"][0].value)
    assert "the CSV lists every agency" in table.note

    # The same, summed from the slices, for a level of need every case is at.
    by_level = _get(coordinator, level=level_universal.pk).context["board"]
    assert by_level.tables["m1_agency"].rows == table.rows
    assert by_level.tables["m8"].rows == board.tables["m8"].rows


def test_a_filtered_page_breaks_down_by_agency_the_same_way(
    coordinator: User, build_case: Callable[..., Case]
) -> None:
    agencies = _agencies(metrics.TOP_AGENCIES + 5)
    leads = _leads(agencies)
    _open_cases(build_case, leads)
    refresh_summaries()
    locality_free = _get(coordinator, team=leads[0].team_id).context["board"]

    table = locality_free.tables["m1_agency"]
    assert table.rows == [["Weight test school 0000", 3]]
    assert table.note == ""
    assert locality_free.tables["m1_level"].rows[-1] == ["Not yet judged", 3]


def test_the_csv_lists_every_agency(coordinator: User, build_case: Callable[..., Case]) -> None:
    agencies = _agencies(metrics.TOP_AGENCIES + 5)
    _open_cases(build_case, _leads(agencies))
    refresh_summaries()

    response: Any = client_for(coordinator).get(reverse("dashboards:export", args=["m1_agency"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert len(rows) == 1 + metrics.TOP_AGENCIES + 5
    assert not any("other agencies" in row[0] for row in rows)


def test_overdue_actions_by_owner_read_the_largest_owners_only_and_count_the_rest(
    coordinator: User,
    build_case: Callable[..., Case],
    action: Callable[..., Any],
    level_universal: LevelOfNeed,
) -> None:
    owners = _agencies(metrics.LONG_TABLE_ROWS + 5)
    case = build_case(lead_by=None, level=level_universal)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for owner in owners:
        action(case, due=yesterday, owner_name="Someone", owner_agency=owner)
    action(case, due=yesterday, owner_name="Someone", owner_agency=owners[7], late_reason="Ill")
    action(case, due=yesterday, owner_name="Someone", owner_agency=owners[7])
    refresh_summaries()

    # From the totals, and summed from the slices (a level every case is at).
    for query in ({}, {"level": level_universal.pk}):
        board = _get(coordinator, **query).context["board"]
        table = board.tables["m6"]
        assert table.shown_rows[0] == ["Weight test school 0007", 3, 1, 2]
        assert len(table.shown_rows) == metrics.LONG_TABLE_ROWS
        assert table.hidden_count == 5
        assert [f.value for f in board.figures["m6"]] == [
            str(len(owners) + 2),
            "1",
            str(len(owners) + 1),
        ]

    response: Any = client_for(coordinator).get(reverse("dashboards:export", args=["m6"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1 + len(owners)


# --- Queries and weight ------------------------------------------------------------------------


def _queries(client: Any, **query: Any) -> tuple[int, int]:
    client.get(reverse("dashboards:dashboard"), query)  # the first after a refresh reads more
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboards:dashboard"), query)
        assert response.status_code == 200
    return len(captured.captured_queries), len(response.content)


def test_many_more_agencies_change_neither_the_queries_nor_the_weight_much(
    coordinator: User,
    build_case: Callable[..., Case],
    lead: User,
    level_universal: LevelOfNeed,
) -> None:
    client = client_for(coordinator)
    client.get(reverse("cases:my_cases"))
    build_case(lead_by=lead)
    refresh_summaries()
    # The authority (from the totals), a level of need (summed from the slices), typed.
    pages: list[dict[str, Any]] = [{}, {"level": level_universal.pk}]
    small = [_queries(client, **query) for query in pages]
    typed_small = _queries(client, agency_name="Early")

    leads = _leads(_agencies(MANY))
    _open_cases(build_case, leads[:30])
    refresh_summaries()
    large = [_queries(client, **query) for query in pages]
    typed_large = _queries(client, agency_name="school 00")

    for query, (small_count, small_size), (large_count, large_size) in zip(
        pages, small, large, strict=True
    ):
        assert small_count == large_count, query
        # Fifteen agencies' rows and the hints at most: not seventy agencies' names.
        assert large_size - small_size < 6_000, (query, small_size, large_size)
    assert typed_small[0] == typed_large[0]
