"""No page offers "---------" as a choice, or names an outcome by its number."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.matrix import Objects
from tests.matrix_routes import ROUTES

READERS = ("lead", "manager", "coordinator", "auditor", "admin")


def _pages() -> list[tuple[str, str]]:
    return [
        (name, persona)
        for name, route in sorted(ROUTES.items())
        if route.method == "get" and not name.startswith("api:")
        for persona in READERS
        if route.expect.get(persona) == 200
    ]


@pytest.mark.parametrize(("route_name", "persona"), _pages())
def test_choices_and_labels_are_meaningful(
    route_name: str, persona: str, objects: Objects, persona_client: Callable[[str], Client]
) -> None:
    route = ROUTES[route_name]
    response = persona_client(persona).get(
        reverse(route_name, args=route.args(objects)), route.form_data()
    )
    if not response["Content-Type"].startswith("text/html"):
        return
    body = response.content.decode()
    assert "---------" not in body, route_name
    assert not re.search(r"\bOutcome \d+\b", body), route_name
