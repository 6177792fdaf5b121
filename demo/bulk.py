"""The bulk path: the same plans as the small path, streamed to PostgreSQL with COPY.

Families, children, cases and everything on them are written as tab-separated rows,
``BULK_FAMILIES_PER_CHUNK`` families a round, simulating what the case services
would write (benchmarks/README.md explains how). Two processes share the work: a
forked row builder plans the next round and turns it into COPY data while this process
has PostgreSQL load the round before. ``Loader`` says what it sets aside during the load
(secondary indexes, foreign keys, the per-row change-history trigger) and how it puts
each back, in the same transaction, so that the tables end exactly as migrated.
"""

from __future__ import annotations

import io
import multiprocessing
import queue
import random
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import islice
from typing import Any

import psycopg2  # type: ignore[import-untyped]
from django.db import connection, transaction
from psycopg2 import sql  # type: ignore[import-untyped]

from cases import phonetics
from cases.models import Case, ClosureReason, LeadProfessionalAssignment, TACRole
from cases.phonetics import child_name_keys
from demo.directory import Directory, Prof, build_directory
from demo.families import FamilySpec, disability_status, sen_status
from demo.names import NamePools
from demo.plans import CasePlan, Planner
from demo.summary import SeedSummary, summarise

#: More children than this are written with COPY unless the caller says otherwise.
BULK_THRESHOLD = 5000
#: Families written per COPY round on the bulk path: small enough that PostgreSQL starts
#: loading soon after the builders start, and waits little for the last round.
BULK_FAMILIES_PER_CHUNK = 5_000

S = Case.Status
STATUS_LABELS: dict[str, str] = {str(value): str(label) for value, label in S.choices}
Basis = LeadProfessionalAssignment.Basis
EndReason = LeadProfessionalAssignment.EndReason

COLUMNS: dict[str, tuple[str, ...]] = {
    "cases_family": ("id", "name", "address", "postcode", "created_at", "updated_at", "version"),
    "cases_child": (
        "id", "family_id", "given_names", "family_name", "also_known_as", "sex",
        "date_of_birth", "is_unborn", "expected_date_of_delivery", "address", "postcode",
        "contact_phone", "email", "nhs_number", "school_id", "religion", "religion_other",
        "ethnicity", "immigration_status", "first_language", "parent_first_language",
        "interpreter_required", "interpreter_arranged", "has_disability", "disability_details",
        "has_sen", "sen_details", "special_requirements", "is_young_carer", "risk_of_exclusion",
        "family_name_metaphone", "family_name_soundex", "given_name_metaphone",
        "name_slip_keys",
        "created_at", "updated_at", "version", "disability_status", "sen_status", "school_urn",
        "upn",
    ),
    "cases_familymember": (
        "id", "family_id", "given_names", "family_name", "relationship", "relationship_detail",
        "parental_responsibility", "date_of_birth", "lives_with_children", "address",
        "postcode", "phone", "email", "has_learning_difficulty", "created_at", "updated_at",
        "version", "preferred_contact_method", "language", "interpreter_required",
    ),
    "cases_case": (
        "id", "reference", "family_id", "status", "opened_at", "closed_at", "closure_reason",
        "closure_reason_detail", "previous_case_id", "is_re_referral", "next_review_due",
        "current_level_id", "opened_by_id", "created_at", "updated_at",
    ),
    "cases_casesubject": ("id", "case_id", "child_id", "is_open", "added_at"),
    "cases_levelofneedjudgement": (
        "id", "case_id", "level_id", "rationale", "family_informed", "judged_by_id", "judged_at",
    ),
    "cases_leadprofessionalassignment": (
        "id", "case_id", "professional_id", "agency_id", "basis", "family_consulted",
        "family_preference", "change_reason", "change_reason_detail", "started_at", "ended_at",
        "end_reason", "assigned_by_id",
    ),
    "cases_teammembership": (
        "id", "case_id", "kind", "professional_id", "family_member_id", "external_name",
        "external_agency", "external_email", "role", "joined_at", "left_at", "added_by_id",
    ),
    "cases_caseevent": ("case_id", "code", "actor_id", "at", "summary", "data"),
}  # fmt: skip
#: COPY order: parents before children (constraints are checked at each statement's end).
TABLE_ORDER = tuple(COLUMNS)
NULL = r"\N"
#: What the change-history trigger adds to the row it copies, in the order written here.
HISTORY_COLUMNS = ("pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id")


