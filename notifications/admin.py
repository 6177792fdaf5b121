from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from notifications import outbox
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
    "kind",
    "status",
    "attempts",
    "last_error",
    "about_type",
    "about_id",
    "calendar_method",
    "template",
    "message_id",
    "provider_id",
    "next_attempt_at",
    "lease_until",
    "created_at",
    "sent_at",
]


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin[EmailOutbox]):
    list_display = ["pk", "kind", "status", "about_type", "attempts", "last_error", "sent_at"]
    list_filter = ["kind", "status", "about_type"]
    # Bodies and addresses are not shown: the undelivered-emails page shows administrators
    # what they need to act on.
    fields = tuple(_OUTBOX_FIELDS)
    readonly_fields = _OUTBOX_FIELDS
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: EmailOutbox | None = None) -> bool:
        return False

    @admin.action(description="Send the selected undelivered emails again")
    def retry(self, request: HttpRequest, queryset: QuerySet[EmailOutbox]) -> None:
        try:
            count = outbox.retry_undelivered_emails(
                by=request.user,  # type: ignore[arg-type]
                ids=queryset.values_list("pk", flat=True),
            )
        except PermissionDenied as denied:
            self.message_user(request, str(denied), level=messages.ERROR)
            return
        self.message_user(request, f"{count} undelivered email(s) will be sent within a minute.")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> TemplateResponse:
        dead = EmailOutbox.objects.undelivered().count()
        if dead:
            page = reverse("notifications:undelivered")
            self.message_user(
                request,
                format_html(
                    '{} email(s) could not be delivered. <a href="{}">See why and send them '
                    "again</a> once the cause (usually the mail server or an address) is fixed.",
                    dead,
                    page,
                ),
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
