"""Managing webhook subscriptions: every change to one goes through these functions.

Who may call them is ``cases.access.can_manage_partner_client`` (the partner's
administrator); each change is logged on the security log with who made it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import ApiScope, PartnerClient, User
from cases.access import can_manage_partner_client
from notifications.outbox import Email, queue_email
from notifications.services import notify
from tac_portal.concurrency import bump, ensure_current
from webhooks.events import wake_sender_on_commit
from webhooks.models import EventType, WebhookMessage, WebhookSubscription
from webhooks.outbound import UnsafeURL, check_url
from webhooks.signing import new_secret, seal

security_log = logging.getLogger("tac.security")

MSG_NOT_MANAGING = "Only the partner system's administrator can change its webhooks."
MSG_NO_READ_SCOPE = (
    "This partner system cannot read cases (it lacks the cases:read scope), so it cannot "
    "be told of case events."
)
MSG_CHOOSE_EVENTS = "Choose at least one event to send"
TITLE_DISABLED = "A partner system's webhooks were turned off after repeated failures"

#: How long the previous secret keeps signing after a rotation.
ROTATION_GRACE = dt.timedelta(hours=24)


def _ensure_manages(by: User, client: PartnerClient) -> None:
    if not can_manage_partner_client(by, client):
        raise PermissionDenied(MSG_NOT_MANAGING)


def _check_events(event_types: Iterable[str]) -> list[str]:
    chosen = [e for e in EventType.values if e in set(event_types)]
    if not chosen:
        raise ValidationError({"event_types": MSG_CHOOSE_EVENTS}, code="events_required")
    return chosen


@transaction.atomic
def create_subscription(
    client: PartnerClient, *, url: str, event_types: Iterable[str], by: User
) -> WebhookSubscription:
    """Subscribe ``client`` to ``event_types`` at ``url``, with a new signing secret.

    Raises ``PermissionDenied`` for anyone but the partner's administrator and
    ``ValidationError`` (by field) for an address the portal will not call, no
    events, or a client that may not read cases.
    """
    _ensure_manages(by, client)
    try:
        check_url(url)
    except UnsafeURL as error:
        raise ValidationError({"url": str(error)}, code="unsafe_url") from None
    chosen = _check_events(event_types)
    if ApiScope.CASES_READ not in client.allowed_scopes:
        raise ValidationError(MSG_NO_READ_SCOPE, code="no_read_scope")
    subscription = WebhookSubscription.objects.create(
        client=client, url=url, event_types=chosen, secret=seal(new_secret()), created_by=by
    )
    security_log.info(
        "webhook subscription created",
        extra={"subscription": subscription.pk, "partner_client": client.pk, "by": by.pk},
    )
    return subscription


@transaction.atomic
def change_subscription(
    subscription: WebhookSubscription,
    *,
    url: str,
    event_types: Iterable[str],
    version: int | None,
    by: User,
) -> WebhookSubscription:
    """Change where a subscription posts and which events it sends.

    Raises ``StaleEdit`` when someone changed it since ``version`` was shown, and
    ``ValidationError`` as ``create_subscription`` does. Messages already written keep
    going to the new address under their own ``webhook-id``.
    """
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _ensure_manages(by, locked.client)
    ensure_current(locked, version)
    try:
        check_url(url)
    except UnsafeURL as error:
        raise ValidationError({"url": str(error)}, code="unsafe_url") from None
    locked.url = url
    locked.event_types = _check_events(event_types)
    locked.save(update_fields=["url", "event_types", "updated_at", *bump(locked)])
    security_log.info(
        "webhook subscription changed", extra={"subscription": locked.pk, "by": by.pk}
    )
    return locked


@transaction.atomic
def rotate_secret(subscription: WebhookSubscription, *, by: User) -> WebhookSubscription:
    """Give the subscription a new secret; the old one goes on signing too (a second
    signature) for ``ROTATION_GRACE``, so the partner can switch without a gap."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _ensure_manages(by, locked.client)
    locked.previous_secret = locked.secret
    locked.previous_secret_expires_at = timezone.now() + ROTATION_GRACE
    locked.secret = seal(new_secret())
    locked.save(
        update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"]
    )
    security_log.info("webhook secret rotated", extra={"subscription": locked.pk, "by": by.pk})
    return locked


