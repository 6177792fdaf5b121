"""The partner API names the child a plan action is for (null: all the case's children)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from agencies.models import User
from cases.models import Case, Child
from cases.services.children import add_existing_child_to_case
from meetings.services.plan import Owner, add_action

pytestmark = pytest.mark.django_db


def test_the_api_names_the_child_an_action_is_for(
    case: Case, lead: User, member: User, make_child: Callable[..., Child], school_api: Client
) -> None:
    noah = add_existing_child_to_case(
        case, make_child(given_names="Noah", family=case.family), by=lead
    )
    school = case.memberships.active().get(professional=member)
    due = timezone.localdate() + dt.timedelta(days=14)
    for_noah = add_action(
        case, by=lead, description="Reading together", owner=Owner(membership=school), due_on=due
    )
    for_noah = add_action(
        case,
        by=lead,
        description="Reading with Noah",
        owner=Owner(membership=school),
        due_on=due,
        child=noah,
    )
    rows = school_api.get(f"/api/v1/cases/{case.pk}/actions/").json()["results"]
    by_id = {r["id"]: r for r in rows}
    assert by_id[for_noah.pk]["child"] == noah.pk
    assert [r["child"] for r in rows if r["id"] != for_noah.pk] == [None]
