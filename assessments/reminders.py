"""How the reminder dispatcher links to, and re-checks, assessment reminders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications.models import SUBJECT_ASSESSMENT_DRAFT, SUBJECT_FIRST_TAC, Audience, Reminder
from notifications.services import LEAD_SCHEDULERS, SUBJECT_KINDS, SubjectKind, schedule_reminders

if TYPE_CHECKING:
    from cases.models import Case


def _draft_link(reminder: Reminder) -> str:
    return reverse("assessments:detail", args=[reminder.subject_id])


def _draft_still_due(reminder: Reminder) -> bool:
    """Still being drafted, and it is the same assessment start date."""
    from assessments.models import DRAFTING_STATUSES, Assessment

    assessment = Assessment.objects.filter(pk=reminder.subject_id).first()
    return (
        assessment is not None
        and assessment.status in DRAFTING_STATUSES
        and timezone.localdate(assessment.started_at) == reminder.due_on
    )


def _first_tac_link(reminder: Reminder) -> str:
    return reverse("cases:detail", args=[reminder.subject_id])


def _first_tac_still_due(reminder: Reminder) -> bool:
    """The case is open and no TAC meeting has been held since the assessment completed."""
    from meetings.models import Meeting

    case = reminder.case
    if case is None or not case.is_open:
        return False
    held_since = Meeting.objects.filter(
        case_id=reminder.subject_id, status=Meeting.Status.HELD
    ).filter(
        Q(held_at__date__gte=reminder.due_on)
        | Q(held_at__isnull=True, starts_at__date__gte=reminder.due_on)
    )
    return not held_since.exists()


def readdress_first_tac(case: Case) -> int:
    """After a lead change, the "first TAC not held" reminders still waiting go to the
    new lead, for the same day (the assessment's completion)."""
    due_on = (
        Reminder.objects.pending()
        .filter(subject_type=SUBJECT_FIRST_TAC, subject_id=case.pk)
        .order_by("-due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if due_on is None:
        return 0
    lead = case.lead_assignment
    return schedule_reminders(
        SUBJECT_FIRST_TAC,
        case.pk,
        case=case,
        due_on=due_on,
        audiences={Audience.LEAD: [lead.professional] if lead else []},
    )


def register() -> None:
    SUBJECT_KINDS[SUBJECT_ASSESSMENT_DRAFT] = SubjectKind(
        link=_draft_link, still_due=_draft_still_due
    )
    SUBJECT_KINDS[SUBJECT_FIRST_TAC] = SubjectKind(
        link=_first_tac_link, still_due=_first_tac_still_due
    )
    LEAD_SCHEDULERS[SUBJECT_FIRST_TAC] = readdress_first_tac
