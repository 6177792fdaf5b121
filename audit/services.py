"""Writing the record-access log, and break-glass (emergency) access."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from audit.models import BreakGlassGrant, RecordAccess
from notifications.models import Notification
from notifications.services import schedule_break_glass_review
from tac_portal.client_ip import client_ip

if TYPE_CHECKING:
    from agencies.models import User
    from cases.models import Case

security_log = logging.getLogger("tac.security")


def _client_ip(request: HttpRequest) -> str | None:
    return client_ip(request)


def log_record_access(
    request: HttpRequest,
    *,
    shown: Iterable[tuple[int, int | None]],
    route: str | None = None,
    client_id: str = "",
    break_glass_grant_id: int | None = None,
) -> int:
    """Write one row per (child id, case id) shown in answer to ``request``.

    Returns the number of rows written. Call it in the view that renders the
    data, after access has been decided, so that a 404 logs nothing.
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    route_name = route or (match.view_name if match else request.path)
    rows = [
        RecordAccess(
            user=user if user is not None and user.is_authenticated else None,
            client_id=client_id,
            child_id=child_id,
            case_id=case_id,
            route=route_name,
            request_id=getattr(request, "request_id", ""),
            ip_address=_client_ip(request),
            break_glass_grant_id=break_glass_grant_id,
        )
        for child_id, case_id in dict.fromkeys(shown)
    ]
    RecordAccess.objects.bulk_create(rows)
    return len(rows)


def _break_glass_recipients(user: User) -> list[User]:
    """The requester's team managers and every active information governance officer."""
    from agencies.models import User

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
    if user.is_system_administrator:
        raise ValueError("System administrators cannot use emergency access.")
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


def review_break_glass(
    grant: BreakGlassGrant, *, by: User, outcome: str, note: str = ""
) -> BreakGlassGrant:
    """Record information governance's judgement on a grant."""
    if not by.is_information_governance:
        raise ValueError("Only information governance reviews emergency access.")
    grant.review_outcome = outcome
    grant.review_note = note
    grant.reviewed_by = by
    grant.reviewed_at = timezone.now()
    with transaction.atomic():
        grant.save(update_fields=["review_outcome", "review_note", "reviewed_by", "reviewed_at"])
        schedule_break_glass_review(grant.pk, granted_on=None)
    security_log.info(
        "break-glass reviewed", extra={"grant": grant.pk, "user_id": by.pk, "outcome": outcome}
    )
    return grant
