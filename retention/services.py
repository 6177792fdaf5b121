"""Retention: listing what is due, confirming its disposal, legal holds (DOMAIN §6.4).

1. Every night ``list_due_records`` asks each record class what is past its schedule
   and writes a *due* item for each record not yet listed (and withdraws items no longer
   due: a case reopened, say). Information governance is told when something new is due.
2. An information governance officer reviews each item and confirms it
   (``confirm_disposal``). The record is destroyed or anonymised in that transaction,
   unless a legal hold now covers it, and the item stays as the tombstone.
3. ``place_legal_hold`` / ``lift_legal_hold``: a hold on a case or on a child stops
   every disposal that touches them until it is lifted, with a reason both ways.

Nothing is ever disposed of without a confirmation by a named person.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.access import ensure_can_manage_retention
from cases.models import Case, CaseSubject, Child
from notifications.services import notify
from retention.classes import Holds, record_class, record_classes
from retention.models import DisposalItem, LegalHold
from tac_portal.concurrency import bump, ensure_current

security_log = logging.getLogger("tac.security")

MSG_ON_HOLD = "A legal hold covers this record. It cannot be disposed of until the hold is lifted."
MSG_NOT_DUE = (
    "This record is no longer due for disposal (a case may have been reopened), so "
    "nothing was disposed of. It has been taken off the list."
)
MSG_ALREADY_DONE = "This item has already been dealt with: nothing more was done."
MSG_ALREADY_LIFTED = "This legal hold has already been lifted."
MSG_ALREADY_HELD = "A legal hold with this scope is already in place on this case."


@dataclass(frozen=True)
class Listing:
    listed: int
    withdrawn: int


def active_holds() -> Holds:
    """What the active legal holds protect: a held case and its children's records; a
    held child's record and every case they are a subject of."""
    holds = LegalHold.objects.active()
    held_cases = set(holds.filter(case__isnull=False).values_list("case_id", flat=True))
    held_children = set(holds.filter(child__isnull=False).values_list("child_id", flat=True))
    subjects = CaseSubject.objects.all()
    children_of_cases = subjects.filter(case_id__in=held_cases).values_list("child_id", flat=True)
    cases_of_children = subjects.filter(child_id__in=held_children).values_list(
        "case_id", flat=True
    )
    return Holds(
        case_ids=frozenset(held_cases | set(cases_of_children)),
        child_ids=frozenset(held_children | set(children_of_cases)),
    )


