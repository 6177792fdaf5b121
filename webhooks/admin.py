"""Read-only views of the webhook ledger for the configuration site; changes go through
the portal's webhook pages (``webhooks.views``), which call the services."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from webhooks.models import WebhookMessage, WebhookSubscription


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin[WebhookSubscription]):
    list_display = ("url", "client", "is_active", "consecutive_failures", "created_at")
    list_filter = ("is_active",)
    exclude = ("secret", "previous_secret")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookMessage)
class WebhookMessageAdmin(admin.ModelAdmin[WebhookMessage]):
    list_display = ("webhook_id", "event_type", "subscription", "status", "attempts", "created_at")
    list_filter = ("status", "event_type")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
