"""The rows that make up a record, and how each is destroyed or anonymised.

A record that a schedule disposes of is more than one row: a closed case is its
chronology, team, consent records, assessments, meetings, plan and reminders. Each
``RecordPart`` names one model, the lookup from it to the record (``"case"``,
``"meeting__case"``, ``"pk"`` for the record's own row) and what happens to its rows.

Anonymising keeps every row, every date, every code and every link, and replaces what
people wrote: a text that said something becomes ``REMOVED`` (so "were the child's views
recorded?" still counts the same), an empty one stays empty, JSON documents are emptied,
and the dates named in ``dates`` are generalised. The figures on the dashboards and the
Annex A extract are built from the kept parts, so they do not move.

Destroying deletes the rows. Either way the record's change history (its pghistory
event rows, which hold every earlier version of the text) is deleted too: a tombstone
(``retention.models.DisposalItem``) takes its place.

Apps that add records to a case add their parts to ``settings.TAC_RETENTION_CASE_PARTS``
(see ``docs/retention.md``); a part that must do more than delete rows (a stored file)
subclasses ``RecordPart`` and overrides ``dispose``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Case as SQLCase
from django.db.models import F, Func, Q, Value, When
from django.db.models.functions import Cast, Concat, TruncMonth
from django.utils.module_loading import import_string

from retention.models import Disposal

#: What an anonymised text says instead of what was written.
REMOVED = "[removed]"

#: Optional text this short is an identifier or a code, not words: it is cleared.
SHORT_TEXT = 40

#: How a date that could identify someone is kept: the first of its month, or not at all.
DateRule = Literal["month", "clear"]


@dataclass(frozen=True)
class RecordPart:
    """One model's rows in a record, reached from the record's ids by ``path``."""

    model: str
    path: str
    disposal: str = Disposal.ANONYMISE
    #: Text columns that hold codes or references, not what anyone wrote: kept as they are.
    keep: frozenset[str] = frozenset()
    #: Dates that identify someone, and how they are generalised.
    dates: dict[str, DateRule] = field(default_factory=dict)
    #: Append-only triggers the disposal may pass ("app.Model:trigger_name").
    triggers: tuple[str, ...] = ()
    #: Columns emptied whatever they hold (a checksum, a file's bytes): null where the
    #: column allows it, else empty.
    cleared: frozenset[str] = frozenset()
    #: JSON documents that keep their summary: the keys named are removed, the rest
    #: (counts) stays.
    dropped_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def rows(self, ids: Sequence[int]) -> models.QuerySet[Any]:
        return self.model_class._default_manager.filter(**{f"{self.path}__in": list(ids)})

    def dispose(self, ids: Sequence[int]) -> int:
        """Destroy or anonymise the part's rows of the records ``ids``; the rows touched."""
        rows = self.rows(ids)
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            return 0
        with pgtrigger.ignore(*self.triggers):
            if self.disposal == Disposal.DESTROY:
                self.model_class._default_manager.filter(pk__in=pks).delete()
            else:
                self.model_class._default_manager.filter(pk__in=pks).update(**self.scrubbed())
        # The history of rows deleted before now is found through the record they
        # belonged to (the event rows keep its link), not through a live row.
        belonged = Q(**{f"{self.path}__in": list(ids)}) if self.path != "pk" else Q()
        purge_history(self.model_class, pks, also=belonged)
        return len(pks)

    def scrubbed(self) -> dict[str, Any]:
        """The UPDATE that anonymises the part's rows, column by column."""
        updates: dict[str, Any] = {}
        for column in self.model_class._meta.concrete_fields:
            name = column.name
            if name in self.cleared:
                updates[name] = _cleared(column)
            elif name in self.dropped_keys:
                updates[name] = Func(
                    F(name),
                    Value(
                        list(self.dropped_keys[name]),
                        output_field=ArrayField(models.TextField()),
                    ),
                    template="(%(expressions)s)",
                    arg_joiner=" - ",
                    output_field=column,
                )
            elif name in self.dates:
                updates[name] = _generalised(column, self.dates[name])
            elif column.primary_key or column.is_relation or column.choices or name in self.keep:
                continue
            elif isinstance(column, models.JSONField):
                updates[name] = Value(column.get_default(), output_field=column)
            elif isinstance(column, ArrayField) and not column.base_field.choices:
                # Lists of words: keys made from what was written (search keys).
                updates[name] = Value(column.get_default(), output_field=column)
            elif isinstance(column, models.SlugField | models.URLField):
                continue  # codes and links, never what anyone wrote
            elif isinstance(column, models.CharField | models.TextField):
                updates[name] = _removed(column)
        return updates


