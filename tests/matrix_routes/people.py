"""Permission-matrix routes for a family's record: a child's and the family's details,
the adults around the child, a sibling joining the case."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Child, FamilyMember
from tests.matrix import Objects, Route, everyone, only
from tests.matrix_routes.journeys import WORKERS

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


#: Merging records: a manager of the lead's team or the coordinator; others who keep the
#: details get 403, like the manager who only manages another member.
MERGES = KEEPS_DETAILS | {"lead": 403, "member": 403}


def _unborn(o: Objects) -> list[int]:
    """The case's child, recorded as not yet born (each test's changes are rolled back)."""
    child = o.case.children.get()
    Child.objects.filter(pk=child.pk).update(
        is_unborn=True,
        date_of_birth=None,
        expected_date_of_delivery=timezone.localdate() + dt.timedelta(days=60),
    )
    return [o.case.pk, child.pk]


ROUTES: dict[str, Route] = {
    "cases:add_unborn": Route("get", expect=WORKERS),
    "cases:add_unborn_to_case": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    "cases:record_birth": Route("get", args=_unborn, expect=KEEPS_DETAILS),
    "cases:merge_child": Route("get", args=_child, expect=MERGES),
    # No such merge: nothing to undo, whoever asks.
    "cases:merge_undo": Route(
        "post",
        args=lambda o: [o.case.pk, 999_999],
        expect=everyone(404) | {"member_manager": 403},
    ),
    "cases:child_details": Route("get", args=_child, expect=KEEPS_DETAILS),
    "cases:family_details": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    "cases:add_adult": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    "cases:change_adult": Route("get", args=_adult, expect=KEEPS_DETAILS),
    "cases:relationship_to_child": Route("get", args=_adult, expect=KEEPS_DETAILS),
    "cases:add_child_to_case": Route("get", args=lambda o: [o.case.pk], expect=KEEPS_DETAILS),
    # No child named: nothing to add, whoever asks.
    "cases:add_known_child": Route(
        "post",
        args=lambda o: [o.case.pk],
        expect=everyone(404) | {"member_manager": 403},
    ),
}
