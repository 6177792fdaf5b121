"""The case's own reminders: its review date, consent re-checks, and a child's 12th and 16th
birthdays (DOMAIN §3.6, §6.1), written to the reminder ledger (``notifications``).

``schedule_review_reminders`` runs in the same transaction as every change of the review
date, the lead professional or the case's openness. The subject kinds below tell the
dispatcher what each reminder links to and whether it is still due when it fires
(``settings.TAC_REMINDER_SUBJECTS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from agencies.models import User
from cases.models import Case
from notifications.models import (
    SUBJECT_CASE_REVIEW,
    SUBJECT_CONSENT_AGE,
    SUBJECT_CONSENT_RECHECK,
    Audience,
    Reminder,
)
from notifications.services import SubjectKind, schedule_reminders

# --- What the dispatcher needs to know ---------------------------------------------


def _review_link(reminder: Reminder) -> str:
    return reverse("cases:detail", args=[reminder.subject_id])


def _review_still_due(reminder: Reminder) -> bool:
    case = reminder.case
    return case is not None and case.is_open and case.next_review_due == reminder.due_on


def _consent_age_still_due(reminder: Reminder) -> bool:
    case = reminder.case
    return (
        case is not None
        and case.is_open
        and case.subjects.filter(child_id=reminder.subject_id, is_open=True).exists()
    )


CASE_REVIEW = SubjectKind(link=_review_link, still_due=_review_still_due)
CONSENT_RECHECK = SubjectKind(link=_review_link, still_due=_review_still_due)
CONSENT_AGE = SubjectKind(
    link=lambda r: reverse("cases:detail", args=[r.case_id]), still_due=_consent_age_still_due
)


# --- Scheduling --------------------------------------------------------------------


def _review_audiences(case: Case) -> dict[str, list[User]]:
    assignment = case.lead_assignments.active().select_related("professional").first()
    lead = assignment.professional if assignment else None
    managers: list[User] = []
    if lead is not None and lead.team_id is not None:
        managers = list(User.objects.filter(managed_teams=lead.team_id, is_active=True))
    return {
        Audience.LEAD: [lead] if lead is not None else [],
        Audience.LEAD_MANAGER: managers,
        Audience.COORDINATOR: list(User.objects.filter(role=User.Role.COORDINATOR, is_active=True)),
    }


@transaction.atomic
def schedule_review_reminders(case: Case, *, by: User | None = None) -> int:
    """Bring the review reminders of ``case`` in line with its review date and lead.

    Call it in the same transaction whenever ``next_review_due``, the lead
    professional or the case's openness changes. It locks the case row, reads
    the date as this transaction sees it, and is idempotent. Returns rows written.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    due_on = locked.next_review_due if locked.is_open else None
    audiences = _review_audiences(locked) if locked.is_open else {}
    written = schedule_reminders(
        SUBJECT_CASE_REVIEW, locked.pk, case=locked, due_on=due_on, audiences=audiences
    )
    # Consent and sharing preferences are re-checked at each review ...
    written += schedule_reminders(
        SUBJECT_CONSENT_RECHECK, locked.pk, case=locked, due_on=due_on, audiences=audiences
    )
    # ... and when a subject child reaches 12 or 16 (DOMAIN §6.1 capacity).
    for subject in locked.subjects.select_related("child"):
        birthday = next_consent_birthday(subject.child.date_of_birth, timezone.localdate())
        written += schedule_reminders(
            SUBJECT_CONSENT_AGE,
            subject.child_id,
            case=locked,
            due_on=birthday if locked.is_open and subject.is_open else None,
            audiences=audiences,
        )
    return written


def schedule_lead_reminders(case: Case) -> int:
    """Re-address every other app's reminders for ``case`` after its lead changed.

    Call it in the same transaction as the change (``schedule_review_reminders`` does
    the review ladder). Each app whose reminders go to the lead professional names a
    function in ``settings.TAC_LEAD_REMINDER_SCHEDULERS`` that brings its reminders for
    one case in line with the current lead. Returns rows written.
    """
    schedulers: list[Callable[[Case], int]] = [
        import_string(path) for path in settings.TAC_LEAD_REMINDER_SCHEDULERS
    ]
    return sum(scheduler(case) for scheduler in schedulers)


#: Ages at which a child's own say in consent and sharing is re-checked.
CONSENT_AGES = (12, 16)


def next_consent_birthday(date_of_birth: dt.date | None, today: dt.date) -> dt.date | None:
    """The child's next 12th or 16th birthday from ``today`` (inclusive), if any is ahead."""
    if date_of_birth is None:
        return None
    for age in CONSENT_AGES:
        try:
            birthday = date_of_birth.replace(year=date_of_birth.year + age)
        except ValueError:  # born on 29 February: the birthday is 1 March in other years
            birthday = dt.date(date_of_birth.year + age, 3, 1)
        if birthday >= today:
            return birthday
    return None