@dataclass(frozen=True)
class StoredFilePart(RecordPart):
    """Rows that each keep a file in storage (``file_field``, a ``FileField``).

    The rows are anonymised or destroyed like any part, with the file column and the
    ``cleared`` columns (a checksum of the content, say) emptied, and then every file
    they named is deleted from its storage: a file is never left behind once its row
    says nothing of it. The deletion runs inside the disposal's transaction, after the
    rows have changed, so a disposal that fails before this point leaves every file in
    place; list this part last, after the parts that could still fail.
    """

    file_field: str = "file"

    def dispose(self, ids: Sequence[int]) -> int:
        field = self.model_class._meta.get_field(self.file_field)
        if not isinstance(field, models.FileField):
            raise ImproperlyConfigured(f"{self.model}.{self.file_field} is not a FileField")
        storage = field.storage
        names = [name for name in self.rows(ids).values_list(self.file_field, flat=True) if name]
        rows = super().dispose(ids)
        for name in names:
            storage.delete(name)
        return rows

    def scrubbed(self) -> dict[str, Any]:
        return super().scrubbed() | {self.file_field: Value("")}


def _cleared(column: models.Field[Any, Any]) -> Any:
    """What an emptied column holds: null where it may, else an empty value."""
    if column.null:
        return Value(None, output_field=column)
    if isinstance(column, models.BinaryField):
        return Value(b"", output_field=column)
    return Value("")


def _removed(column: models.Field[Any, Any]) -> Any:
    """``REMOVED`` for a text that said something; an empty text stays empty."""
    short = column.max_length is not None and column.max_length <= SHORT_TEXT
    if column.blank and (isinstance(column, models.EmailField) or short or not column.editable):
        # An email address, an identifier or a phone number, a postcode, or a derived key
        # (the names' sound-alike keys): cleared, since nothing counts whether it was given.
        return Value("")
    marker = REMOVED[: column.max_length] if column.max_length else REMOVED
    return SQLCase(When(**{column.name: ""}, then=Value("")), default=Value(marker))


def _generalised(column: models.Field[Any, Any], rule: DateRule) -> Any:
    if rule == "clear" or not isinstance(column, models.DateField):
        return None
    return TruncMonth(column.name, output_field=models.DateField())


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    """The pghistory event model of ``model`` (``<Model>History``), if it is tracked."""
    try:
        event_model = apps.get_model(model._meta.app_label, f"{model.__name__}History")
    except LookupError:
        return None
    return event_model if hasattr(event_model, "pgh_obj_id") else None


def purge_history(model: type[models.Model], pks: Iterable[int], *, also: Q | None = None) -> int:
    """Delete every change-history row of the rows ``pks`` (and those ``also`` selects):
    each holds a copy of the text as it was."""
    event_model = history_model(model)
    if event_model is None:
        return 0
    rows = Q(pgh_obj_id__in=list(pks))
    if also:
        rows |= also
    with pgtrigger.ignore(f"{event_model._meta.label}:append_only"):
        deleted, _ = event_model._default_manager.filter(rows).delete()
    return deleted


def parts_for(setting: str) -> tuple[RecordPart, ...]:
    """The parts listed (by dotted path) in ``settings.<setting>``, in order."""
    return _resolve(tuple(getattr(settings, setting)))


