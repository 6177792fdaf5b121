"""Bringing a local authority's open caseload in from its old system (DOMAIN §1, §2.2 B
and D, §5): children, families, carers, open cases with their lead professional and team,
and open actions, from a file in the documented template (docs/import-template.md).

1. ``upload_file`` keeps the file and starts its dry run (``check_batch``, a Celery task):
   row by row, what would be created, what matches an existing record (the duplicate
   check, ``cases.search``), what was imported before, and what is wrong (row, column).
   Nothing else is written.
2. ``confirm_import`` queues the import of a file whose dry run found no problems.
3. ``import_batch`` (a Celery task) plans the file again and, only if the plan is the one
   the administrator confirmed, writes every record in one transaction: all or nothing.
   Each record's provenance (``ImportedRecord``: the file and the row's source key) is
   written with it, so the same rows never create anything twice.

Matching never queries per row: source keys, users and the duplicate check's candidates
are loaded in sets, and records are written with ``bulk_create`` in batches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.functions import Now
from django.utils import timezone

from agencies.models import User
from cases.access import can_work_on_cases, ensure_can_import_records
from cases.models import (
    ROLES_FOR_KIND,
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    ChildRecordCheck,
    DisabilityStatus,
    Family,
    FamilyMember,
    LeadProfessionalAssignment,
    SenStatus,
    TACRole,
    TeamMembership,
)
from cases.phonetics import child_name_keys
from cases.search import ChildQuery, find_children_in_bulk
from imports.columns import SHEETS, CellProblem
from imports.files import FileProblem, read_file
from imports.models import ImportBatch, ImportedRecord, RecordKind
from meetings.models import Action

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

security_log = logging.getLogger("tac.security")

#: Rows written per INSERT.
BATCH_SIZE = 2000
#: Rows shown on the dry-run page (the counts cover them all; problems are shown first).
ROWS_SHOWN = 1000

CREATE = "create"
MATCH = "match"
ALREADY = "already"
SKIP = "skip"
ERROR = "error"
OUTCOMES = {
    CREATE: "Will be created",
    MATCH: "Matches an existing record: not created",
    ALREADY: "Imported before: not created again",
    SKIP: "Not created",
    ERROR: "Has problems",
}
#: The order of a dry run's rows on the page: what needs attention first.
OUTCOME_ORDER = [ERROR, MATCH, SKIP, ALREADY, CREATE]

MSG_HAS_PROBLEMS = "Correct the rows with problems and upload the file again."
MSG_NOTHING_TO_IMPORT = "There is nothing in this file to import."
MSG_CHANGED = (
    "Records changed since the dry run, so the import would not match it. Nothing was "
    "imported: upload the file again to see a new dry run."
)
MSG_FAILED = "Something went wrong and nothing was imported. Try again, or ask for support."


class ImportRefused(Exception):
    """The import cannot go ahead; nothing was written. The message says why."""


class _AlreadyImported(Exception):
    """Another run of the same task imported the file."""


# --- The dry run ----------------------------------------------------------------------


@dataclass
class RowPlan:
    kind: str
    row: int
    key: str
    values: dict[str, Any]
    outcome: str = CREATE
    detail: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)
    #: The existing children the duplicate check matched (ids; kept with a new child).
    matches: list[int] = field(default_factory=list)
    #: What the row resolves to, for writing: ("new", key) or ("old", id) references.
    refs: dict[str, Any] = field(default_factory=dict)

    def fail(self, column: str, message: str) -> None:
        self.problems.append((column, message))
        self.outcome = ERROR

    def depends_on(self, other: RowPlan) -> bool:
        """Skip this row when ``other`` (a row it needs) will not be created."""
        if self.outcome == ERROR or other.outcome == CREATE:
            return False
        sheet = RecordKind(other.kind).label.lower()
        why = {
            ERROR: "which has problems",
            MATCH: "which matches an existing record",
            SKIP: "which is not created",
            ALREADY: "which was imported before",
        }[other.outcome]
        self.outcome = SKIP
        self.detail = f"Needs row {other.row} of {sheet}, {why}"
        return True


@dataclass
class Plan:
    rows: dict[str, list[RowPlan]] = field(default_factory=dict)
    #: Problems with the file or a sheet's header: (sheet, column, message).
    file_problems: list[tuple[str, str, str]] = field(default_factory=list)

    def all_rows(self) -> Iterable[RowPlan]:
        for kind in SHEETS:
            yield from self.rows.get(kind, [])

    def counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for kind, rows in self.rows.items():
            counts[kind] = dict.fromkeys(OUTCOMES, 0)
            for row in rows:
                counts[kind][row.outcome] += 1
        return counts

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problems) or any(r.outcome == ERROR for r in self.all_rows())

    @property
    def to_create(self) -> int:
        return sum(1 for r in self.all_rows() if r.outcome == CREATE)

    def report(self) -> dict[str, Any]:
        """The dry run as the batch keeps it (JSON) and the page shows it."""
        ordered = sorted(
            self.all_rows(),
            key=lambda r: (OUTCOME_ORDER.index(r.outcome), list(SHEETS).index(r.kind), r.row),
        )
        return {
            "counts": self.counts(),
            "file_problems": [
                {"sheet": s, "column": c, "message": m} for s, c, m in self.file_problems
            ],
            "has_problems": self.has_problems,
            "to_create": self.to_create,
            "rows_total": sum(len(rows) for rows in self.rows.values()),
            "rows": [
                {
                    "sheet": r.kind,
                    "row": r.row,
                    "key": r.key,
                    "outcome": r.outcome,
                    "detail": r.detail,
                    "problems": [{"column": c, "message": m} for c, m in r.problems],
                }
                for r in ordered[:ROWS_SHOWN]
            ],
        }


def plan_import(name: str, content: bytes) -> Plan:
    """What importing the file would do, row by row; writes nothing."""
    plan = Plan()
    try:
        sheets = read_file(name, content)
    except FileProblem as problem:
        plan.file_problems.append(("", "", str(problem)))
        return plan
    seen_kinds: set[str] = set()
    for sheet in sheets:
        if sheet.kind in seen_kinds:
            plan.file_problems.append((sheet.kind, "", "The file has this sheet twice"))
            continue
        seen_kinds.add(sheet.kind)
        columns = {c.name: c for c in SHEETS[sheet.kind]}
        unknown = [h for h in sheet.headers if h and h not in columns]
        missing = [c.name for c in columns.values() if c.required and c.name not in sheet.headers]
        for header in unknown:
            plan.file_problems.append(
                (sheet.kind, header[:60], "This column is not in the template")
            )
        for header in missing:
            plan.file_problems.append((sheet.kind, header, "This column is missing"))
        if unknown or missing:
            continue
        plan.rows[sheet.kind] = [
            _read_row(sheet.kind, number, cells) for number, cells in sheet.rows
        ]
    if not plan.file_problems:
        _Resolver(plan).resolve()
    return plan


def _read_row(kind: str, number: int, cells: dict[str, Any]) -> RowPlan:
    values: dict[str, Any] = {}
    row = RowPlan(kind=kind, row=number, key="", values=values)
    for column in SHEETS[kind]:
        raw = cells.get(column.name)
        try:
            value = column.read(raw)
        except CellProblem as problem:
            row.fail(column.name, str(problem))
            continue
        if column.required and value in ("", None, []):
            row.fail(column.name, "Enter a value: this column is required")
        values[column.name] = value
    row.key = str(values.get(SHEETS[kind][0].name) or "")
    return row


@dataclass
class _OldCase:
    family_id: int
    is_open: bool
    lead_id: int | None = None
    professionals: set[int] = field(default_factory=set)
    family_members: set[int] = field(default_factory=set)


class _Resolver:
    """Checks each row against the others and against the records already there, in the
    template's order, so that a row needing a row that will not be created is skipped."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.new: dict[str, dict[str, RowPlan]] = {kind: {} for kind in SHEETS}
        self.old: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in SHEETS}
        self.users: dict[str, User] = {}
        self.old_cases: dict[int, _OldCase] = {}
        self.children_in_open_cases: set[int] = set()
        self.on_team: dict[tuple[str, str], RowPlan] = {}

    def resolve(self) -> None:
        self._index_keys()
        self._load_references()
        self._families()
        self._children()
        self._carers()
        self._cases()
        self._team()
        self._actions()

    # -- loading, in sets ---------------------------------------------------------------

    def _index_keys(self) -> None:
        for kind, rows in self.plan.rows.items():
            first = SHEETS[kind][0].name
            for row in rows:
                if not row.key:
                    continue
                earlier = self.new[kind].get(row.key)
                if earlier is not None:
                    row.fail(first, f"The key {row.key} is also used in row {earlier.row}")
                    continue
                self.new[kind][row.key] = row
            already = _existing_keys(kind, list(self.new[kind]))
            for key in already:
                row = self.new[kind].pop(key)
                if row.outcome != ERROR:
                    row.outcome = ALREADY
                    row.detail = "Imported before: nothing is created again"
                    row.problems = []

    def _load_references(self) -> None:
        wanted: dict[str, set[str]] = {kind: set() for kind in SHEETS}
        emails: set[str] = set()
        for row in self.plan.all_rows():
            values = row.values
            if values.get("family_key") and row.kind != RecordKind.FAMILY:
                wanted[RecordKind.FAMILY].add(values["family_key"])
            for key in values.get("child_keys") or []:
                wanted[RecordKind.CHILD].add(key)
            for name in ("carer_key", "owner_carer_key"):
                if values.get(name) and row.kind != RecordKind.CARER:
                    wanted[RecordKind.CARER].add(values[name])
            if values.get("case_key") and row.kind != RecordKind.CASE:
                wanted[RecordKind.CASE].add(values["case_key"])
            for name in ("lead_professional_email", "professional_email", "owner_email"):
                if values.get(name):
                    emails.add(values[name])
        for kind, keys in wanted.items():
            keys -= set(self.new[kind])
            for record in _chunked_records(kind, sorted(keys)):
                self.old[kind][record["source_key"]] = record
        self.users = {
            user.email: user
            for user in User.objects.filter(email__in=sorted(emails)).select_related("agency")
        }
        case_ids = [r["case_id"] for r in self.old[RecordKind.CASE].values()]
        for case in Case.objects.filter(pk__in=case_ids).only("pk", "family_id", "status"):
            self.old_cases[case.pk] = _OldCase(family_id=case.family_id, is_open=case.is_open)
        for case_id, lead_id in (
            LeadProfessionalAssignment.objects.active()
            .filter(case_id__in=case_ids)
            .values_list("case_id", "professional_id")
        ):
            self.old_cases[case_id].lead_id = lead_id
        for case_id, professional_id, member_id in (
            TeamMembership.objects.active()
            .filter(case_id__in=case_ids)
            .values_list("case_id", "professional_id", "family_member_id")
        ):
            if professional_id:
                self.old_cases[case_id].professionals.add(professional_id)
            if member_id:
                self.old_cases[case_id].family_members.add(member_id)
        child_ids = [r["child_id"] for r in self.old[RecordKind.CHILD].values()]
        self.children_in_open_cases = set(
            CaseSubject.objects.filter(child_id__in=child_ids, is_open=True).values_list(
                "child_id", flat=True
            )
        )

    # -- references -------------------------------------------------------------------

    def _ref(self, row: RowPlan, kind: str, column: str, key: str) -> tuple[str, Any] | None:
        """("new", the row) or ("old", the earlier import's record), or a problem."""
        found = self.new[kind].get(key)
        if found is not None:
            if row.depends_on(found):
                return None
            return ("new", found)
        record = self.old[kind].get(key)
        if record is not None:
            return ("old", record)
        sheet = RecordKind(kind).label.lower()
        row.fail(column, f"No row with the key {key} in {sheet}, in this file or an earlier import")
        return None

    def _family_of(self, ref: tuple[str, Any] | None, kind: str) -> tuple[str, Any] | None:
        """The household a resolved reference belongs to, comparable across rows (None
        when a row with problems did not say)."""
        if ref is None:
            return None
        where, target = ref
        if kind == RecordKind.FAMILY:
            return ("new", target.key) if where == "new" else ("old", target["family_id"])
        if where == "new":
            return self._family_of(target.refs.get("family"), RecordKind.FAMILY)
        if kind == RecordKind.CASE:
            return ("old", target["case__family_id"])
        if kind == RecordKind.CHILD:
            return ("old", target["child__family_id"])
        return ("old", target["family_member__family_id"])

    def _user(self, row: RowPlan, column: str) -> User | None:
        email = row.values.get(column) or ""
        user = self.users.get(email)
        if user is None or not can_work_on_cases(user):
            row.fail(
                column,
                "No active practitioner, team manager or coordinator has this email address",
            )
            return None
        return user

    # -- each sheet ---------------------------------------------------------------------

    def _creatable(self, kind: str) -> list[RowPlan]:
        """The rows to check against the others: those that would be created, and those
        with problems whose every cell could be read (to report all their problems)."""
        names = [c.name for c in SHEETS[kind]]
        return [
            r
            for r in self.plan.rows.get(kind, [])
            if r.outcome == CREATE or (r.outcome == ERROR and all(n in r.values for n in names))
        ]

    def _with_family(self, kind: str) -> None:
        for row in self._creatable(kind):
            key = row.values.get("family_key")
            if key and (ref := self._ref(row, RecordKind.FAMILY, "family_key", key)):
                row.refs["family"] = ref

    def _families(self) -> None:
        for row in self._creatable(RecordKind.FAMILY):
            if row.outcome == CREATE:
                row.detail = "A new family record"

    def _children(self) -> None:
        self._with_family(RecordKind.CHILD)
        rows = [r for r in self._creatable(RecordKind.CHILD) if r.outcome == CREATE]
        identities: dict[tuple[str, str, dt.date], RowPlan] = {}
        numbers: dict[str, RowPlan] = {}
        for row in rows:
            v = row.values
            identity = (
                v["given_names"].casefold(),
                v["family_name"].casefold(),
                v["date_of_birth"],
            )
            if (twin := identities.setdefault(identity, row)) is not row:
                row.fail(
                    "given_names", f"The same child as row {twin.row}: names and date of birth"
                )
            if v["nhs_number"] and (twin := numbers.setdefault(v["nhs_number"], row)) is not row:
                row.fail("nhs_number", f"The same NHS number as row {twin.row}")
        rows = [r for r in rows if r.outcome == CREATE]
        queries = [
            ChildQuery(
                given_names=r.values["given_names"],
                family_name=r.values["family_name"],
                date_of_birth=r.values["date_of_birth"],
                postcode=r.values["postcode"],
                nhs_number=r.values["nhs_number"],
            )
            for r in rows
        ]
        for row, matches in zip(rows, find_children_in_bulk(queries), strict=True):
            row.matches = [m.child.pk for m in matches]
            described = "; ".join(
                f"child record {m.child.pk} ({', '.join(m.reasons) or 'similar'})"
                for m in matches[:3]
            )
            if matches and not row.values["duplicate_reason"]:
                row.outcome = MATCH
                row.detail = (
                    f"Matches {described}. To add this child anyway, give a duplicate_reason"
                )
            elif matches:
                row.detail = f"A new child record, added despite matching {described}"
            else:
                row.detail = "A new child record"

    def _carers(self) -> None:
        self._with_family(RecordKind.CARER)
        for row in self._creatable(RecordKind.CARER):
            if row.outcome == CREATE:
                row.detail = "A new parent or carer record"

    def _case_ref(self, row: RowPlan) -> tuple[str, Any] | None:
        ref = self._ref(row, RecordKind.CASE, "case_key", row.values.get("case_key") or "")
        if ref is not None and ref[0] == "old":
            case = self.old_cases.get(ref[1]["case_id"])
            if case is None or not case.is_open:
                row.fail("case_key", "That case is closed: its team and plan no longer change")
                return None
        return ref

    def _cases(self) -> None:
        self._with_family(RecordKind.CASE)
        children_taken: dict[str, RowPlan] = {}
        for row in self._creatable(RecordKind.CASE):
            family = row.refs.get("family")
            children = []
            for key in row.values.get("child_keys") or []:
                ref = self._ref(row, RecordKind.CHILD, "child_keys", key)
                if ref is None:
                    continue
                if _differ(
                    self._family_of(ref, RecordKind.CHILD),
                    self._family_of(family, RecordKind.FAMILY),
                ):
                    row.fail(
                        "child_keys",
                        f"The child {key} is not in the family {row.values['family_key']}",
                    )
                if ref[0] == "old" and ref[1]["child_id"] in self.children_in_open_cases:
                    row.fail("child_keys", f"The child {key} is already in an open case")
                if (other := children_taken.setdefault(key, row)) is not row:
                    row.fail(
                        "child_keys", f"The child {key} is also in the case in row {other.row}"
                    )
                children.append(ref)
            row.refs["children"] = children
            if row.values.get("lead_professional_email"):
                row.refs["lead"] = self._user(row, "lead_professional_email")
            if row.outcome == CREATE:
                count = len(children)
                row.detail = f"A new open case for {count} child{'ren' if count != 1 else ''}"

    def _team(self) -> None:
        on_team: dict[tuple[str, str], RowPlan] = {}
        for row in self._creatable(RecordKind.TEAM):
            v = row.values
            case = self._case_ref(row)
            if bool(v["professional_email"]) == bool(v["carer_key"]):
                row.fail("professional_email", "Give either a professional_email or a carer_key")
                continue
            if case is None:
                continue
            row.refs["case"] = case
            case_key = v["case_key"]
            if v["professional_email"]:
                user = self._user(row, "professional_email")
                role = v["role"] or TACRole.PRACTITIONER
                if role not in ROLES_FOR_KIND["professional"]:
                    row.fail(
                        "role", "Choose a professional's role (the lead is on the cases sheet)"
                    )
                if user is not None and self._leads(case, user):
                    row.fail("professional_email", "This is the case's lead professional already")
                elif (
                    user is not None
                    and case[0] == "old"
                    and user.pk in self._old_case(case).professionals
                ):
                    row.fail("professional_email", "Already on the case's team")
                row.refs["user"] = user
                person = f"user:{v['professional_email']}"
            else:
                carer = self._ref(row, RecordKind.CARER, "carer_key", v["carer_key"])
                role = v["role"] or TACRole.FAMILY_MEMBER
                if role not in ROLES_FOR_KIND["family"]:
                    row.fail(
                        "role",
                        "Choose a family role: family_member, child_young_person or "
                        "family_network_member",
                    )
                if _differ(
                    self._family_of(carer, RecordKind.CARER),
                    self._family_of(case, RecordKind.CASE),
                ):
                    row.fail("carer_key", "This carer is not in the case's family")
                if (
                    carer is not None
                    and carer[0] == "old"
                    and case[0] == "old"
                    and (carer[1]["family_member_id"] in self._old_case(case).family_members)
                ):
                    row.fail("carer_key", "Already on the case's team")
                row.refs["carer"] = carer
                person = f"carer:{v['carer_key']}"
            row.values["role"] = role
            if (other := on_team.setdefault((case_key, person), row)) is not row:
                row.fail("case_key", f"The same person is on this case's team in row {other.row}")
            if row.outcome == CREATE:
                row.detail = "A new member of the case's team"
        self.on_team = on_team

    def _old_case(self, case: tuple[str, Any]) -> _OldCase:
        return self.old_cases[case[1]["case_id"]]

    def _leads(self, case: tuple[str, Any], user: User) -> bool:
        if case[0] == "new":
            lead = case[1].refs.get("lead")
            return lead is not None and lead.pk == user.pk
        return self._old_case(case).lead_id == user.pk

    def _actions(self) -> None:
        for row in self._creatable(RecordKind.ACTION):
            v = row.values
            owners = [name for name in ("owner_email", "owner_carer_key", "owner_name") if v[name]]
            if len(owners) != 1:
                row.fail(
                    "owner_email", "Give one owner: owner_email, owner_carer_key or owner_name"
                )
            if v["start_on"] and v["due_on"] and v["due_on"] < v["start_on"]:
                row.fail("due_on", "The due date must be on or after the start date")
            case = self._case_ref(row)
            if case is None or len(owners) != 1:
                continue
            row.refs["case"] = case
            case_key = v["case_key"]
            if v["owner_email"]:
                user = self.users.get(v["owner_email"])
                team_row = self.on_team.get((case_key, f"user:{v['owner_email']}"))
                on_old = (
                    case[0] == "old"
                    and user is not None
                    and user.pk in self._old_case(case).professionals
                )
                if user is not None and (self._leads(case, user) or on_old):
                    row.refs["owner"] = user
                elif team_row is not None and user is not None:
                    if not row.depends_on(team_row):
                        row.refs["owner"] = user
                else:
                    row.fail("owner_email", "The owner must be the case's lead or on its team")
            elif v["owner_carer_key"]:
                team_row = self.on_team.get((case_key, f"carer:{v['owner_carer_key']}"))
                carer = self.new[RecordKind.CARER].get(v["owner_carer_key"]) or self.old[
                    RecordKind.CARER
                ].get(v["owner_carer_key"])
                on_old = (
                    case[0] == "old"
                    and isinstance(carer, dict)
                    and carer["family_member_id"] in self._old_case(case).family_members
                )
                if team_row is not None:
                    if not row.depends_on(team_row):
                        row.refs["owner_carer"] = team_row.refs.get("carer")
                elif on_old and isinstance(carer, dict):
                    row.refs["owner_carer"] = ("old", carer)
                else:
                    row.fail("owner_carer_key", "The owner must be on the case's team")
            if row.outcome == CREATE:
                row.detail = f"A new open action, due {v['due_on']:%-d %B %Y}"


