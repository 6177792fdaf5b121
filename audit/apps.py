from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"

    def ready(self) -> None:
        from django.urls import reverse

        from cases.models import Restriction
        from notifications.models import SUBJECT_RESTRICTION_REVIEW, Reminder
        from notifications.services import SUBJECT_KINDS, SubjectKind

        def link(reminder: Reminder) -> str:
            return reverse("audit:restriction_review", args=[reminder.subject_id])

        def still_due(reminder: Reminder) -> bool:
            return Restriction.objects.filter(
                pk=reminder.subject_id, lifted_at__isnull=True, review_due=reminder.due_on
            ).exists()

        SUBJECT_KINDS[SUBJECT_RESTRICTION_REVIEW] = SubjectKind(link=link, still_due=still_due)