@cache
def _resolve(paths: tuple[str, ...]) -> tuple[RecordPart, ...]:
    parts: list[RecordPart] = []
    for path in paths:
        entry = import_string(path)
        entries = entry if isinstance(entry, tuple | list) else (entry,)
        for part in entries:
            if not isinstance(part, RecordPart):
                raise ImproperlyConfigured(f"{path} is not a RecordPart or a list of them")
            parts.append(part)
    return tuple(parts)


def dispose_parts(parts: Iterable[RecordPart], ids: Sequence[int]) -> int:
    return sum(part.dispose(ids) for part in parts)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- The parts of a closed case (its episode) -------------------------------------------

#: Messages about the case: deleted, outbox first (each row protects the one before).
CASE_MESSAGES = (
    RecordPart("notifications.EmailOutbox", "notification__case", Disposal.DESTROY),
    RecordPart("notifications.Notification", "case", Disposal.DESTROY),
    RecordPart("notifications.Reminder", "case", Disposal.DESTROY),
)
#: The case, its chronology, team, lead, consent and turning points (app ``cases``).
CASE_RECORDS = (
    RecordPart("cases.Case", "pk", keep=frozenset({"reference"})),
    RecordPart("cases.CaseEvent", "case", keep=frozenset({"code"})),
    RecordPart("cases.LevelOfNeedJudgement", "case"),
    RecordPart("cases.TeamMembership", "case"),
    RecordPart("cases.JoinRequest", "case"),
    RecordPart("cases.LeadProfessionalAssignment", "case"),
    RecordPart("cases.ConsentRecord", "case"),
    RecordPart("cases.DisclosureDecision", "case"),
    RecordPart("cases.LeadHandover", "case"),
    RecordPart("cases.StepUpReferral", "case"),
    RecordPart("cases.StepDownIn", "case"),
    RecordPart("cases.CaseClosure", "case"),
    RecordPart("cases.RequestForSupport", "case"),
    RecordPart("cases.SafeguardingConcern", "case"),
    RecordPart("cases.BreakGlassGrant", "case"),
    RecordPart("cases.Restriction", "case", keep=frozenset({"field_name"})),
    RecordPart(
        "cases.Unmasking",
        "restriction__case",
        triggers=("cases.Unmasking:unmasking_append_only",),
    ),
)
#: Assessments of the case's children (app ``assessments``).
ASSESSMENT_RECORDS = (
    RecordPart("assessments.Assessment", "case"),
    RecordPart("assessments.AssessmentSection", "assessment__case"),
    RecordPart(
        "assessments.ElementEntry",
        "assessment__case",
        keep=frozenset({"element_code", "sources"}),  # codes: who the information came from
    ),
    RecordPart("assessments.ViewRecord", "assessment__case"),
)
#: Meetings, reviews, contributions and the plan (app ``meetings``).
MEETING_RECORDS = (
    RecordPart("meetings.Meeting", "case", keep=frozenset({"ical_uid"})),
    RecordPart("meetings.Contribution", "case"),
    RecordPart("meetings.Review", "case"),
    RecordPart("meetings.FamilyFeedback", "review__case"),
    RecordPart("meetings.Outcome", "case"),
    RecordPart("meetings.Action", "case"),
    RecordPart("meetings.ActionUpdate", "action__case"),
    RecordPart("meetings.Invitation", "meeting__case"),
    RecordPart("meetings.Decision", "meeting__case"),
    RecordPart("meetings.Dissent", "decision__meeting__case"),
    RecordPart("meetings.CaseDiscussion", "case"),
)

#: Documents on the case (app ``documents``): anonymised like the case, so the case's
#: document count stays, and every version's file (quarantined ones too) deleted from
#: the "documents" storage. The download log (``DocumentDownload``) names versions only.
DOCUMENT_RECORDS = (
    RecordPart("documents.Document", "case", keep=frozenset({"added_by_client"})),
    StoredFilePart(
        "documents.DocumentVersion",
        "document__case",
        keep=frozenset({"file_type", "content_type", "uploaded_by_client"}),
        cleared=frozenset({"sha256"}),
    ),
)

