"""Permission-matrix routes for a family's record: a child's and the family's details,
the adults around the child, a sibling joining the case."""

from __future__ import annotations

from cases.models import FamilyMember
from tests.matrix import Objects, Route, everyone, only

#: The TAC's members and those who run the case keep the details; a manager who only
#: manages another member sees the case (403 here); everyone else gets 404.
KEEPS_DETAILS = only(200, "lead", "member", "manager", "coordinator") | {"member_manager": 403}


def _child(o: Objects) -> list[int]:
    return [o.case.pk, o.case.children.get().pk]


def _adult(o: Objects) -> list[int]:
    adult = FamilyMember.objects.create(
        family=o.case.family,
        given_names="Pat",
        family_name="Parent",
        relationship=FamilyMember.Relationship.MOTHER,
    )
    return [o.case.pk, adult.pk]


ROUTES: dict[str, Route] = {
    "cases:child_details": Route("get", args=_child, expect=KEEPS_DETAILS),
    "cases:family_details": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    "cases:add_adult": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    "cases:change_adult": Route("get", args=_adult, expect=KEEPS_DETAILS),
    "cases:add_child_to_case": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    # No child named: nothing to add, whoever asks.
    "cases:add_known_child": Route(
        "post",
        args=lambda o: [o.case.pk],
        expect=everyone(404) | {"member_manager": 403},
    ),
}
