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

The schedule (``years`` after the event, and ``days`` for what is kept for weeks) comes
from ``settings.TAC_RETENTION_YEARS`` and ``TAC_RETENTION_DAYS``, with each class's
default from DOMAIN §6.4. ``docs/retention.md`` is the table of
classes, events, defaults and what disposal does to each, and how to add a class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone
from django.utils.module_loading import import_string

from agencies.models import User
from cases.models import (
    Case,
    CaseSubject,
    Child,
    LeadProfessionalAssignment,
    RecordAccess,
    TeamMembership,
)
from cases.services.common import record_event
from disclosures.models import DisclosureItem, SubjectAccessRequest
from documents.models import DocumentDownload
from meetings.services.plan import has_open_work
from notifications.models import EmailOutbox, Notification
from retention.models import Disposal, DisposalItem
from retention.parts import (
    CHILD_RECORDS,
    FAMILY_RECORDS,
    IMPORT_FILE_RECORDS,
    LEAVER_ACCOUNT_RECORDS,
    SUBJECT_ACCESS_RECORDS,
    dispose_parts,
    parts_for,
)

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
    #: Days added to the years, for a record kept for weeks (``TAC_RETENTION_DAYS``).
    default_days: int = 0

    @property
    def disposal_label(self) -> str:
        return str(Disposal(self.disposal).label)

    @property
    def years(self) -> int:
        return int(settings.TAC_RETENTION_YEARS.get(self.code, self.default_years))

    @property
    def days(self) -> int:
        return int(settings.TAC_RETENTION_DAYS.get(self.code, self.default_days))

    @property
    def counted_from(self) -> str:
        """The event, with the days when the schedule counts some ("30 days after the
        import finished"); the years, if any, are said before it."""
        if not self.days:
            return self.event
        return f"{self.days} day{'' if self.days == 1 else 's'} after {self.event}"

    def due_on(self, event_on: dt.date) -> dt.date:
        """When a record whose event was on ``event_on`` falls due."""
        return add_years(event_on, self.years) + dt.timedelta(days=self.days)

    def cutoff(self, today: dt.date) -> dt.date:
        """The latest event date of a record due ``today``."""
        return add_years(today - dt.timedelta(days=self.days), -self.years)

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


class RowRecordClass(RecordClass):
    """A record class whose records are rows of one table, keyed by their id: the
    subclass says which rows are due (``_queryset``) and how each reads (``_due``)."""

    def _queryset(self, *, today: dt.date) -> models.QuerySet[Any]:
        raise NotImplementedError

    def _due(self, rows: models.QuerySet[Any]) -> Iterator[DueRecord]:
        raise NotImplementedError

    def candidates(self, *, today: dt.date) -> Iterator[DueRecord]:
        return self._due(self._queryset(today=today))

    def due_record(self, key: str, *, today: dt.date) -> DueRecord | None:
        if not key.isdigit():
            return None
        return next(self._due(self._queryset(today=today).filter(pk=int(key))), None)


# --- A closed case and everything recorded on it ---------------------------------------


class CaseEpisodeClass(RowRecordClass):
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


class ChildRecordClass(RowRecordClass):
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


class DocumentDownloadsClass(MonthlyLogClass):
    code = "document_downloads"
    label = "Document download log"
    month_label = "Document download log"
    at_field = "at"
    event = "the end of the month the documents were opened in"
    explanation = (
        "The month's entries in the document download log (who opened which version of "
        "a document, when) are deleted, except those about a case under a legal hold."
    )
    # The same evidence as the access log, which says the child's record was opened;
    # this log says which document: kept as long (DOMAIN §6.4, six years).
    default_years = 6

    def rows(self) -> models.QuerySet[DocumentDownload]:  # type: ignore[override]
        return DocumentDownload.objects.all()

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        start, end = _month_bounds(key)
        rows = DocumentDownload.objects.filter(at__gte=start, at__lt=end).exclude(
            version__document__case_id__in=holds.case_ids
        )
        with pgtrigger.ignore("documents.DocumentDownload:document_download_append_only"):
            deleted, _ = rows.delete()
        return deleted


# --- Records kept for a time after they are finished with -------------------------------


