"""Subject access requests: the request, what was found, the review and the disclosure
(DOMAIN §6.3; UK GDPR Art 12 and 15).

A request is about one person, a child or an adult of a family. Searching finds every
record held about them (``tac_portal.disclosure``) as ``DisclosureItem`` rows; other
people's names and restricted items in them are flagged as ``Redaction`` rows, redacted
unless the reviewing officer decides otherwise with a reason. Exporting builds the
package and keeps the ``Disclosure`` record: what was disclosed, when and by whom.
Every step is a ``RequestEvent``, and the records people edit keep their history
(``cases.models.tracked``).

A request, its items and its packages are copies of what was held about the person, and
records in their own right: retention must treat them as a record class of their own.
"""

from __future__ import annotations

import calendar
import datetime as dt

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import tracked
from notifications.working_days import is_working_day
from tac_portal.concurrency import VersionedModel
from tac_portal.fields import BoundedTextField


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` calendar months later, or the month's last day when it has
    no such date (ICO: a request received on 31 August is due on 30 September)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself, or the next working day when it falls on a weekend or bank holiday
    (ICO: the time limit then runs to the next working day)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


class RequestQuerySet(models.QuerySet["SubjectAccessRequest"]):
    def open(self) -> RequestQuerySet:
        return self.exclude(
            status__in=[
                SubjectAccessRequest.Status.DISCLOSED,
                SubjectAccessRequest.Status.WITHDRAWN,
            ]
        )


@tracked
class SubjectAccessRequest(VersionedModel):
    """A request by or for one person for a copy of what the portal holds about them."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_REVIEW = "in_review", "In review"
        DISCLOSED = "disclosed", "Disclosed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class SubjectKind(models.TextChoices):
        CHILD = "child", "A child"
        ADULT = "adult", "A parent, carer or family member"

    class RequesterRelationship(models.TextChoices):
        SELF = "self", "The person themselves"
        PARENT = "parent", "A parent or carer, for a child"
        REPRESENTATIVE = "representative", "A solicitor or other representative"
        OTHER = "other", "Someone else, with the person's authority"

    class ChildConsulted(models.TextChoices):
        NOT_APPLICABLE = "not_applicable", "Not applicable"
        YES = "yes", "Yes, the child was consulted"
        NOT_COMPETENT = "not_competent", "No: the child is not able to understand the request"
        NO = "no", "No (say why)"

    #: Art 12(3): one month, extendable by two further months for a complex request.
    EXTENSION_MONTHS = 2

    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    child = models.ForeignKey(
        "cases.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    family_member = models.ForeignKey(
        "cases.FamilyMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requester_name = models.CharField(max_length=200)
    requester_relationship = models.CharField(max_length=20, choices=RequesterRelationship.choices)
    received_on = models.DateField(help_text="Starts the one-month clock.")
    extended = models.BooleanField(default=False)
    extension_reason = BoundedTextField(blank=True)
    child_consulted = models.CharField(
        max_length=20, choices=ChildConsulted.choices, default=ChildConsulted.NOT_APPLICABLE
    )
    child_consulted_note = BoundedTextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField()
    searched_at = models.DateTimeField(null=True, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject_kind="child", child__isnull=False, family_member__isnull=True)
                    | Q(subject_kind="adult", child__isnull=True, family_member__isnull=False)
                ),
                name="sar_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(extended=False) | ~Q(extension_reason=""),
                name="sar_extension_has_reason",
            ),
        ]
        indexes = [
            # The requests list: open requests, oldest received first.
            models.Index(fields=["status", "received_on"], name="sar_status_received_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk:06d}"

    @property
    def subject(self) -> models.Model:
        return self.child if self.child_id else self.family_member  # type: ignore[return-value]

    @property
    def due_on(self) -> dt.date:
        months = 1 + (self.EXTENSION_MONTHS if self.extended else 0)
        return next_working_day(add_months(self.received_on, months))

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_REVIEW)

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days


@tracked
class DisclosureItem(VersionedModel):
    """One record found about the subject, as read when the request was searched."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    at = models.DateTimeField(null=True, blank=True)
    # Only says which case the record came from (for the access log): a case destroyed
    # under its retention schedule does not keep the copy alive, nor the copy the case.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fields = models.JSONField(default=list, help_text="(label, text) pairs, as found.")
    files = models.JSONField(
        default=list,
        blank=True,
        help_text="The stored files that are part of the record, as found (FoundFile).",
    )
    withheld = models.BooleanField(default=False)
    withheld_reason = BoundedTextField(blank=True, help_text="The exemption applied, and why.")
    still_held = models.BooleanField(
        default=True, help_text="False when a later search no longer found the record."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "key"], name="disclosure_item_unique_key"),
            models.CheckConstraint(
                condition=Q(withheld=False) | ~Q(withheld_reason=""),
                name="disclosure_item_withheld_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


@tracked
class Redaction(VersionedModel):
    """A piece of text in an item that may not be the subject's to see: another person's
    name, or a restricted item. Redacted until the officer decides otherwise."""

    class Reason(models.TextChoices):
        THIRD_PARTY = "third_party", "Another person's information"
        RESTRICTED = "restricted", "Restricted item"

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="redactions")
    term = models.CharField(max_length=300)
    flagged_as = models.CharField(max_length=20, choices=Reason.choices)
    flag_note = models.CharField(max_length=200, blank=True, help_text="Whose, or which item.")
    redacted = models.BooleanField(default=True)
    decision_reason = BoundedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "term"], name="redaction_unique_term"),
        ]

    def __str__(self) -> str:
        return f"Redaction {self.pk}"


class Disclosure(models.Model):
    """A package exported for a request: the record of what was disclosed, when, by whom.

    ``package`` is the zip (the readable HTML and the JSON); it is kept in the database,
    never at a public address, and downloaded only through the governance pages.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.PROTECT, related_name="disclosures"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(
        default=dict, blank=True, help_text="What was disclosed, redacted and withheld."
    )
    package = models.BinaryField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)


class RequestEvent(models.Model):
    """Every step on a request: who, when, what (codes like ``sar.logged``). Append-only."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.PROTECT, related_name="events"
    )
    code = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        triggers = [
            pgtrigger.Protect(
                name="sar_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.request_id}"
