"""A read-only list of webhook subscriptions for the configuration site, without their
secrets; changes go through the portal's webhook pages (``webhooks.views``), which call
the services. The delivery log is not here: it names cases (by id), and the configuration
site holds no case data."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from webhooks.models import WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    list_display = ("url", "client", "is_active", "consecutive_failures", "created_at")
    list_filter = ("is_active",)
    exclude = ("secret", "previous_secret")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
