"""The reminders of information governance: unreviewed emergency access grants, and
restrictions due for review (the dispatcher's ``SubjectKind`` for each)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from agencies.models import User
from cases.models import BreakGlassGrant, Restriction
from notifications.models import SUBJECT_BREAK_GLASS_REVIEW, Audience, Reminder
from notifications.services import SubjectKind, schedule_reminders


def _break_glass_link(reminder: Reminder) -> str:
    return reverse("audit:break_glass_list")


def _break_glass_still_due(reminder: Reminder) -> bool:
    return BreakGlassGrant.objects.filter(pk=reminder.subject_id, review_outcome="").exists()


BREAK_GLASS_REVIEW = SubjectKind(link=_break_glass_link, still_due=_break_glass_still_due)


def _restriction_link(reminder: Reminder) -> str:
    return reverse("audit:restriction_review", args=[reminder.subject_id])


def _restriction_still_due(reminder: Reminder) -> bool:
    return Restriction.objects.filter(
        pk=reminder.subject_id, lifted_at__isnull=True, review_due=reminder.due_on
    ).exists()


RESTRICTION_REVIEW = SubjectKind(link=_restriction_link, still_due=_restriction_still_due)


def schedule_break_glass_review(grant_id: int, *, granted_on: dt.date | None) -> int:
    """Remind information governance of an unreviewed emergency access grant.

    ``granted_on=None`` (the grant has been reviewed) cancels the reminder.
    """
    governance = User.objects.filter(role=User.Role.INFORMATION_GOVERNANCE, is_active=True)
    return schedule_reminders(
        SUBJECT_BREAK_GLASS_REVIEW,
        grant_id,
        case=None,
        due_on=granted_on,
        audiences={Audience.INFORMATION_GOVERNANCE: list(governance)}
        if granted_on is not None
        else {},
    )
