"""Permission-matrix routes served by the notifications area (see tests/matrix.py)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from notifications.models import EmailOutbox
from tests.matrix import Objects, Route, only


def _undelivered(o: Objects) -> int:
    now = timezone.now()
    return EmailOutbox.objects.create(
        to_address="pat.parent@example.org",
        subject="TAC Portal: Invitation: TAC meeting",
        body_text="You are invited.",
        message_id=f"<matrix-{uuid.uuid4().hex}@tac-portal>",
        status=EmailOutbox.Status.DEAD,
        attempts=1,
        last_error="SMTPRecipientsRefused 554",
        next_attempt_at=now,
        created_at=now,
    ).pk


# Undelivered emails are the system administrator's to see and send again; for anyone
# else the page does not exist.
ROUTES: dict[str, Route] = {
    "notifications:undelivered": Route("get", expect=only(200, "admin")),
    "notifications:retry_undelivered": Route(
        "post", args=lambda o: [_undelivered(o)], expect=only(302, "admin")
    ),
    "notifications:retry_all_undelivered": Route("post", expect=only(302, "admin")),
}
