"""The bulk path: the same plans as the small path, streamed to PostgreSQL with COPY.

Families, children, cases and everything on them are written as tab-separated rows,
``BULK_FAMILIES_PER_CHUNK`` families a round, simulating what the case services
would write (benchmarks/README.md explains how). Nothing is dropped or disabled:
every index, check and foreign key stays in place.
"""

from __future__ import annotations

import io
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from psycopg2 import sql  # type: ignore[import-untyped]

from cases.models import Case, ClosureReason, LeadProfessionalAssignment, TACRole
from cases.phonetics import child_name_keys
from demo.directory import Directory, Prof, build_directory
from demo.families import FamilySpec, disability_status, sen_status
from demo.names import NamePools
from demo.plans import CasePlan, Planner
from demo.summary import SeedSummary, summarise

#: More children than this are written with COPY unless the caller says otherwise.
BULK_THRESHOLD = 5000
#: Families written per COPY round on the bulk path.
BULK_FAMILIES_PER_CHUNK = 25_000

S = Case.Status
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


class IdBlocks:
    """Primary keys taken from each table's identity sequence, a block at a time.

    ``nextval`` over ``generate_series`` is safe alongside other writers.
    """

    BLOCK = 50_000

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.free: dict[str, deque[int]] = {}
        self.sequences: dict[str, str] = {}

    def _sequence(self, table: str) -> str:
        if table not in self.sequences:
            if table == "reference":
                self.sequences[table] = "cases_case_reference_seq"
            else:
                self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                self.sequences[table] = self.cursor.fetchone()[0]
        return self.sequences[table]

    def reserve(self, table: str, n: int) -> None:
        """Make sure ``n`` ids are ready for ``table`` (one query for the whole chunk)."""
        free = self.free.setdefault(table, deque())
        if len(free) >= n:
            return
        want = max(n - len(free), self.BLOCK)
        self.cursor.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence(table), want]
        )
        free.extend(row[0] for row in self.cursor.fetchall())

    def take(self, table: str) -> int:
        return self.free[table].popleft()


