"""The suite's fixed cast as plain functions (tests/conftest.py describes who is who).

tests/conftest.py's fixtures call these one at a time, so that a test builds only the
people it asks for; a module that builds its data once for all its tests
(tests/test_permission_matrix.py) calls the same functions, so that both meet the same
people.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agencies.models import Agency, AgencyKind, Team, User
from agencies.services import deactivate_user
from cases.models import Case, Child, Family
from cases.services.lifecycle import open_case as open_a_case
from cases.services.teams import add_professional_to_team, end_membership
from tests.helpers import PASSWORD


def early_help_agency() -> Agency:
    return Agency.objects.create(
        name="Northgate Family Hub", kind=AgencyKind.EARLY_HELP, phone="0300 000 1111"
    )


def school_agency() -> Agency:
    return Agency.objects.create(name="Riverside Primary School", kind=AgencyKind.SCHOOL)


def police_agency() -> Agency:
    return Agency.objects.create(name="Demo Constabulary", kind=AgencyKind.POLICE)


def early_help_team(agency: Agency) -> Team:
    return Team.objects.create(
        agency=agency, name="Northgate early help team", phone="0300 000 1112"
    )


def school_team(agency: Agency) -> Team:
    return Team.objects.create(agency=agency, name="Pastoral team")


def police_team(agency: Agency) -> Team:
    return Team.objects.create(agency=agency, name="Neighbourhood policing")


def _user(email: str, name: str, **extra: Any) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=name, **extra)


def lead(team: Team) -> User:
    return _user(
        "lena.lead@northgate.example",
        "Lena Lead",
        job_title="Family support worker",
        agency=team.agency,
        team=team,
    )


MEMBER_EMAIL = "sam.school@riverside.example"


def member(team: Team) -> User:
    return _user(
        MEMBER_EMAIL,
        "Sam School",
        job_title="Designated safeguarding lead",
        agency=team.agency,
        team=team,
    )


def manager(team: Team) -> User:
    user = _user(
        "mo.manager@northgate.example",
        "Mo Manager",
        job_title="Early help team manager",
        agency=team.agency,
        role=User.Role.TEAM_MANAGER,
    )
    team.managers.add(user)
    return user


def member_manager(team: Team) -> User:
    """Hana Head: manages Sam's school team, not Lena's. She sees the case (Sam is on its
    TAC) but is not accountable for the lead role, so she may not run it."""
    user = _user(
        "hana.head@riverside.example",
        "Hana Head",
        job_title="Head teacher",
        agency=team.agency,
        role=User.Role.TEAM_MANAGER,
    )
    team.managers.add(user)
    return user


def coordinator(agency: Agency) -> User:
    return _user(
        "cora.coordinator@demo-la.example",
        "Cora Coordinator",
        agency=agency,
        role=User.Role.COORDINATOR,
    )


OUTSIDER_EMAIL = "otto.outsider@police.example"


def outsider(team: Team) -> User:
    return _user(
        OUTSIDER_EMAIL,
        "Otto Outsider",
        job_title="Police constable",
        agency=team.agency,
        team=team,
    )


def former_member(team: Team) -> User:
    """Fran Former: a school nurse who was on the TAC until her place ended
    (``end_place``); she sees nothing of the case any more."""
    return _user(
        "fran.former@riverside.example",
        "Fran Former",
        job_title="School nurse",
        agency=team.agency,
        team=team,
    )


def end_place(case: Case, professional: User, *, by: User) -> None:
    """``professional`` joins the case's TAC, then their place ends with a reason."""
    membership = add_professional_to_team(case, professional=professional, by=by)
    end_membership(membership, by=by, reason="Their work with the family finished",
                   expected_version=membership.version)  # fmt: skip


def leaver(team: Team) -> User:
    """Lee Leaver: a family support worker on the TAC who has left the service: their
    account was deactivated before anyone reassigned their place (``leave_the_service``).
    Signed out by the deactivation, they reach nothing."""
    return _user(
        "lee.leaver@northgate.example",
        "Lee Leaver",
        job_title="Family support worker",
        agency=team.agency,
        team=team,
    )


def leave_the_service(case: Case, professional: User, *, by: User) -> None:
    """``professional`` joins the case's TAC, then their account is deactivated."""
    add_professional_to_team(case, professional=professional, by=by)
    deactivate_user(professional, by=None)


def admin_user() -> User:
    return _user(
        "ada.admin@demo-la.example",
        "Ada Admin",
        role=User.Role.SYSTEM_ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


def auditor() -> User:
    return _user(
        "iggy.governance@demo-la.example",
        "Iggy Governance",
        role=User.Role.INFORMATION_GOVERNANCE,
    )


def family(n: int, **overrides: Any) -> Family:
    fields: dict[str, Any] = {
        "name": f"Testfamily {n}",
        "address": f"{n} Example Street\nDemoton",
        "postcode": "DT1 1AA",
    }
    fields.update(overrides)
    return Family.objects.create(**fields)


def child(family: Family, **overrides: Any) -> Child:
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


def open_case(
    children: list[Child],
    *,
    by: User,
    status: str = Case.Status.ACTIVE,
    interim_lead: User | None,
) -> Case:
    return open_a_case(
        children[0].family, children=children, by=by, status=status, interim_lead=interim_lead
    )


def case_with_tac(lead: User, member: User, child: Child) -> Case:
    """``case``: an active case of ``child``; ``lead`` leads it, ``member`` is on the TAC."""
    case = open_case([child], by=lead, interim_lead=lead)
    add_professional_to_team(case, professional=member, by=lead)
    return case


def invited(case: Case, *, by: User, approver: User) -> User:
    """Ivy Invited: a housing officer invited to the TAC before she had an account; the
    administrator approved one, and her first sign-in put her on the team."""
    from cases.services import invitations

    housing = Agency.objects.create(name="Northgate Housing", kind=AgencyKind.HOUSING)
    invitation = invitations.invite_to_team(
        case, full_name="Ivy Invited", email="ivy.invited@northgate-housing.example",
        agency=housing, job_title="Housing officer", by=by,
    )  # fmt: skip
    invitation = invitations.decide_account_request(
        invitation, approve=True, by=approver, expected_version=invitation.version
    )
    assert invitation.account is not None
    invitations.join_invited_teams(invitation.account)
    return invitation.account


def requester(case: Case, team: Team) -> User:
    """Rhys Requester: a police officer who found the child and asked to join the TAC; the
    lead has not decided yet, so he sees nothing of the case."""
    from cases.services.joining import ask_to_join

    professional = _user(
        "rhys.requester@police.example",
        "Rhys Requester",
        job_title="Police community support officer",
        agency=team.agency,
        team=team,
    )
    ask_to_join(case, by=professional, reason="I see the family on my beat every week")
    return professional
