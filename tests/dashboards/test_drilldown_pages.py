"""The overdue lists page by position: every row is reachable, in order, once, and a
page deep in the list costs what the first does."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, RecordAccess
from dashboards import drilldowns, metrics
from dashboards.drilldowns import PageRequest, Position
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def position(case: Case) -> Position:
    assert case.next_review_due is not None
    return Position(case.next_review_due, case.pk)


def overdue_cases(build_case: Callable[..., Case], n: int, **fields: Any) -> list[Case]:
    """``n`` cases, two due on each day, most overdue first (the list's order)."""
    cases = [
        build_case(review_due=today() - dt.timedelta(days=30 - i // 2), **fields) for i in range(n)
    ]
    return sorted(cases, key=lambda c: (c.next_review_due, c.pk))


def walk(
    fetch: Callable[[PageRequest], drilldowns.Page[Any]], key: Callable[[Any], int], size: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Every page forwards by "Next", then back again by "Previous", as ids."""
    forwards: list[list[int]] = []
    page = fetch(PageRequest(size=size))
    forwards.append([key(r) for r in page.rows])
    assert page.previous is None
    while page.next is not None:
        page = fetch(PageRequest(after=page.next, size=size))
        forwards.append([key(r) for r in page.rows])
    backwards: list[list[int]] = []
    while page.previous is not None:
        page = fetch(PageRequest(before=page.previous, size=size))
        backwards.append([key(r) for r in page.rows])
    return forwards, backwards


@pytest.mark.parametrize("viewer", ["coordinator", "manager"])
def test_overdue_reviews_page_through_every_case_once_in_order(
    viewer: str, request: pytest.FixtureRequest, build_case: Callable[..., Case]
) -> None:
    user: User = request.getfixturevalue(viewer)
    cases = overdue_cases(build_case, 7)
    scope = metrics.dashboard_scope(user)

    def fetch(page: PageRequest) -> drilldowns.Page[drilldowns.ReviewRow]:
        return drilldowns.overdue_reviews(user, scope, metrics.Filters(), today=today(), page=page)

    forwards, backwards = walk(fetch, lambda row: row.case.pk, size=3)

    ids = [c.pk for c in cases]
    assert forwards == [ids[0:3], ids[3:6], ids[6:7]]
    assert backwards == [ids[3:6], ids[0:3]]


@pytest.mark.parametrize("viewer", ["coordinator", "manager"])
def test_overdue_actions_page_through_every_action_once_in_order(
    viewer: str,
    request: pytest.FixtureRequest,
    build_case: Callable[..., Case],
    action: Callable[..., Any],
) -> None:
    user: User = request.getfixturevalue(viewer)
    case = build_case()
    actions = sorted(
        (action(case, due=today() - dt.timedelta(days=20 - i // 3)) for i in range(8)),
        key=lambda a: (a.due_on, a.pk),
    )
    scope = metrics.dashboard_scope(user)

    def fetch(page: PageRequest) -> drilldowns.Page[drilldowns.ActionRow]:
        return drilldowns.overdue_actions(user, scope, metrics.Filters(), today=today(), page=page)

    forwards, backwards = walk(fetch, lambda row: row.action.pk, size=3)

    ids = [a.pk for a in actions]
    assert forwards == [ids[0:3], ids[3:6], ids[6:8]]
    assert backwards == [ids[3:6], ids[0:3]]


def test_a_page_past_the_end_says_so(coordinator: User, build_case: Callable[..., Case]) -> None:
    case = overdue_cases(build_case, 1)[0]
    scope = metrics.dashboard_scope(coordinator)

    page = drilldowns.overdue_reviews(
        coordinator,
        scope,
        metrics.Filters(),
        today=today(),
        page=PageRequest(after=position(case)),
    )

    assert page.rows == []
    assert page.past_the_end
    url = reverse("dashboards:drilldown", args=["overdue-reviews"])
    html = client_for(coordinator).get(f"{url}?after={position(case).as_param()}").content
    assert b"Nothing is left on this page" in html
    assert b"Back to the most overdue" in html
    assert b"No review is overdue" not in html


@pytest.mark.parametrize(
    "raw", ["", "2026-13-01.5", "yesterday.5", "2026-01-01.", "2026-01-01.-4", "2026-01-01.9" * 9]
)
def test_a_position_that_is_not_one_is_the_first_page(raw: str) -> None:
    assert Position.from_param(raw) is None
    assert PageRequest.from_query({"after": raw, "before": raw}).is_first


def test_the_page_links_carry_the_filters_and_reach_every_row(
    coordinator: User,
    build_case: Callable[..., Case],
    lead: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(drilldowns, "PAGE_SIZE", 2)
    cases = overdue_cases(build_case, 5)
    client = client_for(coordinator)
    url = reverse("dashboards:drilldown", args=["overdue-reviews"])
    query = f"?team={lead.team_id}"

    seen: list[str] = []
    html = client.get(url + query).content.decode()
    assert "Back to the most overdue" not in html
    while True:
        seen += re.findall(r">(T-\d{5})</a>", html)
        following = re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', html)
        if following is None:
            break
        link = following.group(1).replace("&amp;", "&")
        assert f"team={lead.team_id}" in link
        html = client.get(url + link).content.decode()
        assert "Back to the most overdue" in html
        assert 'rel="prev"' in html

    assert seen == [c.reference for c in cases]
    logged = set(RecordAccess.objects.filter(user=coordinator).values_list("case_id", flat=True))
    assert logged == {c.pk for c in cases}


def test_a_deep_page_costs_the_queries_of_the_first(
    coordinator: User,
    build_case: Callable[..., Case],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(drilldowns, "PAGE_SIZE", 2)
    cases = overdue_cases(build_case, 6)
    client = client_for(coordinator)
    url = reverse("dashboards:drilldown", args=["overdue-reviews"])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    last = cases[3]
    with CaptureQueriesContext(connection) as deep:
        response = client.get(f"{url}?after={position(last).as_param()}")

    assert [row.case.pk for row in response.context["reviews"]] == [c.pk for c in cases[4:6]]
    assert len(deep) == len(first)


def test_the_csv_holds_the_whole_list(
    coordinator: User, build_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(drilldowns, "PAGE_SIZE", 2)
    cases = overdue_cases(build_case, 5)

    response = client_for(coordinator).get(
        reverse("dashboards:drilldown_csv", args=["overdue-reviews"])
    )

    rows = csv_rows(response)
    assert [row[0] for row in rows[1:]] == [c.reference for c in cases]


def test_the_csv_stops_at_its_limit(
    coordinator: User,
    build_case: Callable[..., Case],
    action: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(drilldowns, "CSV_LIMIT", 3)
    case = build_case()
    for days in range(5):
        action(case, due=today() - dt.timedelta(days=days + 1))

    response = client_for(coordinator).get(
        reverse("dashboards:drilldown_csv", args=["overdue-actions"])
    )

    rows = csv_rows(response)
    assert [row[5] for row in rows[1:]] == [
        (today() - dt.timedelta(days=days)).isoformat() for days in (5, 4, 3)
    ]
