"""Shared people for the step-down tests: Robin Rivers, known to early help, and a
manager who may not see him."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from agencies.models import Team, User
from cases.models import Case, Child, Family, FamilyMember
from cases.services.lifecycle import change_status

DOB = dt.date(2014, 2, 3)


def known_child(
    make_family: Callable[..., Family],
    make_child: Callable[..., Child],
    make_case: Callable[..., Case],
    lead: User,
    *,
    mothers_responsibility: str,
) -> Child:
    """Robin, whose earlier case (Lena leading) closed; Rae, his mother, is recorded."""
    family = make_family(name="The Rivers family", postcode="DT3 3AA")
    child = make_child(
        family=family, given_names="Robin", family_name="Rivers", date_of_birth=DOB, sex="male"
    )
    FamilyMember.objects.create(
        family=family,
        given_names="Rae",
        family_name="Rivers",
        relationship=FamilyMember.Relationship.MOTHER,
        parental_responsibility=mothers_responsibility,
    )
    case = make_case(children=[child])
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    return child


def police_manager(police_team: Team) -> User:
    """Manages a police team with no one on Robin's case: may not see him."""
    user = User.objects.create_user(
        "pia.police-manager@police.example",
        "not-used",
        full_name="Pia Policemanager",
        agency=police_team.agency,
        role=User.Role.TEAM_MANAGER,
    )
    police_team.managers.add(user)
    return user