def _differ(one: tuple[str, Any] | None, other: tuple[str, Any] | None) -> bool:
    return one is not None and other is not None and one != other


_RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    RecordKind.FAMILY: ("family_id",),
    RecordKind.CHILD: ("child_id", "child__family_id"),
    RecordKind.CARER: ("family_member_id", "family_member__family_id"),
    RecordKind.CASE: ("case_id", "case__family_id"),
    RecordKind.TEAM: ("membership_id",),
    RecordKind.ACTION: ("action_id",),
}


def _chunked_records(kind: str, keys: Sequence[str]) -> Iterable[dict[str, Any]]:
    for start in range(0, len(keys), BATCH_SIZE):
        yield from ImportedRecord.objects.filter(
            kind=kind, source_key__in=keys[start : start + BATCH_SIZE]
        ).values("source_key", *_RECORD_COLUMNS[kind])


def _existing_keys(kind: str, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), BATCH_SIZE):
        found.update(
            ImportedRecord.objects.filter(
                kind=kind, source_key__in=keys[start : start + BATCH_SIZE]
            ).values_list("source_key", flat=True)
        )
    return found


# --- Upload, confirm ---------------------------------------------------------------------


def upload_file(upload: UploadedFile[Any], *, by: User) -> ImportBatch:
    """Keep the uploaded file and start its dry run (writes nothing else)."""
    ensure_can_import_records(by)
    content = upload.read()
    batch = ImportBatch.objects.create(
        file_name=(upload.name or "upload")[-200:],
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )
    from imports.tasks import check_import_file

    transaction.on_commit(partial(check_import_file.delay, batch.pk))
    return batch


