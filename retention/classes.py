"""Record classes: what a retention schedule applies to, when it falls due, and how it goes.

Each class is a module-level ``RecordClass`` listed by dotted path in
``settings.TAC_RETENTION_CLASSES`` (like the header's navigation: nothing registers
itself). A class answers three questions, and ``retention.services`` does the rest
(listing, legal holds, confirmation, the tombstone):

- ``candidates(today=...)``: the records now past their schedule and not yet disposed of,
  each a ``DueRecord`` (its key, a label without content, the date of the event the
  schedule counts from, and the cases and children a legal hold could protect it by);
- ``due_record(key, today=...)``: the same for one record, asked again when it is
  confirmed (a case may have been reopened since the listing);
- ``dispose(key, holds=..., by=...)``: destroy or anonymise it, with everything that
  hangs off it and its change history; returns the number of rows touched.

The schedule (``years`` after the event) comes from ``settings.TAC_RETENTION_YEARS``,
with each class's default from DOMAIN §6.4. ``docs/retention.md`` is the table of
classes, events, defaults and what disposal does to each, and how to add a class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pgtrigger
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.models import Case, CaseSubject, Child, RecordAccess
from cases.services.common import record_event
from notifications.models import EmailOutbox, Notification
from retention.models import Disposal, DisposalItem
from retention.parts import (
    CHILD_RECORDS,
    FAMILY_RECORDS,
    dispose_parts,
    parts_for,
)

if TYPE_CHECKING:
    from agencies.models import User

#: DOMAIN §6.4: early help assessment and plan records are kept until the child's 25th
#: birthday (BathNES, Lincolnshire, Derbyshire).
CHILDHOOD_RECORD_AGE = 25


@dataclass(frozen=True)
class DueRecord:
    key: str
    label: str
    event_on: dt.date
    case_ids: frozenset[int] = frozenset()
    child_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Holds:
    """The cases and children that active legal holds protect, worked out once."""

    case_ids: frozenset[int] = frozenset()
    child_ids: frozenset[int] = frozenset()

    def cover(self, record: DueRecord) -> bool:
        return bool(record.case_ids & self.case_ids or record.child_ids & self.child_ids)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 1 March in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


class RecordClass:
    """A kind of record with one retention schedule. Subclass and set the attributes."""

    code: str = ""
    label: str = ""
    #: What the schedule counts from, as the pages say it: "the case's closure".
    event: str = ""
    disposal: str = Disposal.ANONYMISE
    #: Why this class is destroyed or anonymised, for the review page.
    explanation: str = ""
    default_years: int = 0

    @property
    def disposal_label(self) -> str:
        return str(Disposal(self.disposal).label)

    @property
    def years(self) -> int:
        return int(settings.TAC_RETENTION_YEARS.get(self.code, self.default_years))

    def candidates(self, *, today: dt.date) -> Iterable[DueRecord]:
        raise NotImplementedError

    def due_record(self, key: str, *, today: dt.date) -> DueRecord | None:
        return next((r for r in self.candidates(today=today) if r.key == key), None)

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        raise NotImplementedError

    def is_held(self, key: str, holds: Holds) -> bool:
        """Whether a legal hold stops the whole record going (a log month never is:
        its held rows are kept when the rest goes)."""
        return False

    def __str__(self) -> str:
        return self.label


def _disposed_ids(code: str) -> models.QuerySet[Any]:
    """The record ids of a class already disposed of, as a subquery."""
    return (
        DisposalItem.objects.disposed()
        .filter(record_class=code)
        .annotate(record_id=Cast("record_key", models.BigIntegerField()))
        .values("record_id")
    )


# --- A closed case and everything recorded on it ---------------------------------------


class CaseEpisodeClass(RecordClass):
    code = "case_episode"
    label = "Closed case (episode)"
    event = "the youngest child's 25th birthday"
    disposal = Disposal.ANONYMISE
    explanation = (
        "The case is anonymised: its chronology, team, consent records, assessments, "
        "meetings, reviews, plan and documents lose everything people wrote, the "
        "documents' files are deleted from storage, and its messages are deleted. Its "
        "dates, stages, levels of need and closure reason stay, so the dashboards and "
        "the Annex A extract count it as before."
    )
    default_years = 0

    def _queryset(self, *, today: dt.date) -> models.QuerySet[Case]:
        latest_birth = Max(
            Coalesce("subjects__child__date_of_birth", "subjects__child__expected_date_of_delivery")
        )
        cutoff = add_years(today, -(CHILDHOOD_RECORD_AGE + self.years))
        return (
            Case.objects.filter(status__in=Case.TERMINAL_STATUSES, closed_at__isnull=False)
            .exclude(pk__in=_disposed_ids(self.code))
            .annotate(latest_birth=latest_birth)
            .filter(latest_birth__lte=cutoff)
            .order_by("latest_birth", "pk")
        )

    def _due(self, cases: models.QuerySet[Case]) -> Iterator[DueRecord]:
        rows = list(cases.values_list("pk", "reference", "latest_birth"))  # type: ignore[misc]
        subjects: dict[int, set[int]] = {}
        pairs = CaseSubject.objects.filter(case_id__in=[row[0] for row in rows])
        for case_id, child_id in pairs.values_list("case_id", "child_id"):
            subjects.setdefault(case_id, set()).add(child_id)
        for case_id, reference, latest_birth in rows:
            yield DueRecord(
                key=str(case_id),
                label=reference,
                event_on=add_years(latest_birth, CHILDHOOD_RECORD_AGE),
                case_ids=frozenset({case_id}),
                child_ids=frozenset(subjects.get(case_id, set())),
            )

    def candidates(self, *, today: dt.date) -> Iterator[DueRecord]:
        return self._due(self._queryset(today=today))

    def due_record(self, key: str, *, today: dt.date) -> DueRecord | None:
        if not key.isdigit():
            return None
        return next(self._due(self._queryset(today=today).filter(pk=int(key))), None)

    def is_held(self, key: str, holds: Holds) -> bool:
        return key.isdigit() and int(key) in holds.case_ids

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        case = Case.objects.get(pk=int(key))
        rows = dispose_parts(parts_for("TAC_RETENTION_CASE_PARTS"), [case.pk])
        record_event(
            case,
            "case.anonymised",
            by=by,
            summary="Anonymised under the retention schedule",
            data={"record_class": self.code, "schedule_years": self.years},
        )
        return rows


# --- A child's own record, and their family's --------------------------------------------


class ChildRecordClass(RecordClass):
    code = "child_record"
    label = "Child's record"
    event = "the child's 25th birthday"
    disposal = Disposal.ANONYMISE
    explanation = (
        "The child's record is anonymised once every case they were in has been: names, "
        "addresses, contact details, identifiers and notes go, and the date of birth "
        "becomes the first of its month. Sex, ethnicity, disability and special "
        "educational needs stay for the equality figures. When the last child of a "
        "family goes, the family's record and its adults go too."
    )
    default_years = 0

    def _queryset(self, *, today: dt.date) -> models.QuerySet[Child]:
        cutoff = add_years(today, -(CHILDHOOD_RECORD_AGE + self.years))
        undisposed_case = CaseSubject.objects.filter(child=OuterRef("pk")).exclude(
            case_id__in=_disposed_ids(CASE_EPISODE.code)
        )
        return (
            Child.objects.annotate(born=Coalesce("date_of_birth", "expected_date_of_delivery"))
            .filter(born__lte=cutoff)
            .exclude(pk__in=_disposed_ids(self.code))
            .exclude(Exists(undisposed_case))
            .order_by("born", "pk")
        )

    def _due(self, rows: models.QuerySet[Child]) -> Iterator[DueRecord]:
        for child_id, born in rows.values_list("pk", "born"):  # type: ignore[misc]
            yield DueRecord(
                key=str(child_id),
                label=f"Child's record {child_id}",
                event_on=add_years(born, CHILDHOOD_RECORD_AGE),
                child_ids=frozenset({child_id}),
            )

    def candidates(self, *, today: dt.date) -> Iterator[DueRecord]:
        return self._due(self._queryset(today=today))

    def due_record(self, key: str, *, today: dt.date) -> DueRecord | None:
        if not key.isdigit():
            return None
        return next(self._due(self._queryset(today=today).filter(pk=int(key))), None)

    def is_held(self, key: str, holds: Holds) -> bool:
        return key.isdigit() and int(key) in holds.child_ids

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        child = Child.objects.get(pk=int(key))
        rows = dispose_parts(CHILD_RECORDS, [child.pk])
        others = (
            Child.objects.filter(family_id=child.family_id)
            .exclude(pk=child.pk)
            .exclude(pk__in=_disposed_ids(self.code))
        )
        open_case = Case.objects.open().filter(family_id=child.family_id)
        if not others.exists() and not open_case.exists():
            rows += dispose_parts(FAMILY_RECORDS, [child.family_id])
        return rows


# --- Logs kept by month: the access log, notifications and emails ----------------------


def _month_bounds(key: str) -> tuple[dt.datetime, dt.datetime]:
    year, month = (int(part) for part in key.split("-"))
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time()), zone),
        timezone.make_aware(dt.datetime.combine(end, dt.time()), zone),
    )


class MonthlyLogClass(RecordClass):
    """Log rows, disposed of a calendar month at a time once the whole month is old enough.

    Rows about a case or child under a legal hold are kept when the month goes.
    """

    disposal = Disposal.DESTROY
    month_label = ""
    at_field = ""

    def rows(self) -> models.QuerySet[models.Model]:
        raise NotImplementedError

    def candidates(self, *, today: dt.date) -> Iterator[DueRecord]:
        first_kept = add_years(today, -self.years).replace(day=1)
        cutoff = timezone.make_aware(
            dt.datetime.combine(first_kept, dt.time()), timezone.get_current_timezone()
        )
        months = (
            self.rows()
            .filter(**{f"{self.at_field}__lt": cutoff})
            .annotate(month=TruncMonth(self.at_field))
            .values_list("month", flat=True)
            .distinct()
            .order_by("month")
        )
        for month in months:
            day = timezone.localtime(month).date() if isinstance(month, dt.datetime) else month
            _, end = _month_bounds(f"{day:%Y-%m}")
            last_day = (end - dt.timedelta(days=1)).date()
            yield DueRecord(
                key=f"{day:%Y-%m}", label=f"{self.month_label}, {day:%B %Y}", event_on=last_day
            )

    def due_record(self, key: str, *, today: dt.date) -> DueRecord | None:
        try:
            start, end = _month_bounds(key)
        except ValueError:
            return None
        if add_years(today, -self.years) < end.date():
            return None
        if (
            not self.rows()
            .filter(**{f"{self.at_field}__gte": start, f"{self.at_field}__lt": end})
            .exists()
        ):
            return None
        return DueRecord(
            key=key,
            label=f"{self.month_label}, {start:%B %Y}",
            event_on=(end - dt.timedelta(days=1)).date(),
        )


class AccessLogClass(MonthlyLogClass):
    code = "access_log"
    label = "Access log"
    month_label = "Access log"
    at_field = "at"
    event = "the end of the month the records were opened in"
    explanation = (
        "The month's entries in the access log (who opened which record, when and from "
        "where) are deleted, except those about a child or case under a legal hold."
    )
    default_years = 6  # DOMAIN §6.4: default business records, six years (Limitation Act)

    def rows(self) -> models.QuerySet[RecordAccess]:  # type: ignore[override]
        return RecordAccess.objects.all()

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        start, end = _month_bounds(key)
        rows = RecordAccess.objects.filter(at__gte=start, at__lt=end).exclude(
            Q(case_id__in=holds.case_ids) | Q(child_id__in=holds.child_ids)
        )
        with pgtrigger.ignore("cases.RecordAccess:record_access_append_only"):
            deleted, _ = rows.delete()
        return deleted


class MessagesClass(MonthlyLogClass):
    code = "notifications"
    label = "Notifications and emails"
    month_label = "Notifications and emails"
    at_field = "created_at"
    event = "the end of the month they were sent in"
    explanation = (
        "The month's in-app notifications and the emails sent with them are deleted, "
        "except those about a case under a legal hold."
    )
    default_years = 6  # DOMAIN §6.4: default business records, six years

    def rows(self) -> models.QuerySet[Notification]:  # type: ignore[override]
        return Notification.objects.all()

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        start, end = _month_bounds(key)
        notifications = Notification.objects.filter(
            created_at__gte=start, created_at__lt=end
        ).exclude(case_id__in=holds.case_ids)
        emails = EmailOutbox.objects.filter(
            Q(notification__in=notifications)
            | Q(notification__isnull=True, created_at__gte=start, created_at__lt=end)
        )
        deleted_emails, _ = emails.delete()
        deleted, _ = notifications.delete()
        return deleted_emails + deleted


CASE_EPISODE = CaseEpisodeClass()
CHILD_RECORD = ChildRecordClass()
ACCESS_LOG = AccessLogClass()
MESSAGES = MessagesClass()


def record_classes() -> tuple[RecordClass, ...]:
    """The classes in ``settings.TAC_RETENTION_CLASSES``, in order."""
    return _resolve(tuple(settings.TAC_RETENTION_CLASSES))


@cache
def _resolve(paths: tuple[str, ...]) -> tuple[RecordClass, ...]:
    classes = tuple(import_string(path) for path in paths)
    for path, record_class in zip(paths, classes, strict=True):
        if not isinstance(record_class, RecordClass):
            raise ImproperlyConfigured(f"{path} is not a RecordClass")
    codes = [c.code for c in classes]
    if len(set(codes)) != len(codes):
        raise ImproperlyConfigured("TAC_RETENTION_CLASSES lists a record class twice")
    return classes


def record_class(code: str) -> RecordClass | None:
    return next((c for c in record_classes() if c.code == code), None)
