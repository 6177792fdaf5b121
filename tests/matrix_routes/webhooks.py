"""Permission-matrix routes served by the partner webhooks pages (see tests/matrix.py).

They belong to the partner's administrator: a system administrator of the partner's
agency or of the local authority. The matrix's administrator has no agency, so it sees
the (empty) list and nothing else; tests/webhooks/test_pages.py covers those who manage
a partner. For everyone else the pages do not exist.
"""

from __future__ import annotations

import uuid

from django.utils import timezone
from oauth2_provider.models import Application

from agencies.models import Agency, PartnerClient
from tests.matrix import Objects, Route, everyone, only
from webhooks.models import EventType, WebhookMessage, WebhookSubscription
from webhooks.signing import new_secret, new_webhook_id, seal

NOBODY = everyone(404)


def _client(o: Objects) -> PartnerClient:
    token = uuid.uuid4().hex[:8]
    application = Application.objects.create(
        name=f"Matrix MIS {token}",
        client_id=f"matrix-{token}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    agency = Agency.objects.get(name="Riverside Primary School")
    return PartnerClient.objects.create(
        application=application, agency=agency, sharing_agreement="ISA-MATRIX"
    )


def _subscription(o: Objects) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        client=_client(o),
        url="https://mis.example/hooks",
        event_types=[EventType.CASE_CLOSED],
        secret=seal(new_secret()),
    )


def _message(o: Objects) -> list[int]:
    subscription = _subscription(o)
    now = timezone.now()
    message = WebhookMessage.objects.create(
        subscription=subscription,
        webhook_id=new_webhook_id(),
        event_type=EventType.CASE_CLOSED,
        event_key="matrix",
        case=o.case,
        occurred_at=now,
        next_attempt_at=now,
    )
    return [subscription.pk, message.pk]


ROUTES: dict[str, Route] = {
    "webhooks:list": Route("get", expect=only(200, "admin")),
    "webhooks:new": Route("get", args=lambda o: [_client(o).pk], expect=NOBODY),
    "webhooks:detail": Route("get", args=lambda o: [_subscription(o).pk], expect=NOBODY),
    "webhooks:change": Route("get", args=lambda o: [_subscription(o).pk], expect=NOBODY),
    "webhooks:rotate": Route("post", args=lambda o: [_subscription(o).pk], expect=NOBODY),
    "webhooks:enable": Route("post", args=lambda o: [_subscription(o).pk], expect=NOBODY),
    "webhooks:disable": Route("post", args=lambda o: [_subscription(o).pk], expect=NOBODY),
    "webhooks:message": Route("get", args=_message, expect=NOBODY),
    "webhooks:replay": Route("post", args=_message, expect=NOBODY),
}
