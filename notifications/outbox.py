"""The one email outbox: how every email the portal sends gets out (ARCHITECTURE §7).

1. ``queue_email`` writes an ``EmailOutbox`` row in the caller's transaction and
   wakes the sender once that transaction commits. ``notify()`` (services.py)
   uses it for professionals; callers use it directly for people without an
   account. The dispatcher builds the same rows in bulk with ``outbox_row``.
2. ``send_pending_emails`` (the ``send_emails`` task, on the ``email`` queue with a
   worker of its own, so a slow mail server never holds up reminders) leases due
   rows with ``FOR UPDATE SKIP LOCKED`` and sends each under its stored Message-ID:

   - accepted: sent;
   - refused outright (an SMTP 5xx reply to the sender, a recipient or the
     message): dead at once with the reply code, shown to administrators on the
     dead-letter page and to the sender where it matters (a meeting's page);
   - anything else (a 4xx reply, a timeout, a refused or dropped connection):
     retried with exponential backoff, dead after ``TAC_EMAIL_MAX_ATTEMPTS``.

   When the mail server cannot be reached at all, the rest of the batch is put
   back untried and the run ends, so a hung server costs one ``EMAIL_TIMEOUT``
   a run rather than one an email.
3. ``retry_undelivered_emails`` gives dead emails a fresh start (administrators).

The sender hands an email to the mail server (``TAC_EMAIL_CHANNEL = "smtp"``, the
default) or to GOV.UK Notify (``"notify"``; ``notifications/govuk_notify.py``). Text
messages to family members who agreed to them (``queue_text``) wait in the same table,
possibly for a later time, and always go through Notify. Notify's answers follow the
same rules: a 4xx refusal (other than 429) is dead at once; a 429, a 5xx or no answer
is retried with the same backoff, and the rest of the run waits.

A worker killed mid-send leaves a lease that runs out; the email then goes once
more under the same Message-ID, so a crash can cause one duplicate, never a loss.
This module imports nothing from the apps that use it: they call in.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from email import encoders
from email.mime.base import MIMEBase
from typing import TYPE_CHECKING, TypedDict

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from notifications import govuk_notify
from notifications.govuk_notify import TextMessage
from notifications.models import EmailOutbox, Notification

if TYPE_CHECKING:
    from agencies.models import User

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 60
RETRY_CAP_SECONDS = 6 * 60 * 60
#: A sender run leases nothing more after this long, well inside the task's soft time
#: limit, and puts back what it leased but has not tried.
SEND_RUN_SECONDS = 120.0

#: What an email is about, as (type, id): ``("meetings.invitation", 42)``. The apps
#: that write emails name their own types; this module only stores and filters them.
About = tuple[str, int]


@dataclass(frozen=True)
class Email:
    """What one email says. Never a child's or family's name, never case details: a
    title, a meeting's time and place at most, and a link into the portal."""

    subject: str
    text: str
    html: str = ""
    calendar: str = ""  # an iCalendar file, sent as a text/calendar part
    calendar_method: str = ""  # its METHOD: REQUEST or CANCEL


# --- Queueing ----------------------------------------------------------------


def make_message_id(kind: str, key: object) -> str:
    """A Message-ID such as ``<reminder-42@tac-portal>``: stored with the row, so every
    attempt sends the same one and a resend is recognisable as such."""
    domain = settings.TAC_EMAIL_MESSAGE_ID_DOMAIN
    return f"<{kind}-{key}@{domain}>"


def outbox_row(
    to_address: str,
    email: Email,
    *,
    now: dt.datetime,
    recipient_id: int | None = None,
    notification: Notification | None = None,
    about: About | None = None,
    message_id: str = "",
) -> EmailOutbox:
    """An unsaved outbox row, due at ``now``: for ``queue_email`` and bulk writers."""
    return EmailOutbox(
        recipient_id=recipient_id,
        notification=notification,
        to_address=to_address,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        calendar=email.calendar,
        calendar_method=email.calendar_method,
        about_type=about[0] if about else "",
        about_id=about[1] if about else None,
        message_id=message_id or make_message_id("email", uuid.uuid4().hex),
        next_attempt_at=now,
        created_at=now,
    )


def queue_email(
    to_address: str,
    email: Email,
    *,
    recipient: User | None = None,
    notification: Notification | None = None,
    about: About | None = None,
    message_id: str = "",
    wake: bool = True,
) -> EmailOutbox | None:
    """Put one email in the outbox, in the caller's transaction; returns its row.

    Nothing is queued without an address (None). The sender is woken after commit
    (``wake=False``: the caller wakes it once for many); if that wake-up is lost,
    the sender's own minute sends the email.
    """
    if not to_address:
        return None
    row = outbox_row(
        to_address,
        email,
        now=timezone.now(),
        recipient_id=recipient.pk if recipient is not None else None,
        notification=notification,
        about=about,
        message_id=message_id,
    )
    row.save(force_insert=True)
    if wake:
        wake_sender_on_commit()
    return row


