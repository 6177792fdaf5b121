"""Retention: the records due for disposal, the disposal register and legal holds
(DOMAIN §6.4, §11.4).

A ``DisposalItem`` is one record (or one month of a log) that a retention schedule says
may go. The nightly listing writes it as *due*; information governance confirms it, and
the record is destroyed or anonymised in the same transaction. The confirmed item stays
as the tombstone: which class, under which schedule, when and who confirmed, how many
rows went, and never what they said. A ``LegalHold`` on a child or a case stops every
disposal that touches them until it is lifted.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import tracked
from tac_portal.concurrency import VersionedModel
from tac_portal.fields import BoundedTextField


class Disposal(models.TextChoices):
    """What happens to a record when its disposal is confirmed."""

    DESTROY = "destroy", "Destroyed"
    ANONYMISE = "anonymise", "Anonymised"


class DisposalItemQuerySet(models.QuerySet["DisposalItem"]):
    def due(self) -> DisposalItemQuerySet:
        return self.filter(status=DisposalItem.Status.DUE)

    def disposed(self) -> DisposalItemQuerySet:
        return self.filter(status=DisposalItem.Status.DISPOSED)


@tracked
class DisposalItem(VersionedModel):
    """One record due for disposal, and once confirmed its tombstone.

    ``record_class`` is the code of a ``retention.classes.RecordClass`` and ``record_key``
    says which record of that class (a case's id, a child's id, a month ``2019-03``).
    ``label`` names it without content: a case reference, a record number, a month.
    The schedule is copied from the settings when the item is listed, so the tombstone
    says which schedule applied even after the settings change.
    """

    class Status(models.TextChoices):
        DUE = "due", "Due for disposal"
        DISPOSED = "disposed", "Disposed"
        WITHDRAWN = "withdrawn", "No longer due"

    record_class = models.CharField(max_length=40)
    record_key = models.CharField(max_length=40)
    label = models.CharField(max_length=120)
    disposal = models.CharField(max_length=10, choices=Disposal.choices)
    schedule_event = models.CharField(
        max_length=200, help_text="What the schedule counts from, as the page names it."
    )
    schedule_years = models.PositiveSmallIntegerField()
    event_on = models.DateField(help_text="When the event the schedule counts from happened.")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    listed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)
    rows_disposed = models.PositiveIntegerField(default=0)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = DisposalItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # The nightly listing is idempotent: one due item per record.
            models.UniqueConstraint(
                fields=["record_class", "record_key"],
                condition=Q(status="due"),
                name="disposal_item_one_due_per_record",
            ),
            models.CheckConstraint(
                condition=~Q(status="disposed")
                | Q(confirmed_by__isnull=False, disposed_at__isnull=False),
                name="disposal_item_disposed_is_confirmed",
            ),
        ]
        indexes = [
            # The review page: due items by class; the register: disposed, newest first.
            models.Index(fields=["status", "record_class", "due_on"], name="disposal_status_idx"),
        ]
        triggers = [
            # The register of what was disposed is kept: no code path removes a tombstone.
            pgtrigger.Protect(name="disposal_item_kept", operation=pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> LegalHoldQuerySet:
        return self.filter(lifted_at__isnull=True)


@tracked
class LegalHold(VersionedModel):
    """A hold on a child or a case: nothing about them is disposed of until it is lifted.

    A hold on a case keeps the case and its children's records; a hold on a child keeps
    the child's record and every case they are a subject of. The reason is required to
    place and to lift it; the change history (pghistory) is the hold's audit trail.
    """

    child = models.ForeignKey(
        "cases.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = BoundedTextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = BoundedTextField(blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=True, case__isnull=False)
                | Q(child__isnull=False, case__isnull=True),
                name="legal_hold_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="legal_hold_lift_has_reason",
            ),
        ]
        indexes = [
            # Every disposal asks which holds are active.
            models.Index(fields=["lifted_at"], name="legal_hold_active_idx"),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None
