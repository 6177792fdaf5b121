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

import functools
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, Team, User
from cases.models import Case, Child, Family, FamilyMember, LevelOfNeed
from notifications.models import Notification
from tests import chromium, databases, personas
from tests.helpers import PASSWORD, client_for, migrate_to_latest
from tests.matrix import Objects


def pytest_configure(config: pytest.Config) -> None:
    """The suite runs on tac_portal/test_settings.py (or a module built on it), nothing else.

    A DJANGO_SETTINGS_MODULE in the environment wins over pyproject's, and the Celery
    app sets one for tac_portal.settings when it is imported: that once ran the whole
    suite on the production hashers and mail backend without a word.
    """
    from django.conf import settings

    if not hasattr(settings, "TEST_REDIS_PREFIX"):
        raise pytest.UsageError(
            f"the tests need tac_portal.test_settings, not {settings.SETTINGS_MODULE} "
            "(unset DJANGO_SETTINGS_MODULE or set it to tac_portal.test_settings)"
        )


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """This process's test database: a copy of one migrated template (tests/databases.py).

    Replaces pytest-django's fixture of the same name, whose options it keeps
    (``--reuse-db``, ``--create-db``); ``--nomigrations`` is not offered, since the
    suite relies on the rows the data migrations seed.
    """
    if not django_db_use_migrations:
        raise pytest.UsageError("--nomigrations: the tests need the rows the migrations seed")
    from pytest_django.fixtures import _get_databases_for_setup

    _aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    # One id for all the xdist workers of a run (xdist sets it); a serial run is its own.
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        original_name = databases.set_up(
            run_id=run_id,
            keepdb=django_db_keepdb,
            createdb=django_db_createdb,
            verbosity=verbosity,
        )
        if serialized_aliases:
            from django.db import connections

            for alias in serialized_aliases:
                connection: Any = connections[alias]
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        databases.tear_down(original_name, keepdb=django_db_keepdb, verbosity=verbosity)


@pytest.fixture
def early_help_agency(db: None) -> Agency:
    return personas.early_help_agency()


@pytest.fixture
def school_agency(db: None) -> Agency:
    return personas.school_agency()


@pytest.fixture
def police_agency(db: None) -> Agency:
    return personas.police_agency()


@pytest.fixture
def early_help_team(early_help_agency: Agency) -> Team:
    return personas.early_help_team(early_help_agency)


@pytest.fixture
def school_team(school_agency: Agency) -> Team:
    return personas.school_team(school_agency)


@pytest.fixture
def police_team(police_agency: Agency) -> Team:
    return personas.police_team(police_agency)


@pytest.fixture
def lead(early_help_team: Team) -> User:
    return personas.lead(early_help_team)


@pytest.fixture
def member(school_team: Team) -> User:
    return personas.member(school_team)


@pytest.fixture
def manager(early_help_team: Team) -> User:
    return personas.manager(early_help_team)


@pytest.fixture
def member_manager(school_team: Team) -> User:
    return personas.member_manager(school_team)


@pytest.fixture
def coordinator(early_help_agency: Agency) -> User:
    return personas.coordinator(early_help_agency)


@pytest.fixture
def outsider(police_team: Team) -> User:
    return personas.outsider(police_team)


@pytest.fixture
def admin_user(db: None) -> User:
    return personas.admin_user()


@pytest.fixture
def auditor(db: None) -> User:
    return personas.auditor()


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
        return personas.family(next(counter), **overrides)

    return make


@pytest.fixture
def make_child(make_family: Callable[..., Family]) -> Callable[..., Child]:
    def make(family: Family | None = None, **overrides: Any) -> Child:
        return personas.child(family or make_family(), **overrides)

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
        return personas.open_case(
            children or [make_child()],
            by=by or lead,
            status=status,
            interim_lead=(interim_lead or lead) if with_lead else None,
        )

    return make


