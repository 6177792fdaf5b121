"""Signed webhooks for partner systems: subscriptions, the delivery ledger and its attempts.

The database is the ledger, as for reminders (ARCHITECTURE §7). A ``WebhookMessage`` row
is written in the same transaction as the case event it tells of; Celery only wakes the
sender. The sender leases rows with ``FOR UPDATE SKIP LOCKED``, so a worker killed in the
middle of a batch leaves leases that run out and are taken again, under the same
``webhook-id``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from agencies.models import PartnerClient
from tac_portal import sealing
from tac_portal.concurrency import VersionedModel
from webhooks.signing import SEALED_AS, SecretUnreadable, unseal

for _field in ("secret", "previous_secret"):
    sealing.sealed_column("webhooks.WebhookSubscription", _field, purpose=SEALED_AS)


class EventType(models.TextChoices):
    """What a partner system may subscribe to (docs/partner-api.md, "Webhooks")."""

    CASE_JOINED = "case.joined", "Someone joined the team around the child"
    CASE_LEFT = "case.left", "Someone left the team around the child"
    ACTION_ASSIGNED = "action.assigned", "An action of the plan was given an owner"
    ACTION_DUE = "action.due", "An action of the plan falls due today"
    MEETING_SCHEDULED = "meeting.scheduled", "A meeting was arranged"
    REVIEW_DUE = "review.due", "The case's review falls due today"
    CASE_CLOSED = "case.closed", "The case was closed"


class WebhookSubscription(VersionedModel):
    """Where one partner client wants to be told of events, and the secret that signs them.

    During a rotation the previous secret keeps signing (a second signature in the
    ``webhook-signature`` header) until ``previous_secret_expires_at``, so the partner
    can switch over without losing a message. An HMAC needs the secret itself, so it is
    stored encrypted (``webhooks.signing.seal``), not hashed.
    """

    client = models.ForeignKey(
        PartnerClient, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField("endpoint URL", max_length=500)
    event_types = ArrayField(models.CharField(max_length=40, choices=EventType.choices))
    secret = models.CharField(max_length=300, help_text="Encrypted (webhooks.signing.seal).")
    previous_secret = models.CharField(max_length=300, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["client", "created_at", "id"]
        indexes = [
            # Fan-out on every case event: the active subscriptions to one event type.
            models.Index(
                fields=["is_active"], name="webhook_sub_active_idx", condition=Q(is_active=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.client})"

    @property
    def signing_secret(self) -> str:
        """The current secret, ``whsec_...``, as the partner verifies with it."""
        return unseal(self.secret)

    @property
    def previous_signing_secret(self) -> str:
        return unseal(self.previous_secret)

    @property
    def shown_signing_secret(self) -> str | None:
        """The current secret for the page, or None when it can no longer be read."""
        try:
            return self.signing_secret
        except SecretUnreadable:
            return None

    @property
    def event_labels(self) -> list[str]:
        return [EventType(e).label for e in self.event_types if e in EventType.values]


class WebhookMessage(models.Model):
    """One event for one subscription: the ledger row the sender leases and retries.

    ``webhook_id`` is fixed when the row is written and sent with every attempt and
    every replay, so a receiver can drop duplicates. ``facts`` holds identifiers only;
    the payload is built from them at delivery time, after the access policy is asked
    again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        DELIVERING = "delivering", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Given up"
        DROPPED = "dropped", "Not sent: no longer visible to the partner"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="messages"
    )
    webhook_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    event_key = models.CharField(
        max_length=80, help_text="What the message is about, unique per subscription."
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    facts = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replayed_at = models.DateTimeField(null=True, blank=True)
    replayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One message per event per subscription: a due-date scan run twice adds nothing.
            models.UniqueConstraint(
                fields=["subscription", "event_key"], name="webhook_message_unique_event"
            ),
        ]
        indexes = [
            # The sender's lease query: due rows, including ones whose lease ran out.
            models.Index(
                fields=["next_attempt_at", "id"],
                name="webhook_msg_due_idx",
                condition=Q(status__in=["pending", "delivering"]),
            ),
            # The delivery log of one subscription, newest first.
            models.Index(fields=["subscription", "-created_at"], name="webhook_msg_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_id}"


class WebhookAttempt(models.Model):
    """One try at delivering a message, for the delivery log. Never the body or the
    receiver's answer: only the HTTP status, the error class and how long it took."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        DROPPED = "dropped", "Not sent: no longer visible to the partner"

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.message} at {self.at:%Y-%m-%d %H:%M:%S}: {self.outcome}"
