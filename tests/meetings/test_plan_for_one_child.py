"""In a case about several children, an outcome or an action is for one of them or for
all of them: asked in meeting mode, shown in the plan, the family's copy and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent, Child
from cases.services.children import add_existing_child_to_case
from meetings.models import Action, Meeting, Outcome
from meetings.services.common import MeetingError
from meetings.services.plan import Owner, add_action, add_outcome
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def sibling(case: Case, lead: User, make_child: Callable[..., Child]) -> Child:
    """Alfie's brother Noah, on the same case."""
    child = make_child(given_names="Noah", family=case.family)
    return add_existing_child_to_case(case, child, by=lead)


def test_an_outcome_and_an_action_are_for_one_child_or_for_all(
    case: Case, lead: User, sibling: Child
) -> None:
    for_noah = add_outcome(case, by=lead, statement="Noah sleeps in his own bed", child=sibling)
    for_all = add_outcome(case, by=lead, statement="Mornings are calmer")
    assert (for_noah.child, for_all.child) == (sibling, None)
    lead_membership = case.memberships.active().get(professional=lead)
    action = add_action(
        case,
        by=lead,
        description="Bedtime routine chart",
        owner=Owner(membership=lead_membership),
        due_on=timezone.localdate() + dt.timedelta(days=14),
        outcomes=[for_noah],
        child=sibling,
    )
    assert action.child == sibling
    event = CaseEvent.objects.filter(case=case, code="plan.action_added").latest("pk")
    assert event.data["child"] == sibling.pk


def test_a_child_outside_the_case_is_refused_and_nothing_is_written(
    case: Case, lead: User, make_child: Callable[..., Child]
) -> None:
    stranger = make_child(given_names="Other")
    with pytest.raises(MeetingError) as refused:
        add_outcome(case, by=lead, statement="Better sleep", child=stranger)
    assert "child" in refused.value.message_dict
    lead_membership = case.memberships.active().get(professional=lead)
    with pytest.raises(MeetingError):
        add_action(
            case,
            by=lead,
            description="Chart",
            owner=Owner(membership=lead_membership),
            due_on=timezone.localdate() + dt.timedelta(days=14),
            child=stranger,
        )
    assert not Outcome.objects.exists()
    assert not Action.objects.exists()


def test_meeting_mode_asks_who_it_is_for_only_when_there_are_several_children(
    case: Case,
    lead: User,
    lead_client: Client,
    schedule: Callable[..., Meeting],
    make_child: Callable[..., Child],
) -> None:
    meeting = schedule()
    url = reverse("meetings:run", args=[meeting.pk])
    assert "Who is it for?" not in lead_client.get(url).content.decode()

    noah = add_existing_child_to_case(
        case, make_child(given_names="Noah", family=case.family), by=lead
    )
    page = lead_client.get(url).content.decode()
    assert "Who is it for?" in page
    assert "All the children" in page

    response = lead_client.post(
        reverse("meetings:add_outcome", args=[meeting.pk]),
        {"statement": "Noah feels safe at night", "child": str(noah.pk)},
        headers=HTMX,
    )
    assert response.status_code == 200
    outcome = Outcome.objects.get()
    assert outcome.child == noah
    assert "For Noah" in response.content.decode()

    lead_membership = case.memberships.active().get(professional=lead)
    response = lead_client.post(
        reverse("meetings:add_action", args=[meeting.pk]),
        {
            "submission_token": "p" * 32,
            "description": "Night light for the bedroom",
            "child": str(noah.pk),
            "owner": str(lead_membership.pk),
            **date_fields("due_on", timezone.localdate() + dt.timedelta(days=7)),
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert Action.objects.get().child == noah

    bad = lead_client.post(
        reverse("meetings:add_outcome", args=[meeting.pk]),
        {"statement": "Anything", "child": "999999"},
        headers=HTMX,
    )
    assert "Choose one of this case&#x27;s children, or all of them" in bad.content.decode()
    assert Outcome.objects.count() == 1

    # For all the children: the default.
    lead_client.post(
        reverse("meetings:add_outcome", args=[meeting.pk]),
        {"statement": "The family eats together", "child": ""},
        headers=HTMX,
    )
    assert Outcome.objects.get(statement="The family eats together").child is None

    copy = lead_client.get(reverse("meetings:family_copy", args=[meeting.pk])).content.decode()
    assert "For Noah" in copy
    case_page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "For Noah" in case_page
