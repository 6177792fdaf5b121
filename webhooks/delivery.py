"""Sending webhook messages: leased from the ledger, checked, signed, posted, retried.

1. ``_lease_batch`` claims due rows (``FOR UPDATE SKIP LOCKED``), marks them
   ``delivering`` with a lease and counts the attempt, and commits. A row whose worker
   died stays ``delivering`` until its lease runs out; the same query then takes it
   again, under the same ``webhook-id``.
2. For each row, the access policy is asked again (``events.partner_may_see``): a
   partner that no longer sees the case gets nothing, and the message is ``dropped``.
3. The payload (identifiers and what changed) is signed with the subscription's
   secret, and its previous secret during a rotation, and posted (``outbound.post``).
4. A 2xx answer delivers it. Anything else is retried after an exponential backoff
   with a cap, up to ``TAC_WEBHOOK_MAX_ATTEMPTS``; a run of
   ``TAC_WEBHOOK_DISABLE_AFTER`` failures in a row disables the subscription and tells
   the partner's contact and administrators (``services.disable_subscription``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from webhooks import signing
from webhooks.events import partner_may_see
from webhooks.models import EventType, WebhookAttempt, WebhookMessage, WebhookSubscription
from webhooks.outbound import UnsafeURL, post
from webhooks.services import disable_subscription
from webhooks.signing import SecretUnreadable

logger = logging.getLogger(__name__)

#: How long one run of the sender may go on before it leaves the rest to the next one.
SEND_RUN_SECONDS = 120.0


def retry_delay(attempts: int) -> dt.timedelta:
    """After ``attempts`` failed attempts: base, 2 x base, 4 x base ... at most the cap."""
    seconds = settings.TAC_WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.TAC_WEBHOOK_RETRY_CAP_SECONDS))


_LEASE_SQL = """
WITH picked AS (
    SELECT m.id FROM webhooks_webhookmessage AS m
    JOIN webhooks_webhooksubscription AS s ON s.id = m.subscription_id
    WHERE m.status IN ('pending', 'delivering') AND m.next_attempt_at <= %(now)s
      AND s.is_active
    ORDER BY m.next_attempt_at, m.id
    LIMIT %(limit)s
    FOR UPDATE OF m SKIP LOCKED
)
UPDATE webhooks_webhookmessage AS m
SET status = 'delivering', lease_until = %(lease)s, next_attempt_at = %(lease)s,
    attempts = m.attempts + 1
