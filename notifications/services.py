"""Reminders, notifications and email: every write goes through these functions.

The reminder ledger (ARCHITECTURE §7):

1. ``schedule_reminders`` makes the pending rows of one subject match its
   current due date and people, in the caller's transaction.
2. ``dispatch_due_reminders`` (every minute) claims due rows with
   ``FOR UPDATE SKIP LOCKED`` and, in the same transaction, writes exactly one
   ``Notification`` per reminder and an ``EmailOutbox`` row.
3. The outbox (``notifications/outbox.py``) sends the emails with a lease and
   a stable Message-ID.

Telling one professional something outside the ledger (a new lead, a meeting
invitation) is ``notify()``: the in-app notification and its email together.

Nothing depends on a Celery message surviving: a missed tick is caught up by
the next one, and a worker killed mid-send leaves a lease that runs out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypedDict

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Count, Min, Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from agencies.models import User
from notifications.models import (
    EmailOutbox,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderRule,
    local_zone,
)
from notifications.outbox import (
    About,
    Email,
    make_message_id,
    outbox_row,
    queue_email,
    wake_sender_on_commit,
)
from notifications.working_days import add_working_days
from tac_portal.concurrency import ensure_seen

logger = logging.getLogger(__name__)


# --- Subject kinds -----------------------------------------------------------


@dataclass(frozen=True)
class SubjectKind:
    """How the dispatcher treats reminders about one kind of subject.

    ``still_due`` is checked when a reminder fires, so that a reminder whose
    date moved or whose case closed without a reschedule is cancelled rather
    than sent. ``link`` is the portal path the notification opens. The app that owns
    the subject defines its kind at module level; ``settings.TAC_REMINDER_SUBJECTS``
    names it for its subject type, so this module never imports the apps above it.
    """

    link: Callable[[Reminder], str]
    still_due: Callable[[Reminder], bool]


#: For a subject type no app names: the reminder still goes out (nothing is lost), and
#: opens the home page.
UNKNOWN_SUBJECT = SubjectKind(link=lambda r: "/", still_due=lambda r: True)


def subject_kind(subject_type: str) -> SubjectKind:
    """The ``SubjectKind`` that ``settings.TAC_REMINDER_SUBJECTS`` names for the type.

    A type with no entry is sent as it is, linking to the home page, and logged as an
    error; an entry that is not a ``SubjectKind`` is a configuration error.
    """
    path = settings.TAC_REMINDER_SUBJECTS.get(subject_type)
    if path is None:
        logger.error("reminder subject type has no kind", extra={"subject_type": subject_type})
        return UNKNOWN_SUBJECT
    kind = import_string(path)
    if not isinstance(kind, SubjectKind):
        raise ImproperlyConfigured(f"{path} is not a SubjectKind")
    return kind


# --- Scheduling --------------------------------------------------------------


def fire_at_for(rule: ReminderRule, due_on: dt.date) -> dt.datetime:
    """When ``rule`` fires for a subject due on ``due_on`` (local time, working days)."""
    day = add_working_days(due_on, rule.offset_working_days)
    return dt.datetime.combine(day, rule.send_time, tzinfo=local_zone())


_UPSERT_SQL = """
INSERT INTO notifications_reminder
    (subject_type, subject_id, case_id, rule_id, recipient_id, due_on, fire_at, status,
     created_at)
VALUES {values}
ON CONFLICT ON CONSTRAINT reminder_unique_key DO UPDATE
    SET status = 'pending', fire_at = EXCLUDED.fire_at, cancelled_at = NULL
    WHERE notifications_reminder.status <> 'sent'
