"""The case page: a summary first, then "What happens next", then short sections
reached from a contents list; the history folds the steps on the case, in full on
its own page, filterable by kind and by person."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import User
from cases.models import AccessPurpose, Case, RecordAccess
from cases.services.reviews import set_next_review_due
from cases.views.case_page import HISTORY_SHOWN
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _between(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at : page.index(end, at)]


def test_the_summary_comes_first_then_what_happens_next(case: Case, lead_client: Client) -> None:
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    summary = _between(page, 'id="summary"', 'id="next-steps"')
    child = case.subjects.get().child
    for label in (
        "Child",
        "Stage",
        "Lead professional",
        "Next review due",
        "Actions in the plan",
        "0 open",
        "Safeguarding",
        "No concerns raised",
        "Agreement and sharing",
        "No agreement recorded",
    ):
        assert label in summary, label
    assert child.full_name in summary
    assert case.get_status_display() in summary
    # The sections follow, in the contents list's order.
    order = [
        page.index(f'id="{anchor}"')
        for anchor in (
            "summary",
            "next-steps",
            "family-voice",
            "plan",
            "contributions",
            "meetings",
            "assessment",
            "team",
            "family",
            "history",
        )
    ]
    assert order == sorted(order)
    # The sections are GOV.UK tabs, the plan first.
    tabs = _between(page, 'class="govuk-tabs__list"', "</ul>")
    for anchor in ("#plan", "#contributions", "#meetings", "#assessment", "#team", "#family"):
        assert f'class="govuk-tabs__tab" href="{anchor}"' in tabs


def test_the_links_the_journeys_use_are_kept(case: Case, lead_client: Client) -> None:
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in (
        "Team page: who is on the team",
        "Arrange a TAC meeting",
        "Record agreement or sharing preferences",
        "Review the plan without a meeting",
        "the next review date",
        "Raise a safeguarding concern",
        "In their own words",
        "Team around the child",
    ):
        assert text in page, text


def test_the_page_shows_the_latest_steps_and_links_to_the_whole_history(
    case: Case, lead: User, lead_client: Client
) -> None:
    for n in range(HISTORY_SHOWN + 3):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=n + 1), tick=False):
            set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=20 + n), by=lead)
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    history = page[page.index('<section id="history"') :]
    assert history.count("<li>") == HISTORY_SHOWN
    assert reverse("cases:chronology", args=[case.pk]) in history
    # Nothing twice: each step is shown once, in the history only.
    for event in case.events.order_by("-at", "-id")[:HISTORY_SHOWN]:
        assert page.count(str(escape(event.summary))) == 1, event.summary


def test_the_history_filters_by_kind_and_by_person(
    case: Case, lead: User, member: User, lead_client: Client
) -> None:
    from meetings.services.contributions import add_contribution

    set_next_review_due(case, due=timezone.localdate() + dt.timedelta(days=20), by=lead)
    add_contribution(case, by=member, body="Attendance is better.")
    url = reverse("cases:chronology", args=[case.pk])

    everything = lead_client.get(url).content.decode()
    assert "Next review due" in everything
    assert "Contribution from" in everything

    by_kind = lead_client.get(url, {"kind": "contribution"}).content.decode()
    assert "Contribution from" in by_kind
    assert "Next review due" not in by_kind

    by_person = lead_client.get(url, {"person": str(member.pk)}).content.decode()
    assert "Contribution from" in by_person
    assert "Next review due" not in by_person

    wrong = lead_client.get(url, {"kind": "nonsense", "person": "x"})
    assert wrong.status_code == 200
    body = wrong.content.decode()
    assert "Select a kind of step from the list" in body
    assert "Select a person from the list" in body
    assert "<title>Error: " in body


def test_the_history_page_is_for_those_who_see_the_case_and_is_logged(
    case: Case, member: User, outsider: User
) -> None:
    url = reverse("cases:chronology", args=[case.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 200
    assert RecordAccess.objects.filter(user=member, case=case, purpose=AccessPurpose.CASE).exists()


def test_the_plan_page_lists_every_action(case: Case, lead_client: Client) -> None:
    response = lead_client.get(reverse("meetings:case_plan", args=[case.pk]))
    assert response.status_code == 200
    assert "The plan and every action" in response.content.decode()
