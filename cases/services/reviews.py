"""The case's next review date, moved by hand with a reason, and "why late" (DOMAIN §3.6, §7.3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.access import (
    ensure_can_run_case,
)
from cases.models import (
    Case,
)
from cases.services.common import CaseError, record_event
from cases.services.reminders import schedule_review_reminders
from tac_portal.concurrency import StaleEdit

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def set_next_review_due(case: Case, *, due: date | None, by: User) -> Case:
    """Set (or clear) when the case's plan is next reviewed.

    Review reminders are moved in the same transaction, so they follow the date
    whatever happens to Celery.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("A closed case has no review date.", code="case_closed")
    previous = locked.next_review_due
    if previous == due:
        return locked
    locked.next_review_due = due
    locked.save(update_fields=["next_review_due", "updated_at"])
    schedule_review_reminders(locked, by=by)
    record_event(
        locked,
        "review.date_set",
        by=by,
        summary=f"Next review due {due:%d %B %Y}" if due else "Next review date cleared",
        data={
            "from": previous.isoformat() if previous else None,
            "to": due.isoformat() if due else None,
        },
    )
    case.next_review_due = due
    return locked


REASON_MAX_LENGTH = Case._meta.get_field("review_late_reason").max_length or 200


LATE_REASON_MAX_LENGTH = 200


def latest_allowed_review_date(today: date) -> date:
    """No review is set further ahead than the maximum interval (DOMAIN §3.6: 3 months)."""
    return today + timedelta(days=settings.TAC_MAX_REVIEW_INTERVAL_DAYS)


def is_beyond_guideline(due: date, *, today: date | None = None) -> bool:
    """Whether a review on ``due`` is further ahead than the guideline allows."""
    return due > latest_allowed_review_date(today or timezone.localdate())


@transaction.atomic
def explain_review_beyond_guideline(case: Case, *, due: date, reason: str, by: User) -> Case:
    """Keep why a review was agreed beyond the guideline, as the case's "why late".

    Called by the services that agree a review date (meeting mode, a review without a
    meeting) in their own transaction; the date itself follows from the meeting or
    review. The reason is required: the date is accepted, never refused.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise CaseError(
            {
                "beyond_guideline_reason": "This date is more than 3 months away: "
                "say why the review will be later than the guideline"
            },
            code="reason_required",
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise CaseError(
            {
                "beyond_guideline_reason": f"The reason must be {REASON_MAX_LENGTH} "
                "characters or fewer"
            },
            code="too_long",
        )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.review_late_reason = reason
    locked.save(update_fields=["review_late_reason", "updated_at"])
    record_event(
        locked,
        "review.beyond_guideline",
        by=by,
        summary=f"Review agreed for {due:%-d %B %Y}, beyond the 3-month guideline: {reason}",
        data={"due": due.isoformat()},
    )
    case.review_late_reason = reason
    return locked


@transaction.atomic
def move_next_review_due(
    case: Case, *, due: date, reason: str, by: User, seen_due: str | None = None
) -> Case:
    """Move the case's next review to ``due``, for ``reason``; nothing is written on refusal.

    ``seen_due`` is the review date the editor's page showed (ISO, or "" for none): when
    someone has moved the date since, the change is refused (``StaleEdit``), never
    silently written over theirs. None means no editor's page (a system caller).

    The reason becomes the case's "why late" when the review was overdue, the new
    date has passed, or the new date is beyond the guideline (more than three months
    away: accepted, never refused); otherwise the review is on time and any earlier
    "why late" is cleared.
    """
    ensure_can_run_case(by, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.is_open:
        raise CaseError("This case is closed, so it has no review date.", code="case_closed")
    current = locked.next_review_due.isoformat() if locked.next_review_due else ""
    if seen_due is not None and seen_due != current:
        now = f"{locked.next_review_due:%-d %B %Y}" if locked.next_review_due else "no date"
        raise StaleEdit(
            f"Someone changed the next review date to {now} since you opened this page. "
            "Nothing has been saved: check the new date, then change it again if you "
            "still need to.",
            current=locked,
            refreshed={"seen_due": current},
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError("Enter why the review date is changing", code="required")}
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
                    code="max_length",
                )
            }
        )
    today = timezone.localdate()
    opened_on = timezone.localtime(locked.opened_at).date()
    previous = locked.next_review_due
    if previous == due:
        raise ValidationError(
            {
                "next_review_due": ValidationError(
                    f"The next review is already due on {due:%-d %B %Y}: enter a different date",
                    code="unchanged",
                )
            }
        )
    if due < opened_on:
        raise ValidationError(
            {
                "next_review_due": ValidationError(
                    f"The review date must be on or after {opened_on:%-d %B %Y}, "
                    "when the case opened",
                    code="before_opened",
                )
            }
        )
    # Timescales prompt, never block (DOMAIN §9.2 D2): a date beyond the guideline is
    # accepted, and the reason given is kept as the case's "why late".
    beyond = is_beyond_guideline(due, today=today)
    is_late = (previous is not None and previous < today) or due < today
    set_next_review_due(locked, due=due, by=by)
    locked.review_late_reason = reason if is_late or beyond else ""
    locked.save(update_fields=["review_late_reason", "updated_at"])
    record_event(
        locked,
        "review.date_moved",
        by=by,
        summary=f"Review date moved to {due:%-d %B %Y}: {reason}",
        data={
            "from": previous.isoformat() if previous else None,
            "to": due.isoformat(),
            "late": is_late,
            "beyond_guideline": beyond,
        },
    )
    case.next_review_due = locked.next_review_due
    case.review_late_reason = locked.review_late_reason
    return locked


class LateReasonError(CaseError):
    """A "why late" reason that cannot be recorded (too long, or nothing is late)."""


def clean_late_reason(reason: str) -> str:
    """One line, at most 200 characters (it sits beside the overdue flag on dashboards)."""
    reason = " ".join(reason.split())
    if len(reason) > LATE_REASON_MAX_LENGTH:
        raise LateReasonError(
            f"The reason must be {LATE_REASON_MAX_LENGTH} characters or fewer.", code="too_long"
        )
    return reason


@transaction.atomic
def record_review_late_reason(
    case: Case, *, by: User, reason: str, seen: str | None = None
) -> Case:
    """Say why a case's overdue review is late (an empty reason clears it).

    ``seen`` is the reason the editor's page showed: when someone has saved another
    since, nothing is written (``StaleEdit``). None: no editor's page.
    """
    ensure_can_run_case(by, case)
    reason = clean_late_reason(reason)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_review_overdue(timezone.localdate()):
        raise LateReasonError("This case's review is not overdue.", code="not_overdue")
    if seen is not None and seen != case.review_late_reason:
        raise StaleEdit(current=case, refreshed={"seen": case.review_late_reason})
    case.review_late_reason = reason
    case.save(update_fields=["review_late_reason", "updated_at"])
    record_event(
        case,
        "case.review_late_reason_recorded",
        by=by,
        summary=f"Why the review is late: {reason}" if reason else "Review late reason cleared",
        data={"next_review_due": str(case.next_review_due)},
    )
    return case
