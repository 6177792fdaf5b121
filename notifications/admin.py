from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from notifications import services
from notifications.models import (
    EmailOutbox,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderRule,
)


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin[ReminderRule]):
    list_display = ["code", "subject_type", "audience", "offset_working_days", "send_time"]
    list_display_links = ["code"]
    list_filter = ["subject_type", "audience", "is_active"]
    fields = [
        "code",
        "subject_type",
        "audience",
        "offset_working_days",
        "send_time",
        "title",
        "is_active",
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ReminderRule | None = None
    ) -> list[str]:
        # The code and subject are what the scheduling code looks rules up by.
        return ["code", "subject_type"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: ReminderRule | None = None) -> bool:
        return False  # deactivate instead: sent reminders refer to their rule


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    list_display = ["rule", "subject_type", "subject_id", "due_on", "fire_at", "status"]
    list_filter = ["status", "rule"]
    list_select_related = ["rule"]
    date_hierarchy = "fire_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False


_OUTBOX_FIELDS = [
    "status",
    "attempts",
    "last_error",
    "message_id",
    "next_attempt_at",
    "lease_until",
    "created_at",
    "sent_at",
]


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin[EmailOutbox]):
    list_display = ["pk", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    # Bodies are not shown: they carry nothing sensitive, but there is no need.
    fields = tuple(_OUTBOX_FIELDS)
    readonly_fields = _OUTBOX_FIELDS
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EmailOutbox | None = None) -> bool:
        return False

    @admin.action(description="Retry the selected dead emails")
    def retry(self, request: HttpRequest, queryset: QuerySet[EmailOutbox]) -> None:
        count = services.retry_dead_emails(queryset)
        self.message_user(request, f"{count} dead email(s) will be retried within a minute.")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> TemplateResponse:
        dead = EmailOutbox.objects.filter(status=EmailOutbox.Status.DEAD).count()
        if dead:
            self.message_user(
                request,
                f"{dead} email(s) could not be delivered after every attempt. Filter by "
                "status 'Dead', fix the cause (usually the mail server or the address), then "
                "use 'Retry the selected dead emails'.",
                level=messages.ERROR,
            )
        return super().changelist_view(request, extra_context)  # type: ignore[return-value]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["pk", "title", "created_at", "read_at"]
    readonly_fields = ["recipient", "reminder", "title", "link", "created_at", "read_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email_frequency", "digest_hour"]
    list_filter = ["email_frequency"]
    raw_id_fields = ["user"]
