"""The permission matrix's vocabulary: personas, routes and expectation helpers.

``tests/test_permission_matrix.py`` joins the routes of every area
(``tests/matrix_routes/``) into one matrix. Each area keeps its routes in its own
module so that a new page is decided beside the code that adds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cases.models import Case
from notifications.models import Notification

PERSONAS = (
    "lead",
    "member",
    "manager",
    # Manages the member's team, not the lead's: sees the case, may not run it.
    "member_manager",
    "coordinator",
    "outsider",
    # Was on the TAC; their place ended: like an outsider, they see nothing of the case.
    "former_member",
    # Left the service: their account was deactivated while they were still on the TAC.
    # The deactivation signed them out, so they are answered as "anonymous" is.
    "leaver",
    "admin",
    "auditor",
    "anonymous",
)
#: Personas a route answers as it answers another, unless the route names them itself:
#: ``invited`` joined the TAC through an invitation sent before they had an account (at
#: their first sign-in), so is answered as the member is; ``requester`` asked to join
#: and is still waiting, so sees what an outsider sees.
ANSWERED_AS = {"invited": "member", "requester": "outsider"}
SIGN_IN = 302  # signed-out visitors are sent to sign in
HEALTH = frozenset({200, 503})


@dataclass
class Objects:
    case: Case
    notification: Notification


@dataclass
class Route:
    method: str
    args: Callable[[Objects], list[Any]] = lambda o: []
    expect: dict[str, int | frozenset[int]] = field(default_factory=dict)
    #: The form data, or a function that makes it when the request is sent (for dates:
    #: a value fixed when the module was imported is wrong after midnight).
    data: dict[str, str] | Callable[[], dict[str, str]] = field(default_factory=dict)

    def form_data(self) -> dict[str, str]:
        return self.data() if callable(self.data) else self.data


def everyone(
    status: int | frozenset[int], *, anonymous: int | frozenset[int] = SIGN_IN
) -> dict[str, int | frozenset[int]]:
    return {p: status for p in PERSONAS if p != "anonymous"} | {"anonymous": anonymous}


CASE_READERS = {"lead", "member", "manager", "member_manager", "coordinator"}

#: They see the case but may not run it: a 403 where the page is for those who run it.
SEE_BUT_DO_NOT_RUN = {"member", "member_manager"}


def case_page(ok: int = 200) -> dict[str, int | frozenset[int]]:
    expect: dict[str, int | frozenset[int]] = {"anonymous": SIGN_IN}
    for p in PERSONAS[:-1]:
        expect[p] = ok if p in CASE_READERS else 404
    return expect


def own_notification(ok: int) -> dict[str, int | frozenset[int]]:
    # The notification belongs to the lead; anyone else's request is a 404.
    expect: dict[str, int | frozenset[int]] = {"anonymous": SIGN_IN}
    for p in PERSONAS[:-1]:
        expect[p] = ok if p == "lead" else 404
    return expect


def only(ok: int, *allowed: str) -> dict[str, int | frozenset[int]]:
    # Reports someone may not read are a 404, like a missing one.
    expect: dict[str, int | frozenset[int]] = {"anonymous": SIGN_IN}
    for p in PERSONAS[:-1]:
        expect[p] = ok if p in allowed else 404
    return expect


def runs_the_case(ok: int) -> dict[str, int | frozenset[int]]:
    """Those who run the case (``cases.access.can_run_case``): the lead, a manager of the
    lead's team and the coordinator. Others who see the case get 403; the rest 404."""
    return only(ok, "lead", "manager", "coordinator") | dict.fromkeys(SEE_BUT_DO_NOT_RUN, 403)