def check_batch(batch_id: int) -> None:
    """The dry run of a kept file: its report, and nothing else written."""
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.CHECKING).first()
    if batch is None:
        return
    try:
        plan = plan_import(batch.file_name, bytes(batch.content))
    except Exception:
        security_log.exception("import dry run failed", extra={"batch_id": batch.pk})
        batch.status = ImportBatch.Status.FAILED
        batch.failure = MSG_FAILED
        batch.save(update_fields=["status", "failure"])
        return
    batch.report = plan.report()
    batch.status = ImportBatch.Status.CHECKED
    batch.save(update_fields=["report", "status"])


def earlier_import_of_same_file(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(file_sha256=batch.file_sha256, status=ImportBatch.Status.DONE)
        .exclude(pk=batch.pk)
        .order_by("-finished_at")
        .first()
    )


@transaction.atomic
def confirm_import(batch: ImportBatch, *, by: User) -> ImportBatch:
    """Queue the import of a checked file whose dry run found no problems.

    Raises ``ImportRefused`` when the dry run found problems or nothing to create, or the
    file was confirmed already (two confirmations queue one import).
    """
    ensure_can_import_records(by)
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportBatch.Status.CHECKED:
        raise ImportRefused("This file has been confirmed already.")
    if locked.report.get("has_problems"):
        raise ImportRefused(MSG_HAS_PROBLEMS)
    if not locked.report.get("to_create"):
        raise ImportRefused(MSG_NOTHING_TO_IMPORT)
    locked.status = ImportBatch.Status.QUEUED
    locked.confirmed_by = by
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    from imports.tasks import import_file

    transaction.on_commit(partial(import_file.delay, locked.pk))
    return locked


