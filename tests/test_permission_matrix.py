"""The permission matrix: every URL pattern and every persona → the expected status.

A URL pattern that is not in ``MATRIX`` fails ``test_every_url_pattern_is_in_the_matrix``,
so a new page is denied review until someone decides who may reach it. Objects a
persona may not see are 404, never 403.

Personas (tests/conftest.py): ``lead`` leads the case, ``member`` is on its TAC,
``manager`` manages the lead's team, ``coordinator`` is authority-wide,
``outsider`` has no relationship, ``admin`` configures the service, ``auditor``
is information governance, ``anonymous`` is signed out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import User
from audit.models import BreakGlassGrant
from cases.models import Case
from notifications.models import Notification
from tests import personas
from tests.helpers import client_for
from tests.matrix import (
    HEALTH,
    PERSONAS,
    Objects,
    Route,
    case_page,
    everyone,
    only,
    own_notification,
)
from tests.matrix_routes import AREA_ROUTES


def _grant(o: Objects) -> int:
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user_id=o.notification.recipient_id,
        case=o.case,
        reason_code=BreakGlassGrant.ReasonCode.OTHER,
        justification="Matrix check",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=1),
    ).pk


CORE: dict[str, Route] = {
    "home": Route("get", expect=everyone(302, anonymous=302)),
    # Public and free of personal data: healthy (200) or not (503, e.g. no worker).
    "healthz": Route("get", expect=everyone(HEALTH, anonymous=HEALTH)),
    "agencies:sign_in": Route("get", expect=everyone(302, anonymous=200)),
    "agencies:sign_out": Route("post", expect=everyone(302, anonymous=302)),
    # Two-factor is off in the test settings: with no device there is no code to ask for.
    "agencies:two_factor": Route("get", expect=everyone(302, anonymous=302)),
    "agencies:two_factor_setup": Route("get", expect=everyone(200, anonymous=302)),
    "agencies:password_reset": Route("get", expect=everyone(200, anonymous=200)),
    "agencies:password_reset_done": Route("get", expect=everyone(200, anonymous=200)),
    "agencies:password_reset_confirm": Route(
        "get", args=lambda o: ["MQ", "not-a-token"], expect=everyone(200, anonymous=200)
    ),
    "agencies:password_reset_complete": Route("get", expect=everyone(200, anonymous=200)),
    "cases:my_cases": Route("get", expect=everyone(200)),
    "cases:detail": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    # A forensic tool for information governance only; for anyone else it does not exist.
    "cases:history": Route(
        "get", args=lambda o: [o.case.pk], expect=everyone(404) | {"auditor": 200}
    ),
    "notifications:list": Route("get", expect=everyone(200)),
    "notifications:open": Route(
        "get", args=lambda o: [o.notification.pk], expect=own_notification(302)
    ),
    "notifications:read": Route(
        "post", args=lambda o: [o.notification.pk], expect=own_notification(302)
    ),
    "notifications:read_all": Route("post", expect=everyone(302)),
    "notifications:preferences": Route("get", expect=everyone(200)),
    # Anyone but the administrator may ask for emergency (break-glass) access.
    "cases:break_glass": Route("get", expect=everyone(200) | {"admin": 403}),
    "audit:case_access": Route(
        "get", args=lambda o: [o.case.pk], expect=only(200, "lead", "manager", "auditor")
    ),
    "audit:professional_access": Route(
        "get",
        args=lambda o: [o.notification.recipient_id],  # the lead
        expect=only(200, "manager", "auditor"),
    ),
    "audit:break_glass_list": Route("get", expect=only(200, "auditor")),
    "audit:break_glass_review": Route(
        "post",
        args=lambda o: [_grant(o)],
        data={"review_outcome": "APPROPRIATE", "review_note": ""},
        expect=only(302, "auditor"),
    ),
}


def _restriction(o: Objects) -> int:
    from audit.models import Restriction, RestrictionTarget

    restriction = Restriction.objects.create(
        case=o.case,
        target=RestrictionTarget.FAMILY,
        target_id=o.case.family_id,
        field_name="address",
        reason="Matrix check",
        set_by_id=o.notification.recipient_id,  # the lead
        set_at=timezone.now(),
        review_due=timezone.localdate() + dt.timedelta(days=90),
    )
    return restriction.pk


def runs_the_case(ok: int) -> dict[str, int | frozenset[int]]:
    # Those who run the case; other TAC members see it but may not (403); the rest 404.
    return only(ok, "lead", "manager", "coordinator") | {"member": 403}


CORE |= {
    "audit:case_restrictions": Route("get", args=lambda o: [o.case.pk], expect=runs_the_case(200)),
    "audit:restriction_review": Route(
        "get", args=lambda o: [_restriction(o)], expect=runs_the_case(200)
    ),
    # Only the people a restriction names (here the lead who set it) may ask to see it.
    "audit:unmask": Route(
        "get",
        args=lambda o: [_restriction(o)],
        expect=only(200, "lead") | {"member": 403, "manager": 403, "coordinator": 403},
    ),
}

MATRIX: dict[str, Route] = CORE | AREA_ROUTES

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


class _Rollback(Exception):
    """Leaves the module's transaction by rolling it back."""


@dataclass(frozen=True)
class World:
    """Primary keys of what every test in this module starts from."""

    users: dict[str, int]
    case: int
    notification: int


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The cast (tests/personas.py), ``case`` and a notification for the lead, built once.

    Each test still starts from exactly this: pytest-django's ``db`` runs it in a
    savepoint inside this module's transaction and rolls back whatever its request
    changed, and the whole is rolled back when the module ends. Building it once rather
    than for each of the module's 1,100 tests takes about 40% off the module's time.
    """
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                early_help_team = personas.early_help_team(personas.early_help_agency())
                school_team = personas.school_team(personas.school_agency())
                police_team = personas.police_team(personas.police_agency())
                lead = personas.lead(early_help_team)
                member = personas.member(school_team)
                users = {
                    "lead": lead,
                    "member": member,
                    "manager": personas.manager(early_help_team),
                    "coordinator": personas.coordinator(early_help_team.agency),
                    "outsider": personas.outsider(police_team),
                    "admin": personas.admin_user(),
                    "auditor": personas.auditor(),
                }
                case = personas.case_with_tac(lead, member, personas.child(personas.family(1)))
                notification = Notification.objects.create(
                    recipient=lead,
                    title="A case review is due in 5 working days",
                    link=reverse("cases:detail", args=[case.pk]),
                    created_at=timezone.now(),
                )
                yield World(
                    users={name: user.pk for name, user in users.items()},
                    case=case.pk,
                    notification=notification.pk,
                )
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def objects(world: World, db: None) -> Objects:
    # Fresh instances for each test: nothing one test did in memory reaches the next.
    return Objects(
        case=Case.objects.get(pk=world.case),
        notification=Notification.objects.get(pk=world.notification),
    )


@pytest.fixture
def persona_client(world: World, db: None) -> Callable[[str], Client]:
    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        return client_for(User.objects.get(pk=world.users[persona]))

    return make


@pytest.mark.parametrize("persona", PERSONAS)
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
    expected = route.expect[persona]
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


@pytest.mark.parametrize("persona", ["outsider", "admin", "auditor"])
def test_an_invisible_case_never_appears_in_lists(
    persona: str, objects: Objects, persona_client: Callable[[str], Client]
) -> None:
    body = persona_client(persona).get(reverse("cases:my_cases")).content.decode()
    assert objects.case.reference not in body
    child = objects.case.children.get()
    assert child.family_name not in body
