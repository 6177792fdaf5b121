"""Emergency (break-glass) access and restricted items: the information governance services."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from audit.reminders import schedule_break_glass_review
from cases.access import (
    break_glass_grant_in_use,
    can_unmask,
    can_work_on_cases,
    ensure_can_restrict,
)
from cases.masking import remember_unmasked
from cases.models import (
    RESTRICTABLE_FIELDS,
    BreakGlassGrant,
    CaseSubject,
    FamilyMember,
    Restriction,
    RestrictionTarget,
    Unmasking,
)
from cases.services.common import record_event
from notifications.models import SUBJECT_RESTRICTION_REVIEW, Audience, Notification
from notifications.services import schedule_reminders
from tac_portal.client_ip import client_ip
from tac_portal.concurrency import ensure_seen

if TYPE_CHECKING:
    from cases.models import Case

security_log = logging.getLogger("tac.security")


def _break_glass_recipients(user: User) -> list[User]:
    """The requester's team managers and every active information governance officer."""
    managers = User.objects.filter(managed_teams__members=user, is_active=True)
    governance = User.objects.filter(role=User.Role.INFORMATION_GOVERNANCE, is_active=True)
    recipients = {u.pk: u for u in [*managers, *governance] if u.pk != user.pk}
    return list(recipients.values())


def grant_break_glass(
    case: Case, *, user: User, reason_code: str, justification: str
) -> BreakGlassGrant:
    """Give ``user`` emergency access to ``case`` for ``TAC_BREAK_GLASS_HOURS`` hours.

    In one transaction: the grant, an in-app notification to each of the user's
    team managers and every information governance officer, and a security-log
    line carrying ids only.
    """
    if not can_work_on_cases(user):
        raise ValueError("Only those who work on cases can use emergency access.")
    if not justification.strip():
        raise ValueError("Emergency access needs a justification.")
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=user,
            case=case,
            reason_code=reason_code,
            justification=justification.strip(),
            granted_at=now,
            expires_at=now + dt.timedelta(hours=settings.TAC_BREAK_GLASS_HOURS),
        )
        notifications = []
        for recipient in _break_glass_recipients(user):
            if recipient.is_information_governance:
                title, link = (
                    "Emergency access to a case needs review",
                    reverse("audit:break_glass_list"),
                )
            else:
                title = "Someone in your team used emergency access to a case"
                link = reverse("audit:professional_access", args=[user.pk])
            notifications.append(
                Notification(recipient=recipient, title=title, link=link, created_at=now)
            )
        Notification.objects.bulk_create(notifications)
        schedule_break_glass_review(grant.pk, granted_on=timezone.localdate(now))
    security_log.info(
        "break-glass granted",
        extra={"grant": grant.pk, "user_id": user.pk, "case": case.pk, "reason": reason_code},
    )
    return grant


def review_seen(grant: BreakGlassGrant) -> str:
    """What a review page says it showed: when the grant was last reviewed ("" never)."""
    return grant.reviewed_at.isoformat() if grant.reviewed_at else ""


def review_break_glass(
    grant: BreakGlassGrant, *, by: User, outcome: str, note: str = "", seen: str | None = None
) -> BreakGlassGrant:
    """Record information governance's judgement on a grant.

    ``seen`` is ``review_seen`` of the grant as the reviewer's page showed it: a review
    saved since by someone else is not silently overwritten (None: no person's page).
    """
    if not by.is_information_governance:
        raise ValueError("Only information governance reviews emergency access.")
    with transaction.atomic():
        locked = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
        ensure_seen(
            locked,
            seen,
            review_seen(locked),
            message="Someone reviewed this emergency access since you opened it. Nothing "
            "has been saved: check their review beside yours, then save again.",
        )
        locked.review_outcome = outcome
        locked.review_note = note
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["review_outcome", "review_note", "reviewed_by", "reviewed_at"])
        schedule_break_glass_review(locked.pk, granted_on=None)
    grant.refresh_from_db()
    security_log.info(
        "break-glass reviewed", extra={"grant": grant.pk, "user_id": by.pk, "outcome": outcome}
    )
    return grant


# --- Restricted items --------------------------------------------------------

RESTRICTION_REVIEW_DAYS = 90


def _restriction_target_belongs(case: Case, target: str, target_id: int) -> bool:
    if target == RestrictionTarget.CHILD:
        return CaseSubject.objects.filter(case=case, child_id=target_id).exists()
    if target == RestrictionTarget.FAMILY:
        return case.family_id == target_id
    if target == RestrictionTarget.FAMILY_MEMBER:
        return FamilyMember.objects.filter(family_id=case.family_id, pk=target_id).exists()
    return False