def _ts(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _d(value: date | None) -> str:
    return NULL if value is None else value.isoformat()


def _b(value: bool) -> str:
    return "t" if value else "f"


def _child_search_keys(given_names: str, family_name: str) -> tuple[str, str, str, str]:
    """A child's "find a child" key columns (``cases.phonetics``), as COPY text, in the
    order of ``COLUMNS``: family metaphone, family soundex, given metaphone, slip keys."""
    keys = child_name_keys(given_names, family_name)
    return (
        keys["family_name_metaphone"],
        keys["family_name_soundex"],
        keys["given_name_metaphone"],
        "{" + ",".join(keys["name_slip_keys"]) + "}",  # letters and ":" only: no quoting
    )


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

    def _row(self, table: str, *values: object) -> None:
        self.rows[table].append("\t".join(map(str, values)))

    def _event(
        self, case_id: int, code: str, actor: int | None, at: datetime, summary: str, data: str
    ) -> None:
        self.rows["cases_caseevent"].append(
            f"{case_id}\t{code}\t{NULL if actor is None else actor}\t{at.isoformat()}\t"
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
            self._row(
                "cases_child", c.id, fam.id, _esc(c.given_names), _esc(c.family_name), "",
                c.sex, _d(c.date_of_birth), _b(c.is_unborn), _d(c.edd), address, fam.postcode,
                "", "", c.nhs_number, NULL if c.school_id is None else c.school_id, c.religion,
                "", c.ethnicity, "", c.first_language, c.first_language,
                _b(c.interpreter_required), _b(c.interpreter_required), _b(c.has_disability),
                "", _b(c.has_sen), "", "", _b(c.is_young_carer), _b(c.risk_of_exclusion),
                *_child_search_keys(c.given_names, c.family_name), created, created,
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
                role, at.isoformat(), NULL, by.id,
            )  # fmt: skip
            event(case_id, "team.member_added", by.id, at, f"{prof.label} joined the TAC",
                  f'{{"membership": {mid}, "role": "{role}"}}')  # fmt: skip

        def assign(prof: Prof, basis: str, reason: str, at: datetime, by: Prof) -> None:
            nonlocal lead_row, lead_prof
            previous = lead_prof
            if lead_row is not None:
                lead_row[10] = at.isoformat()
                lead_row[11] = EndReason.REPLACED
                self._flush_lead(lead_row)
            aid = ids.take("cases_leadprofessionalassignment")
            lead_row = [
                aid, case_id, prof.id, NULL if prof.agency_id is None else prof.agency_id,
                basis, _b(basis == Basis.FAMILY_CHOICE), "", reason, "", at.isoformat(), NULL,
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
                summary = f"{Case.Status(status).label} → {Case.Status(to).label}"
                reason = plan.closure_reason if closing else ""
                event(case_id, "case.closed" if closing else "case.status_changed", actor.id, at,
                      summary, f'{{"from": "{status}", "to": "{to}", "note": "{action.note}", '
                      f'"closure_reason": "{reason}"}}')  # fmt: skip
                status = to
                if closing:
                    closed_at = at
                    if lead_row is not None:
                        lead_row[10] = at.isoformat()
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
                        TACRole.FAMILY_MEMBER, at.isoformat(), NULL, actor.id,
                    )  # fmt: skip
                    event(case_id, "team.member_added", actor.id, at,
                          f"{m.given_names} {m.family_name} joined the TAC",
                          f'{{"membership": {mid}, "role": "family_member"}}')  # fmt: skip
            elif kind == "external":
                mid = ids.take("cases_teammembership")
                self._row(
                    "cases_teammembership", mid, case_id, "external", NULL, NULL,
                    _esc(action.text), _esc(action.note), "", action.role, at.isoformat(), NULL,
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
                    action.prof.id, at.isoformat(),
                )  # fmt: skip
                level = self.d.levels[action.level]
                event(case_id, "level.judged", action.prof.id, at, str(level),
                      f'{{"judgement": {jid}, "level": "{action.level}"}}')  # fmt: skip
        if lead_row is not None:
            self._flush_lead(lead_row)

        self._row(
            "cases_case", case_id, reference, fam.id, status, opened_at.isoformat(), _ts(closed_at),
            plan.closure_reason, _esc(plan.closure_detail),
            NULL if previous_id is None else previous_id, _b(previous_id is not None),
            _d(plan.next_review_due), NULL if level_id is None else level_id, opener.id,
            opened_at.isoformat(), updated.isoformat(),
        )  # fmt: skip

    def _flush_lead(self, row: list[Any]) -> None:
        self.rows["cases_leadprofessionalassignment"].append("\t".join(map(str, row)))

    def copy(self, cursor: Any) -> None:
        for table in TABLE_ORDER:
            lines = self.rows[table]
            if not lines:
                continue
            buffer = io.StringIO("\n".join(lines) + "\n")
            cursor.copy_expert(
                f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN", buffer, size=1 << 20
            )
            self.counts[table] += len(lines)
            lines.clear()


def seed_bulk(
    n_children: int,
    seed: int,
    *,
    families_per_chunk: int = BULK_FAMILIES_PER_CHUNK,
    progress: Callable[[int, float], None] | None = None,
) -> SeedSummary:
    """Seed with COPY, in chunks of families, in one transaction."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = NamePools(seed)
    with transaction.atomic():
        directory = build_directory(rng, names, expected_children=n_children, bulk=True)
        planner = Planner(rng, names, directory)
        now = planner.now
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # the psycopg2 cursor, for copy_expert
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            ids = IdBlocks(cursor)
            writer = BulkWriter(directory, ids)
            families = planner.families(n_children)
            done = 0
            while True:
                chunk = [f for _, f in zip(range(families_per_chunk), families, strict=False)]
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
                writer.copy(cursor)
                done += n_kids
                if progress is not None:
                    progress(done, time.monotonic() - started)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # Fresh statistics for every bulk-loaded table, so the planner's first plans are good.
    for table in (
        "cases_family",
        "cases_familymember",
        "cases_child",
        "cases_case",
        "cases_casesubject",
        "cases_teammembership",
        "cases_leadprofessionalassignment",
        "cases_levelofneedjudgement",
        "cases_caseevent",
    ):
        with connection.cursor() as cursor:
            statement = sql.SQL("ANALYZE {}").format(sql.Identifier(table))
            cursor.execute(statement.as_string(connection.connection))
    return summarise("bulk", started, n_children)
