"""The demo's busiest case, in Chromium, as its lead professional sees it.

The demo is seeded the way ``make run`` does it (``manage.py seed_demo``), at the
smallest size that still walks the demo sign-ins through the whole TAC cycle
(``CYCLE_MIN_CHILDREN``; the default of 240 children takes several times as long and
adds only quieter cases). The busiest case is the one with the most chronology events,
actions and team members. Its page, up to the history, fits in three screens of
1280 x 800; at 390 px the sections fold away behind their list, nothing scrolls
sideways, and axe finds nothing of moderate impact or worse at either width.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from cases.models import Case, CaseEvent, TeamMembership
from demo.cycle import CYCLE_MIN_CHILDREN
from meetings.models import Action

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1280, 800
PHONE = 390

_TOP_OF_HISTORY = "document.getElementById('history').getBoundingClientRect().top + window.scrollY"


def _count(model: Any) -> Coalesce:
    rows = (
        model.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def busiest_case() -> Case | None:
    """The case with the most events, actions and team members (ties: the oldest)."""
    return (
        Case.objects.annotate(
            n_events=_count(CaseEvent), n_actions=_count(Action), n_members=_count(TeamMembership)
        )
        .annotate(busy=F("n_events") + F("n_actions") + F("n_members"))
        .order_by("-busy", "pk")
        .first()
    )


def test_the_busiest_demo_case_fits_in_three_screens_and_reads_on_a_phone(
    page: Any,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    call_command("seed_demo", children=CYCLE_MIN_CHILDREN, stdout=StringIO())
    case = busiest_case()
    assert case is not None
    assignment = case.lead_assignment
    assert assignment is not None
    lead = assignment.professional
    if not lead.check_password(settings.DEMO_PASSWORD):
        # Only the demo sign-ins have the demo password; the test gives this lead it too.
        lead.set_password(settings.DEMO_PASSWORD)
        lead.save(update_fields=["password"])

    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    sign_in(page, lead.email, settings.DEMO_PASSWORD)
    url = reverse("cases:detail", args=[case.pk])
    page.goto(url)
    page.get_by_role("heading", name="What happens next").wait_for()
    tops = page.evaluate(
        "[...document.querySelectorAll('main [id]')].filter(e => /^H2|SECTION|NAV|DL$/"
        ".test(e.tagName)).map(e => e.id + ' ' + Math.round(e.getBoundingClientRect().top"
        " + window.scrollY))"
    )
    before_history = page.evaluate(_TOP_OF_HISTORY)
    assert before_history <= 3 * HEIGHT, f"{before_history} px before the history: {tops}"
    check_page(page, "busiest-demo-case")

    # On a phone: the summary, what happens next and the list of sections; a section
    # opens when it is chosen from the list, and nothing scrolls sideways.
    page.set_viewport_size({"width": PHONE, "height": 844})
    page.goto(url)
    assert not page.locator("#team").is_visible()
    phone_before_history = page.evaluate(_TOP_OF_HISTORY)
    assert phone_before_history <= 4 * 844, f"{phone_before_history} px before the history"
    page.locator(".tac-case-sections").get_by_role("link", name="Team", exact=True).click()
    assert page.locator("#team").is_visible()
    assert not page.locator("#plan").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