def _schedule_restriction_review(restriction: Restriction) -> None:
    schedule_reminders(
        SUBJECT_RESTRICTION_REVIEW,
        restriction.pk,
        case=restriction.case,
        due_on=restriction.review_due if restriction.lifted_at is None else None,
        audiences={Audience.OWNER: [restriction.set_by]} if restriction.lifted_at is None else {},
    )


def set_restriction(
    case: Case,
    *,
    by: User,
    target: str,
    target_id: int,
    field_name: str,
    reason: str,
    named_users: Iterable[User] = (),
) -> Restriction:
    """Restrict a record or one of its fields to the people named (and ``by``).

    Raises ``ValidationError`` for a target outside the case or a field that
    cannot be restricted, and ``PermissionDenied`` for someone who does not run
    the case. Writes the chronology (without the reason) and schedules the
    90-day review reminder to ``by``.
    """

    ensure_can_restrict(by, case)
    if field_name not in RESTRICTABLE_FIELDS.get(target, {}) and field_name != "":
        raise ValidationError({"field_name": "That detail cannot be restricted."})
    if field_name == "" and "" not in RESTRICTABLE_FIELDS.get(target, {}):
        raise ValidationError({"field_name": "Choose which detail to restrict."})
    if not _restriction_target_belongs(case, target, target_id):
        raise ValidationError({"target": "Choose a person or household in this case."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why this must be restricted."})
    now = timezone.now()
    with transaction.atomic():
        restriction = Restriction.objects.create(
            case=case,
            target=target,
            target_id=target_id,
            field_name=field_name,
            reason=reason.strip(),
            set_by=by,
            set_at=now,
            review_due=timezone.localdate(now) + dt.timedelta(days=RESTRICTION_REVIEW_DAYS),
        )
        restriction.named_users.set({*named_users, by})
        _schedule_restriction_review(restriction)
        record_event(
            case,
            "restriction.set",
            by=by,
            summary="A detail was restricted to named people",
            data={"restriction": restriction.pk},
        )
    security_log.info(
        "restriction set", extra={"restriction": restriction.pk, "user_id": by.pk, "case": case.pk}
    )
    return restriction


def review_restriction(
    restriction: Restriction, *, by: User, keep: bool, note: str = ""
) -> Restriction:
    """Keep a restriction for another 90 days, or lift it (with a reason)."""

    ensure_can_restrict(by, restriction.case)
    if restriction.lifted_at is not None:
        raise ValidationError("This restriction has already been lifted.")
    if not keep and not note.strip():
        raise ValidationError({"note": "Enter why the restriction is no longer needed."})
    now = timezone.now()
    with transaction.atomic():
        restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if restriction.lifted_at is not None:
            raise ValidationError("This restriction has already been lifted.")
        restriction.last_reviewed_at = now
        if keep:
            restriction.review_due = timezone.localdate(now) + dt.timedelta(
                days=RESTRICTION_REVIEW_DAYS
            )
        else:
            restriction.lifted_at = now
            restriction.lifted_by = by
            restriction.lift_reason = note.strip()
        restriction.save()
        _schedule_restriction_review(restriction)
        record_event(
            restriction.case,
            "restriction.kept" if keep else "restriction.lifted",
            by=by,
            summary="A restriction was reviewed and kept" if keep else "A restriction was lifted",
            data={"restriction": restriction.pk},
        )
    security_log.info(
        "restriction reviewed",
        extra={"restriction": restriction.pk, "user_id": by.pk, "kept": keep},
    )
    return restriction


def unmask(restriction: Restriction, *, request: HttpRequest, reason: str) -> Unmasking:
    """Show a restricted value to a named person for a while, with the reason logged.

    Raises ``PermissionDenied`` for anyone not named, for a lifted restriction,
    and for anyone who sees the case only through emergency access.
    """
    user = request.user
    assert user.is_authenticated  # noqa: S101 - views require sign-in
    break_glass_only = break_glass_grant_in_use(user, restriction.case) is not None
    if not can_unmask(user, restriction, break_glass_only=break_glass_only):
        security_log.warning(
            "unmasking refused", extra={"restriction": restriction.pk, "user_id": user.pk}
        )
        raise PermissionDenied("You are not named on this restriction.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why you need to see this."})
    unmasking = Unmasking.objects.create(
        restriction=restriction,
        user=user,
        reason=reason.strip(),
        request_id=getattr(request, "request_id", ""),
        ip_address=client_ip(request),
    )
    remember_unmasked(request, restriction)
    security_log.info(
        "restricted item unmasked",
        extra={"restriction": restriction.pk, "user_id": user.pk, "unmasking": unmasking.pk},
    )
    return unmasking
