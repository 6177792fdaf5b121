"""Masking restricted items on pages, exports and API responses (DOMAIN §6.2 rule 5).

A view that shows a case's people builds ``CaseMasks`` once (two queries) and
passes it to the template as ``masks``; the ``{% masked obj "field" %}`` tag then
shows each value or "Restricted". Serializers and exports call
``CaseMasks.value``. Nobody sees a restricted value without unmasking it with a
reason, not even the people it names; someone who sees the case only through
emergency (break-glass) access can never unmask.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from cases.access import break_glass_grant_in_use, can_unmask
from cases.models import (
    MASKED_TOGETHER,
    Case,
    Child,
    Family,
    FamilyMember,
    Restriction,
    RestrictionTarget,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import User

MASK = "Restricted"
SESSION_KEY = "tac_unmasked"


def unmask_minutes() -> int:
    return settings.TAC_UNMASK_MINUTES


def target_of(obj: Any) -> tuple[str, int]:
    """The restriction target kind and id of a child, family or family member."""
    if isinstance(obj, Child):
        return RestrictionTarget.CHILD, obj.pk
    if isinstance(obj, Family):
        return RestrictionTarget.FAMILY, obj.pk
    if isinstance(obj, FamilyMember):
        return RestrictionTarget.FAMILY_MEMBER, obj.pk
    raise TypeError(f"{type(obj).__name__} records cannot be restricted")


@dataclass
class CaseMasks:
    """The restrictions in force on one case, as one user sees them now."""

    restrictions: list[Restriction] = field(default_factory=list)
    unmasked: frozenset[int] = frozenset()
    may_unmask: frozenset[int] = frozenset()

    def restriction_for(self, obj: Any, field_name: str) -> Restriction | None:
        target, target_id = target_of(obj)
        return self.restriction_on(target, target_id, field_name)

    def restriction_on(self, target: str, target_id: int, field_name: str) -> Restriction | None:
        """The restriction covering one field of a record named by kind and id."""
        field_name = MASKED_TOGETHER.get(field_name, field_name)
        for restriction in self.restrictions:
            if (
                restriction.target == target
                and restriction.target_id == target_id
                and restriction.field_name in ("", field_name)
            ):
                return restriction
        return None

    def is_masked(self, obj: Any, field_name: str) -> bool:
        restriction = self.restriction_for(obj, field_name)
        return restriction is not None and restriction.pk not in self.unmasked

    def is_masked_on(self, target: str, target_id: int, field_name: str) -> bool:
        """``is_masked`` for a record named by kind and id (its change history)."""
        restriction = self.restriction_on(target, target_id, field_name)
        return restriction is not None and restriction.pk not in self.unmasked

    def value(self, obj: Any, field_name: str) -> Any:
        """The field's value, or ``MASK`` when it is restricted and not unmasked."""
        return MASK if self.is_masked(obj, field_name) else getattr(obj, field_name)

    def any_for(self, obj: Any) -> bool:
        target, target_id = target_of(obj)
        return any(r.target == target and r.target_id == target_id for r in self.restrictions)


def _session_unmasked(request: HttpRequest | None) -> set[int]:
    if request is None or not hasattr(request, "session"):
        return set()
    now = time.time()
    stored = request.session.get(SESSION_KEY, {})
    return {int(pk) for pk, until in stored.items() if until > now}


def remember_unmasked(request: HttpRequest, restriction: Restriction) -> None:
    now = time.time()
    stored = {pk: t for pk, t in request.session.get(SESSION_KEY, {}).items() if t > now}
    stored[str(restriction.pk)] = now + unmask_minutes() * 60
    request.session[SESSION_KEY] = stored


def masks_for(case: Case, user: User, request: HttpRequest | None = None) -> CaseMasks:
    """The masks for ``user`` looking at ``case`` (two queries, three with break-glass)."""
    restrictions = list(
        Restriction.objects.in_force().filter(case=case).prefetch_related("named_users")
    )
    if not restrictions:
        return CaseMasks()
    break_glass_only = break_glass_grant_in_use(user, case) is not None
    allowed = frozenset(
        r.pk for r in restrictions if can_unmask(user, r, break_glass_only=break_glass_only)
    )
    unmasked = frozenset(_session_unmasked(request) & allowed)
    return CaseMasks(restrictions=restrictions, unmasked=unmasked, may_unmask=allowed)


def restricted_fields(target: str, ids: list[int]) -> dict[int, set[str]]:
    """For machine readers (the partner API), who never unmask: restricted fields by record.

    ``""`` in a record's set means the whole record. One query.
    """
    found: dict[int, set[str]] = {}
    rows = Restriction.objects.in_force().filter(target=target, target_id__in=ids)
    for target_id, field_name in rows.values_list("target_id", "field_name"):
        found.setdefault(target_id, set()).add(field_name)
    return found


def is_field_restricted(fields: set[str], field_name: str) -> bool:
    """Whether ``field_name`` is covered by a record's restricted ``fields``."""
    return "" in fields or MASKED_TOGETHER.get(field_name, field_name) in fields
