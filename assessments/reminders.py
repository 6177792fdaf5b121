"""How the reminder dispatcher links to, and re-checks, an assessment still in draft."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from assessments.models import DRAFTING_STATUSES, Assessment
from notifications.models import Reminder
from notifications.services import SubjectKind

if TYPE_CHECKING:
    pass


def _draft_link(reminder: Reminder) -> str:
    return reverse("assessments:detail", args=[reminder.subject_id])


def _draft_still_due(reminder: Reminder) -> bool:
    """Still being drafted, and it is the same assessment start date."""
    assessment = Assessment.objects.filter(pk=reminder.subject_id).first()
    return (
        assessment is not None
        and assessment.status in DRAFTING_STATUSES
        and timezone.localdate(assessment.started_at) == reminder.due_on
    )


DRAFT = SubjectKind(link=_draft_link, still_due=_draft_still_due)
