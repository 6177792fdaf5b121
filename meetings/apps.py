from __future__ import annotations

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"

    def ready(self) -> None:
        from cases.panels import CasePanel, MyWorkPanel, register_case_panel, register_my_work_panel
        from meetings import panels
        from meetings.services import schedule_case_action_reminders
        from notifications.models import SUBJECT_ACTION_DUE
        from notifications.services import LEAD_SCHEDULERS, SUBJECT_KINDS, SubjectKind

        register_case_panel(
            CasePanel("meetings", 30, "meetings/panels/case_meetings.html", panels.case_meetings)
        )
        register_case_panel(
            CasePanel(
                "contributions",
                40,
                "meetings/panels/case_contributions.html",
                panels.case_contributions,
            )
        )
        register_my_work_panel(
            MyWorkPanel("meetings", 10, "meetings/panels/my_work.html", panels.my_work)
        )
        SUBJECT_KINDS[SUBJECT_ACTION_DUE] = SubjectKind(
            link=panels.action_reminder_link, still_due=panels.action_reminder_still_due
        )
        # The overdue copy goes to the lead professional: it follows a change of lead.
        LEAD_SCHEDULERS[SUBJECT_ACTION_DUE] = schedule_case_action_reminders