@transaction.atomic
def enable_subscription(subscription: WebhookSubscription, *, by: User) -> WebhookSubscription:
    """Turn a subscription back on; messages that waited while it was off go out."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _ensure_manages(by, locked.client)
    if not locked.is_active:
        locked.is_active = True
        locked.consecutive_failures = 0
        locked.disabled_at = None
        locked.disabled_reason = ""
        locked.save(
            update_fields=[
                "is_active",
                "consecutive_failures",
                "disabled_at",
                "disabled_reason",
                "updated_at",
            ]
        )
        wake_sender_on_commit()
        security_log.info(
            "webhook subscription enabled", extra={"subscription": locked.pk, "by": by.pk}
        )
    return locked


@transaction.atomic
def turn_off_subscription(subscription: WebhookSubscription, *, by: User) -> WebhookSubscription:
    """Turn a subscription off by hand; its messages wait until it is turned back on."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    _ensure_manages(by, locked.client)
    if locked.is_active:
        locked.is_active = False
        locked.disabled_at = timezone.now()
        locked.disabled_reason = f"Turned off by {by}"[:200]
        locked.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
        security_log.info(
            "webhook subscription turned off", extra={"subscription": locked.pk, "by": by.pk}
        )
    return locked


def disable_subscription(subscription: WebhookSubscription, *, reason: str) -> WebhookSubscription:
    """Turn a subscription off after repeated failures (the sender calls this), and tell
    the partner's contact by email and its administrators by notification.

    Runs in the caller's transaction, with the subscription locked. Messages keep
    waiting (``pending``) and go out once it is turned back on.
    """
    if not subscription.is_active:
        return subscription
    subscription.is_active = False
    subscription.disabled_at = timezone.now()
    subscription.disabled_reason = reason[:200]
    subscription.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    link = reverse("webhooks:detail", args=[subscription.pk])
    client = subscription.client
    administrators = User.objects.filter(
        role=User.Role.SYSTEM_ADMINISTRATOR, is_active=True
    ).select_related("agency")
    for administrator in administrators:
        if can_manage_partner_client(administrator, client):
            notify(administrator, title=TITLE_DISABLED, link=link)
    queue_email(
        client.contact_email,
        Email(
            subject="Webhooks from the TAC portal have been turned off",
            text=(
                f"The TAC portal stopped sending webhooks to {subscription.url} for "
                f"{client.application.name}: {reason}.\n\n"
                "Messages are kept and will be sent once the endpoint answers again and "
                "your administrator turns the subscription back on in the portal:\n"
                f"{settings.SITE_URL}{link}\n"
            ),
        ),
    )
    security_log.warning(
        "webhook subscription disabled",
        extra={"subscription": subscription.pk, "reason": reason},
    )
    return subscription


@transaction.atomic
def replay_message(message: WebhookMessage, *, by: User) -> WebhookMessage:
    """Send a message again now, under the same ``webhook-id`` (receivers that kept it
    drop the copy). The access policy is asked again when it goes out."""
    locked = WebhookMessage.objects.select_for_update().get(pk=message.pk)
    _ensure_manages(by, locked.subscription.client)
    if locked.status != WebhookMessage.Status.DELIVERING:
        locked.status = WebhookMessage.Status.PENDING
        locked.next_attempt_at = timezone.now()
        locked.attempts = 0
    locked.replayed_at = timezone.now()
    locked.replayed_by = by
    locked.save(
        update_fields=["status", "next_attempt_at", "attempts", "replayed_at", "replayed_by"]
    )
    wake_sender_on_commit()
    security_log.info("webhook replayed", extra={"webhook_message": locked.pk, "by": by.pk})
    return locked
