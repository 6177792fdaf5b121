from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from agencies.models import User
from cases.models import Case, FamilyMember, TeamMembership
from cases.services.teams import add_family_member_to_team
from meetings.models import Meeting
from meetings.services.scheduling import schedule_meeting


@pytest.fixture(autouse=True)
def _reminder_rules(request: pytest.FixtureRequest) -> None:
    """Action and review reminders need the seeded rules."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("reminder_rules")


@pytest.fixture
def parent(case: Case, lead: User, family_member: FamilyMember) -> TeamMembership:
    """Pat Parent, the children's mother, on the TAC with an email address."""
    family_member.email = "pat.parent@example.org"
    family_member.save(update_fields=["email"])
    return add_family_member_to_team(case, family_member=family_member, by=lead)


def at(days: int, hour: int = 10) -> dt.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def schedule(case: Case, lead: User) -> Callable[..., Meeting]:
    def make(days: int = 7, **overrides: Any) -> Meeting:
        fields: dict[str, Any] = {
            "by": lead,
            "kind": Meeting.Kind.INITIAL,
            "starts_at": at(days),
            "ends_at": at(days, 11),
            "location": "Riverside Primary School, room 2",
            "members": list(overrides.pop("members", case.memberships.active())),
        }
        fields.update(overrides)
        return schedule_meeting(case, **fields)

    return make
