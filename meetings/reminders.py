"""How the reminder dispatcher links to, and re-checks, the meetings app's reminders: an
action falling due, and the first TAC meeting not yet held after the assessment."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from cases.models import Case
from meetings.models import Action, Meeting
from notifications.models import SUBJECT_FIRST_TAC, Audience, Reminder
from notifications.services import SubjectKind, schedule_reminders


def _action_link(reminder: Reminder) -> str:
    return reverse("meetings:update_action", args=[reminder.subject_id])


def _action_still_due(reminder: Reminder) -> bool:
    return Action.objects.filter(
        pk=reminder.subject_id,
        due_on=reminder.due_on,
        status__in=Action.OPEN_STATUSES,
        case__closed_at__isnull=True,
    ).exists()


ACTION_DUE = SubjectKind(link=_action_link, still_due=_action_still_due)


def _first_tac_link(reminder: Reminder) -> str:
    return reverse("cases:detail", args=[reminder.subject_id])


def _first_tac_still_due(reminder: Reminder) -> bool:
    """The case is open and no TAC meeting has been held since the assessment completed."""
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


FIRST_TAC = SubjectKind(link=_first_tac_link, still_due=_first_tac_still_due)
