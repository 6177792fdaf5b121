"""Figures from start-up, the page's fonts and layout, and a page weight that does not grow
with the number of teams, agencies, workers or cases (issue 18, point 9)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case
from dashboards import metrics, tasks
from dashboards.services import refresh_summaries
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _page(user: User, **query: Any) -> str:
    response = client_for(user).get(reverse("dashboards:dashboard"), query)
    assert response.status_code == 200
    return str(response.content.decode())


# --- Figures at start-up ----------------------------------------------------------------------


def _worker(queues: set[str]) -> SimpleNamespace:
    return SimpleNamespace(app=SimpleNamespace(amqp=SimpleNamespace(queues=SimpleNamespace(
        consume_from={name: object() for name in queues}))))  # fmt: skip


@override_settings(TAC_DASHBOARD_REFRESH_AT_START=True)
def test_the_worker_that_runs_the_refresh_queues_one_as_it_starts() -> None:
    with mock.patch.object(tasks.refresh_summaries, "apply_async") as queued:
        tasks._refresh_at_start(sender=_worker({"tac"}))
        tasks._refresh_at_start(sender=_worker({"email"}))  # the email worker does not
        tasks._refresh_at_start(sender=_worker({"webhooks"}))
    assert queued.call_count == 1


@override_settings(TAC_DASHBOARD_REFRESH_AT_START=False)
def test_the_refresh_at_start_can_be_turned_off() -> None:
    with mock.patch.object(tasks.refresh_summaries, "apply_async") as queued:
        tasks._refresh_at_start(sender=_worker({"tac"}))
    assert queued.call_count == 0


def test_the_refresh_task_writes_the_figures_the_page_reads(coordinator: User) -> None:
    tasks.refresh_summaries.apply()  # as the worker runs it at start
    page = _page(coordinator)
    assert 'id="figures-as-of"' in page
    assert "when they were last computed" in page
    assert "computed when the portal starts and every 15 minutes" in page


def test_before_the_first_refresh_the_page_says_the_figures_are_being_computed(
    coordinator: User,
) -> None:
    page = _page(coordinator)
    assert 'id="figures-being-computed"' in page
    assert "The figures are being computed" in page
    assert "Reload this page shortly" in page
    assert 'id="figures-as-of"' not in page


# --- Fonts and layout ---------------------------------------------------------------------------


def test_headline_figures_use_the_govuk_type_classes(
    coordinator: User, build_case: Callable[..., Case]
) -> None:
    build_case()
    refresh_summaries()
    page = _page(coordinator)
    tiles = re.findall(r'<li class="tac-tile">(.*?)</li>', page, re.S)
    assert tiles
    for tile in tiles:
        assert 'class="govuk-heading-l tac-tile__value"' in tile
        assert 'class="govuk-body tac-tile__label"' in tile


def test_each_chart_sits_in_a_half_column_beside_its_table(coordinator: User) -> None:
    refresh_summaries()
    page = _page(coordinator)
    pairs = page.split('<div class="govuk-grid-row tac-dash-pair">')[1:]
    with_chart = [p for p in pairs if "<svg" in p.split("</div>\n</div>", 1)[0]]
    assert len(with_chart) == 7  # every chart
    for pair in with_chart:
        row = pair.split("</div>\n</div>", 1)[0]
        halves = row.split('<div class="govuk-grid-column-one-half">')[1:]
        assert len(halves) == 2
        assert "<svg" in halves[0]
        assert "<table" in halves[1]


# --- Page weight --------------------------------------------------------------------------------


def _grow(agency_count: int, teams_each: int, workers_each: int) -> None:
    """Agencies, teams and workers across four localities, as a large authority has."""
    for i in range(agency_count):
        agency = Agency.objects.create(
            name=f"Weight test school {i:04d}",
            kind=AgencyKind.SCHOOL,
            locality=("Northgate", "Riverside", "Eastfield", "Westmoor")[i % 4],
        )
        for j in range(teams_each):
            team = Team.objects.create(
                agency=agency, name=f"Pastoral team {i:04d}-{j}", locality=agency.locality
            )
            User.objects.bulk_create(
                User(
                    email=f"worker-{i}-{j}-{k}@weight.example",
                    full_name=f"Worker {i} {j} {k}",
                    agency=agency,
                    team=team,
                )
                for k in range(workers_each)
            )


def test_the_authority_page_does_not_grow_with_teams_agencies_workers_or_cases(
    coordinator: User, build_case: Callable[..., Case], lead: User
) -> None:
    build_case(lead_by=lead)
    refresh_summaries()
    small = len(_page(coordinator))

    _grow(agency_count=100, teams_each=2, workers_each=2)  # 200 teams, 400 workers
    for _ in range(20):
        build_case(lead_by=lead)
    refresh_summaries()
    large = len(_page(coordinator))

    # The lists stop at FILTER_LIST_LIMIT: a few short lines of text may differ.
    assert large - small < 4_000, (small, large)
    assert large < 150_000


def test_past_the_limit_the_team_list_waits_for_an_agency_or_a_locality(
    coordinator: User,
) -> None:
    _grow(agency_count=100, teams_each=2, workers_each=0)
    refresh_summaries()
    teams = Team.objects.count()
    assert teams > metrics.FILTER_LIST_LIMIT

    page = _page(coordinator)
    team_select = page.split('name="team"', 1)[1].split("</select>", 1)[0]
    assert team_select.count("<option") == 1  # "All" only
    assert f"{teams:,} teams in all. Choose an agency or a locality" in page
    assert "agencies in all. Type part of the agency" in page  # typed, not listed

    agency = Agency.objects.get(name="Weight test school 0007")
    for narrowed in (
        _page(coordinator, agency=agency.pk),
        _page(coordinator, agency_name="school 0007"),
    ):
        team_select = narrowed.split('name="team"', 1)[1].split("</select>", 1)[0]
        assert "Pastoral team 0007-0" in team_select
        assert "Pastoral team 0007-1" in team_select
        assert team_select.count("<option") == 3

    by_locality = _page(coordinator, locality="Riverside")
    team_select = by_locality.split('name="team"', 1)[1].split("</select>", 1)[0]
    assert "Pastoral team 0001-0" in team_select  # Riverside
    assert "Pastoral team 0000-0" not in team_select  # Northgate

    # A chosen team stays chosen (and its figures shown) though the list is not offered.
    team = Team.objects.get(name="Pastoral team 0042-1")
    chosen = client_for(coordinator).get(reverse("dashboards:dashboard"), {"team": team.pk})
    assert chosen.context["board"].filters.team_id == team.pk
    team_select = chosen.content.decode().split('name="team"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{team.pk}" selected>Pastoral team 0042-1' in team_select


def test_figures_not_computed_again_for_two_intervals_are_flagged(coordinator: User) -> None:
    refresh = refresh_summaries()
    assert 'id="figures-stale"' not in _page(coordinator)

    refresh.finished_at = timezone.now() - dt.timedelta(minutes=31)
    refresh.save(update_fields=["finished_at"])
    page = _page(coordinator)
    assert 'id="figures-stale"' in page
    assert "These figures may be out of date" in page
