"""The permission matrix: every URL pattern and every persona → the expected status.

A URL pattern that is not in ``MATRIX`` fails ``test_every_url_pattern_is_in_the_matrix``,
so a new page is denied review until someone decides who may reach it. Objects a
persona may not see are 404, never 403.

Personas (tests/conftest.py): ``lead`` leads the case, ``member`` is on its TAC,
``manager`` manages the lead's team, ``coordinator`` is authority-wide,
``outsider`` has no relationship, ``former_member`` was on the TAC until their
place ended, ``leaver`` is still on the TAC but their account was deactivated when they
left, ``invited`` joined through an invitation sent before they had an account,
``requester`` asked to join and is waiting, ``admin`` configures the service, ``auditor``
is information governance, ``anonymous`` is signed out.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import (
    ANSWERED_AS,
    PERSONAS,
    Objects,
)
from tests.matrix_routes import ROUTES

MATRIX = ROUTES


# The configuration site: only staff (the system administrator) get in; it holds
# no case data (see test_the_admin_registers_no_case_data).
ADMIN_NAMESPACE = "admin"
ADMIN_SAMPLES = [
    "admin:index",
    "admin:agencies_agency_changelist",
    "admin:agencies_team_changelist",
    "admin:agencies_user_changelist",
    "admin:cases_levelofneed_changelist",
]


def _pattern_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _pattern_names(entry, namespace)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                names.add(f"{prefix}<unnamed {entry.pattern}>")
            else:
                names.add(f"{prefix}{entry.name}")
    return names


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = _pattern_names(get_resolver())
    undecided = sorted(
        n for n in names if n not in MATRIX and not n.startswith(f"{ADMIN_NAMESPACE}:")
    )
    assert undecided == [], f"add these URL patterns to the permission matrix: {undecided}"
    stale = sorted(set(MATRIX) - names)
    assert stale == [], f"remove these from the matrix (no such URL pattern): {stale}"


def test_the_admin_registers_no_case_data() -> None:
    registered = {m._meta.label for m in admin.site._registry}
    case_data = {"cases.Case", "cases.Child", "cases.Family", "cases.FamilyMember"}
    assert registered & case_data == set()
    # Assessment templates are configuration (published form versions), not case data.
    configuration = {"assessments.AssessmentTemplate"}
    assert not any(
        label.startswith(("audit.", "assessments.", "meetings."))
        for label in registered - configuration
    )


@pytest.mark.parametrize("persona", [*PERSONAS, *ANSWERED_AS])
@pytest.mark.parametrize("route_name", sorted(MATRIX))
def test_it_answers_each_persona_as_the_matrix_says(
    route_name: str,
    persona: str,
    objects: Objects,
    persona_client: Callable[[str], Client],
) -> None:
    route = MATRIX[route_name]
    url = reverse(route_name, args=route.args(objects))
    response = getattr(persona_client(persona), route.method)(url, route.form_data())
    # A leaver's deactivated account is signed out: the answer a signed-out visitor gets.
    if persona == "leaver":
        persona = "anonymous"
    expected = route.expect.get(persona) or route.expect[ANSWERED_AS[persona]]
    allowed = expected if isinstance(expected, frozenset) else {expected}
    assert response.status_code in allowed, f"{route.method.upper()} {route_name} as {persona}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route_name", ADMIN_SAMPLES)
def test_only_the_administrator_reaches_the_configuration_site(
    route_name: str, persona: str, persona_client: Callable[[str], Client], objects: Objects
) -> None:
    response = persona_client(persona).get(reverse(route_name))
    if persona == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["outsider", "former_member", "requester", "admin", "auditor"])
def test_an_invisible_case_never_appears_in_lists(
    persona: str, objects: Objects, persona_client: Callable[[str], Client]
) -> None:
    body = persona_client(persona).get(reverse("cases:my_cases")).content.decode()
    assert objects.case.reference not in body
    child = objects.case.children.get()
    assert child.family_name not in body