"""


@transaction.atomic
def schedule_reminders(
    subject_type: str,
    subject_id: int,
    *,
    case: Model | None,
    due_on: dt.date | None,
    audiences: Mapping[str, Iterable[User]],
) -> int:
    """Make the ledger for one subject match its due date and people; returns rows written.

    Pending rows whose key (rule, recipient, due date) is no longer wanted are
    cancelled. Wanted keys that fire today or later are inserted, or brought
    back if they were cancelled; a key already sent is never sent again. Keys
    whose day has passed are left as they are, so a reschedule during a
    dispatcher outage loses nothing and a new date does not send stale notices.
    ``due_on=None`` (no date, subject completed) cancels everything pending.
    The caller serialises calls per subject (``schedule_review_reminders``
    locks the case row).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    wanted: dict[tuple[int, int], dt.datetime] = {}
    if due_on is not None:
        for rule in ReminderRule.objects.filter(subject_type=subject_type, is_active=True):
            for user in audiences.get(rule.audience, ()):
                if user.is_active:
                    wanted[(rule.pk, user.pk)] = fire_at_for(rule, due_on)

    pending = Reminder.objects.pending().for_subject(subject_type, subject_id)
    stale = [
        pk
        for pk, rule_id, recipient_id, row_due_on in pending.values_list(
            "pk", "rule_id", "recipient_id", "due_on"
        )
        if row_due_on != due_on or (rule_id, recipient_id) not in wanted
    ]
    if stale:
        Reminder.objects.filter(pk__in=stale, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED, cancelled_at=now
        )

    # A date set in the past must not leave the person unaware: of each person's reminders
    # whose day has passed, the latest one on or after the due date goes out now, saying
    # how late it is (unless one of theirs falls today anyway). Earlier ones are not sent.
    offsets = dict(
        ReminderRule.objects.filter(pk__in={r for r, _ in wanted}).values_list(
            "pk", "offset_working_days"
        )
    )
    caught_up: dict[int, tuple[dt.datetime, int]] = {}
    for (rule_id, user_id), at in wanted.items():
        passed = timezone.localdate(at) < today and offsets[rule_id] >= 0
        if passed and (user_id not in caught_up or at > caught_up[user_id][0]):
            caught_up[user_id] = (at, rule_id)
    told_today = {u for (_, u), at in wanted.items() if timezone.localdate(at) == today}
    catch_up_keys = {
        (rule_id, user_id)
        for user_id, (_, rule_id) in caught_up.items()
        if user_id not in told_today
    }
    rows = [
        (
            subject_type,
            subject_id,
            case.pk if case else None,
            rule_id,
            user_id,
            due_on,
            now if (rule_id, user_id) in catch_up_keys else at,
            now,
        )
        for (rule_id, user_id), at in wanted.items()
        if timezone.localdate(at) >= today or (rule_id, user_id) in catch_up_keys
    ]
    if not rows:
        return 0
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, 'pending', %s)"] * len(rows))
    with connection.cursor() as cursor:
        # Only the "%s" placeholders are formatted in; every value is a parameter.
        query = _UPSERT_SQL.format(values=values)
        cursor.execute(query, [v for row in rows for v in row])
        return int(cursor.rowcount)


def cancel_reminders_for(
    case: Model, *, subject_type: str | None = None, subject_id: int | None = None
) -> int:
    """Cancel pending reminders of ``case`` (a ``cases.Case``: all, or one subject's);
    returns how many."""
    pending = Reminder.objects.pending().filter(case_id=case.pk)
    if subject_type is not None:
        pending = pending.filter(subject_type=subject_type)
    if subject_id is not None:
        pending = pending.filter(subject_id=subject_id)
    return pending.update(status=Reminder.Status.CANCELLED, cancelled_at=timezone.now())


# --- Dispatch ----------------------------------------------------------------


def reminder_message_id(reminder_id: int) -> str:
    """The Message-ID of a reminder's email: the same on every attempt."""
    return make_message_id("reminder", reminder_id)


def _portal_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def notice_email(notification: Notification) -> Email:
    """The standard email for a notification: its title and a link that opens (and marks
    read) the notification, never what it is about."""
    context = {
        "title": notification.title,
        "case_label": notification.case_label,
        "url": _portal_url(reverse("notifications:open", args=[notification.pk])),
        "service_name": settings.TAC_SERVICE_NAME,
        "authority_name": settings.TAC_AUTHORITY_NAME,
    }
    return Email(
        subject=f"{settings.TAC_SERVICE_NAME}: {notification.title}"
        + (f", case {notification.case_label}" if notification.case_label else ""),
        text=render_to_string("notifications/email/reminder.txt", context),
        html=render_to_string("notifications/email/reminder.html", context),
    )


def _late_days(reminder: Reminder, now: dt.datetime) -> int:
    """Working days between the reminder's own day and the day it goes out (0 if on time)."""
    own_day = add_working_days(reminder.due_on, reminder.rule.offset_working_days)
    today = timezone.localdate(now)
    days = 0
    while own_day < today and days < 400:
        own_day = add_working_days(own_day, 1)
        days += 1
    return days