def _wake_sender() -> None:
    # Imported here to break a real cycle: the sending task calls this module.
    from notifications.tasks import send_emails

    try:
        send_emails.delay()
    except Exception:  # the broker is away: the sender's own minute sends them
        logger.warning("email sender not woken")


def wake_sender_on_commit() -> None:
    """Run the sender once the current transaction commits, once however many emails
    it queued (Django's pending callbacks for this transaction are checked first)."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _wake_sender for _, callback, _ in pending):
        transaction.on_commit(_wake_sender)


#: What a text message's row says on the pages that list messages (never its content).
TEXT_SUBJECTS = {"meeting_reminder_text": "Text message: a meeting reminder"}


def queue_text(
    phone_number: str,
    message: TextMessage,
    *,
    template: str,
    about: About | None = None,
    send_at: dt.datetime | None = None,
    message_id: str = "",
) -> EmailOutbox | None:
    """Put one text message to a family member in the outbox, in the caller's transaction.

    ``message`` is all it says (``govuk_notify.TextMessage``). It goes at ``send_at``
    (at once if that has passed). Nothing is queued, and None returned, without a number
    or when text messages are not set up (``govuk_notify.texts_enabled``). The caller
    checks that the person agreed to texts.
    """
    if template not in govuk_notify.TEXT_TEMPLATES:
        raise govuk_notify.UnsafeTextMessage("Not a text message template.")
    if not phone_number or not govuk_notify.texts_enabled(template):
        return None
    now = timezone.now()
    due = max(send_at or now, now)
    row = EmailOutbox(
        kind=EmailOutbox.Kind.TEXT,
        phone_number=phone_number,
        template=template,
        personalisation=message.personalisation(),
        subject=TEXT_SUBJECTS.get(template, "Text message"),
        body_text="",
        about_type=about[0] if about else "",
        about_id=about[1] if about else None,
        message_id=message_id or make_message_id("text", uuid.uuid4().hex),
        next_attempt_at=due,
        created_at=now,
    )
    row.save(force_insert=True)
    if due <= now:
        wake_sender_on_commit()
    return row


def withdraw_unsent(about_type: str, about_ids: Iterable[int], *, kind: str) -> int:
    """Withdraw the messages of ``kind`` about these that are still waiting (a meeting
    moved or cancelled); returns how many. One already being sent goes."""
    return (
        EmailOutbox.objects.about(about_type, about_ids)
        .filter(kind=kind, status=EmailOutbox.Status.PENDING)
        .update(status=EmailOutbox.Status.CANCELLED, lease_until=None)
    )


def latest_about(about_type: str, about_ids: Iterable[int], *, kind: str) -> dict[int, EmailOutbox]:
    """The newest message of ``kind`` about each of these that was not withdrawn: what
    the portal shows as "sent", "waiting" or "could not be sent"."""
    rows = (
        EmailOutbox.objects.about(about_type, about_ids)
        .filter(kind=kind)
        .exclude(status=EmailOutbox.Status.CANCELLED)
        .order_by("about_id", "-created_at", "-id")
        .distinct("about_id")
    )
    return {row.about_id: row for row in rows if row.about_id is not None}


# --- Sending -----------------------------------------------------------------


def _max_attempts() -> int:
    return settings.TAC_EMAIL_MAX_ATTEMPTS


def _lease_seconds() -> float:
    return settings.TAC_EMAIL_LEASE_SECONDS


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff after ``attempts`` failed attempts: 1, 2, 4 … minutes, at most 6 h."""
    seconds = RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, RETRY_CAP_SECONDS))


# A sending row's lease runs out at next_attempt_at, so one predicate (and one
# partial index) finds both new rows and rows whose worker died.
_LEASE_SQL = """
WITH picked AS (
    SELECT id FROM notifications_emailoutbox
    WHERE status IN ('pending', 'sending') AND next_attempt_at <= %(now)s
    ORDER BY next_attempt_at, id
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE notifications_emailoutbox AS o
SET status = 'sending', lease_until = %(lease)s, next_attempt_at = %(lease)s,
    attempts = o.attempts + 1
FROM picked WHERE o.id = picked.id
RETURNING o.id
"""