def _start_of_day_after(day: dt.date) -> dt.datetime:
    """The first moment after ``day``, in the service's time zone."""
    return timezone.make_aware(
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time()),
        timezone.get_current_timezone(),
    )


class FinishedRecordClass(RowRecordClass):
    """Records of one model, each due a set time after the moment it was finished with
    (``finished`` annotates it as ``event_at``). Subclasses say which rows may go, which
    cases and children a legal hold protects them by, and the parts that dispose of them.
    """

    #: How the register and the page name one record: "{label} {pk}".
    record_label = ""

    def finished(self) -> models.QuerySet[Any]:
        """The records that may go once old enough, annotated with ``event_at``."""
        raise NotImplementedError

    def protected_by(self, pks: list[int]) -> dict[int, tuple[set[int], set[int]]]:
        """For each record, the cases and children a legal hold could keep it by."""
        return {}

    def _queryset(self, *, today: dt.date) -> models.QuerySet[Any]:
        return (
            self.finished()
            .exclude(pk__in=_disposed_ids(self.code))
            .filter(event_at__lt=_start_of_day_after(self.cutoff(today)))
            .order_by("event_at", "pk")
        )

    def _due(self, rows: models.QuerySet[Any]) -> Iterator[DueRecord]:
        found = list(rows.values_list("pk", "event_at"))
        protected = self.protected_by([pk for pk, _ in found])
        for pk, event_at in found:
            case_ids, child_ids = protected.get(pk, (set(), set()))
            yield DueRecord(
                key=str(pk),
                label=f"{self.record_label} {pk}",
                event_on=timezone.localdate(event_at),
                case_ids=frozenset(case_ids),
                child_ids=frozenset(child_ids),
            )

    def is_held(self, key: str, holds: Holds) -> bool:
        if not key.isdigit():
            return False
        case_ids, child_ids = self.protected_by([int(key)]).get(int(key), (set(), set()))
        return bool(case_ids & holds.case_ids or child_ids & holds.child_ids)


def _pairs(rows: models.QuerySet[Any], key: str, value: str) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for pk, other in rows.exclude(**{f"{value}__isnull": True}).values_list(key, value):
        found.setdefault(pk, set()).add(other)
    return found


class SubjectAccessClass(FinishedRecordClass):
    code = "subject_access"
    label = "Subject access request"
    record_label = "Subject access request"
    event = "the request's last step (its answer or withdrawal)"
    disposal = Disposal.ANONYMISE
    explanation = (
        "The copies the request made go: every record found for it, the redactions "
        "flagged in them and the contents of its packages are deleted. The request stays "
        "with its dates, status, steps and who handled it, so the requests answered and "
        "how soon still count; the requester's name and the notes become [removed]."
    )
    default_years = 1  # ICO: a record of the request and the response, about a year

    def finished(self) -> models.QuerySet[SubjectAccessRequest]:
        closed = (SubjectAccessRequest.Status.DISCLOSED, SubjectAccessRequest.Status.WITHDRAWN)
        return SubjectAccessRequest.objects.filter(status__in=closed).annotate(
            event_at=Coalesce(Max("events__at"), "logged_at")
        )

    def protected_by(self, pks: list[int]) -> dict[int, tuple[set[int], set[int]]]:
        cases = _pairs(DisclosureItem.objects.filter(request_id__in=pks), "request_id", "case_id")
        children = _pairs(SubjectAccessRequest.objects.filter(pk__in=pks), "pk", "child_id")
        return {pk: (cases.get(pk, set()), children.get(pk, set())) for pk in pks}

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        return dispose_parts(SUBJECT_ACCESS_RECORDS, [int(key)])


