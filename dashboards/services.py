"""Writes for the dashboards: the summary refresh and the "why late" reasons.

``refresh_summaries`` rebuilds the summary cells (``dashboards.models``) in one
transaction with set-based SQL, so that the authority-wide dashboard reads a
few thousand pre-counted rows (``MetricTotal``) instead of the case tables, and
keeps the teams and agencies the filters offer (``FilterDirectory``). Metric definitions
follow DOMAIN §7.1; each statement below names the metric it serves.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import LOCAL_AUTHORITY_KINDS, Agency, Team
from cases.models import Case, CaseEvent
from dashboards.models import FilterDirectory, MetricCell, MetricTotal, SummaryRefresh, WorkingDay
from meetings.models import Action
from notifications.working_days import is_working_day

if TYPE_CHECKING:
    pass

#: DOMAIN §7.1 M1: an open episode is in one of these statuses. Reassessing is a
#: pass through the active plan (§3.1 Active → Reassessing → Active), so it counts.
EPISODE_STATUSES: tuple[str, ...] = (
    Case.Status.ASSESSING,
    Case.Status.PLANNING,
    Case.Status.ACTIVE,
    Case.Status.REASSESSING,
    Case.Status.STEP_UP_REQUESTED,
)
#: Cases in these statuses never became an episode (they stopped at or before triage).
NEVER_EPISODE_STATUSES: tuple[str, ...] = (
    Case.Status.IDENTIFIED,
    Case.Status.REQUEST_SUBMITTED,
    Case.Status.TRIAGED,
    Case.Status.CONSENT_PENDING,
    Case.Status.SINGLE_AGENCY,
    Case.Status.CSC_REFERRAL,
    Case.Status.CLOSED_NFA,
    Case.Status.CLOSED_DECLINED,
)
OPEN_STATUSES: tuple[str, ...] = tuple(sorted(Case.OPEN_STATUSES))
OPEN_ACTION_STATUSES: tuple[str, ...] = tuple(str(s) for s in Action.OPEN_STATUSES)

#: How many months of flow metrics (requests, closures, reviews...) the cells keep.
FLOW_MONTHS = 24
#: Snapshot metrics whose earlier months are kept as their trend (M5 cannot be
#: rebuilt after the event: a review date that moved leaves no trace in the case row).
KEPT_SNAPSHOTS = ("M5",)
#: Working days are counted exactly up to this many; longer waits share one bucket.
MAX_WORKING_DAYS = 250
#: The event another feature writes when a case arrives by step-down from social care.
STEPPED_DOWN_IN_EVENT = CaseEvent.STEPPED_DOWN_IN
#: The working-day calendar covers these years.
CALENDAR_YEARS = (2000, 2045)
REFRESH_LOCK = 7_212_001  # pg_advisory_xact_lock key: one refresh at a time


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def ensure_working_day_calendar() -> None:
    """Fill ``WorkingDay`` for ``CALENDAR_YEARS`` once (about 17,000 rows)."""
    first, last = dt.date(CALENDAR_YEARS[0], 1, 1), dt.date(CALENDAR_YEARS[1], 12, 31)
    if WorkingDay.objects.filter(day__in=[first, last]).count() == 2:
        return
    rows, ordinal, day = [], 0, first
    while day <= last:
        if is_working_day(day):
            ordinal += 1
        rows.append(WorkingDay(day=day, ordinal=ordinal))
        day += dt.timedelta(days=1)
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(rows, batch_size=5000)


def _local_month(column: str) -> str:
    return f"date_trunc('month', {column} AT TIME ZONE %(tz)s)::date"


def _local_day(column: str) -> str:
    return f"({column} AT TIME ZONE %(tz)s)::date"


_INSERT = (
    f"INSERT INTO {MetricCell._meta.db_table} "
    "(metric, month, team_id, agency_id, locality, level_id, key, key2, value) "
)
_DIMS = "d.team_id, d.agency_id, d.locality, d.level_id"

#: Age bands for M16, at a reference date given as SQL.
_AGE_BAND = """
    CASE WHEN ch.is_unborn OR ch.date_of_birth IS NULL THEN 'unborn'
         WHEN date_part('year', age({ref}, ch.date_of_birth)) < 5 THEN '0-4'
         WHEN date_part('year', age({ref}, ch.date_of_birth)) < 10 THEN '5-9'
         WHEN date_part('year', age({ref}, ch.date_of_birth)) < 16 THEN '10-15'
         WHEN date_part('year', age({ref}, ch.date_of_birth)) < 18 THEN '16-17'
         ELSE '18+' END