def _lease_batch(limit: int) -> list[int]:
    now = timezone.now()
    lease = now + dt.timedelta(seconds=_lease_seconds())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_LEASE_SQL, {"now": now, "limit": limit, "lease": lease})
        return [row[0] for row in cursor.fetchall()]


def _put_back(ids: list[int]) -> None:
    """Release leased rows this run did not try; their lease was not an attempt."""
    if ids:
        EmailOutbox.objects.filter(pk__in=ids, status=EmailOutbox.Status.SENDING).update(
            status=EmailOutbox.Status.PENDING,
            lease_until=None,
            next_attempt_at=timezone.now(),
            attempts=F("attempts") - 1,
        )


class Attempt(enum.Enum):
    """What happened when the sender tried one email."""

    SENT = "sent"
    REFUSED = "refused"  # a 5xx reply: dead at once
    FAILED = "failed"  # retried later (or dead after the last attempt)
    UNREACHABLE = "unreachable"  # as FAILED, and the run stops: the server is down or hung


def _reply_code(exc: Exception) -> int | None:
    """The SMTP reply to this message: to its sender, its recipient or its content."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # One recipient per email; if a server answered several, the mildest counts.
        codes = [code for code, _ in exc.recipients.values()]
        return min(codes) if codes else None
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code
    return None


def _classify_notify(exc: govuk_notify.APIError) -> tuple[Attempt, str]:
    status = govuk_notify.http_status(exc)
    if status is None:  # no answer: a refused connection, a timeout
        return Attempt.UNREACHABLE, f"{govuk_notify.ERROR_PREFIX} unreachable"
    error = f"{govuk_notify.ERROR_PREFIX} {type(exc).__name__} {status}"
    if status == 429 or status >= 500:
        return Attempt.UNREACHABLE, error
    if 400 <= status <= 499:
        return Attempt.REFUSED, error
    return Attempt.FAILED, error


def classify_failure(exc: Exception) -> tuple[Attempt, str]:
    """What a send failure means, and the error as stored: the exception class and the
    SMTP reply code (or Notify's HTTP status), never the server's text (it can quote
    the address).

    A 5xx reply about this message is permanent. Errors before any message is
    considered (no connection, a timeout, a dropped connection, a greeting,
    HELO or login refused) are about the server, not the message: retried,
    and the rest of the run waits. Anything else is retried.

    From GOV.UK Notify: a 4xx answer (bad request, bad key, a number or address it will
    not send to) is permanent, except 429 (too many requests); a 429, a 5xx or no answer
    is retried and the rest of the run waits. A text message that would say more than
    it may (``UnsafeTextMessage``) is never sent.
    """
    if isinstance(exc, govuk_notify.UnsafeTextMessage):
        return Attempt.REFUSED, "UnsafeTextMessage"
    if isinstance(exc, govuk_notify.APIError):
        return _classify_notify(exc)
    code = _reply_code(exc)
    error = (f"{type(exc).__name__} {code}" if code is not None else type(exc).__name__)[:200]
    if code is not None and 500 <= code <= 599:
        return Attempt.REFUSED, error
    # smtplib's exceptions are OSErrors too; those about the message have a code.
    if code is None and isinstance(exc, OSError):
        return Attempt.UNREACHABLE, error
    return Attempt.FAILED, error


def _message(row: EmailOutbox) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_address],
        headers={"Message-ID": row.message_id},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    if row.calendar:
        part = MIMEBase("text", "calendar", method=row.calendar_method, charset="UTF-8")
        part.set_payload(row.calendar.encode())
        encoders.encode_base64(part)
        part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
        message.attach(part)
    return message


def _deliver(row: EmailOutbox) -> str:
    """Hand one row over: a text to Notify; an email to Notify or to the mail server, as
    ``TAC_EMAIL_CHANNEL`` says. Returns Notify's ID for it ("" for SMTP)."""
    if row.is_text:
        return govuk_notify.send_text(
            row.phone_number,
            template=row.template,
            personalisation=row.personalisation,
            reference=row.message_id,
        )
    if govuk_notify.emails_by_notify():
        return govuk_notify.send_email(
            row.to_address, subject=row.subject, body=row.body_text, reference=row.message_id
        )
    _message(row).send()
    return ""


def _send_one(row: EmailOutbox) -> Attempt:
    leased = EmailOutbox.objects.filter(pk=row.pk, status=EmailOutbox.Status.SENDING)
    dead = {"status": EmailOutbox.Status.DEAD, "lease_until": None}
    if row.attempts > _max_attempts():
        # The previous holders of the lease died mid-send every time.
        leased.update(**dead)
        logger.error("email dead", extra={"outbox": row.pk, "attempts": row.attempts - 1})
        return Attempt.FAILED
    try:
        provider_id = _deliver(row)
    except SoftTimeLimitExceeded:
        raise  # the task has overrun: stop; the leases run out and the rows are retried
    except Exception as exc:  # sorted by classify_failure; nothing else escapes a run
        attempt, error = classify_failure(exc)
        fields = {"outbox": row.pk, "error": error, "attempts": row.attempts}
        if attempt is Attempt.REFUSED or row.attempts >= _max_attempts():
            leased.update(**dead, last_error=error)
            logger.error("email dead", extra=fields)
        else:
            leased.update(
                status=EmailOutbox.Status.PENDING,
                lease_until=None,
                next_attempt_at=timezone.now() + retry_delay(row.attempts),
                last_error=error,
            )
            logger.warning("email failed", extra=fields)
        return attempt
    leased.update(
        status=EmailOutbox.Status.SENT,
        sent_at=timezone.now(),
        lease_until=None,
        provider_id=provider_id,
    )
    return Attempt.SENT


def send_pending_emails(
    *, batch_size: int = 50, max_batches: int = 100, max_seconds: float = SEND_RUN_SECONDS
) -> int:
    """Send outbox emails that are due, including ones whose lease ran out; returns how many.

    A crash after the mail server accepted a message but before the row was
    marked sent sends it once more, with the same Message-ID; nothing is lost.
    The run ends early, putting back what it leased but did not try, when the
    mail server cannot be reached or after ``max_seconds``.
    """
    started = time.monotonic()
    sent = 0
    for _ in range(max_batches):
        ids = _lease_batch(batch_size)
        rows = list(EmailOutbox.objects.filter(pk__in=ids).order_by("id"))
        for index, row in enumerate(rows):
            attempt = _send_one(row)
            sent += attempt is Attempt.SENT
            if attempt is Attempt.UNREACHABLE or time.monotonic() - started > max_seconds:
                untried = [r.pk for r in rows[index + 1 :]]
                _put_back(untried)
                if attempt is Attempt.UNREACHABLE:
                    logger.warning(
                        "mail server unreachable", extra={"emails_put_back": len(untried)}
                    )
                return sent
        if len(ids) < batch_size:
            break
    return sent


# --- Undelivered (dead letters) ------------------------------------------------


@transaction.atomic
def retry_undelivered_emails(*, by: User, ids: Iterable[int] | None = None) -> int:
    """Give undelivered (dead) emails a fresh set of attempts: all of them, or ``ids``.

    Returns how many. Only a system administrator may: they fix the cause (the mail
    server, the address) first. Raises ``PermissionDenied`` for anyone else.
    """
    if not by.is_active or not by.is_system_administrator:
        raise PermissionDenied("Only a system administrator can retry undelivered emails.")
    rows = EmailOutbox.objects.undelivered()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    count = rows.update(
        status=EmailOutbox.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_until=None,
    )
    if count:
        wake_sender_on_commit()
    logger.info("undelivered emails retried", extra={"emails": count, "user_id": by.pk})
    return count


def undelivered_about(about_type: str, about_ids: Iterable[int]) -> set[int]:
    """Which of ``about_ids`` have an email that could not be delivered."""
    found = EmailOutbox.objects.undelivered().about(about_type, about_ids)
    return {about_id for about_id in found.values_list("about_id", flat=True) if about_id}


# --- Depth and health ----------------------------------------------------------


class OutboxDepth(TypedDict):
    emails_waiting: int
    oldest_due_email_seconds: float
    dead_emails: int


def outbox_depth() -> OutboxDepth:
    """The sender's queue, for the workers' logs and /healthz: how many emails wait to
    go, how long the most overdue has been due, and how many are undelivered (dead)."""
    now = timezone.now()
    unsent = EmailOutbox.objects.unsent().aggregate(
        waiting=Count("id"), due_since=Min("next_attempt_at")
    )
    due_since = unsent["due_since"]
    overdue = (now - due_since).total_seconds() if due_since and due_since < now else 0.0
    return {
        "emails_waiting": unsent["waiting"],
        "oldest_due_email_seconds": round(overdue, 1),
        "dead_emails": EmailOutbox.objects.undelivered().count(),
    }


def email_health(*, lag_alert_seconds: float = 600) -> dict[str, object]:
    """For /healthz: ``ok`` is false when an email has been due for longer than
    ``lag_alert_seconds`` (the email worker is not running) or one is undelivered."""
    depth = outbox_depth()
    late = depth["oldest_due_email_seconds"] > lag_alert_seconds
    return {"ok": not late and depth["dead_emails"] == 0, **depth}