#: Held while a row builder takes a block of ids, so that each block is one run of
#: numbers even with two builders taking them from the same sequences.
ID_BLOCK_LOCK = 0x7AC_1D5


class IdBlocks:
    """Primary keys taken from each table's identity sequence, a block at a time.

    ``nextval`` over ``generate_series`` is safe alongside other writers. The ids a
    chunk used are kept as runs of consecutive numbers (``take_spans``): with two row
    builders, one chunk's ids are never a single range that the other's do not cross.
    """

    BLOCK = 50_000

    def __init__(self, cursor: Any, sequences: dict[str, str] | None = None) -> None:
        self.cursor = cursor
        self.free: dict[str, deque[int]] = {}
        self.sequences: dict[str, str] = dict(sequences or {})
        self.spans: dict[str, list[list[int]]] = {}

    def _sequence(self, table: str) -> str:
        if table not in self.sequences:
            if table == "reference":
                self.sequences[table] = "cases_case_reference_seq"
            else:
                self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                self.sequences[table] = self.cursor.fetchone()[0]
        return self.sequences[table]

    def sequence_names(self) -> dict[str, str]:
        """Every table's sequence, looked up now (the row builder is given them)."""
        for table in (*TABLE_ORDER, "reference"):
            if table != "cases_caseevent":
                self._sequence(table)
        return dict(self.sequences)

    def reserve(self, table: str, n: int) -> None:
        """Make sure ``n`` ids are ready for ``table`` (one query for the whole chunk)."""
        free = self.free.setdefault(table, deque())
        if len(free) >= n:
            return
        want = max(n - len(free), self.BLOCK)
        self.cursor.execute("SELECT pg_advisory_lock(%s)", [ID_BLOCK_LOCK])
        try:
            self.cursor.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence(table), want]
            )
            free.extend(row[0] for row in self.cursor.fetchall())
        finally:
            self.cursor.execute("SELECT pg_advisory_unlock(%s)", [ID_BLOCK_LOCK])

    def take(self, table: str) -> int:
        value = self.free[table].popleft()
        runs = self.spans.get(table)
        if runs is None:
            self.spans[table] = [[value, value]]
        elif runs[-1][1] + 1 == value:
            runs[-1][1] = value
        else:
            runs.append([value, value])
        return value

    def take_spans(self) -> dict[str, list[tuple[int, int]]]:
        """The runs of consecutive ids taken per table since the last call, lowest first."""
        spans = {table: [(lo, hi) for lo, hi in runs] for table, runs in self.spans.items()}
        self.spans.clear()
        return spans


@cache
def _family_name_keys(family_name: str) -> tuple[str, str]:
    """The family-name keys of ``child_name_keys``, worked out once per name."""
    keys = child_name_keys("", family_name)
    return keys["family_name_metaphone"], keys["family_name_soundex"]


@cache
def _given_name_key(given_names: str) -> str:
    """The given-name key of ``child_name_keys``, worked out once per name."""
    return child_name_keys(given_names, "")["given_name_metaphone"]


@cache
def _family_slip_keys(family_name: str) -> list[str]:
    return phonetics.family_slip_keys(family_name)


@cache
def _given_slip_keys(given_names: str) -> list[str]:
    return phonetics.given_slip_keys(given_names)


def _name_slip_keys(given_names: str, family_name: str) -> str:
    """``name_slip_keys`` of ``child_name_keys`` as a COPY array (letters and ":" only, so
    nothing to quote), each name's keys worked out once."""
    return "{" + ",".join(_family_slip_keys(family_name) + _given_slip_keys(given_names)) + "}"


