from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"

    def ready(self) -> None:
        from meetings import panels
        from meetings.services import schedule_case_action_reminders
        from notifications.models import SUBJECT_ACTION_DUE
        from notifications.services import LEAD_SCHEDULERS, SUBJECT_KINDS, SubjectKind

        SUBJECT_KINDS[SUBJECT_ACTION_DUE] = SubjectKind(
            link=panels.action_reminder_link, still_due=panels.action_reminder_still_due
        )
        # The overdue copy goes to the lead professional: it follows a change of lead.
        LEAD_SCHEDULERS[SUBJECT_ACTION_DUE] = schedule_case_action_reminders