# --- The import ---------------------------------------------------------------------------


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def progress(batch: ImportBatch) -> tuple[int, int]:
    """(rows written, rows to write) while the import runs (kept outside its transaction)."""
    done, total = cache.get(progress_key(batch.pk), (0, batch.report.get("to_create", 0)))
    return int(done), int(total)


#: pg_advisory_xact_lock key: one import at a time, so that two files naming the same
#: source keys or children queue rather than deadlock.
IMPORT_LOCK = 7_212_301


def import_batch(batch_id: int) -> None:
    """Import a confirmed file, all or nothing (the Celery task's work)."""
    # A task delivered again after its worker died finds the batch still "running" (the
    # dead worker's transaction rolled back) and runs it again.
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING]
    ).update(status=ImportBatch.Status.RUNNING)
    if not claimed:
        return
    batch = ImportBatch.objects.select_related("confirmed_by").get(pk=batch_id)
    try:
        with transaction.atomic():
            created = _import(batch)
    except _AlreadyImported:
        return
    except ImportRefused as refused:
        _finish(batch, ImportBatch.Status.FAILED, failure=str(refused))
        return
    except Exception:
        security_log.exception("import failed", extra={"batch_id": batch.pk})
        _finish(batch, ImportBatch.Status.FAILED, failure=MSG_FAILED)
        return
    batch.created = created
    _finish(batch, ImportBatch.Status.DONE)
    security_log.info(
        "records imported",
        extra={"batch_id": batch.pk, "user_id": batch.confirmed_by_id, "records": created},
    )


