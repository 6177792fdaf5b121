"""Personas and builders shared by the whole suite.

The baseline is a small, fixed cast (never random values a test asserts on):

- Lena Lead: family support worker in the Northgate early help team; lead
  professional on ``case``.
- Sam School: designated safeguarding lead at Riverside Primary; a TAC member
  on ``case``.
- Mo Manager: team manager of the Northgate early help team (Lena's team).
- Hana Head: team manager of Sam's pastoral team: sees the case, may not run it.
- Cora Coordinator: the authority's early help coordinator.
- Otto Outsider: police officer with no relationship to ``case``: sees nothing.
- Ada Admin: system administrator: configures the service, sees no case.
- Iggy Governance: information governance officer.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, Child, Family, FamilyMember, LevelOfNeed
from cases.services.lifecycle import open_case
from cases.services.teams import add_professional_to_team
from notifications.models import Notification
from tests.helpers import PASSWORD, client_for
from tests.matrix import Objects


@pytest.fixture
def early_help_agency(db: None) -> Agency:
    return Agency.objects.create(
        name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP, phone="0300 000 1111"
    )


@pytest.fixture
def school_agency(db: None) -> Agency:
    return Agency.objects.create(name="Riverside Primary School", kind=AgencyKind.SCHOOL)


@pytest.fixture
def police_agency(db: None) -> Agency:
    return Agency.objects.create(name="Demo Constabulary", kind=AgencyKind.POLICE)


@pytest.fixture
def early_help_team(early_help_agency: Agency) -> Team:
    return Team.objects.create(
        agency=early_help_agency, name="Northgate early help team", phone="0300 000 1112"
    )


@pytest.fixture
def school_team(school_agency: Agency) -> Team:
    return Team.objects.create(agency=school_agency, name="Pastoral team")


@pytest.fixture
def police_team(police_agency: Agency) -> Team:
    return Team.objects.create(agency=police_agency, name="Neighbourhood policing")


def _user(email: str, name: str, **extra: Any) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=name, **extra)


@pytest.fixture
def lead(early_help_team: Team) -> User:
    return _user(
        "lena.lead@northgate.example",
        "Lena Lead",
        job_title="Family support worker",
        agency=early_help_team.agency,
        team=early_help_team,
    )


@pytest.fixture
def member(school_team: Team) -> User:
    return _user(
        "sam.school@riverside.example",
        "Sam School",
        job_title="Designated safeguarding lead",
        agency=school_team.agency,
        team=school_team,
    )


@pytest.fixture
def manager(early_help_team: Team) -> User:
    user = _user(
        "mo.manager@northgate.example",
        "Mo Manager",
        job_title="Early help team manager",
        agency=early_help_team.agency,
        role=User.Role.TEAM_MANAGER,
    )
    early_help_team.managers.add(user)
    return user


@pytest.fixture
def member_manager(school_team: Team) -> User:
    """Hana Head: manages Sam's school team, not Lena's. She sees the case (Sam is on its
    TAC) but is not accountable for the lead role, so she may not run it."""
    user = _user(
        "hana.head@riverside.example",
        "Hana Head",
        job_title="Head teacher",
        agency=school_team.agency,
        role=User.Role.TEAM_MANAGER,
    )
    school_team.managers.add(user)
    return user


@pytest.fixture
def coordinator(early_help_agency: Agency) -> User:
    return _user(
        "cora.coordinator@demo-la.example",
        "Cora Coordinator",
        agency=early_help_agency,
        role=User.Role.COORDINATOR,
    )


@pytest.fixture
def outsider(police_team: Team) -> User:
    return _user(
        "otto.outsider@police.example",
        "Otto Outsider",
        job_title="Police constable",
        agency=police_team.agency,
        team=police_team,
    )


@pytest.fixture
def admin_user(db: None) -> User:
    return _user(
        "ada.admin@demo-la.example",
        "Ada Admin",
        role=User.Role.SYSTEM_ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def auditor(db: None) -> User:
    return _user(
        "iggy.governance@demo-la.example",
        "Iggy Governance",
        role=User.Role.INFORMATION_GOVERNANCE,
    )


@pytest.fixture
def level_targeted(db: None) -> LevelOfNeed:
    # Seeded by a data migration, but transactional tests empty every table.
    level, _ = LevelOfNeed.objects.get_or_create(
        code="TARGETED", defaults={"ordinal": 3, "label": "Targeted"}
    )
    return level


@pytest.fixture
def make_family(db: None) -> Callable[..., Family]:
    counter = iter(range(1, 10_000))

    def make(**overrides: Any) -> Family:
        n = next(counter)
        fields: dict[str, Any] = {
            "name": f"Testfamily {n}",
            "address": f"{n} Example Street\nDemoton",
            "postcode": "DT1 1AA",
        }
        fields.update(overrides)
        return Family.objects.create(**fields)

    return make


@pytest.fixture
def make_child(make_family: Callable[..., Family]) -> Callable[..., Child]:
    def make(family: Family | None = None, **overrides: Any) -> Child:
        family = family or make_family()
        fields: dict[str, Any] = {
            "family": family,
            "given_names": "Jamie",
            "family_name": "Fairweather",
            "date_of_birth": dt.date(2016, 5, 17),
            "sex": "female",
            "address": family.address,
            "postcode": family.postcode,
        }
        fields.update(overrides)
        return Child.objects.create(**fields)

    return make


@pytest.fixture
def make_case(make_child: Callable[..., Child], lead: User) -> Callable[..., Case]:
    """Open a case through the services, with ``lead`` as interim lead unless told otherwise."""

    def make(
        *,
        children: list[Child] | None = None,
        status: str = Case.Status.ACTIVE,
        by: User | None = None,
        interim_lead: User | None = None,
        with_lead: bool = True,
    ) -> Case:
        kids = children or [make_child()]
        return open_case(
            kids[0].family,
            children=kids,
            by=by or lead,
            status=status,
            interim_lead=(interim_lead or lead) if with_lead else None,
        )

    return make


@pytest.fixture
def case(make_case: Callable[..., Case], lead: User, member: User) -> Case:
    """An active case: Lena leads, Sam is on the TAC."""
    case = make_case()
    add_professional_to_team(case, professional=member, by=lead)
    return case


@pytest.fixture
def family_member(case: Case) -> FamilyMember:
    return FamilyMember.objects.create(
        family=case.family,
        given_names="Pat",
        family_name="Parent",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )


@pytest.fixture
def lead_client(lead: User) -> Client:
    return client_for(lead)


@pytest.fixture
def member_client(member: User) -> Client:
    return client_for(member)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return client_for(manager)


@pytest.fixture
def member_manager_client(member_manager: User) -> Client:
    return client_for(member_manager)


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return client_for(coordinator)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return client_for(outsider)


@pytest.fixture
def admin_client_(admin_user: User) -> Client:
    return client_for(admin_user)


@pytest.fixture
def auditor_client(auditor: User) -> Client:
    return client_for(auditor)


@pytest.fixture
def reminder_rules(db: None) -> None:
    """The reminder rules the migrations seed (transactional tests empty every table)."""
    import importlib

    from django.apps import apps

    for name in ("0002_seed_review_rules", "0003_seed_further_rules", "0005_consent_age_rule"):
        importlib.import_module(f"notifications.migrations.{name}").seed(apps, None)


# --- The permission matrix's objects and a client per persona (tests/matrix.py) ------


@pytest.fixture
def objects(case: Case, lead: User) -> Objects:
    notification = Notification.objects.create(
        recipient=lead,
        title="A case review is due in 5 working days",
        link=reverse("cases:detail", args=[case.pk]),
        created_at=timezone.now(),
    )
    return Objects(case=case, notification=notification)


@pytest.fixture
def persona_client(request: pytest.FixtureRequest) -> Callable[[str], Client]:
    fixtures = {
        "lead": "lead",
        "member": "member",
        "manager": "manager",
        "member_manager": "member_manager",
        "coordinator": "coordinator",
        "outsider": "outsider",
        "admin": "admin_user",
        "auditor": "auditor",
    }

    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        return client_for(request.getfixturevalue(fixtures[persona]))

    return make


# --- Browser tests: real Chromium driven by Playwright, axe-core on every page ----------
# Here rather than in tests/e2e so that every browser test in the suite shares the one
# Chromium (Playwright's sync API allows one per thread): ``browser`` (one per session),
# ``page`` (a fresh context per test), ``sign_in(page, email)``, and ``check_page(page,
# name)``, which runs axe-core (no serious or critical violations) and saves a screenshot
# under ``test-artifacts/``.

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium; CI must install it")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread; the ORM calls
    # the tests make between browser steps are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def check_page(axe: Axe) -> Callable[[Any, str], None]:
    """Fail on serious or critical accessibility violations; save a screenshot."""

    def check(page: Any, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9-]+", "-", name.lower())
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
        results = axe.run(page)
        blocking = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in results.response["violations"]
            if v.get("impact") in BLOCKING_IMPACTS
        ]
        assert blocking == [], f"accessibility violations on {name}: {blocking}"

    return check


@pytest.fixture
def sign_in() -> Callable[[Any, str], None]:
    def do(page: Any, email: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("domcontentloaded")

    return do
