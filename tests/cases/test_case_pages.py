"""My cases and the case page, through HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case, Child
from cases.services.lifecycle import change_status
from cases.services.teams import remove_from_team
from tests.helpers import client_for


def test_it_lists_my_open_cases(case: Case, member_client: Client) -> None:
    response = member_client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert "Lena Lead" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_it_lists_closed_cases_separately(case: Case, lead: User, lead_client: Client) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    assert case.reference not in lead_client.get(reverse("cases:my_cases")).content.decode()
    closed = lead_client.get(reverse("cases:my_cases") + "?show=closed").content.decode()
    assert case.reference in closed


def test_it_shows_an_empty_state_to_an_outsider(case: Case, outsider_client: Client) -> None:
    response = outsider_client.get(reverse("cases:my_cases"))
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference not in body
    assert "not on the team around any open case" in body


def test_it_shows_the_case_page_to_a_member(case: Case, member_client: Client) -> None:
    response = member_client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert case.family.name in body
    assert "Sam School" in body
    assert "Riverside Primary School" in body


@pytest.mark.parametrize("persona", ["outsider_client", "admin_client_", "auditor_client"])
def test_it_returns_404_for_an_invisible_case(
    case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_it_returns_404_for_a_missing_case(case: Case, lead_client: Client) -> None:
    assert lead_client.get(reverse("cases:detail", args=[case.pk + 999])).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(case: Case, client: Client) -> None:
    for url in (reverse("cases:my_cases"), reverse("cases:detail", args=[case.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("agencies:sign_in"))


def test_a_removed_member_is_refused_on_their_next_request(
    case: Case, member: User, lead: User
) -> None:
    client = client_for(member)
    url = reverse("cases:detail", args=[case.pk])
    assert client.get(url).status_code == 200
    remove_from_team(case.memberships.active().get(professional=member), by=lead)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", [1, 12])
def test_my_cases_runs_a_fixed_number_of_queries(
    size: int,
    make_case: Callable[..., Case],
    make_child: Callable[..., Child],
    lead_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(size):
        make_case(
            children=[
                make_child(),
            ]
        )
    # My work and every app's panel: a fixed count, the same at both sizes.
    with django_assert_max_num_queries(16):
        response = lead_client.get(reverse("cases:my_cases"))
    assert response.content.decode().count("cases/") >= size
