"""Reminders, in-app notifications and the email outbox (ARCHITECTURE §7).

The database is the ledger: a ``Reminder`` row is written in the same
transaction as the date it is about, a ``Notification`` is written exactly once
per reminder, and an ``EmailOutbox`` row carries each email until it is sent.
Celery and Redis only wake things up.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q, Value

#: What a reminder is about. New subject kinds add one value here and their rules
#: as data. The subject id is the primary key of the row named in the comment.
SUBJECT_CASE_REVIEW = "case.review"  # cases.Case: its next review date
SUBJECT_ACTION_DUE = "action.due"  # meetings.Action: its due date
SUBJECT_ASSESSMENT_DRAFT = "assessment.draft"  # assessments.Assessment: the day it started
SUBJECT_FIRST_TAC = "case.first_tac"  # cases.Case: the day its assessment was completed
SUBJECT_RESTRICTION_REVIEW = "restriction.review"  # cases.Restriction: its review date
SUBJECT_BREAK_GLASS_REVIEW = "break_glass.review"  # audit.BreakGlassGrant: the day granted
SUBJECT_CONSENT_RECHECK = "consent.recheck"  # cases.Case: its next review date
SUBJECT_CONSENT_AGE = "consent.age"  # cases.Child: their next 12th or 16th birthday


class Audience(models.TextChoices):
    """Who a rule's reminder goes to, resolved per subject when it is scheduled."""

    LEAD = "lead", "The lead professional"
    LEAD_MANAGER = "lead_manager", "The lead professional's team managers"
    COORDINATOR = "coordinator", "The early help coordinators"
    OWNER = "owner", "The owner of the action or item"
    INFORMATION_GOVERNANCE = "governance", "The information governance officers"


