"""Which case events become webhooks, and writing their ledger rows.

``queue_for_case_event`` is called by ``cases.services.common.record_event`` (through
``settings.TAC_CASE_EVENT_LISTENERS``) for every chronology entry, in the transaction
that writes it: the message rows commit with the change or not at all. The two events
about dates (an action or a review falling due) come from a daily scan instead, which a
unique key makes safe to run as often as it likes.

Only identifiers are stored (``facts``); what a partner is sent is decided again when
the message goes out (``webhooks.delivery``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agencies.models import ApiScope
from cases.access import agency_relationship_filter
from cases.models import Case, CaseEvent
from cases.sharing import ADDITIONAL, information_levels
from meetings.models import Action, Meeting
from webhooks.models import EventType, WebhookMessage, WebhookSubscription
from webhooks.signing import new_webhook_id

Facts = dict[str, Any]


def _joined(event: CaseEvent) -> tuple[str, Facts] | None:
    return EventType.CASE_JOINED, {"membership_id": event.data.get("membership")}


def _left(event: CaseEvent) -> tuple[str, Facts] | None:
    return EventType.CASE_LEFT, {"membership_id": event.data.get("membership")}


def _action_added(event: CaseEvent) -> tuple[str, Facts] | None:
    return EventType.ACTION_ASSIGNED, {"action_id": event.data.get("action")}


def _action_changed(event: CaseEvent) -> tuple[str, Facts] | None:
    # Only a new owner is an assignment; a moved due date is not.
    if "owner" not in event.data:
        return None
    return EventType.ACTION_ASSIGNED, {"action_id": event.data.get("action")}


def _meeting_scheduled(event: CaseEvent) -> tuple[str, Facts] | None:
    return EventType.MEETING_SCHEDULED, {"meeting_id": event.data.get("meeting")}


def _case_closed(event: CaseEvent) -> tuple[str, Facts] | None:
    return EventType.CASE_CLOSED, {"status": event.data.get("to", "")}


#: Chronology codes that partners may hear of, and what each becomes.
FROM_CASE_EVENTS: dict[str, Callable[[CaseEvent], tuple[str, Facts] | None]] = {
    "team.member_added": _joined,
    "team.member_removed": _left,
    "plan.action_added": _action_added,
    "plan.action_changed": _action_changed,
    "meeting.scheduled": _meeting_scheduled,
    "case.closed": _case_closed,
}


def partner_may_see(
    subscription: WebhookSubscription, *, event_type: str, case_id: int, facts: Facts
) -> bool:
    """Whether the subscription's partner client may be told of this event now.

    The same policy as its API reads (``cases.access``, ``cases.sharing``): a usable
    client with the ``cases:read`` scope, whose agency has a legitimate relationship
    with the case; an action only with additional information or when the client's own
    agency owns it. Asked when the message is written and again when it goes out.
    """
    client = subscription.client
    if not client.is_usable:
        return False
    if ApiScope.CASES_READ not in client.allowed_scopes:
        return False
    agency_id = client.agency_id
    if not Case.objects.filter(agency_relationship_filter(agency_id), pk=case_id).exists():
        return False
    if event_type in {EventType.ACTION_ASSIGNED, EventType.ACTION_DUE}:
        action = Action.objects.filter(pk=facts.get("action_id") or 0, case_id=case_id).first()
        if action is None:
            return False
        level = information_levels([case_id], agency_id)[case_id]
        return level == ADDITIONAL or action.owner_agency_id == agency_id
    if event_type == EventType.MEETING_SCHEDULED:
        return Meeting.objects.filter(pk=facts.get("meeting_id") or 0, case_id=case_id).exists()
    return True


def _subscriptions_to(event_type: str) -> list[WebhookSubscription]:
    return list(
        WebhookSubscription.objects.filter(
            is_active=True,
            event_types__contains=[event_type],
            client__is_active=True,
            client__agency__is_active=True,
        ).select_related("client__agency")
    )


def _write_messages(
    subscriptions: Iterable[WebhookSubscription],
    *,
    event_type: str,
    event_key: str,
    case_id: int,
    facts: Facts,
    occurred_at: dt.datetime,
) -> int:
    now = timezone.now()
    subscriptions = list(subscriptions)
    told = set(
        WebhookMessage.objects.filter(
            event_key=event_key, subscription__in=subscriptions
        ).values_list("subscription_id", flat=True)
    )
    rows = [
        WebhookMessage(
            subscription=subscription,
            webhook_id=new_webhook_id(),
            event_type=event_type,
            event_key=event_key,
            case_id=case_id,
            facts=facts,
            occurred_at=occurred_at,
            next_attempt_at=now,
        )
        for subscription in subscriptions
        if subscription.pk not in told
        and partner_may_see(subscription, event_type=event_type, case_id=case_id, facts=facts)
    ]
    if not rows:
        return 0
    # A scan running at the same moment may write the same key: the constraint keeps one.
    WebhookMessage.objects.bulk_create(rows, ignore_conflicts=True)
    wake_sender_on_commit()
    return len(rows)


def queue_for_case_event(event: CaseEvent) -> int:
    """Write a message for every subscription that should hear of ``event``; returns how
    many. Runs inside the transaction that recorded the event."""
    translate = FROM_CASE_EVENTS.get(event.code)
    if translate is None:
        return 0
    translated = translate(event)
    if translated is None:
        return 0
    event_type, facts = translated
    subscriptions = _subscriptions_to(event_type)
    if not subscriptions:
        return 0
    return _write_messages(
        subscriptions,
        event_type=event_type,
        event_key=f"event:{event.pk}",
        case_id=event.case_id,
        facts=facts,
        occurred_at=event.at,
    )


@transaction.atomic
def queue_due_date_events(today: dt.date) -> int:
    """Write ``action.due`` and ``review.due`` messages for what falls due on ``today``;
    returns how many. Safe to run any number of times a day (unique per event key)."""
    written = 0
    open_cases = Q(case__status__in=Case.OPEN_STATUSES)
    action_subscriptions = _subscriptions_to(EventType.ACTION_DUE)
    if action_subscriptions:
        actions = Action.objects.filter(open_cases, due_on=today, status__in=Action.OPEN_STATUSES)
        for action in actions.only("pk", "case_id", "due_on").iterator():
            written += _write_messages(
                action_subscriptions,
                event_type=EventType.ACTION_DUE,
                event_key=f"action.due:{action.pk}:{today.isoformat()}",
                case_id=action.case_id,
                facts={"action_id": action.pk, "due_on": today.isoformat()},
                occurred_at=timezone.now(),
            )
    review_subscriptions = _subscriptions_to(EventType.REVIEW_DUE)
    if review_subscriptions:
        cases = Case.objects.filter(status__in=Case.OPEN_STATUSES, next_review_due=today)
        for case_id in cases.values_list("pk", flat=True).iterator():
            written += _write_messages(
                review_subscriptions,
                event_type=EventType.REVIEW_DUE,
                event_key=f"review.due:{case_id}:{today.isoformat()}",
                case_id=case_id,
                facts={"due_on": today.isoformat()},
                occurred_at=timezone.now(),
            )
    return written


def _wake_sender() -> None:
    # A real cycle: the task module imports this one (for the due-date scan).
    from webhooks.tasks import deliver_webhooks

    try:
        deliver_webhooks.delay()
    except Exception:  # the broker is away: the sender's next beat tick sends them
        return


def wake_sender_on_commit() -> None:
    """Run the sender once the transaction commits, once however many messages it wrote."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _wake_sender for _, callback, _ in pending):
        transaction.on_commit(_wake_sender)