FROM picked WHERE m.id = picked.id
RETURNING m.id
"""


def _lease_batch(limit: int) -> list[int]:
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.TAC_WEBHOOK_LEASE_SECONDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LEASE_SQL, {"now": now, "limit": limit, "lease": lease})
        return [row[0] for row in cursor.fetchall()]


def _api_url(name: str, *args: int) -> str:
    return f"{settings.SITE_URL}{reverse(f'api:{name}', args=args)}"


def build_payload(message: WebhookMessage) -> dict[str, Any]:
    """What the partner is told: the event, its time, and identifiers with links to read
    more through the API (which applies the same policy again). Nothing else of the case."""
    facts = message.facts
    case_id = message.case_id
    data: dict[str, Any] = {"case": {"id": case_id, "url": _api_url("case-detail", case_id)}}
    event = message.event_type
    if event in {EventType.CASE_JOINED, EventType.CASE_LEFT}:
        data["team_url"] = _api_url("case-team", case_id)
    elif event in {EventType.ACTION_ASSIGNED, EventType.ACTION_DUE}:
        data["action"] = {
            "id": facts["action_id"],
            "url": _api_url("action-detail", facts["action_id"]),
        }
        if "due_on" in facts:
            data["action"]["due_on"] = facts["due_on"]
    elif event == EventType.MEETING_SCHEDULED:
        data["meeting"] = {"id": facts["meeting_id"]}
        data["meetings_url"] = _api_url("case-meetings", case_id)
    elif event == EventType.REVIEW_DUE:
        data["next_review_due"] = facts["due_on"]
    elif event == EventType.CASE_CLOSED:
        data["status"] = facts.get("status", "")
    return {
        "type": event,
        "timestamp": message.occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }


def body_of(message: WebhookMessage) -> bytes:
    """The exact bytes sent: the same for every attempt and replay of a message."""
    return json.dumps(build_payload(message), separators=(",", ":"), sort_keys=True).encode()


def signing_secrets(subscription: WebhookSubscription, *, now: dt.datetime) -> list[str]:
    """The current secret, and the previous one while its grace period lasts."""
    secrets_ = [subscription.signing_secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires is not None and expires > now:
        try:
            secrets_.append(subscription.previous_signing_secret)
        except SecretUnreadable:
            # Rotated away from an unreadable secret: the new one alone signs.
            logger.warning(
                "webhook previous secret unreadable", extra={"subscription": subscription.pk}
            )
    return secrets_


def _hold_for_an_unreadable_secret(message: WebhookMessage, leased: Any) -> str:
    """The subscription's secret cannot be read (its key was retired): nothing can be
    signed, so the message waits, not counted as an attempt, and the subscription is
    turned off with the reason, which tells its administrators to rotate the secret."""
    with transaction.atomic():
        leased.update(
            status=WebhookMessage.Status.PENDING,
            lease_until=None,
            next_attempt_at=timezone.now(),
            attempts=F("attempts") - 1,
        )
        locked = WebhookSubscription.objects.select_for_update().get(pk=message.subscription_id)
        disable_subscription(
            locked,
            reason="Its signing secret can no longer be read (the key that sealed it was "
            "retired): rotate the secret, then turn the webhook on",
        )
    logger.error("webhook secret unreadable", extra={"webhook_message": message.pk})
    return WebhookMessage.Status.PENDING


def _record(
    message: WebhookMessage,
    outcome: str,
    *,
    now: dt.datetime,
    status: int | None = None,
    error: str = "",
    duration_ms: int = 0,
) -> None:
    WebhookAttempt.objects.create(
        message=message,
        at=now,
        outcome=outcome,
        response_status=status,
        error=error[:200],
        duration_ms=duration_ms,
    )


def _deliver_one(message: WebhookMessage) -> str:
    """Try one leased message; returns its new status."""
    subscription = message.subscription
    now = timezone.now()
    leased = WebhookMessage.objects.filter(pk=message.pk, status=WebhookMessage.Status.DELIVERING)
    if not partner_may_see(
        subscription, event_type=message.event_type, case_id=message.case_id, facts=message.facts
    ):
        with transaction.atomic():
            leased.update(status=WebhookMessage.Status.DROPPED, lease_until=None)
            _record(message, WebhookAttempt.Outcome.DROPPED, now=now)
        logger.info("webhook dropped", extra={"webhook_message": message.pk})
        return WebhookMessage.Status.DROPPED

    try:
        secrets_ = signing_secrets(subscription, now=now)
    except SecretUnreadable:
        return _hold_for_an_unreadable_secret(message, leased)
    body = body_of(message)
    timestamp = int(now.timestamp())
    headers = signing.headers(
        secrets_,
        webhook_id=message.webhook_id,
        timestamp=timestamp,
        body=body,
    )
    status: int | None = None
    error = ""
    duration = 0
    try:
        answer = post(subscription.url, body=body, headers=headers)
        status, duration = answer.status, answer.duration_ms
    except SoftTimeLimitExceeded:
        raise  # the task overran: stop; the lease runs out and the message is retried
    except UnsafeURL:
        error = "Refused: the address is not public"
    except OSError as exc:
        error = type(exc).__name__

    done = timezone.now()
    if status is not None and 200 <= status <= 299:
        with transaction.atomic():
            leased.update(
                status=WebhookMessage.Status.DELIVERED,
                delivered_at=done,
                lease_until=None,
                last_response_status=status,
                last_error="",
            )
            _record(
                message,
                WebhookAttempt.Outcome.DELIVERED,
                now=done,
                status=status,
                duration_ms=duration,
            )
            WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return WebhookMessage.Status.DELIVERED

    error = error or f"HTTP {status}"
    gave_up = message.attempts >= settings.TAC_WEBHOOK_MAX_ATTEMPTS
    with transaction.atomic():
        leased.update(
            status=WebhookMessage.Status.FAILED if gave_up else WebhookMessage.Status.PENDING,
            lease_until=None,
            next_attempt_at=done + retry_delay(message.attempts),
            last_response_status=status,
            last_error=error[:200],
        )
        _record(
            message,
            WebhookAttempt.Outcome.FAILED,
            now=done,
            status=status,
            error=error,
            duration_ms=duration,
        )
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locked.consecutive_failures = F("consecutive_failures") + 1
        locked.save(update_fields=["consecutive_failures"])
        locked.refresh_from_db(fields=["consecutive_failures"])
        if locked.is_active and locked.consecutive_failures >= settings.TAC_WEBHOOK_DISABLE_AFTER:
            disable_subscription(
                locked,
                reason=f"{locked.consecutive_failures} deliveries in a row failed",
            )
    logger.warning(
        "webhook failed",
        extra={"webhook_message": message.pk, "error": error, "attempts": message.attempts},
    )
    return WebhookMessage.Status.FAILED if gave_up else WebhookMessage.Status.PENDING


def deliver_due_messages(
    *, batch_size: int = 20, max_batches: int = 50, max_seconds: float = SEND_RUN_SECONDS
) -> int:
    """Send the messages that are due, taking over any whose lease ran out; returns how
    many were delivered. A crash after the receiver answered but before the row was
    marked delivered sends the message again, with the same ``webhook-id``."""
    started = time.monotonic()
    delivered = 0
    for _ in range(max_batches):
        ids = _lease_batch(batch_size)
        rows = WebhookMessage.objects.filter(pk__in=ids).select_related(
            "subscription__client__agency"
        )
        for message in rows.order_by("next_attempt_at", "id"):
            if not message.subscription.is_active:
                _put_back([message.pk])  # disabled during this run
                continue
            delivered += _deliver_one(message) == WebhookMessage.Status.DELIVERED
        if len(ids) < batch_size or time.monotonic() - started > max_seconds:
            break
    return delivered


def _put_back(ids: list[int]) -> None:
    """Release leased rows this run did not try; their lease was not an attempt."""
    WebhookMessage.objects.filter(pk__in=ids, status=WebhookMessage.Status.DELIVERING).update(
        status=WebhookMessage.Status.PENDING,
        lease_until=None,
        next_attempt_at=timezone.now(),
        attempts=F("attempts") - 1,
    )


def webhook_health(*, lag_alert_seconds: float = 600) -> dict[str, object]:
    """For /healthz: ``ok`` is false when a message of an active subscription has been due
    for longer than ``lag_alert_seconds`` (the sender is not running). A partner's endpoint
    being down is not the portal being unwell: its retries wait in the future, and a
    subscription turned off waits without counting."""
    now = timezone.now()
    due = WebhookMessage.objects.filter(
        status__in=[WebhookMessage.Status.PENDING, WebhookMessage.Status.DELIVERING],
        next_attempt_at__lte=now,
        subscription__is_active=True,
    )
    oldest = due.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    lag = (now - oldest).total_seconds() if oldest is not None else 0.0
    return {
        "ok": lag <= lag_alert_seconds,
        "webhooks_due": due.count(),
        "oldest_due_webhook_seconds": round(lag, 1),
        "webhooks_given_up": WebhookMessage.objects.filter(
            status=WebhookMessage.Status.FAILED
        ).count(),
    }
