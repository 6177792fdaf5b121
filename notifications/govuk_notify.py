"""GOV.UK Notify: the outbox's other way out, for email and for text messages to families.

The outbox (``notifications/outbox.py``) stays the one home of every message: a row is
written in the caller's transaction, leased, sent and retried there. This module only
hands one row to Notify through its client library (``notifications-python-client``)
and says what Notify answered.

- Email goes through Notify when ``TAC_EMAIL_CHANNEL`` is ``"notify"``: every email uses
  one template (``TAC_NOTIFY_TEMPLATES["email"]``) whose subject and body are the
  placeholders ``((subject))`` and ``((body))``. Notify cannot carry a calendar file, so
  a meeting invitation sent this way gives the time and place in its text alone.
- A text message goes only to a family member who agreed to texts, and says no more than
  ``TextMessage`` holds: their first name, a date, a time and a phone number to call. The
  check runs when the text is queued and again just before it is handed to Notify, so a
  row changed in between is refused, never sent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

#: The text message templates, by their name in ``TAC_NOTIFY_TEMPLATES``. Each takes
#: exactly the placeholders of ``TextMessage``.
TEXT_TEMPLATES = frozenset({"meeting_reminder_text"})

#: The start of ``EmailOutbox.last_error`` for a failure Notify reported.
ERROR_PREFIX = "Notify"


class UnsafeTextMessage(ValueError):
    """A text message that would say more than a first name, a date, a time and a phone
    number, or say them in a form that could carry something else. Never sent."""


class NotifyNotConfigured(RuntimeError):
    """Notify's key or the template a message needs is not set (the message waits)."""


# --- What a text message may say ---------------------------------------------------

_FIRST_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_])){0,34}")
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"(?:{_DAYS}) (?:[1-9]|[12][0-9]|3[01]) (?:{_MONTHS}) [0-9]{{4}}")
_TIME = re.compile(r"(?:(?:1[0-2]|[1-9])(?::[0-5][0-9])?(?:am|pm)|midday|midnight)")
_PHONE = re.compile(r"\+?[0-9](?:[0-9 ]{8,18})[0-9]")


def notify_date(day: dt.date) -> str:
    """A date as GOV.UK writes it in full: "Tuesday 3 March 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def notify_time(moment: dt.time) -> str:
    """A time as GOV.UK writes it: "10am", "2:30pm", "midday"."""
    if moment.minute == 0 and moment.hour in {0, 12}:
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


@dataclass(frozen=True)
class TextMessage:
    """Everything a text message to a family member may say, and no more (issue: families
    get text reminders through Notify). Its fields are the template's placeholders."""

    first_name: str
    date: str
    time: str
    phone_number: str

    def __post_init__(self) -> None:
        for name, pattern in (
            ("first_name", _FIRST_NAME),
            ("date", _DATE),
            ("time", _TIME),
            ("phone_number", _PHONE),
        ):
            value = getattr(self, name)
            if not isinstance(value, str) or not pattern.fullmatch(value):
                # The value itself is not quoted: it may be the very detail kept out.
                raise UnsafeTextMessage(f"A text message's {name} is not in the allowed form.")

    @classmethod
    def for_meeting(
        cls, *, first_name: str, starts_at: dt.datetime, phone_number: str
    ) -> TextMessage:
        """A reminder of a meeting starting at ``starts_at`` (a local time)."""
        return cls(
            first_name=first_name,
            date=notify_date(starts_at.date()),
            time=notify_time(starts_at.time()),
            phone_number=" ".join(phone_number.split()),
        )

    @classmethod
    def from_personalisation(cls, data: Mapping[str, Any]) -> TextMessage:
        """The message a stored row holds, refusing any other placeholder."""
        if not isinstance(data, Mapping) or set(data) != ALLOWED_TEXT_FIELDS:
            raise UnsafeTextMessage("A text message may hold only its allowed fields.")
        return cls(**{name: data[name] for name in ALLOWED_TEXT_FIELDS})

    def personalisation(self) -> dict[str, str]:
        return asdict(self)


#: The only placeholders a text message carries.
ALLOWED_TEXT_FIELDS = frozenset(TextMessage.__dataclass_fields__)


# --- Configuration -----------------------------------------------------------------


def template_id(name: str) -> str:
    """The Notify template ID set for ``name``; raises ``NotifyNotConfigured`` if none."""
    found = settings.TAC_NOTIFY_TEMPLATES.get(name, "")
    if not found or not settings.TAC_NOTIFY_API_KEY:
        raise NotifyNotConfigured(f"No GOV.UK Notify key or {name} template is set.")
    return str(found)


def emails_by_notify() -> bool:
    return bool(settings.TAC_EMAIL_CHANNEL == "notify")


def texts_enabled(template: str = "meeting_reminder_text") -> bool:
    """Whether text messages with ``template`` can be sent: Notify's key and the template
    are set. Without them no text is queued, and the portal says texts are off."""
    return bool(settings.TAC_NOTIFY_API_KEY and settings.TAC_NOTIFY_TEMPLATES.get(template))


def _client() -> NotificationsAPIClient:
    if not settings.TAC_NOTIFY_API_KEY:
        raise NotifyNotConfigured("No GOV.UK Notify key is set.")
    return NotificationsAPIClient(  # type: ignore[no-untyped-call]  # the library has no hints
        settings.TAC_NOTIFY_API_KEY,
        base_url=settings.TAC_NOTIFY_BASE_URL,
        timeout=settings.TAC_NOTIFY_TIMEOUT,
    )


# --- Sending -----------------------------------------------------------------------


def send_email(to_address: str, *, subject: str, body: str, reference: str) -> str:
    """Hand one email to Notify; returns Notify's ID for it. Raises Notify's ``APIError``."""
    response = _client().send_email_notification(  # type: ignore[no-untyped-call]
        email_address=to_address,
        template_id=template_id("email"),
        personalisation={"subject": subject, "body": body},
        reference=reference,
    )
    return str(response.get("id", ""))[:40]


def send_text(
    phone_number: str, *, template: str, personalisation: Mapping[str, Any], reference: str
) -> str:
    """Hand one text message to Notify; returns Notify's ID for it.

    Raises ``UnsafeTextMessage`` (nothing is sent) when the template is not a text
    template or the placeholders are not exactly a ``TextMessage``'s, and Notify's
    ``APIError`` when Notify refuses or cannot be reached.
    """
    if template not in TEXT_TEMPLATES:
        raise UnsafeTextMessage("Not a text message template.")
    message = TextMessage.from_personalisation(personalisation)
    response = _client().send_sms_notification(  # type: ignore[no-untyped-call]
        phone_number=phone_number,
        template_id=template_id(template),
        personalisation=message.personalisation(),
        reference=reference,
    )
    return str(response.get("id", ""))[:40]


def http_status(exc: APIError) -> int | None:
    """The HTTP status Notify answered with; None when it was not reached at all."""
    if exc.response is None:
        return None
    return int(exc.status_code)


__all__ = [
    "ALLOWED_TEXT_FIELDS",
    "ERROR_PREFIX",
    "TEXT_TEMPLATES",
    "APIError",
    "NotifyNotConfigured",
    "TextMessage",
    "UnsafeTextMessage",
    "emails_by_notify",
    "http_status",
    "notify_date",
    "notify_time",
    "send_email",
    "send_text",
    "template_id",
    "texts_enabled",
]