def _dispatch_batch(*, batch_size: int) -> tuple[int, int]:
    """One transaction: claim up to ``batch_size`` due reminders; returns (claimed, notified)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = list(
            Reminder.objects.due(now)
            .select_related("rule", "recipient", "case")
            .prefetch_related("case__children")  # the initials each notification names
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("fire_at", "id")[:batch_size]
        )
        if not claimed:
            return 0, 0
        live = [
            r
            for r in claimed
            if r.rule.is_active
            and r.recipient.is_active
            and subject_kind(r.subject_type).still_due(r)
        ]
        live_ids = {r.pk for r in live}
        withdrawn = [r.pk for r in claimed if r.pk not in live_ids]
        if withdrawn:
            Reminder.objects.filter(pk__in=withdrawn).update(
                status=Reminder.Status.CANCELLED, cancelled_at=now
            )
        if live:
            digest_users = set(
                NotificationPreference.objects.filter(
                    user_id__in={r.recipient_id for r in live},
                    email_frequency=NotificationPreference.EmailFrequency.DAILY_DIGEST,
                ).values_list("user_id", flat=True)
            )
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient_id=r.recipient_id,
                        reminder=r,
                        title=r.rule.render_title(late_days=_late_days(r, now)),
                        case=r.case,
                        case_label=r.case.notification_label if r.case is not None else "",
                        link=subject_kind(r.subject_type).link(r),
                        created_at=now,
                        awaiting_digest=r.recipient_id in digest_users,
                    )
                    for r in live
                ],
                ignore_conflicts=True,  # unique on reminder: exactly once
            )
            immediate = (
                Notification.objects.filter(reminder_id__in=live_ids, awaiting_digest=False)
                .select_related("recipient")
                .exclude(recipient__email="")
            )
            outbox = [
                outbox_row(
                    notification.recipient.email,
                    notice_email(notification),
                    now=now,
                    recipient_id=notification.recipient_id,
                    notification=notification,
                    message_id=reminder_message_id(reminder_id),
                )
                for notification in immediate
                if (reminder_id := notification.reminder_id) is not None
            ]
            EmailOutbox.objects.bulk_create(outbox, ignore_conflicts=True)
            Reminder.objects.filter(pk__in=live_ids).update(
                status=Reminder.Status.SENT, sent_at=now
            )
        return len(claimed), len(live)


def dispatch_due_reminders(*, batch_size: int = 500, max_batches: int = 1000) -> int:
    """Turn every due reminder into a notification (and an outbox email); returns how many.

    Batches commit one by one, so a crash loses at most the batch in flight,
    and that batch's rows are still pending for the next run. Several
    dispatchers can run at once: each skips rows another has locked.
    """
    notified = 0
    for _ in range(max_batches):
        claimed, batch_notified = _dispatch_batch(batch_size=batch_size)
        notified += batch_notified
        if claimed < batch_size:
            break
    if notified:
        logger.info("reminders dispatched", extra={"notifications": notified})
    return notified


# --- Daily digest ------------------------------------------------------------


def _write_digest(user_id: int) -> bool:
    with transaction.atomic():
        items = list(
            Notification.objects.filter(recipient_id=user_id, awaiting_digest=True)
            .select_for_update(skip_locked=True)
            .order_by("created_at", "id")
        )
        if not items:
            return False
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(awaiting_digest=False)
        unread = [n for n in items if n.read_at is None]
        user = User.objects.get(pk=user_id)
        if not unread or not user.is_active or not user.email:
            return False
        context = {
            "count": len(unread),
            "titles": [
                f"{n.title}, case {n.case_label}" if n.case_label else n.title for n in unread
            ],
            "url": _portal_url(reverse("notifications:list")),
            "service_name": settings.TAC_SERVICE_NAME,
            "authority_name": settings.TAC_AUTHORITY_NAME,
        }
        noun = "notification" if len(unread) == 1 else "notifications"
        queue_email(
            user.email,
            Email(
                subject=f"{settings.TAC_SERVICE_NAME}: {len(unread)} new {noun}",
                text=render_to_string("notifications/email/digest.txt", context),
                html=render_to_string("notifications/email/digest.html", context),
            ),
            recipient=user,
            message_id=make_message_id("digest", f"{user_id}-{items[0].pk}"),
            wake=False,  # send_daily_digests wakes the sender once for them all
        )
        return True


def send_daily_digests(*, now: dt.datetime | None = None) -> int:
    """Write a digest email for each user whose digest hour it is; returns how many.

    Also flushes notifications left waiting by someone who has since switched
    to immediate email. The emails go out through the outbox.
    """
    now = now or timezone.now()
    hour = timezone.localtime(now, local_zone()).hour
    waiting = set(
        Notification.objects.filter(awaiting_digest=True).values_list("recipient_id", flat=True)
    )
    digest_now = set(
        NotificationPreference.objects.filter(
            user_id__in=waiting,
            email_frequency=NotificationPreference.EmailFrequency.DAILY_DIGEST,
            digest_hour=hour,
        ).values_list("user_id", flat=True)
    )
    still_digest = set(
        NotificationPreference.objects.filter(
            user_id__in=waiting,
            email_frequency=NotificationPreference.EmailFrequency.DAILY_DIGEST,
        ).values_list("user_id", flat=True)
    )
    due = digest_now | (waiting - still_digest)
    written = sum(_write_digest(user_id) for user_id in sorted(due))
    if written:
        wake_sender_on_commit()
    return written


# --- Telling a professional --------------------------------------------------


def _takes_digest(user: User) -> bool:
    return NotificationPreference.objects.filter(
        user=user, email_frequency=NotificationPreference.EmailFrequency.DAILY_DIGEST
    ).exists()


class NamedCase(Protocol):
    """A case as notifications see it: they name it, and know no more of it."""

    @property
    def pk(self) -> int: ...

    @property
    def notification_label(self) -> str: ...


def notify(
    user: User,
    *,
    title: str,
    link: str,
    email: Email | bool = True,
    about: About | None = None,
    case: NamedCase | None = None,
) -> Notification:
    """Tell a professional something: an in-app notification and, as they prefer, an email.

    Both rows are written in the caller's transaction; the email goes out from the
    outbox after commit. ``title`` is emailed, so it never names a child or gives
    case details, and nor does a custom ``email``. ``link`` is a portal path.

    - ``email=True``: the standard email (the title and a link that opens the
      notification), or a line in the daily digest for someone who takes one;
    - ``email=Email(...)``: that email instead, e.g. a meeting invitation. One
      carrying a calendar entry goes at once even to a digest reader: a digest
      cannot carry it and the meeting will not wait;
    - ``email=False``: the notification alone.

    No email goes to an inactive account or one without an address. ``about``
    says what the email concerns (see ``outbox.About``). ``case`` is the case it is
    about: the notification and its email name it by reference and the children's
    initials, and the notification centre groups by it. People without an
    account are emailed with ``outbox.queue_email``, with no notification.
    """
    emails = email is not False
    calendar = isinstance(email, Email) and bool(email.calendar)
    digest = emails and not calendar and _takes_digest(user)
    notification = Notification.objects.create(
        recipient=user,
        title=title,
        link=link,
        created_at=timezone.now(),
        awaiting_digest=digest,
        case_id=case.pk if case is not None else None,
        case_label=case.notification_label if case is not None else "",
    )
    if emails and not digest and user.is_active and user.email:
        queue_email(
            user.email,
            email if isinstance(email, Email) else notice_email(notification),
            recipient=user,
            notification=notification,
            about=about,
            message_id=make_message_id("notification", notification.pk),
        )
    return notification


# --- In the portal -----------------------------------------------------------


def mark_notification_read(notification: Notification, *, by: User) -> Notification:
    """Mark one of ``by``'s own notifications read (the view fetched it scoped to them)."""
    if notification.recipient_id != by.pk:
        raise PermissionError("A notification can only be marked read by its recipient.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_notification_unread(notification: Notification, *, by: User) -> Notification:
    """Mark one of ``by``'s own notifications unread again, to come back to it."""
    if notification.recipient_id != by.pk:
        raise PermissionError("A notification can only be marked unread by its recipient.")
    if notification.read_at is not None:
        notification.read_at = None
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_notifications_read(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_seen(preference: NotificationPreference | None) -> str:
    """What a preferences page says it showed: when the choice was last saved ("" never)."""
    return preference.updated_at.isoformat() if preference else ""


@transaction.atomic
def set_notification_preference(
    user: User, *, email_frequency: str, digest_hour: int, seen: str | None = None
) -> NotificationPreference:
    """Choose immediate emails or a daily digest (in-app notifications are always on).

    ``seen`` is ``preference_seen`` of the choice the page showed: a choice saved since,
    from another tab, is not silently overwritten (None: no person's page).
    """
    if email_frequency not in NotificationPreference.EmailFrequency.values:
        raise ValueError(f"Unknown email frequency {email_frequency!r}")
    if not 0 <= digest_hour <= 23:
        raise ValueError("The digest hour is between 0 and 23.")
    current = NotificationPreference.objects.select_for_update().filter(user=user).first()
    ensure_seen(
        current,
        seen,
        preference_seen(current),
        message="Your email preferences were changed since you opened this page, perhaps "
        "in another tab. Nothing has been saved: check them, then save again.",
    )
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_frequency": email_frequency, "digest_hour": digest_hour}
    )
    return preference


# --- Health ------------------------------------------------------------------


class ReminderDepth(TypedDict):
    reminders_due: int
    oldest_due_reminder_seconds: float


def reminder_depth() -> ReminderDepth:
    """The dispatcher's queue, for the worker's log and /healthz: how many reminders
    are due and how long the oldest of them has waited."""
    now = timezone.now()
    due = Reminder.objects.due(now).aggregate(count=Count("id"), oldest=Min("fire_at"))
    waited = (now - due["oldest"]).total_seconds() if due["oldest"] is not None else 0.0
    return {"reminders_due": due["count"], "oldest_due_reminder_seconds": round(waited, 1)}


def reminder_health(*, lag_alert_seconds: float = 600) -> dict[str, object]:
    """For /healthz: ``ok`` is false when a due reminder has waited longer than
    ``lag_alert_seconds`` (the dispatcher is not running). Emails have their own
    check (``outbox.email_health``)."""
    depth = reminder_depth()
    return {"ok": depth["oldest_due_reminder_seconds"] <= lag_alert_seconds, **depth}