class ReminderRule(models.Model):
    """When a reminder fires relative to a due date, and to whom. Data, editable in admin."""

    code = models.SlugField(max_length=60, unique=True, help_text="For example review.due_soon.")
    subject_type = models.CharField(max_length=40, default=SUBJECT_CASE_REVIEW)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    offset_working_days = models.SmallIntegerField(
        help_text="Working days relative to the due date: -5 is five working days before, "
        "0 the day itself (the working day before when it falls on a weekend or bank "
        "holiday), 15 three weeks after."
    )
    send_time = models.TimeField(
        default=dt.time(8, 0), help_text="Local time on the day the reminder goes out."
    )
    title = models.CharField(
        max_length=150,
        help_text="Shown in the portal and as the email subject. Never put case details or "
        "names here. {days} is replaced by the number of working days.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["subject_type", "offset_working_days", "code"]

    def __str__(self) -> str:
        return self.code

    def render_title(self, *, late_days: int = 0) -> str:
        """The title. A reminder that goes out ``late_days`` working days after its own day
        (caught up) counts from the real day: a "due soon" or "due today" reminder for a
        subject that is overdue by then says so."""
        if self.offset_working_days <= 0:
            past_due = late_days + self.offset_working_days
            if late_days > 0 and past_due > 0:
                late = LATE_TITLES.get(self.subject_type, self.title)
                return fill_days(late, past_due)
            return fill_days(self.title, -self.offset_working_days - late_days)
        return fill_days(self.title, self.offset_working_days + late_days)


#: "1 working days", "1 days": the plural after a count of one, as an editable title
#: written for any count reads once ``{days}`` is filled in.
_ONE_PLURAL = re.compile(r"(?<!\d)1 (working )?days\b")


def fill_days(title: str, days: int) -> str:
    """``title`` with ``{days}`` replaced by ``days``, in the singular for one day."""
    filled = title.replace("{days}", str(days))
    return _ONE_PLURAL.sub(lambda m: f"1 {m.group(1) or ''}day", filled)


#: What a "due soon" or "due today" reminder says when it goes out after its day: its
#: subject is overdue by then (``{days}``: working days past the due date).
LATE_TITLES: dict[str, str] = {
    SUBJECT_CASE_REVIEW: "A case review is overdue: its date passed {days} working days ago",
    SUBJECT_ACTION_DUE: "An action is overdue: its due date passed {days} working days ago",
    SUBJECT_RESTRICTION_REVIEW: "A restriction you set is overdue for review",
    SUBJECT_CONSENT_RECHECK: "Check the family's consent and sharing preferences (overdue)",
}


class ReminderQuerySet(models.QuerySet["Reminder"]):
    def pending(self) -> ReminderQuerySet:
        return self.filter(status=Reminder.Status.PENDING)

    def due(self, now: dt.datetime) -> ReminderQuerySet:
        return self.pending().filter(fire_at__lte=now)

    def for_subject(self, subject_type: str, subject_id: int) -> ReminderQuerySet:
        return self.filter(subject_type=subject_type, subject_id=subject_id)


class Reminder(models.Model):
    """One reminder: the ledger row for (subject, rule, recipient, due date)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    rule = models.ForeignKey(ReminderRule, on_delete=models.PROTECT, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField(help_text="The date the reminder is about (the review date).")
    fire_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule", "recipient", "due_on"],
                name="reminder_unique_key",
            ),
        ]
        indexes = [
            # The per-minute tick: pending rows by fire time (dispatch and /healthz).
            models.Index(
                fields=["fire_at"], name="reminder_pending_fire_idx", condition=Q(status="pending")
            ),
            # Rescheduling and cancelling: pending rows of one subject.
            models.Index(
                fields=["subject_type", "subject_id"],
                name="reminder_pending_subject_idx",
                condition=Q(status="pending"),
            ),
            # Cancelling everything scoped to a case when it closes.
            models.Index(
                fields=["case"], name="reminder_pending_case_idx", condition=Q(status="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} for {self.subject_type}:{self.subject_id} on {self.due_on}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification. Its title never names a child or gives case details."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.OneToOneField(
        Reminder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notification",
        help_text="Exactly one notification per reminder (unique).",
    )
    title = models.CharField(max_length=200)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The case it is about, if any: the notification centre groups by case.",
    )
    case_label = models.CharField(
        max_length=120,
        blank=True,
        help_text="The case it is about, by reference and the children's initials; never a name.",
    )
    link = models.CharField(max_length=300, help_text="A path inside the portal.")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    awaiting_digest = models.BooleanField(
        default=False, help_text="Emailed in the recipient's next daily digest."
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The notification centre, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # The unread count in the page header.
            models.Index(
                fields=["recipient"],
                name="notification_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            # The hourly digest: notifications still to be emailed.
            models.Index(
                fields=["recipient"],
                name="notification_digest_idx",
                condition=Q(awaiting_digest=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailOutboxQuerySet(models.QuerySet["EmailOutbox"]):
    def unsent(self) -> EmailOutboxQuerySet:
        """Waiting to go or going (leased): the sender's queue."""
        return self.filter(status__in=[EmailOutbox.Status.PENDING, EmailOutbox.Status.SENDING])

    def undelivered(self) -> EmailOutboxQuerySet:
        """Given up on: the dead letters an administrator looks at."""
        return self.filter(status=EmailOutbox.Status.DEAD)

    def about(self, about_type: str, about_ids: Iterable[int]) -> EmailOutboxQuerySet:
        return self.filter(about_type=about_type, about_id__in=list(about_ids))


class EmailOutbox(models.Model):
    """One email or text message the portal sends: waiting, going (leased), gone, given up
    on (dead), or withdrawn before it went (cancelled).

    Every email goes through this table: reminders, notices from ``notify()``,
    daily digests, meeting invitations with their calendar part, and emails to
    people without an account; so does every text message to a family member (GOV.UK
    Notify). The row is written in the same transaction as the change it tells of, so
    a broker outage delays a message but never loses it, and it is stored as sent, so
    a retry sends the same content. A text may wait for a later time (``next_attempt_at``).
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DEAD = "dead", "Could not be delivered"
        CANCELLED = "cancelled", "Withdrawn before it was sent"

    # The new columns have database defaults too: the meetings migration that moved the
    # old meeting emails in (and out again) writes rows in SQL, without them.
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.EMAIL, db_default=Kind.EMAIL
    )

    notification = models.OneToOneField(
        Notification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="email",
        help_text="The in-app notification this email tells of; empty for a digest or for "
        "someone without an account.",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for someone without an account (a family member, an external attendee).",
    )
    to_address = models.EmailField(blank=True, help_text="An email's address.")
    phone_number = models.CharField(
        max_length=20, blank=True, db_default="", help_text="A text message's mobile number."
    )
    template = models.CharField(
        max_length=40,
        blank=True,
        db_default="",
        help_text="A text message's GOV.UK Notify template, by its name in TAC_NOTIFY_TEMPLATES.",
    )
    personalisation = models.JSONField(
        default=dict,
        db_default=Value({}, output_field=models.JSONField()),
        blank=True,
        help_text="A text message's placeholders: a first name, a date, a time and a phone "
        "number, and nothing else (notifications.govuk_notify.TextMessage).",
    )
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    calendar = models.TextField(
        blank=True, help_text="An iCalendar file, sent as a text/calendar part (invitations)."
    )
    calendar_method = models.CharField(
        max_length=10, blank=True, help_text="The iCalendar method: REQUEST or CANCEL."
    )
    about_type = models.CharField(
        max_length=40,
        blank=True,
        help_text="What the email is about, for the sender's page (e.g. meetings.invitation).",
    )
    about_id = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(
        max_length=200, unique=True, help_text="Stable per email, so a resend is recognisable."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(
        max_length=200,
        blank=True,
        help_text="The exception class and SMTP reply code (or Notify's HTTP status) only, "
        "never the server's message.",
    )
    provider_id = models.CharField(
        max_length=40,
        blank=True,
        db_default="",
        help_text="GOV.UK Notify's ID for the message, once accepted.",
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailOutboxQuerySet.as_manager()

    class Meta:
        verbose_name = "email in the outbox"
        verbose_name_plural = "email outbox"
        indexes = [
            # The sender: rows ready to send or whose lease ran out; the queue depth.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_unsent_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # The dead-letter page and alert (/healthz).
            models.Index(fields=["status"], name="outbox_dead_idx", condition=Q(status="dead")),
            # The page of what an email is about: "the invitation to … could not be delivered".
            models.Index(
                fields=["about_type", "about_id"],
                name="outbox_about_idx",
                condition=Q(about_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.status})"

    @property
    def is_text(self) -> bool:
        return self.kind == self.Kind.TEXT

    @property
    def address(self) -> str:
        """Where it goes: the email address, or a text message's mobile number."""
        return self.phone_number if self.is_text else self.to_address

    @property
    def by_notify(self) -> bool:
        """The last failure was GOV.UK Notify's answer (``govuk_notify.ERROR_PREFIX``)."""
        return self.last_error.startswith("Notify")

    @property
    def smtp_code(self) -> int | None:
        """The SMTP reply code (or Notify's HTTP status) of the last failure, if given."""
        _, _, code = self.last_error.rpartition(" ")
        return int(code) if code.isdigit() else None

    @property
    def refused(self) -> bool:
        """Refused outright: a 5xx reply from the mail server, or a 4xx from Notify other
        than 429 (too many requests). A retry will not help until someone corrects the
        address, the message or the settings."""
        code = self.smtp_code
        if code is None:
            return self.last_error == "UnsafeTextMessage"
        if self.by_notify:
            return 400 <= code <= 499 and code != 429
        return 500 <= code <= 599


class NotificationPreference(models.Model):
    """How a professional wants email; in-app notifications are always on."""

    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", "An email for each notification"
        DAILY_DIGEST = "daily_digest", "One email a day listing new notifications"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_frequency = models.CharField(
        max_length=20, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="Local hour the daily digest is sent.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_frequency_display()}"

    @property
    def wants_digest(self) -> bool:
        return self.email_frequency == self.EmailFrequency.DAILY_DIGEST


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)
