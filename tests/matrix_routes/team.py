"""Permission-matrix routes of the team page (see tests/matrix.py for the helpers).

Everyone who sees the case sees its team; those who run it change it (others who see it
get 403); a member may end their own place (leave); anyone who cannot see the case,
a former member included, gets a 404.
"""

from __future__ import annotations

from django.utils import timezone

from agencies.models import Agency, AgencyKind, User
from cases.models import JoinRequest, TeamInvitation
from tests.matrix import Objects, Route, case_page, everyone, only, runs_the_case
from tests.personas import MEMBER_EMAIL, OUTSIDER_EMAIL


def _members_place(o: Objects) -> list[int]:
    membership = o.case.memberships.active().get(professional__email=MEMBER_EMAIL)
    return [o.case.pk, membership.pk]


def _outsiders_request(o: Objects) -> list[int]:
    join_request = JoinRequest.objects.create(
        case=o.case,
        requester=User.objects.get(email=OUTSIDER_EMAIL),
        reason="Matrix check",
        requested_at=timezone.now(),
    )
    return [o.case.pk, join_request.pk]


def _invitation(o: Objects) -> TeamInvitation:
    agency, _ = Agency.objects.get_or_create(name="Matrix Housing", kind=AgencyKind.HOUSING)
    return TeamInvitation.objects.create(
        case=o.case,
        full_name="Ina Invited",
        email="ina.invited@housing.example",
        agency=agency,
        invited_by=o.case.lead_assignments.active().get().professional,
        invited_at=timezone.now(),
    )


ROUTES: dict[str, Route] = {
    "cases:team": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "cases:team_add_professional": Route(
        "get", args=lambda o: [o.case.pk], expect=runs_the_case(200)
    ),
    "cases:team_add_family_member": Route(
        "get", args=lambda o: [o.case.pk], expect=runs_the_case(200)
    ),
    "cases:team_add_new_family_member": Route(
        "get", args=lambda o: [o.case.pk], expect=runs_the_case(200)
    ),
    "cases:team_member_role": Route("get", args=_members_place, expect=runs_the_case(200)),
    # The member may leave: their own place is theirs to end.
    "cases:team_member_end": Route(
        "get",
        args=_members_place,
        expect=only(200, "lead", "manager", "coordinator", "member")
        | {"member_manager": 403, "invited": 403},
    ),
    "cases:team_join_decision": Route("get", args=_outsiders_request, expect=runs_the_case(200)),
    # Only an offer "find a child" made in this session leads anywhere; without one, 404.
    "cases:ask_to_join": Route("post", expect=everyone(404)),
    # Inviting someone with no account: those who run the case. The account request
    # shows no case, and only a system administrator decides it.
    "cases:team_invite": Route("get", args=lambda o: [o.case.pk], expect=runs_the_case(200)),
    "cases:team_invitation_withdraw": Route(
        "post", args=lambda o: [o.case.pk, _invitation(o).pk], expect=runs_the_case(302)
    ),
    "cases:account_requests": Route("get", expect=only(200, "admin")),
    "cases:account_request": Route(
        "get", args=lambda o: [_invitation(o).pk], expect=only(200, "admin")
    ),
}