@pytest.fixture
def case(make_child: Callable[..., Child], lead: User, member: User) -> Case:
    """An active case: Lena leads, Sam is on the TAC."""
    return personas.case_with_tac(lead, member, make_child())


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


# --- The permission matrix's world: built once per module, a savepoint per test ------
# (tests/test_permission_matrix.py and tests/audit/test_every_read_is_logged.py)


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
    than for each of the module's tests takes about 40% off the permission matrix's time.
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
                    "member_manager": personas.member_manager(school_team),
                    "coordinator": personas.coordinator(early_help_team.agency),
                    "outsider": personas.outsider(police_team),
                    "former_member": personas.former_member(school_team),
                    "leaver": personas.leaver(early_help_team),
                    "admin": personas.admin_user(),
                    "auditor": personas.auditor(),
                }
                case = personas.case_with_tac(lead, member, personas.child(personas.family(1)))
                personas.end_place(case, users["former_member"], by=lead)
                personas.leave_the_service(case, users["leaver"], by=lead)
                users["invited"] = personas.invited(case, by=lead, approver=users["admin"])
                users["requester"] = personas.requester(case, police_team)
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


@pytest.fixture(scope="session", autouse=True)
def _redis_keys_of_this_process() -> Iterator[None]:
    """At the end, delete the Redis keys this test process wrote (cache and broker).

    tac_portal/test_settings.py gives each test process (each xdist worker) a prefix of
    its own, new for every run, so nothing else removes them.
    """
    yield
    settings = django_settings
    for url in {settings.CACHE_URL, settings.CELERY_BROKER_URL}:
        client = redis.Redis.from_url(url)
        try:
            keys = list(client.scan_iter(match=f"{settings.TEST_REDIS_PREFIX}*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


# --- Browser tests: real Chromium driven by Playwright, axe-core on every page ----------
# Here rather than in tests/e2e so that every browser test in the suite shares the one
# Chromium (Playwright's sync API allows one per thread): ``browser`` (one per session, so
# one per xdist worker, beside that worker's one live server; tests/chromium.py says which
# Chromium), ``page`` (a fresh context per test), ``sign_in(page, email)``, and
# ``check_page(page, name)``, which looks at the page at a desktop and a phone width: axe-core
# at each width (no violation of moderate impact or worse), no sideways scrolling of the
# whole page at the phone width, and a screenshot of each under ``test-artifacts/``.

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = {"moderate", "serious", "critical"}
# Desktop first, then a phone (390 px: the width of a common phone held upright).
CHECK_WIDTHS = (1280, 390)
PHONE_WIDTH = 390
OVERFLOW = "page-overflow"  # the name a sideways-scrolling page is reported under
# Known findings that are not fixed yet: {(page name, rule id): why}. Every entry names the
# page (as the journey passes it to check_page), the axe rule (or OVERFLOW) and the reason;
# nothing else is ever let through. Remove an entry as soon as its page is fixed.
ALLOWED_FINDINGS: dict[tuple[str, str], str] = {}
# With TAC_AXE_REPORT=<file>, findings are appended to that file (one JSON object a line)
# instead of failing the test: a way to list everything a set of journeys finds at once.
AXE_REPORT_ENV = "TAC_AXE_REPORT"

# What reaches past the right edge: first what is outside any scrolling box, then what is
# inside one (a positioned element can escape a box that is not its containing block).
_OVERFLOWING_ELEMENTS = """() => {
  const width = window.innerWidth;
  const outside = [], inside = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const margin = parseFloat(getComputedStyle(el).marginRight) || 0;
    if (box.right + Math.max(margin, 0) <= width + 1) continue;
    let scrolled = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) {
        scrolled = true;
        break;
      }
    }
    const id = el.id ? "#" + el.id : "";
    const cls = el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    (scrolled ? inside : outside).push(
      el.tagName.toLowerCase() + id + cls + " (" + Math.round(box.right) + "px)"
    );
  }
  return outside.slice(0, 6).concat(inside.slice(0, 4));
}"""


def _findings(axe: Axe, page: Any, width: int) -> list[dict[str, Any]]:
    """What is wrong with the page as it is shown now, at ``width`` (one axe run)."""
    found = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [", ".join(map(str, n["target"])) for n in v["nodes"]][:5],
        }
        for v in axe.run(page).response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
    if width == PHONE_WIDTH:
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1]:
            found.append(
                {
                    "rule": OVERFLOW,
                    "impact": "moderate",
                    "help": f"the page is {sizes[0]} px wide in a {sizes[1]} px window",
                    "targets": page.evaluate(_OVERFLOWING_ELEMENTS),
                }
            )
    return found