@transaction.atomic
def list_due_records(*, today: dt.date | None = None) -> Listing:
    """Write a due item for every record past its schedule; withdraw those no longer due.

    Idempotent: a record already listed is not listed again (one due item per record,
    by a unique constraint), so the nightly task can run twice or be run by hand.
    Records under a legal hold are listed too, marked held on the page: the hold is
    what governance needs to see. Returns how many were listed and withdrawn.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    listed = withdrawn = 0
    for record_class_ in record_classes():
        due = {record.key: record for record in record_class_.candidates(today=today)}
        items = DisposalItem.objects.due().filter(record_class=record_class_.code)
        already = set(items.values_list("record_key", flat=True))
        stale = items.exclude(record_key__in=list(due))
        withdrawn += stale.update(status=DisposalItem.Status.WITHDRAWN, withdrawn_at=now)
        new = [
            DisposalItem(
                record_class=record_class_.code,
                record_key=record.key,
                label=record.label[:120],
                disposal=record_class_.disposal,
                schedule_event=record_class_.counted_from,
                schedule_years=record_class_.years,
                event_on=record.event_on,
                due_on=record_class_.due_on(record.event_on),
                listed_at=now,
            )
            for key, record in due.items()
            if key not in already
        ]
        listed += len(DisposalItem.objects.bulk_create(new, ignore_conflicts=True))
    if listed:
        _tell_governance(listed)
    return Listing(listed=listed, withdrawn=withdrawn)


def _tell_governance(listed: int) -> None:
    records = "record is" if listed == 1 else "records are"
    for officer in User.objects.filter(role=User.Role.INFORMATION_GOVERNANCE, is_active=True):
        notify(
            officer,
            title=f"{listed} {records} due for disposal under the retention schedules",
            link=reverse("retention:index"),
        )


@transaction.atomic
def confirm_disposal(item: DisposalItem, *, by: User, version: int | None) -> DisposalItem:
    """Destroy or anonymise the record ``item`` names, as its record class says.

    Checked again at confirmation, whatever the listing said: the item is still due
    (else ``MSG_ALREADY_DONE``), the page showed its current version (else
    ``StaleEdit``), the record is still past its schedule (else the item is withdrawn,
    nothing is disposed of, and it is returned withdrawn: the page says ``MSG_NOT_DUE``),
    and no legal hold covers it (``MSG_ON_HOLD``). The item
    becomes the tombstone: the class, the schedule, when, who and how many rows, never
    what they said.
    """
    ensure_can_manage_retention(by)
    locked = DisposalItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != DisposalItem.Status.DUE:
        raise ValidationError(MSG_ALREADY_DONE, code="done")
    ensure_current(locked, version)
    record_class_ = record_class(locked.record_class)
    today = timezone.localdate()
    record = record_class_.due_record(locked.record_key, today=today) if record_class_ else None
    if record_class_ is None or record is None:
        locked.status = DisposalItem.Status.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["status", "withdrawn_at", *bump(locked)])
        return locked
    holds = active_holds()
    if holds.cover(record):
        raise ValidationError(MSG_ON_HOLD, code="held")
    rows = record_class_.dispose(locked.record_key, holds=holds, by=by)
    locked.status = DisposalItem.Status.DISPOSED
    locked.confirmed_by = by
    locked.disposed_at = timezone.now()
    locked.rows_disposed = rows
    locked.save(
        update_fields=["status", "confirmed_by", "disposed_at", "rows_disposed", *bump(locked)]
    )
    security_log.info(
        "retention disposal confirmed",
        extra={
            "user_id": by.pk,
            "record_class": locked.record_class,
            "disposal_item_id": locked.pk,
            "rows": rows,
        },
    )
    return locked


@transaction.atomic
def place_legal_hold(
    case: Case, *, by: User, reason: str, on_children: bool = False
) -> list[LegalHold]:
    """Place a legal hold on ``case`` or, with ``on_children``, on each of its children
    (which keeps every case they are in). Refused if the same hold is already active."""
    ensure_can_manage_retention(by)
    Case.objects.select_for_update().get(pk=case.pk)  # one placement at a time per case
    active = LegalHold.objects.active()
    now = timezone.now()
    if on_children:
        children = list(Child.objects.filter(case_subjects__case=case).order_by("pk"))
        held = set(active.filter(child__in=children).values_list("child_id", flat=True))
        new = [c for c in children if c.pk not in held]
        if not new:
            raise ValidationError({"reason": MSG_ALREADY_HELD}, code="held")
        holds = [
            LegalHold.objects.create(child=c, reason=reason, placed_by=by, placed_at=now)
            for c in new
        ]
    else:
        if active.filter(case=case).exists():
            raise ValidationError({"reason": MSG_ALREADY_HELD}, code="held")
        holds = [LegalHold.objects.create(case=case, reason=reason, placed_by=by, placed_at=now)]
    security_log.info(
        "legal hold placed",
        extra={"user_id": by.pk, "legal_hold_ids": [h.pk for h in holds], "case_id": case.pk},
    )
    return holds


@transaction.atomic
def lift_legal_hold(hold: LegalHold, *, by: User, reason: str, version: int | None) -> LegalHold:
    """Lift ``hold``: disposals it stopped may go ahead (after the next listing)."""
    ensure_can_manage_retention(by)
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise ValidationError(MSG_ALREADY_LIFTED, code="lifted")
    ensure_current(locked, version)
    locked.lifted_at = timezone.now()
    locked.lifted_by = by
    locked.lift_reason = reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason", *bump(locked)])
    security_log.info("legal hold lifted", extra={"user_id": by.pk, "legal_hold_id": locked.pk})
    return locked
