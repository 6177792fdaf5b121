"""What every case service shares: its errors, the chronology and the row lock."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.access import (
    can_work_on_cases,
)
from cases.models import (
    Case,
    CaseEvent,
    Child,
)

if TYPE_CHECKING:
    from agencies.models import User


security_log = logging.getLogger("tac.security")


class CaseError(ValidationError):
    """A case rule was broken; the message says which, and nothing was written."""


class ChildAlreadyInOpenCase(CaseError):
    def __init__(self, child: Child, existing: Case) -> None:
        self.child = child
        self.existing = existing
        super().__init__(
            f"{child.full_name} is already a subject of open case {existing.reference}. "
            "Add to that case's plan instead of opening another.",
            code="child_in_open_case",
        )


class TransitionNotAllowed(CaseError):
    def __init__(self, case: Case, to: str) -> None:
        super().__init__(
            f"A case that is '{case.get_status_display()}' cannot move to "
            f"'{Case.Status(to).label if to in Case.Status.values else to}'.",
            code="transition_not_allowed",
        )


def record_event(
    case: Case,
    code: str,
    *,
    by: User | None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Add an entry to the case chronology, and mark the case changed.

    Touching ``Case.updated_at`` here makes every step on a case (team, lead,
    level of need, consent, ...) visible to partner systems that sync with
    ``updated_since``.

    Each of ``settings.TAC_CASE_EVENT_LISTENERS`` (the apps above this one that act on
    events, such as the partner webhooks) is called with the new event in this same
    transaction, so what they write commits with the change or not at all.
    """
    Case.objects.filter(pk=case.pk).update(updated_at=Now())
    event = CaseEvent.objects.create(
        case=case, code=code, actor=by, summary=summary, data=data or {}, at=at or timezone.now()
    )
    for path in settings.TAC_CASE_EVENT_LISTENERS:
        import_string(path)(event)
    return event


def ensure_works_on_cases(user: User) -> None:
    if not can_work_on_cases(user):
        raise CaseError("Your role does not work on cases.", code="administrator_cannot_work")


def lock_case(case: Case) -> Case:
    """The case, locked for this transaction: two people acting on it at once queue."""
    return Case.objects.select_for_update().get(pk=case.pk)