"""
#: One row per equality dimension of a child (M16).
_EQUALITY = """
    CROSS JOIN LATERAL (VALUES
        ('ethnicity:' || ch.ethnicity),
        ('sex:' || ch.sex),
        ('age:' || ({age_band})),
        ('disability:' || ch.disability_status),
        ('sen:' || ch.sen_status),
        ('carer:' || CASE WHEN ch.is_young_carer THEN 'yes' ELSE 'no' END)
    ) AS eq(key)
"""


def _statements() -> list[tuple[str, str]]:
    """(metric, SQL) pairs, run in order after the ``dash_dim`` temporary table exists."""
    wd = WorkingDay._meta.db_table
    return [
        # M1 now: open episodes by level, team, agency and locality, keyed by who leads
        # them (M8: 'la', 'partner' or 'none').
        (
            "M1",
            f"""{_INSERT}
            SELECT 'M1', %(month)s, {_DIMS},
                   CASE WHEN d.agency_kind IS NULL THEN 'none'
                        WHEN d.agency_kind = ANY(%(la_kinds)s) THEN 'la'
                        ELSE 'partner' END, '', count(*)
            FROM dash_dim d WHERE d.status = ANY(%(episode)s)
            GROUP BY {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M1 trend: episodes open at the end of each earlier month, from opening and
        # closing dates (the status history is not replayed; see the page's note).
        (
            "M1",
            f"""{_INSERT}
            SELECT 'M1', m.month, {_DIMS}, '', '', count(*)
            FROM generate_series(%(trend_start)s::date, %(last_month)s::date, interval '1 month')
                 AS g(month_ts)
            CROSS JOIN LATERAL (SELECT g.month_ts::date AS month,
                ((g.month_ts + interval '1 month')::timestamp AT TIME ZONE %(tz)s) AS month_end) m
            JOIN dash_dim d ON d.opened_at < m.month_end
                 AND (d.closed_at IS NULL OR d.closed_at >= m.month_end)
            WHERE d.status <> ALL(%(never_episode)s)
            GROUP BY m.month, {_DIMS}""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M2: requests received, by CIN source code and triage decision.
        (
            "M2",
            f"""{_INSERT}
            SELECT 'M2', {_local_month("r.received_at")}, d.team_id, d.agency_id,
                   COALESCE(d.locality, ''), COALESCE(r.level_of_need_at_triage_id, d.level_id),
                   r.source_code, COALESCE(NULLIF(r.triage_decision, ''), 'untriaged'), count(*)
            FROM cases_requestforsupport r LEFT JOIN dash_dim d ON d.case_id = r.case_id
            WHERE r.received_at >= %(flow_start_ts)s
            GROUP BY 2, 3, 4, 5, 6, 7, 8""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M3: working days from the case's first request to each first (not revised)
        # completed assessment, by month of completion; 'none' when no request exists.
        (
            "M3",
            f"""{_INSERT}
            SELECT 'M3', {_local_month("a.completed_at")}, {_DIMS},
                   CASE WHEN w1.ordinal IS NULL THEN 'none'
                        ELSE LEAST(GREATEST(w2.ordinal - w1.ordinal, 0), %(max_wd)s)::text END,
                   '', count(*)
            FROM assessments_assessment a
            JOIN dash_dim d ON d.case_id = a.case_id
            LEFT JOIN (SELECT case_id, min(received_at) AS received_at
                       FROM cases_requestforsupport WHERE case_id IS NOT NULL GROUP BY case_id) r
                 ON r.case_id = a.case_id
            LEFT JOIN {wd} w1 ON w1.day = {_local_day("r.received_at")}
            LEFT JOIN {wd} w2 ON w2.day = {_local_day("a.completed_at")}
            WHERE a.completed_at >= %(flow_start_ts)s AND a.previous_version_id IS NULL
            GROUP BY 2, {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M4: working days from the case's first completed assessment to its first
        # TAC meeting held on or after it, by month of the meeting.
        (
            "M4",
            f"""{_INSERT}
            SELECT 'M4', {_local_month("f.held")}, {_DIMS},
                   LEAST(GREATEST(w2.ordinal - w1.ordinal, 0), %(max_wd)s)::text, '', count(*)
            FROM (SELECT a.case_id, a.completed,
                         (SELECT min(COALESCE(m.held_at, m.starts_at)) FROM meetings_meeting m
                          WHERE m.case_id = a.case_id AND m.status = 'held'
                            AND COALESCE(m.held_at, m.starts_at) >= a.completed) AS held
                  FROM (SELECT case_id, min(completed_at) AS completed
                        FROM assessments_assessment WHERE completed_at IS NOT NULL
                        GROUP BY case_id) a) f
            JOIN dash_dim d ON d.case_id = f.case_id
            JOIN {wd} w1 ON w1.day = {_local_day("f.completed")}
            JOIN {wd} w2 ON w2.day = {_local_day("f.held")}
            WHERE f.held >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M5 now: open cases whose review date has passed with no review held since.
        (
            "M5",
            f"""{_INSERT}
            SELECT 'M5', %(month)s, {_DIMS},
                   CASE WHEN d.review_late_reason <> '' THEN 'reason' ELSE 'none' END, '', count(*)
            FROM dash_dim d
            WHERE d.status = ANY(%(open)s) AND d.next_review_due < %(today)s
              AND NOT EXISTS (SELECT 1 FROM meetings_review rv WHERE rv.case_id = d.case_id
                              AND {_local_day("rv.reviewed_at")} >= d.next_review_due)
            GROUP BY {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M6 now: open actions past their due date on open cases, by owner agency.
        (
            "M6",
            f"""{_INSERT}
            SELECT 'M6', %(month)s, {_DIMS}, COALESCE(a.owner_agency_id::text, 'family'),
                   CASE WHEN a.late_reason <> '' THEN 'reason' ELSE 'none' END, count(*)
            FROM meetings_action a JOIN dash_dim d ON d.case_id = a.case_id
            WHERE a.status = ANY(%(open_actions)s) AND a.due_on < %(today)s
              AND d.status = ANY(%(open)s)
            GROUP BY {_DIMS}, 7, 8""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M7 now: how many lead professionals hold each caseload size (episodes, and
        # subject children). A distribution: no professional is named or ranked.
        (
            "M7",
            f"""{_INSERT}
            SELECT metric, %(month)s, team_id, agency_id, locality, NULL, size::text, '', count(*)
            FROM (SELECT d.lead_id, d.team_id, d.agency_id, d.locality,
                         count(*) AS episodes, sum(s.children) AS children
                  FROM dash_dim d
                  JOIN (SELECT case_id, count(*) AS children FROM cases_casesubject
                        GROUP BY case_id) s ON s.case_id = d.case_id
                  WHERE d.status = ANY(%(episode)s) AND d.lead_id IS NOT NULL
                  GROUP BY d.lead_id, d.team_id, d.agency_id, d.locality) per_lead
            CROSS JOIN LATERAL (VALUES ('M7', per_lead.episodes), ('M7C', per_lead.children))
                 AS v(metric, size)
            GROUP BY metric, team_id, agency_id, locality, size""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M9: closures by reason, by month of closing.
        (
            "M9",
            f"""{_INSERT}
            SELECT 'M9', {_local_month("d.closed_at")}, {_DIMS}, d.closure_reason, '', count(*)
            FROM dash_dim d WHERE d.closed_at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M11: step-downs in from children's social care, by month.
        (
            "M11D",
            f"""{_INSERT}
            SELECT 'M11D', {_local_month("e.at")}, {_DIMS}, '', '', count(DISTINCT e.case_id)
            FROM cases_caseevent e JOIN dash_dim d ON d.case_id = e.case_id
            WHERE e.code = %(stepped_down_in)s AND e.at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M12: cases opened, and those that are re-referrals: a subject child's
        # earlier case closed in the 12 months before this one opened.
        (
            "M12",
            f"""{_INSERT}
            WITH rereferred AS MATERIALIZED (
                SELECT DISTINCT s1.case_id
                FROM dash_dim d
                JOIN cases_casesubject s1 ON s1.case_id = d.case_id
                JOIN cases_casesubject s2 ON s2.child_id = s1.child_id AND s2.case_id <> s1.case_id
                JOIN dash_dim p ON p.case_id = s2.case_id
                WHERE d.opened_at >= %(flow_start_ts)s AND p.closed_at <= d.opened_at
                  AND p.closed_at > d.opened_at - interval '12 months'
            )
            SELECT 'M12', {_local_month("d.opened_at")}, {_DIMS},
                   CASE WHEN rr.case_id IS NULL THEN 'first' ELSE 'rereferral' END, '', count(*)
            FROM dash_dim d LEFT JOIN rereferred rr ON rr.case_id = d.case_id
            WHERE d.opened_at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M15: reviews held, with the child's and the parents' views recorded or not.
        (
            "M15",
            f"""{_INSERT}
            SELECT 'M15', {_local_month("rv.reviewed_at")}, {_DIMS},
                   CASE WHEN btrim(rv.child_views) <> '' THEN 'yes' ELSE 'no' END,
                   CASE WHEN btrim(rv.parent_views) <> '' THEN 'yes' ELSE 'no' END, count(*)
            FROM meetings_review rv JOIN dash_dim d ON d.case_id = rv.case_id
            WHERE rv.reviewed_at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, 7, 8""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M15: reviews with family feedback returned ("is this working for you?") or not.
        (
            "M15F",
            f"""{_INSERT}
            SELECT 'M15F', {_local_month("rv.reviewed_at")}, {_DIMS},
                   CASE WHEN EXISTS (SELECT 1 FROM meetings_familyfeedback f
                                     WHERE f.review_id = rv.id) THEN 'yes' ELSE 'no' END,
                   '', count(*)
            FROM meetings_review rv JOIN dash_dim d ON d.case_id = rv.case_id
            WHERE rv.reviewed_at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M15: the family's answers, by answer and by who gave them (in the review's month).
        (
            "M15A",
            f"""{_INSERT}
            SELECT 'M15A', {_local_month("rv.reviewed_at")}, {_DIMS}, f.answer, f.given_by,
                   count(*)
            FROM meetings_familyfeedback f JOIN meetings_review rv ON rv.id = f.review_id
            JOIN dash_dim d ON d.case_id = rv.case_id
            WHERE rv.reviewed_at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, f.answer, f.given_by""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M16 for M1: children in open episodes, by equality dimension.
        (
            "E1",
            f"""{_INSERT}
            SELECT 'E1', %(month)s, {_DIMS}, eq.key, '', count(*)
            FROM dash_dim d JOIN cases_casesubject s ON s.case_id = d.case_id
            JOIN cases_child ch ON ch.id = s.child_id
            {_EQUALITY.format(age_band=_AGE_BAND.format(ref="%(today)s::date"))}
            WHERE d.status = ANY(%(episode)s)
            GROUP BY {_DIMS}, eq.key""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M16 for M2: children named in requests received.
        (
            "E2",
            f"""{_INSERT}
            SELECT 'E2', {_local_month("r.received_at")}, d.team_id, d.agency_id,
                   COALESCE(d.locality, ''), COALESCE(r.level_of_need_at_triage_id, d.level_id),
                   eq.key, '', count(*)
            FROM cases_requestforsupport r
            JOIN cases_requestforsupport_subjects rs ON rs.requestforsupport_id = r.id
            JOIN cases_child ch ON ch.id = rs.child_id
            LEFT JOIN dash_dim d ON d.case_id = r.case_id
            {_EQUALITY.format(age_band=_AGE_BAND.format(ref=_local_day("r.received_at")))}
            WHERE r.received_at >= %(flow_start_ts)s
            GROUP BY 2, 3, 4, 5, 6, 7""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
        # M16 for M9-M11: children in closed cases, by closure reason.
        (
            "E9",
            f"""{_INSERT}
            SELECT 'E9', {_local_month("d.closed_at")}, {_DIMS}, eq.key, d.closure_reason,
                   count(*)
            FROM dash_dim d JOIN cases_casesubject s ON s.case_id = d.case_id
            JOIN cases_child ch ON ch.id = s.child_id
            {_EQUALITY.format(age_band=_AGE_BAND.format(ref=_local_day("d.closed_at")))}
            WHERE d.closed_at >= %(flow_start_ts)s
            GROUP BY 2, {_DIMS}, eq.key, d.closure_reason""",  # noqa: S608 (constants only; values are parameters)  # nosec B608
        ),
    ]


#: Authority-wide totals of the cells just written, in one statement (so the rows sit
#: together): every figure summed to its metric, month and keys. (Open episodes now
#: are keyed by who leads them, and overdue actions summed over their owners: the
#: breakdowns by agency follow.)
_TOTALS = f"""
INSERT INTO {MetricTotal._meta.db_table}
    (metric, month, level_id, agency_id, locality, key, key2, value)
SELECT metric, month, NULL, NULL, '', key, key2, sum(value)
FROM (SELECT metric, month, CASE WHEN metric = 'M6' THEN '' ELSE key END AS key, key2, value
      FROM {MetricCell._meta.db_table} c
      WHERE NOT (c.metric = ANY(%(kept)s) AND c.month < %(month)s)) cells
GROUP BY metric, month, key, key2
ORDER BY metric, month
"""  # noqa: S608 (models' tables)  # nosec B608

#: Open episodes now, broken down one way at a time for the authority page: by level
#: (``M1L``), by locality (``M1P``) and by agency (``M1A``, which the page reads largest
#: first and only the first few of), and the number of agencies leading any (``M1N``).
#: Overdue actions now by owner: every one (``M6A``), those with a reason given
#: (``M6R``), and the number of owners (``M6N``). So the page reads a few rows however
#: many agencies there are.
_OPEN_NOW_BREAKDOWNS = f"""
INSERT INTO {MetricTotal._meta.db_table}
    (metric, month, level_id, agency_id, locality, key, key2, value)
SELECT CASE WHEN GROUPING(level_id) = 0 THEN 'M1L'
            WHEN GROUPING(locality) = 0 THEN 'M1P' ELSE 'M1A' END,
       %(month)s, level_id, agency_id, COALESCE(locality, ''), '', '', sum(value)
FROM {MetricCell._meta.db_table}
WHERE metric = 'M1' AND month = %(month)s
GROUP BY GROUPING SETS ((level_id), (locality), (agency_id))
UNION ALL
SELECT 'M1N', %(month)s, NULL, NULL, '', '', '', count(DISTINCT agency_id)
FROM {MetricCell._meta.db_table}
WHERE metric = 'M1' AND month = %(month)s
UNION ALL
SELECT CASE WHEN GROUPING(key2) = 1 THEN 'M6A' ELSE 'M6R' END, %(month)s, NULL, NULL, '',
       key, COALESCE(key2, ''), sum(value)
FROM {MetricCell._meta.db_table}
WHERE metric = 'M6' AND month = %(month)s
GROUP BY GROUPING SETS ((key), (key, key2))
HAVING GROUPING(key2) = 1 OR key2 = 'reason'
UNION ALL
SELECT 'M6N', %(month)s, NULL, NULL, '', '', '', count(DISTINCT key)
FROM {MetricCell._meta.db_table}
WHERE metric = 'M6' AND month = %(month)s
"""  # noqa: S608 (models' tables)  # nosec B608

#: The teams and agencies as at this refresh, for the filters (``FilterDirectory``).
_DIRECTORY = f"""
INSERT INTO {FilterDirectory._meta.db_table} (refresh_id, teams, agencies)
SELECT %(refresh)s,
    (SELECT COALESCE(jsonb_agg(jsonb_build_array(t.id, t.name, a.name, t.locality, t.agency_id)
                               ORDER BY t.name, t.id), '[]'::jsonb)
     FROM {Team._meta.db_table} t JOIN {Agency._meta.db_table} a ON a.id = t.agency_id),
    (SELECT COALESCE(jsonb_agg(jsonb_build_array(a.id, a.name, a.kind, a.locality)
                               ORDER BY a.name, a.id), '[]'::jsonb)
     FROM {Agency._meta.db_table} a)
"""  # noqa: S608 (models' tables)  # nosec B608

_DIMENSION_TABLE = """
CREATE TEMPORARY TABLE dash_dim ON COMMIT DROP AS
SELECT c.id AS case_id, c.status, c.opened_at, c.closed_at, c.closure_reason,
       c.next_review_due, c.review_late_reason, c.current_level_id AS level_id,
       l.professional_id AS lead_id, u.team_id,
       COALESCE(l.agency_id, u.agency_id) AS agency_id,
       COALESCE(NULLIF(t.locality, ''), a.locality, '') AS locality,
       a.kind AS agency_kind
FROM cases_case c
LEFT JOIN (
    -- The lead whose team and agency a case counts under: the active lead of an
    -- open case; the last lead of a closed one.
    SELECT DISTINCT ON (case_id) case_id, professional_id, agency_id, ended_at
    FROM cases_leadprofessionalassignment
    ORDER BY case_id, (ended_at IS NULL) DESC, started_at DESC, id DESC
) l ON l.case_id = c.id AND (l.ended_at IS NULL OR c.closed_at IS NOT NULL)
LEFT JOIN agencies_user u ON u.id = l.professional_id
LEFT JOIN agencies_team t ON t.id = u.team_id
LEFT JOIN agencies_agency a ON a.id = COALESCE(l.agency_id, u.agency_id)
"""


def refresh_summaries(*, today: dt.date | None = None) -> SummaryRefresh:
    """Rebuild every summary cell as of ``today``, in one transaction.

    Readers see the previous cells until the transaction commits. Two refreshes
    never overlap: the second waits for the first's lock.
    """
    started = time.monotonic()
    now = timezone.now()
    today = today or timezone.localdate()
    this_month = month_start(today)
    flow_start = add_months(this_month, -(FLOW_MONTHS - 1))
    tz = settings.TIME_ZONE
    params: dict[str, Any] = {
        "tz": tz,
        "today": today,
        "month": this_month,
        "trend_start": add_months(this_month, -11),
        "last_month": add_months(this_month, -1),
        "flow_start_ts": dt.datetime.combine(
            flow_start, dt.time(), tzinfo=timezone.get_current_timezone()
        ),
        "episode": [str(s) for s in EPISODE_STATUSES],
        "never_episode": [str(s) for s in NEVER_EPISODE_STATUSES],
        "open": list(OPEN_STATUSES),
        "open_actions": list(OPEN_ACTION_STATUSES),
        "max_wd": MAX_WORKING_DAYS,
        "stepped_down_in": STEPPED_DOWN_IN_EVENT,
        "la_kinds": sorted(str(kind) for kind in LOCAL_AUTHORITY_KINDS),
    }
    with transaction.atomic():
        ensure_working_day_calendar()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])
            # Normally dropped at commit; inside an enclosing transaction, drop it here.
            cursor.execute("DROP TABLE IF EXISTS pg_temp.dash_dim")
            cursor.execute(_DIMENSION_TABLE)
            cursor.execute("CREATE INDEX ON dash_dim (case_id)")
            cursor.execute("ANALYZE dash_dim")
            # Kept snapshots keep their earlier months; everything else is rebuilt.
            for table in (MetricCell._meta.db_table, MetricTotal._meta.db_table):
                cursor.execute(
                    f"DELETE FROM {table} "  # noqa: S608 (a model's table)  # nosec B608
                    "WHERE NOT (metric = ANY(%s) AND month < %s)",
                    [list(KEPT_SNAPSHOTS), this_month],
                )
            cells = 0
            for _metric, sql in _statements():
                cursor.execute(sql, params)
                cells += cursor.rowcount
            # Authority-wide totals of everything just written.
            cursor.execute(_TOTALS, {"kept": list(KEPT_SNAPSHOTS), "month": this_month})
            cells += cursor.rowcount
            cursor.execute(_OPEN_NOW_BREAKDOWNS, {"month": this_month})
            cells += cursor.rowcount
            # Fresh statistics: stale ones make the page's small queries look big
            # (and, past the JIT threshold, pay for compiling them).
            for model in (MetricCell, MetricTotal):
                statement = "ANALYZE " + connection.ops.quote_name(model._meta.db_table)
                cursor.execute(statement)
        refresh = SummaryRefresh.objects.create(
            started_at=now,
            finished_at=timezone.now(),
            as_of=today,
            cell_count=cells,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        # The directory as at this refresh; earlier ones are no longer read.
        FilterDirectory.objects.exclude(refresh=refresh).delete()
        with connection.cursor() as cursor:
            cursor.execute(_DIRECTORY, {"refresh": refresh.pk})
    if not connection.in_atomic_block:
        # The unfiltered authority page reads every totals row: clear the replaced ones
        # now rather than when autovacuum comes round (a small table: milliseconds).
        # Inside an enclosing transaction (tests) VACUUM cannot run; autovacuum will.
        statement = "VACUUM (ANALYZE) " + connection.ops.quote_name(MetricTotal._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(statement)
    return refresh
