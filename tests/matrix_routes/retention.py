"""Permission-matrix routes of retention and legal holds: information governance's
alone; for anyone else the pages do not exist (see tests/matrix.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.models import User
from retention.models import Disposal, DisposalItem, LegalHold
from tests.matrix import Objects, Route, only


def _item(o: Objects) -> int:
    return DisposalItem.objects.create(
        record_class="case_episode",
        record_key=str(o.case.pk),
        label=o.case.reference,
        disposal=Disposal.ANONYMISE,
        schedule_event="the youngest child's 25th birthday",
        schedule_years=0,
        event_on=dt.date(2020, 1, 1),
        due_on=dt.date(2020, 1, 1),
        listed_at=timezone.now(),
    ).pk


def _hold(o: Objects) -> int:
    officer = User.objects.filter(role=User.Role.INFORMATION_GOVERNANCE).order_by("pk")[0]
    return LegalHold.objects.create(
        case=o.case, reason="Matrix check", placed_by=officer, placed_at=timezone.now()
    ).pk


ROUTES: dict[str, Route] = {
    "retention:index": Route("get", expect=only(200, "auditor")),
    "retention:register": Route("get", expect=only(200, "auditor")),
    "retention:item": Route("get", args=lambda o: [_item(o)], expect=only(200, "auditor")),
    # The matrix's case is open, so not due: the confirmation withdraws the item and
    # goes back to the list, disposing of nothing.
    "retention:confirm": Route(
        "post",
        args=lambda o: [_item(o)],
        data={"version": "1", "confirm": "on"},
        expect=only(302, "auditor"),
    ),
    "retention:holds": Route("get", expect=only(200, "auditor")),
    "retention:place_hold": Route("get", expect=only(200, "auditor")),
    "retention:lift_hold": Route("get", args=lambda o: [_hold(o)], expect=only(200, "auditor")),
}