def _finish(batch: ImportBatch, status: str, *, failure: str = "") -> None:
    batch.status = status
    batch.failure = failure
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "failure", "finished_at", "created"])
    cache.delete(progress_key(batch.pk))


def _import(batch: ImportBatch) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        # Each batch's foreign keys are checked as it is written, rather than queueing
        # every check of the file until commit (as demo/bulk.py does for its COPY).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The same task delivered twice at once: the first finished while this one waited.
    if ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.DONE).exists():
        raise _AlreadyImported
    plan = plan_import(batch.file_name, bytes(batch.content))
    if plan.has_problems or plan.counts() != batch.report.get("counts"):
        raise ImportRefused(MSG_CHANGED)
    by = batch.confirmed_by
    if by is None:  # pragma: no cover - a queued batch was confirmed by someone
        raise ImportRefused(MSG_FAILED)
    return _Writer(batch, plan, by).write()


class _Writer:
    """Writes a plan's CREATE rows in the template's order, in batches."""

    def __init__(self, batch: ImportBatch, plan: Plan, by: User) -> None:
        self.batch = batch
        self.plan = plan
        self.by = by
        self.now = timezone.now()
        self.ids: dict[str, dict[str, int]] = {kind: {} for kind in SHEETS}
        self.done = 0
        self.total = plan.to_create
        self.created: dict[str, int] = {}

    def write(self) -> dict[str, int]:
        self._tick(0)
        self._write(RecordKind.FAMILY, self._family, "family")
        self._write(RecordKind.CHILD, self._child, "child", after=self._record_checks)
        self._write(RecordKind.CARER, self._carer, "family_member")
        self._write(
            RecordKind.CASE,
            self._case,
            "case",
            before=self._give_references,
            after=self._case_parts,
        )
        self._write(
            RecordKind.TEAM, self._member, "membership", after=self._events("team.member_added")
        )
        self._write(
            RecordKind.ACTION, self._action, "action", after=self._events("plan.action_added")
        )
        return self.created

    def _tick(self, rows: int) -> None:
        self.done += rows
        cache.set(progress_key(self.batch.pk), (self.done, self.total), timeout=6 * 3600)

    def _rows(self, kind: str) -> list[RowPlan]:
        return [r for r in self.plan.rows.get(kind, []) if r.outcome == CREATE]

    def _write(
        self, kind: str, build: Any, record_field: str, after: Any = None, before: Any = None
    ) -> None:
        rows = self._rows(kind)
        model = type(build(rows[0])) if rows else None
        for start in range(0, len(rows), BATCH_SIZE):
            part = rows[start : start + BATCH_SIZE]
            objects = [build(row) for row in part]
            assert model is not None  # noqa: S101 - rows is not empty here
            if before is not None:
                before(objects)
            model.objects.bulk_create(objects)
            ImportedRecord.objects.bulk_create(
                ImportedRecord(
                    batch=self.batch,
                    kind=kind,
                    source_key=row.key,
                    row=row.row,
                    **{record_field: obj},
                )
                for row, obj in zip(part, objects, strict=True)
            )
            for row, obj in zip(part, objects, strict=True):
                self.ids[kind][row.key] = obj.pk
            if after is not None:
                after(part, objects)
            self._tick(len(part))
        self.created[kind] = len(rows)

    def _id(self, ref: tuple[str, Any], kind: str, column: str) -> int:
        where, target = ref
        return self.ids[kind][target.key] if where == "new" else int(target[column])

    # -- builders ---------------------------------------------------------------------

    def _family(self, row: RowPlan) -> Family:
        v = row.values
        return Family(name=v["family_name"], address=v["address"], postcode=v["postcode"])

    def _child(self, row: RowPlan) -> Child:
        v = row.values
        return Child(
            family_id=self._id(row.refs["family"], RecordKind.FAMILY, "family_id"),
            given_names=v["given_names"],
            family_name=v["family_name"],
            date_of_birth=v["date_of_birth"],
            sex=v["sex"] or "unknown",
            nhs_number=v["nhs_number"],
            address=v["address"],
            postcode=v["postcode"],
            ethnicity=v["ethnicity"] or "NOBT",
            first_language=v["first_language"],
            disability_status=DisabilityStatus.NOT_OBTAINED,
            sen_status=SenStatus.NOT_OBTAINED,
            # bulk_create does not call save(), which keeps the sound-alike keys.
            **child_name_keys(v["given_names"], v["family_name"]),
        )

    def _record_checks(self, rows: list[RowPlan], children: list[Child]) -> None:
        ChildRecordCheck.objects.bulk_create(
            ChildRecordCheck(
                child=child,
                added_by=self.by,
                added_at=self.now,
                possible_matches=sorted(set(row.matches)),
                reason=row.values["duplicate_reason"] if row.matches else "",
            )
            for row, child in zip(rows, children, strict=True)
        )

    def _carer(self, row: RowPlan) -> FamilyMember:
        v = row.values
        return FamilyMember(
            family_id=self._id(row.refs["family"], RecordKind.FAMILY, "family_id"),
            given_names=v["given_names"],
            family_name=v["family_name"],
            relationship=v["relationship"],
            parental_responsibility=v["parental_responsibility"] or "unknown",
            date_of_birth=v["date_of_birth"],
            phone=v["phone"],
            email=v["email"],
        )

    def _opened_at(self, day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))

    def _case(self, row: RowPlan) -> Case:
        v = row.values
        return Case(
            reference="",  # given in _case_parts' batch, from the references' sequence
            family_id=self._id(row.refs["family"], RecordKind.FAMILY, "family_id"),
            status=v["status"] or Case.Status.ACTIVE,
            opened_at=self._opened_at(v["opened_on"]),
            opened_by=self.by,
            next_review_due=v["next_review_due"],
        )

    def _give_references(self, cases: list[Case]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval('cases_case_reference_seq') FROM generate_series(1, %s)",
                [len(cases)],
            )
            numbers = [number for (number,) in cursor.fetchall()]
        for case, number in zip(cases, numbers, strict=True):
            case.reference = f"EH-{number:06d}"

    def _case_parts(self, rows: list[RowPlan], cases: list[Case]) -> None:
        subjects, leads, members, events = [], [], [], []
        for row, case in zip(rows, cases, strict=True):
            lead: User = row.refs["lead"]
            child_ids = [
                self._id(ref, RecordKind.CHILD, "child_id") for ref in row.refs["children"]
            ]
            subjects += [CaseSubject(case=case, child_id=pk, is_open=True) for pk in child_ids]
            leads.append(
                LeadProfessionalAssignment(
                    case=case,
                    professional=lead,
                    agency_id=lead.agency_id,
                    basis=LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED,
                    started_at=case.opened_at,
                    assigned_by=self.by,
                )
            )
            members.append(
                TeamMembership(
                    case=case,
                    kind=TeamMembership.Kind.PROFESSIONAL,
                    professional=lead,
                    role=TACRole.LEAD_PROFESSIONAL,
                    joined_at=case.opened_at,
                    added_by=self.by,
                )
            )
            events.append(
                CaseEvent(
                    case=case,
                    code="case.imported",
                    actor=self.by,
                    at=self.now,
                    summary=f"Case brought in from {self.batch.label}, row {row.row}",
                    data={
                        "batch": self.batch.pk,
                        "source_key": row.key,
                        "children": child_ids,
                        "lead": lead.pk,
                        "status": case.status,
                    },
                )
            )
        CaseSubject.objects.bulk_create(subjects)
        LeadProfessionalAssignment.objects.bulk_create(leads)
        TeamMembership.objects.bulk_create(members)
        CaseEvent.objects.bulk_create(events)

    def _member(self, row: RowPlan) -> TeamMembership:
        v = row.values
        case_id = self._id(row.refs["case"], RecordKind.CASE, "case_id")
        membership = TeamMembership(
            case_id=case_id, role=v["role"], joined_at=self.now, added_by=self.by
        )
        if row.refs.get("user") is not None:
            membership.kind = TeamMembership.Kind.PROFESSIONAL
            membership.professional = row.refs["user"]
        else:
            membership.kind = TeamMembership.Kind.FAMILY
            membership.family_member_id = self._id(
                row.refs["carer"], RecordKind.CARER, "family_member_id"
            )
        return membership

    def _action(self, row: RowPlan) -> Action:
        v = row.values
        action = Action(
            case_id=self._id(row.refs["case"], RecordKind.CASE, "case_id"),
            description=v["description"],
            due_on=v["due_on"],
            start_on=v["start_on"],
            status=v["status"] or Action.Status.NOT_STARTED,
            created_by=self.by,
        )
        if (owner := row.refs.get("owner")) is not None:
            action.owner_professional = owner
            action.owner_agency_id = owner.agency_id
        elif (carer := row.refs.get("owner_carer")) is not None:
            action.owner_family_member_id = self._id(carer, RecordKind.CARER, "family_member_id")
        else:
            action.owner_name = v["owner_name"]
        return action

    def _events(self, code: str) -> Any:
        """The chronology entry for a team member or action added to a case."""

        def record(rows: list[RowPlan], objects: list[Any]) -> None:
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    case_id=obj.case_id,
                    code=code,
                    actor=self.by,
                    at=self.now,
                    summary=f"Brought in from {self.batch.label}, row {row.row}",
                    data={"batch": self.batch.pk, "source_key": row.key},
                )
                for row, obj in zip(rows, objects, strict=True)
            )
            Case.objects.filter(pk__in={obj.case_id for obj in objects}).update(updated_at=Now())

        return record