# --- The parts of a child's record, and of their family's ---------------------------

CHILD_RECORDS = (
    RecordPart(
        "cases.Child",
        "pk",
        dates={"date_of_birth": "month", "expected_date_of_delivery": "month"},
    ),
    RecordPart("cases.KnownName", "child"),
    RecordPart("cases.DetailChange", "child", keep=frozenset({"field_name", "label"})),
    RecordPart("cases.ChildRecordCheck", "child", keep=frozenset({"added_by_client"})),
    RecordPart("cases.ChildMerge", "kept"),
    RecordPart("cases.ChildMerge", "merged"),
)
FAMILY_RECORDS = (
    RecordPart("cases.Family", "pk"),
    RecordPart("cases.FamilyMember", "family", dates={"date_of_birth": "clear"}),
    RecordPart("cases.DetailChange", "family", keep=frozenset({"field_name", "label"})),
    RecordPart("cases.RequestForSupport", "family"),
)


# --- Records with schedules of their own (retention.classes) ----------------------------

#: A subject access request (app ``disclosures``): the copies it made of what was held
#: about the person (the records found, the redactions flagged in them, the packages'
#: contents) go; the request, its steps and its packages' rows stay, anonymised, so how
#: many requests were answered, and how soon, still counts.
SUBJECT_ACCESS_RECORDS = (
    RecordPart("disclosures.Redaction", "item__request", Disposal.DESTROY),
    RecordPart("disclosures.DisclosureItem", "request", Disposal.DESTROY),
    RecordPart(
        "disclosures.Disclosure",
        "request",
        cleared=frozenset({"package", "sha256"}),
        dropped_keys={"summary": ("disclosed", "withheld")},
    ),
    RecordPart(
        "disclosures.RequestEvent",
        "request",
        keep=frozenset({"code"}),
        triggers=("disclosures.RequestEvent:sar_event_append_only",),
    ),
    RecordPart("disclosures.SubjectAccessRequest", "pk"),
)

#: An import batch (app ``imports``): the uploaded file and the dry run's row-by-row
#: report go (both repeat the sheet's rows: children's names, dates of birth, addresses);
#: the batch keeps its file name, checksum (so "this file was imported before" still
#: works), dates and counts per sheet, and its records keep their provenance.
IMPORT_FILE_RECORDS = (
    RecordPart(
        "imports.ImportBatch",
        "pk",
        keep=frozenset({"file_name", "file_sha256", "failure", "created"}),
        cleared=frozenset({"content"}),
        dropped_keys={"report": ("rows", "file_problems")},
    ),
)


@dataclass(frozen=True)
class LeaverAccountPart(RecordPart):
    """A deactivated professional's account (``agencies.User``), anonymised: the name
    becomes "Former professional <number>", the email address a unique address that
    cannot receive mail, the phone number goes and the password can no longer be used.
    The row stays, with its role, agency, team and job title, so every record that
    names the account (a case's history, the audit, the disposal register) still
    resolves and says what kind of professional it was. An active account is never a
    row of this part."""

    def rows(self, ids: Sequence[int]) -> models.QuerySet[Any]:
        return super().rows(ids).filter(is_active=False)

    def scrubbed(self) -> dict[str, Any]:
        number = Cast("pk", models.CharField())
        return {
            "full_name": Concat(Value(FORMER_PROFESSIONAL), number),
            "email": Concat(Value("former-professional-"), number, Value("@account.invalid")),
            "phone": Value(""),
            "password": Value(make_password(None)),
        }


#: What an anonymised account is called, followed by its number.
FORMER_PROFESSIONAL = "Former professional "

LEAVER_ACCOUNT_RECORDS = (LeaverAccountPart("agencies.User", "pk"),)