class ImportContentClass(FinishedRecordClass):
    code = "import_content"
    label = "Import file"
    record_label = "Import"
    event = "the import finished (or the file was checked, if it was never imported)"
    disposal = Disposal.ANONYMISE
    explanation = (
        "The uploaded file, with every row of every sheet (children's and families' "
        "details among them), and the dry run's row-by-row report are deleted. The "
        "batch stays with its file name, checksum, dates and its counts per sheet, and "
        "every imported record still says which file and row it came from."
    )
    default_years = 0
    default_days = 30  # what is needed to check an import and put a failed one right

    #: An import in progress is never due: the file is still being read.
    FINISHED = ("done", "failed")
    CHECKED = "checked"

    def _batches(self) -> models.QuerySet[Any]:
        return apps.get_model("imports", "ImportBatch")._default_manager.all()

    def finished(self) -> models.QuerySet[Any]:
        # A dry run never confirmed counts from its upload: nobody is going to import it.
        batches: models.QuerySet[Any] = (
            self._batches()
            .filter(Q(status__in=self.FINISHED, finished_at__isnull=False) | Q(status=self.CHECKED))
            .annotate(event_at=Coalesce("finished_at", "uploaded_at"))
        )
        return batches

    def protected_by(self, pks: list[int]) -> dict[int, tuple[set[int], set[int]]]:
        records = apps.get_model("imports", "ImportedRecord")._default_manager.filter(
            batch_id__in=pks
        )
        cases, children = (
            _pairs(records, "batch_id", "case_id"),
            _pairs(records, "batch_id", "child_id"),
        )
        return {pk: (cases.get(pk, set()), children.get(pk, set())) for pk in pks}

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        # Locked as confirming an import locks it: a dry run confirmed meanwhile is not
        # cleared under it, and one cleared cannot be confirmed after.
        batch = self._batches().select_for_update().get(pk=int(key))
        if batch.status not in (*self.FINISHED, self.CHECKED):
            raise ValidationError(MSG_IMPORT_RUNNING, code="running")
        rows = dispose_parts(IMPORT_FILE_RECORDS, [batch.pk])
        if batch.status == self.CHECKED:
            self._batches().filter(pk=batch.pk).update(
                status="failed", failure=MSG_IMPORT_FILE_DELETED, finished_at=timezone.now()
            )
        return rows


MSG_IMPORT_RUNNING = (
    "This import was confirmed after it was listed and is running: its file is needed "
    "until it finishes."
)
MSG_IMPORT_FILE_DELETED = (
    "The file was deleted under the retention schedule before it was imported. Upload it "
    "again to import it."
)


class LeaverAccountClass(FinishedRecordClass):
    code = "leaver_account"
    label = "Leaver's account"
    record_label = "Account"
    event = "the account was deactivated"
    disposal = Disposal.ANONYMISE
    explanation = (
        "The professional's name, email address and phone number are removed (the "
        "account is called 'Former professional' and its number) and its password can "
        "no longer be used. The account stays, with its role, agency and team, so the "
        "case histories, the audit and the register that name it still work. An account "
        "still leading a case, on a team, owning an action or waiting to join a case is "
        "not listed until that work is handed on; an account made active again is never "
        "anonymised."
    )
    # Two years after deactivation: long enough for a complaint or a case review that
    # needs to reach the worker by name to be raised, and for their work to be handed on.
    default_years = 2

    def finished(self) -> models.QuerySet[User]:
        return (
            User.objects.filter(is_active=False, deactivated_at__isnull=False)
            .exclude(has_open_work())
            .annotate(event_at=F("deactivated_at"))
        )

    def protected_by(self, pks: list[int]) -> dict[int, tuple[set[int], set[int]]]:
        # A hold on a case keeps the names of the people who worked on it.
        places = _pairs(
            TeamMembership.objects.filter(professional_id__in=pks), "professional_id", "case_id"
        )
        leads = _pairs(
            LeadProfessionalAssignment.objects.filter(professional_id__in=pks),
            "professional_id",
            "case_id",
        )
        return {pk: (places.get(pk, set()) | leads.get(pk, set()), set()) for pk in pks}

    def dispose(self, key: str, *, holds: Holds, by: User) -> int:
        return dispose_parts(LEAVER_ACCOUNT_RECORDS, [int(key)])


CASE_EPISODE = CaseEpisodeClass()
CHILD_RECORD = ChildRecordClass()
ACCESS_LOG = AccessLogClass()
MESSAGES = MessagesClass()
DOCUMENT_DOWNLOADS = DocumentDownloadsClass()
SUBJECT_ACCESS = SubjectAccessClass()
IMPORT_CONTENT = ImportContentClass()
LEAVER_ACCOUNT = LeaverAccountClass()


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