def _ts(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _d(value: date | None) -> str:
    return NULL if value is None else value.isoformat()


def _b(value: bool) -> str:
    return "t" if value else "f"


def _esc(value: str) -> str:
    """Escape a value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class BulkWriter:
    """Turns plans into COPY rows, simulating what the services would write."""

    def __init__(self, directory: Directory, ids: IdBlocks) -> None:
        self.d = directory
        self.ids = ids
        self.rows: dict[str, list[str]] = {t: [] for t in TABLE_ORDER}
        self.counts: Counter[str] = Counter()
        self.level_ids = {code: level.pk for code, level in directory.levels.items()}
        self._last_at: datetime | None = None
        self._last_iso = ""

    def _row(self, table: str, *values: object) -> None:
        self.rows[table].append("\t".join(map(str, values)))

    def _iso(self, at: datetime) -> str:
        """``at.isoformat()``, kept for the moment last asked: a case's row, its event and
        the next events often share one."""
        if at is not self._last_at:
            self._last_at, self._last_iso = at, at.isoformat()
        return self._last_iso

    def _event(
        self, case_id: int, code: str, actor: int | None, at: datetime, summary: str, data: str
    ) -> None:
        self.rows["cases_caseevent"].append(
            f"{case_id}\t{code}\t{NULL if actor is None else actor}\t{self._iso(at)}\t"
            f"{_esc(summary)}\t{_esc(data)}"
        )

    def family(self, fam: FamilySpec, now: datetime) -> None:
        fam.id = self.ids.take("cases_family")
        address = _esc(fam.address)
        created = _ts(now)
        self._row(
            "cases_family", fam.id, _esc(fam.name), address, fam.postcode, created, created, 1
        )
        for m in fam.members:
            m.id = self.ids.take("cases_familymember")
            self._row(
                "cases_familymember", m.id, fam.id, _esc(m.given_names), _esc(m.family_name),
                m.relationship, "", m.parental_responsibility, m.date_of_birth.isoformat(),
                _b(m.lives_with_children), "", "", "", "", "f", created, created,
                1, "", "", "f",
            )  # fmt: skip
        for c in fam.children:
            c.id = self.ids.take("cases_child")
            family_metaphone, family_soundex = _family_name_keys(c.family_name)
            self._row(
                "cases_child", c.id, fam.id, _esc(c.given_names), _esc(c.family_name), "",
                c.sex, _d(c.date_of_birth), _b(c.is_unborn), _d(c.edd), address, fam.postcode,
                "", "", c.nhs_number, NULL if c.school_id is None else c.school_id, c.religion,
                "", c.ethnicity, "", c.first_language, c.first_language,
                _b(c.interpreter_required), _b(c.interpreter_required), _b(c.has_disability),
                "", _b(c.has_sen), "", "", _b(c.is_young_carer), _b(c.risk_of_exclusion),
                family_metaphone, family_soundex, _given_name_key(c.given_names),
                _name_slip_keys(c.given_names, c.family_name), created, created,
                1, disability_status(c.has_disability), sen_status(c.has_sen), "", "",
            )  # fmt: skip

    def case(self, fam: FamilySpec, plan: CasePlan) -> None:
        previous_id: int | None = None
        if plan.previous is not None:
            self.case(fam, plan.previous)
            previous_id = plan.previous.id
        ids = self.ids
        case_id = plan.id = ids.take("cases_case")
        reference = plan.reference = f"EH-{ids.take('reference'):06d}"
        opened_at = plan.opened_at
        opener = plan.opener
        terminal = plan.status in Case.TERMINAL_STATUSES
        event = self._event
        iso = self._iso

        child_ids = [c.id for c in fam.children]
        for child_id in child_ids:
            self._row(
                "cases_casesubject", ids.take("cases_casesubject"), case_id, child_id,
                _b(not terminal), _ts(opened_at),
            )  # fmt: skip
        children_json = ", ".join(map(str, child_ids))
        event(case_id, "case.opened", opener.id, opened_at,
              f"Case opened for {len(child_ids)} child(ren)",
              f'{{"children": [{children_json}], "status": "IDENTIFIED"}}')  # fmt: skip
        if previous_id is not None and plan.previous is not None:
            event(case_id, "case.re_referral", opener.id, opened_at, "",
                  f'{{"previous_case": "{plan.previous.reference}"}}')  # fmt: skip

        members: dict[int, int] = {}  # professional id -> membership id
        lead_row: list[Any] | None = None
        lead_prof: Prof | None = None

        def add_member(prof: Prof, role: str, at: datetime, by: Prof) -> None:
            if prof.id in members:
                return
            mid = members[prof.id] = ids.take("cases_teammembership")
            self._row(
                "cases_teammembership", mid, case_id, "professional", prof.id, NULL, "", "", "",
                role, iso(at), NULL, by.id,
            )  # fmt: skip
            event(case_id, "team.member_added", by.id, at, f"{prof.label} joined the TAC",
                  f'{{"membership": {mid}, "role": "{role}"}}')  # fmt: skip

        def assign(prof: Prof, basis: str, reason: str, at: datetime, by: Prof) -> None:
            nonlocal lead_row, lead_prof
            previous = lead_prof
            if lead_row is not None:
                lead_row[10] = iso(at)
                lead_row[11] = EndReason.REPLACED
                self._flush_lead(lead_row)
            aid = ids.take("cases_leadprofessionalassignment")
            lead_row = [
                aid, case_id, prof.id, NULL if prof.agency_id is None else prof.agency_id,
                basis, _b(basis == Basis.FAMILY_CHOICE), "", reason, "", iso(at), NULL,
                "", by.id,
            ]  # fmt: skip
            lead_prof = prof
            add_member(prof, TACRole.LEAD_PROFESSIONAL, at, by)
            event(
                case_id, "lead.assigned" if previous is None else "lead.changed", by.id, at,
                f"{prof.label} is lead professional",
                f'{{"assignment": {aid}, "basis": "{basis}", "change_reason": "{reason}", '
                f'"previous": {"null" if previous is None else previous.id}}}',
            )  # fmt: skip

        if plan.initial_lead is not None:
            assign(plan.initial_lead, plan.initial_basis, "", opened_at, opener)

        status = str(S.IDENTIFIED)
        actor = opener
        level_id: int | None = None
        closed_at: datetime | None = None
        updated = opened_at
        for action in plan.actions:
            at = action.at
            updated = max(updated, at)
            kind = action.kind
            if kind == "status":
                to = action.status
                closing = to in Case.TERMINAL_STATUSES
                summary = f"{STATUS_LABELS[status]} → {STATUS_LABELS[to]}"
                reason = plan.closure_reason if closing else ""
                event(case_id, "case.closed" if closing else "case.status_changed", actor.id, at,
                      summary, f'{{"from": "{status}", "to": "{to}", "note": "{action.note}", '
                      f'"closure_reason": "{reason}"}}')  # fmt: skip
                status = to
                if closing:
                    closed_at = at
                    if lead_row is not None:
                        lead_row[10] = iso(at)
                        lead_row[11] = (
                            EndReason.CSC_LEAD
                            if reason == ClosureReason.STEPPED_UP
                            else EndReason.CASE_CLOSED
                        )
            elif kind == "lead" and action.prof is not None:
                assign(action.prof, action.basis, action.change_reason, at, actor)
                actor = action.prof
            elif kind == "member" and action.prof is not None:
                add_member(action.prof, action.role, at, actor)
            elif kind == "family":
                for m in fam.members:
                    mid = ids.take("cases_teammembership")
                    self._row(
                        "cases_teammembership", mid, case_id, "family", NULL, m.id, "", "", "",
                        TACRole.FAMILY_MEMBER, iso(at), NULL, actor.id,
                    )  # fmt: skip
                    event(case_id, "team.member_added", actor.id, at,
                          f"{m.given_names} {m.family_name} joined the TAC",
                          f'{{"membership": {mid}, "role": "family_member"}}')  # fmt: skip
            elif kind == "external":
                mid = ids.take("cases_teammembership")
                self._row(
                    "cases_teammembership", mid, case_id, "external", NULL, NULL,
                    _esc(action.text), _esc(action.note), "", action.role, iso(at), NULL,
                    actor.id,
                )  # fmt: skip
                event(case_id, "team.member_added", actor.id, at,
                      f"{action.text} ({action.note}) joined the TAC",
                      f'{{"membership": {mid}, "role": "{action.role}"}}')  # fmt: skip
            elif kind == "level" and action.prof is not None:
                jid = ids.take("cases_levelofneedjudgement")
                level_id = self.level_ids[action.level]
                self._row(
                    "cases_levelofneedjudgement", jid, case_id, level_id, _esc(action.text), "t",
                    action.prof.id, iso(at),
                )  # fmt: skip
                level = self.d.levels[action.level]
                event(case_id, "level.judged", action.prof.id, at, str(level),
                      f'{{"judgement": {jid}, "level": "{action.level}"}}')  # fmt: skip
        if lead_row is not None:
            self._flush_lead(lead_row)

        self._row(
            "cases_case", case_id, reference, fam.id, status, iso(opened_at), _ts(closed_at),
            plan.closure_reason, _esc(plan.closure_detail),
            NULL if previous_id is None else previous_id, _b(previous_id is not None),
            _d(plan.next_review_due), NULL if level_id is None else level_id, opener.id,
            iso(opened_at), updated.isoformat(),
        )  # fmt: skip

    def _flush_lead(self, row: list[Any]) -> None:
        self.rows["cases_leadprofessionalassignment"].append("\t".join(map(str, row)))

    def take_chunk(self) -> Chunk:
        """This round's rows as COPY data, with the id span each tracked table used."""
        data: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        for table in TABLE_ORDER:
            lines = self.rows[table]
            if lines:
                lines.append("")
                data[table] = "\n".join(lines).encode()
                counts[table] = len(lines) - 1
                lines.clear()
        return Chunk(data=data, counts=counts, spans=self.ids.take_spans())


@dataclass(slots=True)
class Chunk:
    """One round of rows, built by the row builder and loaded by the loader."""

    data: dict[str, bytes]  # table -> COPY text
    counts: dict[str, int]  # table -> rows
    spans: dict[str, list[tuple[int, int]]]  # table -> runs of ids (lowest, highest) taken
    families: int = 0
    children: int = 0


@dataclass(slots=True)
class SeedProgress:
    """How far a bulk seed has got, for a progress display."""

    phase: str  # "writing" while rows stream in, then "indexing", then "done"
    children: int
    families: int
    total_children: int
    elapsed: float


class _BuilderFailed:
    def __init__(self, detail: str) -> None:
        self.detail = detail


def _build_rows(
    out: Any,
    planner: Planner,
    n_children: int,
    families_per_chunk: int,
    connect: Callable[[], Any],
    sequences: dict[str, str],
    share: int = 0,
    shares: int = 1,
) -> None:
    """A row builder: plan its share of the families and their cases and turn them into
    COPY data, a chunk at a time, while the database loads chunks already built (run in
    its own process)."""
    try:
        planner.take_share(share, shares)
        db = connect()
        db.autocommit = True  # only nextval, which no transaction undoes anyway
        ids = IdBlocks(db.cursor(), sequences)
        writer = BulkWriter(planner.d, ids)
        rng = planner.rng
        now = planner.now
        families = planner.families(n_children)
        while True:
            chunk = list(islice(families, families_per_chunk))
            if not chunk:
                break
            n_kids = sum(len(f.children) for f in chunk)
            ids.reserve("cases_family", len(chunk))
            ids.reserve("cases_child", n_kids)
            ids.reserve("cases_familymember", 2 * len(chunk))
            ids.reserve("cases_case", 2 * len(chunk))
            ids.reserve("reference", 2 * len(chunk))
            ids.reserve("cases_casesubject", 2 * n_kids)
            ids.reserve("cases_levelofneedjudgement", 4 * len(chunk))
            ids.reserve("cases_leadprofessionalassignment", 6 * len(chunk))
            ids.reserve("cases_teammembership", 20 * len(chunk))
            for fam in chunk:
                writer.family(fam, now)
                if rng.random() < 0.7:
                    writer.case(fam, planner.plan_family_cases(fam, planner.random_status()))
            rows = writer.take_chunk()
            rows.families = len(chunk)
            rows.children = n_kids
            out.put(rows)
        db.close()
        out.put(None)
    except BaseException:
        out.put(_BuilderFailed(traceback.format_exc()))


#: Row builders working side by side. Building rows is the longest part of the load
#: (Python, about twice PostgreSQL's time for the same rows), so two builders keep
#: both cores busy: each plans half the families, with a random stream of its own.
ROW_BUILDERS = 2


def _share_of(n_children: int, share: int, shares: int) -> int:
    return n_children // shares + (1 if share < n_children % shares else 0)


def _chunks_built_alongside(
    planner: Planner,
    n_children: int,
    families_per_chunk: int,
    sequences: dict[str, str],
    builders: int = ROW_BUILDERS,
) -> Iterator[Chunk]:
    """Chunks from row-builder processes started now, each a chunk or two ahead of the
    loader, taken from them in turn (so the same seed loads the same rows).

    The builders are forked with the planner as it is; each then takes its share
    (``Planner.take_share``) and takes ids from the sequences over its own connection.
    """
    params = connection.get_connection_params()

    def connect() -> Any:
        return psycopg2.connect(**params)

    context = multiprocessing.get_context("fork")
    started: list[tuple[Any, Any]] = []
    try:
        for share in range(builders):
            chunks = context.Queue(maxsize=2)
            own = _share_of(n_children, share, builders)
            builder = context.Process(
                target=_build_rows,
                args=(
                    chunks,
                    planner,
                    own,
                    families_per_chunk,
                    connect,
                    sequences,
                    share,
                    builders,
                ),
                name=f"seed-demo-rows-{share + 1}",
                daemon=True,
            )
            builder.start()
            started.append((builder, chunks))
        working = list(started)
        while working:
            for builder, chunks in list(working):
                item = _next_from(builder, chunks)
                if item is None:
                    builder.join()
                    working.remove((builder, chunks))
                    continue
                yield item
    finally:
        for builder, _chunks in started:
            if builder.is_alive():
                builder.terminate()
                builder.join()


def _next_from(builder: Any, chunks: Any) -> Chunk | None:
    """The builder's next chunk, or None when it has finished."""
    while True:
        try:
            item = chunks.get(timeout=1.0)
            break
        except queue.Empty:
            if builder.is_alive():
                continue
            try:
                item = chunks.get(timeout=1.0)
                break
            except queue.Empty:
                raise RuntimeError(
                    f"The row builder stopped unexpectedly (exit code {builder.exitcode})."
                ) from None
    if isinstance(item, _BuilderFailed):
        raise RuntimeError(f"The row builder failed:\n{item.detail}")
    chunk: Chunk | None = item
    return chunk


class Loader:
    """Loads chunks into the tables with COPY, inside the caller's transaction.

    For speed, while the rows stream in:

    - the change-history insert triggers of the loaded tables are disabled, and each
      chunk's history rows are written with one ``INSERT … SELECT`` per table instead:
      the same columns, the same ``NOW()``, label and context as the trigger writes, in
      the same (id) order, so the rows are identical;
    - the secondary indexes of the loaded tables and their history tables are dropped
      and created again at the end, from their own definitions (creating a unique one
      again checks it);
    - the foreign keys of the loaded tables are dropped and added again at the end,
      which checks every loaded row against its parent in one pass.

    Primary keys, unique constraints and check constraints stay in place throughout. All
    of it happens in the one transaction: nobody else sees the tables without their
    indexes, and if anything fails, nothing changes.
    """

    def __init__(self, cursor: Any, context_id: Callable[[], Any]) -> None:
        self.cursor = cursor
        self._context_id = context_id
        self.context: Any = None
        self.indexes: list[str] = []
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.triggers: list[tuple[str, str]] = []
        self.history: dict[str, tuple[str, list[str]]] = {}
        self.counts: Counter[str] = Counter()

    def prepare(self) -> None:
        cursor = self.cursor
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        tables = list(TABLE_ORDER)
        # The change-history insert trigger of each table, and the history table it fills.
        cursor.execute(
            """
            SELECT c.relname, t.tgname, c.relname || 'history'
              FROM pg_trigger t
              JOIN pg_class c ON c.oid = t.tgrelid
              JOIN pg_proc p ON p.oid = t.tgfoid
             WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
               AND NOT t.tgisinternal AND t.tgenabled <> 'D'
               AND t.tgtype = 5 -- AFTER INSERT FOR EACH ROW
               AND t.tgqual IS NULL
               AND p.prosrc LIKE '%%INSERT INTO "' || c.relname || 'history" %%'
               AND p.prosrc LIKE '%%_pgh_attach_context(), NOW(), ''insert'', NEW."id"%%'
             ORDER BY c.relname
            """,
            [tables],
        )
        for table, trigger, history in cursor.fetchall():
            cursor.execute(
                """
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = %s
                   AND column_name NOT LIKE 'pgh\\_%%'
                 ORDER BY ordinal_position
                """,
                [history],
            )
            self.history[table] = (history, [name for (name,) in cursor.fetchall()])
            self.triggers.append((table, trigger))
        loaded = tables + [history for history, _ in self.history.values()]
        # Secondary indexes, unique ones included, but not those behind a primary key or
        # another constraint.
        cursor.execute(
            """
            SELECT x.relname, pg_get_indexdef(i.indexrelid)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indrelid
              JOIN pg_class x ON x.oid = i.indexrelid
             WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
               AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY 1
            """,
            [loaded],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
              FROM pg_constraint k
              JOIN pg_class c ON c.oid = k.conrelid
             WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
               AND k.contype = 'f'
             ORDER BY 1, 2
            """,
            [tables],
        )
        self.foreign_keys = cursor.fetchall()
        for table, trigger in self.triggers:
            cursor.execute(
                sql.SQL("ALTER TABLE {} DISABLE TRIGGER {}").format(
                    sql.Identifier(table), sql.Identifier(trigger)
                )
            )
        for table, name, _definition in self.foreign_keys:
            cursor.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            )
        for name, definition in indexes:
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
            self.indexes.append(definition)

    def load(self, chunk: Chunk) -> None:
        cursor = self.cursor
        for table, data in chunk.data.items():
            cursor.copy_expert(
                f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN",
                io.BytesIO(data),
                size=1 << 20,
            )
            self.counts[table] += chunk.counts[table]
            if table in self.history:
                for low, high in chunk.spans.get(table, ()):
                    self._write_history(table, low, high)

    def _write_history(self, table: str, low: int, high: int) -> None:
        if self.context is None:
            self.context = self._context_id()
        history, columns = self.history[table]
        names = [sql.Identifier(c) for c in columns]
        pgh = [sql.Identifier(c) for c in HISTORY_COLUMNS]
        self.cursor.execute(
            sql.SQL(
                "INSERT INTO {history} ({columns}) "
                "SELECT {values}, %s::uuid, NOW(), 'insert', id FROM {table} "
                "WHERE id BETWEEN %s AND %s ORDER BY id"
            ).format(
                history=sql.Identifier(history),
                columns=sql.SQL(", ").join(names + pgh),
                values=sql.SQL(", ").join(names),
                table=sql.Identifier(table),
            ),
            [self.context, low, high],
        )

    def finish(self) -> None:
        """Indexes, foreign keys and triggers back as they were."""
        cursor = self.cursor
        for definition in self.indexes:
            cursor.execute(definition)
        for table, name, definition in self.foreign_keys:
            # The definition is PostgreSQL's own text (pg_get_constraintdef), read above.
            cursor.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
                )
            )
        for table, trigger in self.triggers:
            cursor.execute(
                sql.SQL("ALTER TABLE {} ENABLE TRIGGER {}").format(
                    sql.Identifier(table), sql.Identifier(trigger)
                )
            )


def seed_bulk(
    n_children: int,
    seed: int,
    *,
    families_per_chunk: int = BULK_FAMILIES_PER_CHUNK,
    progress: Callable[[SeedProgress], None] | None = None,
) -> SeedSummary:
    """Seed with COPY, in chunks of families, in one transaction.

    Two processes build the rows of the next chunks while PostgreSQL loads this one.
    """
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = NamePools(seed)
    children = families = 0

    def report(phase: str) -> None:
        if progress is not None:
            progress(SeedProgress(phase, children, families, n_children,
                                  time.monotonic() - started))  # fmt: skip

    with transaction.atomic():
        directory = build_directory(rng, names, expected_children=n_children, bulk=True)
        planner = Planner(rng, names, directory)
        with connection.cursor() as django_cursor:

            def context_id() -> Any:
                # Through Django's cursor, which attaches the change-history context.
                django_cursor.execute("SELECT _pgh_attach_context()")
                return django_cursor.fetchone()[0]

            cursor = django_cursor.cursor  # the psycopg2 cursor, for copy_expert
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Looked up before the loader alters the tables, so the builder never waits on them.
            sequences = IdBlocks(cursor).sequence_names()
            loader = Loader(cursor, context_id)
            loader.prepare()
            report("writing")
            chunks = _chunks_built_alongside(planner, n_children, families_per_chunk, sequences)
            for chunk in chunks:
                loader.load(chunk)
                children += chunk.children
                families += chunk.families
                report("writing")
            report("indexing")
            loader.finish()
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # Fresh statistics for every bulk-loaded table, so the planner's first plans
            # are good. Taken before the commit: after it, autovacuum may be analysing
            # the same tables, and each ANALYZE here would wait a second for it to yield.
            for table in TABLE_ORDER:
                cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))
    summary = summarise("bulk", started, n_children)
    report("done")
    return summary