def _report(name: str, width: int, findings: list[dict[str, Any]]) -> None:
    import json

    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
    with open(os.environ[AXE_REPORT_ENV], "a", encoding="utf-8") as out:
        for finding in findings:
            out.write(json.dumps({"test": test, "page": name, "width": width, **finding}) + "\n")


@functools.cache
def _chromium() -> Path | None:
    return chromium.find()


def _is_browser_test(item: pytest.Item) -> bool:
    return item.get_closest_marker("browser") is not None


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected what they will
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Selected browser tests with no Chromium to drive stop the run before any test.

    ``make test`` gets a Chromium first (tests/chromium.py); anything else that
    selects the browser tests (a bare ``pytest``, an IDE) gets this clear failure
    instead of a column of skips. ``-m "not browser"`` (``make test-quick``)
    deselects them on purpose and needs no browser. An xdist worker cannot stop
    the run cleanly from here, so there each browser test fails in its setup
    instead (below).
    """
    browser_tests = [item for item in items if _is_browser_test(item)]
    if browser_tests and not hasattr(config, "workerinput") and _chromium() is None:
        raise pytest.UsageError(
            f"{len(browser_tests)} browser tests are selected.\n{chromium.missing_message()}"
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _is_browser_test(item) and _chromium() is None:
        pytest.fail(chromium.missing_message(), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A browser test is never skipped: a skip from any fixture or helper is a failure."""
    report = yield
    if report.skipped and _is_browser_test(item) and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reason = str(reason).removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"browser tests are never skipped, but this one was: {reason}"
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Chromium for the session (for each xdist worker): never a skip when it is missing."""
    executable = _chromium()
    if executable is None:
        pytest.fail(chromium.missing_message(), pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread; the ORM calls
    # the tests make between browser steps are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(executable), headless=True, args=chromium.FLAGS
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
    """At 1280 px and at 390 px: no axe finding of moderate impact or worse, and no
    sideways scrolling of the page at 390 px; a screenshot at each width. The window
    is put back to its size afterwards, so the journey carries on as before."""

    def check(page: Any, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9-]+", "-", name.lower())
        original = page.viewport_size or {"width": 1280, "height": 720}
        failures: list[str] = []
        try:
            for width in CHECK_WIDTHS:
                page.set_viewport_size({"width": width, "height": original["height"]})
                suffix = "" if width == CHECK_WIDTHS[0] else f"-{width}"
                page.screenshot(path=str(ARTIFACTS / f"{safe}{suffix}.png"), full_page=True)
                findings = [
                    f
                    for f in _findings(axe, page, width)
                    if (name, f["rule"]) not in ALLOWED_FINDINGS
                ]
                if os.environ.get(AXE_REPORT_ENV):
                    _report(name, width, findings)
                    continue
                failures += [
                    f"at {width} px: {f['rule']} ({f['impact']}): {f['help']}: {f['targets']}"
                    for f in findings
                ]
        finally:
            page.set_viewport_size(original)
        assert failures == [], f"accessibility findings on {name}: {failures}"

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


@pytest.fixture
def at_latest_afterwards() -> Iterator[None]:
    """For a test that migrates backwards: the database is at the latest migration again
    afterwards, whatever the test did."""
    yield
    migrate_to_latest()
