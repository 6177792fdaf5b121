"""The authority and team dashboards, section by section, read from the summary tables
(DOMAIN §7)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils import timezone

from cases.models import (
    ClosureReason,
    DisabilityStatus,
    Ethnicity,
    LevelOfNeed,
    ReferralSource,
    SenStatus,
    Sex,
    TriageDecision,
)
from dashboards.metrics import (
    AGE_BAND_ORDER,
    CASELOAD_BANDS,
    EQUALITY_DIMENSIONS,
    LONG_TABLE_ROWS,
    NO_FIGURE,
    TOP_AGENCIES,
    TREND_MONTHS,
    WAIT_BANDS,
    AgencyChoice,
    Cell,
    Cells,
    Choices,
    Dashboard,
    Figure,
    Filters,
    OpenNow,
    Scope,
    Table,
    assessment_target_working_days,
    band_label,
    format_days,
    in_band,
    median_of,
    month_label,
    months_filter,
    percent,
    quantile_of,
    read_cells,
)
from dashboards.services import add_months, month_start
from meetings.models import FamilyFeedback

if TYPE_CHECKING:
    pass


def build_dashboard(
    scope: Scope, filters: Filters, choices: Choices, agency_limit: int | None = TOP_AGENCIES
) -> Dashboard:
    """Every table and figure of the dashboard, in a fixed number of queries; the
    open episodes of the ``agency_limit`` agencies leading the most (``None``: all)."""
    refresh = choices.refresh
    teams, agencies, levels, localities = (
        choices.teams,
        choices.agencies,
        choices.levels,
        choices.localities,
    )
    tables: dict[str, Table] = {}
    figures: dict[str, list[Figure]] = {}
    # Before the first refresh every table is there, empty.
    as_of = refresh.as_of if refresh is not None else timezone.localdate()
    as_of_month = month_start(as_of)
    period_months = [add_months(as_of_month, -i) for i in range(filters.period - 1, -1, -1)]
    trend_months = [add_months(as_of_month, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    cells, open_now = (
        (Cells([]), OpenNow())
        if refresh is None
        else read_cells(
            scope,
            filters,
            months_filter(period_months, trend_months, as_of_month),
            period_months[0],
            as_of_month,
            agency_limit,
            LONG_TABLE_ROWS if agency_limit is not None else None,
        )
    )
    agency_by_id = choices.agency_by_id or {a.pk: a for a in agencies}
    level_by_id = {lv.pk: lv for lv in levels}

    _open_episodes(
        tables,
        figures,
        open_now,
        agency_by_id,
        level_by_id,
        cells,
        as_of_month,
        trend_months,
        agency_limit,
    )
    _caseloads(tables, figures, cells, as_of_month)
    _overdue(tables, figures, cells, agency_by_id, as_of_month, trend_months)
    _requests(tables, figures, cells, period_months)
    _timeliness(tables, figures, cells, period_months)
    _closures(tables, figures, cells, period_months, trend_months)
    _family_voice(tables, figures, cells, period_months)
    _equality(tables, cells, as_of_month, period_months)
    return Dashboard(
        scope,
        filters,
        refresh,
        period_months[0],
        as_of,
        tables,
        figures,
        teams,
        agencies,
        levels,
        localities,
    )


def _open_episodes(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    open_now: OpenNow,
    agency_by_id: Mapping[int, AgencyChoice],
    level_by_id: dict[int, LevelOfNeed],
    cells: Cells,
    month: dt.date,
    trend_months: list[dt.date],
    agency_limit: int | None,
) -> None:
    by_level = open_now.by_level
    total = sum(by_level.values())
    # Who leads (M8): the cells of open episodes now are keyed by it.
    led = cells.by("M1", "key", months=[month])
    level_rows: list[list[Cell]] = [
        [level.label, by_level.get(pk, 0)] for pk, level in level_by_id.items()
    ]
    if by_level.get(None):
        level_rows.append(["Not yet judged", by_level[None]])
    tables["m1_level"] = Table(
        "m1_level", "Open episodes by level of need", ["Level of need", "Open episodes"], level_rows
    )
    by_locality: dict[str, int] = defaultdict(int)
    for name, v in open_now.by_locality.items():
        by_locality[name or "Not recorded"] += v
    tables["m1_locality"] = Table(
        "m1_locality",
        "Open episodes by locality",
        ["Locality", "Open episodes"],
        [[name, v] for name, v in sorted(by_locality.items())],
        display_limit=LONG_TABLE_ROWS,
    )
    tables["m1_agency"] = _open_by_agency(open_now, agency_by_id, total, agency_limit)
    trend = cells.by("M1", "month", months=trend_months)
    tables["m1_trend"] = Table(
        "m1_trend",
        "Open episodes at the end of each month (this month: now)",
        ["Month", "Open episodes"],
        [[month_label(m), trend.get(m, 0)] for m in trend_months],
        note="Earlier months are counted from opening and closing dates.",
    )
    partner, la, none = led.get("partner", 0), led.get("la", 0), led.get("none", 0)
    tables["m8"] = Table(
        "m8",
        "Who leads open episodes",
        ["Lead professional from", "Open episodes", "Share"],
        [
            ["A partner agency", partner, percent(partner, total)],
            ["The local authority", la, percent(la, total)],
            ["No lead professional yet", none, percent(none, total)],
        ],
    )
    figures["m1"] = [Figure("Open episodes", f"{total:,}")]
    figures["m8"] = [Figure("Led by a partner agency", percent(partner, total), f"{partner:,}")]


def _open_by_agency(
    open_now: OpenNow,
    agency_by_id: Mapping[int, AgencyChoice],
    total: int,
    agency_limit: int | None,
) -> Table:
    """The agencies leading the most open episodes, and the others in one row (on the
    page; the CSV, read with no limit, lists every agency)."""
    rows: list[list[Cell]] = []
    for pk, v in open_now.top_agencies:
        agency = agency_by_id.get(pk) if pk is not None else None
        name = agency.name if agency else "Agency no longer listed"
        rows.append(["No lead professional" if pk is None else name, v])
    named = sum(1 for pk, _v in open_now.top_agencies if pk is not None)
    others = open_now.agency_count - named
    note = ""
    if agency_limit is not None and others > 0:
        shown = sum(v for _pk, v in open_now.top_agencies)
        rows.append([f"{others:,} other agenc{'y' if others == 1 else 'ies'}", total - shown])
        note = f"The {named:,} agencies leading the most open episodes; the CSV lists every agency."
    return Table(
        "m1_agency",
        "Open episodes by the lead professional's agency",
        ["Lead professional's agency", "Open episodes"],
        rows,
        note=note,
    )


def _caseloads(
    tables: dict[str, Table], figures: dict[str, list[Figure]], cells: Cells, month: dt.date
) -> None:
    for metric, key, noun in (("M7", "m7", "open episodes"), ("M7C", "m7c", "children")):
        hist = cells.histogram(metric, months=[month])
        leads = sum(hist.values())
        tables[key] = Table(
            key,
            f"Lead professionals by caseload ({noun})",
            [f"Caseload ({noun})", "Lead professionals"],
            [
                [band_label(lo, hi), sum(c for v, c in hist.items() if in_band(v, lo, hi))]
                for lo, hi in CASELOAD_BANDS
            ],
            note="A distribution: no one is named or ranked.",
        )
        figures[key] = [
            Figure("Lead professionals", f"{leads:,}"),
            Figure(f"Median {noun} each", format_days(median_of(hist))),
            Figure(
                "Three in four hold at most",
                NO_FIGURE if quantile_of(hist, 0.75) is None else str(quantile_of(hist, 0.75)),
            ),
        ]


def _overdue(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: Cells,
    agency_by_id: Mapping[int, AgencyChoice],
    month: dt.date,
    trend_months: list[dt.date],
) -> None:
    with_reason = cells.total("M5", months=[month], key="reason")
    without = cells.total("M5", months=[month], key="none")
    figures["m5"] = [
        Figure("Overdue reviews", f"{with_reason + without:,}"),
        Figure("With a reason given", f"{with_reason:,}"),
        Figure("No reason given", f"{without:,}"),
    ]
    trend_total = cells.by("M5", "month", months=trend_months)
    trend_reason = cells.by("M5", "month", months=trend_months, key="reason")
    tables["m5_trend"] = Table(
        "m5_trend",
        "Overdue reviews at each refresh, by month",
        ["Month", "Overdue reviews", "With a reason given"],
        [
            [
                month_label(m),
                trend_total.get(m),
                trend_reason.get(m, 0) if m in trend_total else None,
            ]
            for m in trend_months
        ],
        note="Recorded from the month the dashboards started; empty months were not recorded.",
    )
    per_agency: dict[str, dict[str, int]] = defaultdict(lambda: {"reason": 0, "none": 0})
    for row in cells.select("M6A", months=[month]):
        per_agency[row["key"]][row["key2"]] += int(row["v"])

    def agency_name(key: str) -> str:
        if key == "family":
            return "The family or their network"
        agency = agency_by_id.get(int(key)) if key.isdigit() else None
        return agency.name if agency else "Agency no longer listed"

    rows: list[list[Cell]] = sorted(
        (
            [agency_name(k), v["reason"] + v["none"], v["reason"], v["none"]]
            for k, v in per_agency.items()
        ),
        key=lambda r: (-int(r[1] or 0), str(r[0])),
    )
    tables["m6"] = Table(
        "m6",
        "Overdue actions by the agency that owns them",
        ["Owner agency", "Overdue actions", "With a reason given", "No reason given"],
        rows,
        display_limit=LONG_TABLE_ROWS,
        unlisted=max(0, cells.total("M6N", months=[month]) - len(rows)),
    )
    reasons = cells.total("M6", months=[month], key2="reason")
    total = reasons + cells.total("M6", months=[month], key2="none")
    figures["m6"] = [
        Figure("Overdue actions", f"{total:,}"),
        Figure("With a reason given", f"{reasons:,}"),
        Figure("No reason given", f"{total - reasons:,}"),
    ]


def _requests(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: Cells,
    months: list[dt.date],
) -> None:
    by_source = cells.by("M2", "key", months=months)
    by_decision = cells.by("M2", "key2", months=months)
    total = sum(by_source.values())
    tables["m2_source"] = Table(
        "m2_source",
        "Requests for support received, by source",
        ["Source (CIN code)", "Requests", "Share"],
        [
            [f"{label} ({code})", by_source[code], percent(by_source[code], total)]
            for code, label in ReferralSource.choices
            if by_source.get(code)
        ],
    )
    decisions = [*TriageDecision.choices, ("untriaged", "Waiting for triage")]
    tables["m2_decision"] = Table(
        "m2_decision",
        "Requests for support received, by triage decision",
        ["Triage decision", "Requests", "Share"],
        [
            [label, by_decision.get(code, 0), percent(by_decision.get(code, 0), total)]
            for code, label in decisions
        ],
    )
    figures["m2"] = [Figure("Requests received", f"{total:,}")]


def _timeliness(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: Cells,
    months: list[dt.date],
) -> None:
    target = assessment_target_working_days()
    m3 = cells.histogram("M3", months=months)
    no_request = cells.total("M3", months=months, key="none")
    done = sum(m3.values())
    within = sum(c for v, c in m3.items() if v <= target)
    figures["m3"] = [
        Figure("Assessments completed", f"{done + no_request:,}"),
        Figure("Median working days from request", format_days(median_of(m3))),
        Figure(
            f"Within {target} working days",
            percent(within, done),
            f"{within:,} of {done:,}",
        ),
    ]
    if no_request:
        figures["m3"].append(Figure("With no request recorded (not timed)", f"{no_request:,}"))
    m4 = cells.histogram("M4", months=months)
    figures["m4"] = [
        Figure("First TAC meetings held", f"{sum(m4.values()):,}"),
        Figure("Median working days from assessment", format_days(median_of(m4))),
    ]
    for key, hist, caption, noun in (
        ("m3", m3, "Working days from request to completed assessment", "Assessments"),
        ("m4", m4, "Working days from completed assessment to first TAC meeting", "Meetings"),
    ):
        tables[key] = Table(
            key,
            caption,
            ["Working days", noun],
            [
                [band_label(lo, hi), sum(c for v, c in hist.items() if in_band(v, lo, hi))]
                for lo, hi in WAIT_BANDS
            ],
        )


def _closures(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: Cells,
    months: list[dt.date],
    trend_months: list[dt.date],
) -> None:
    by_reason = cells.by("M9", "key", months=months)
    total = sum(by_reason.values())
    tables["m9"] = Table(
        "m9",
        "Closures by reason",
        ["Closure reason", "Closures", "Share"],
        [
            [label, by_reason.get(code, 0), percent(by_reason.get(code, 0), total)]
            for code, label in ClosureReason.choices
        ],
    )
    monthly: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in cells.select("M9", months=trend_months):
        monthly[row["month"]][row["key"]] += int(row["v"])
    tables["m9_trend"] = Table(
        "m9_trend",
        "Closures each month",
        ["Month", "Closures", "Needs met", "Stepped up", "Other reasons"],
        [
            [
                month_label(m),
                sum(monthly[m].values()),
                monthly[m][ClosureReason.NEEDS_MET],
                monthly[m][ClosureReason.STEPPED_UP],
                sum(monthly[m].values())
                - monthly[m][ClosureReason.NEEDS_MET]
                - monthly[m][ClosureReason.STEPPED_UP],
            ]
            for m in trend_months
        ],
    )
    needs_met = by_reason.get(ClosureReason.NEEDS_MET, 0)
    counted = total - by_reason.get(ClosureReason.MOVED_OUT_OF_AREA, 0)
    stepped_up = by_reason.get(ClosureReason.STEPPED_UP, 0)
    stepped_down_in = cells.total("M11D", months=months)
    opened = cells.total("M12", months=months)
    rereferred = cells.total("M12", months=months, key="rereferral")
    tables["m10_m12"] = Table(
        "m10_m12",
        "Closure outcomes, step-up and re-referral",
        ["Measure", "Number", "Out of", "Rate"],
        [
            [
                "Closed with needs met (not counting moves out of area)",
                needs_met,
                counted,
                percent(needs_met, counted),
            ],
            [
                "Closed by step-up to children's social care",
                stepped_up,
                total,
                percent(stepped_up, total),
            ],
            ["Stepped down in from children's social care", stepped_down_in, None, None],
            [
                "Cases opened within 12 months of a child's earlier case closing",
                rereferred,
                opened,
                percent(rereferred, opened),
            ],
        ],
    )
    figures["m9"] = [Figure("Closures", f"{total:,}")]
    figures["m10"] = [Figure("Closed with needs met", percent(needs_met, counted))]
    figures["m11"] = [
        Figure("Step-up rate", percent(stepped_up, total)),
        Figure("Step-downs in", f"{stepped_down_in:,}"),
    ]
    figures["m12"] = [Figure("Re-referrals within 12 months", percent(rereferred, opened))]


def _family_voice(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: Cells,
    months: list[dt.date],
) -> None:
    reviews = cells.total("M15", months=months)
    child = cells.total("M15", months=months, key="yes")
    parent = cells.total("M15", months=months, key2="yes")
    feedback = cells.total("M15F", months=months, key="yes")
    tables["m15"] = Table(
        "m15",
        "Family voice in reviews",
        ["Measure", "Reviews", "Out of", "Share"],
        [
            ["With the child's views", child, reviews, percent(child, reviews)],
            ["With the parents' or carers' views", parent, reviews, percent(parent, reviews)],
            ["With family feedback returned", feedback, reviews, percent(feedback, reviews)],
        ],
    )
    answers = cells.by("M15A", "key", months=months)
    given = sum(answers.values())
    tables["m15_answers"] = Table(
        "m15_answers",
        "Is this working for you? The family's answers at reviews",
        ["Answer", "Answers", "Share"],
        [
            [label, answers.get(code, 0), percent(answers.get(code, 0), given)]
            for code, label in FamilyFeedback.Answer.choices
        ],
    )
    figures["m15"] = [
        Figure("Reviews with the child's views", percent(child, reviews)),
        Figure("Reviews with parents' views", percent(parent, reviews)),
        Figure("Reviews with family feedback", percent(feedback, reviews)),
    ]


#: The recorded values of each coded equality dimension, in the order the tables list them.
EQUALITY_CHOICES: dict[str, list[tuple[str, str]]] = {
    "ethnicity": Ethnicity.choices,
    "sex": Sex.choices,
    "disability": DisabilityStatus.choices,
    "sen": SenStatus.choices,
}


def _equality_label(dimension: str, value: str) -> str:
    if dimension in EQUALITY_CHOICES:
        return dict(EQUALITY_CHOICES[dimension]).get(value, value)
    if dimension == "age":
        return "Unborn or not known" if value == "unborn" else f"{value} years"
    return {"yes": "Yes", "no": "No"}.get(value, value)


def _equality(
    tables: dict[str, Table], cells: Cells, month: dt.date, months: list[dt.date]
) -> None:
    open_children = cells.by("E1", "key", months=[month])
    requested = cells.by("E2", "key", months=months)
    closed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in cells.select("E9", months=months):
        closed[row["key"]][row["key2"]] += int(row["v"])
    for dimension, title in EQUALITY_DIMENSIONS:
        prefix = f"{dimension}:"
        keys = {k for k in (*open_children, *requested, *closed) if k.startswith(prefix)}
        if dimension in EQUALITY_CHOICES:
            order = [f"{prefix}{code}" for code, _ in EQUALITY_CHOICES[dimension]]
        elif dimension == "age":
            order = [f"{prefix}{band}" for band in AGE_BAND_ORDER]
        else:
            order = [f"{prefix}yes", f"{prefix}no"]
        order += sorted(keys - set(order))
        rows: list[list[Cell]] = []
        for key in order:
            if key not in keys:
                continue
            reasons = closed.get(key, {})
            closures = sum(reasons.values())
            counted = closures - reasons.get(ClosureReason.MOVED_OUT_OF_AREA, 0)
            rows.append(
                [
                    _equality_label(dimension, key.removeprefix(prefix)),
                    open_children.get(key, 0),
                    requested.get(key, 0),
                    closures,
                    percent(reasons.get(ClosureReason.NEEDS_MET, 0), counted),
                    percent(reasons.get(ClosureReason.STEPPED_UP, 0), closures),
                ]
            )
        tables[f"e_{dimension}"] = Table(
            f"e_{dimension}",
            f"Equality: {title.lower()}",
            [
                title,
                "Children in open episodes",
                "Children in requests",
                "Children in closed cases",
                "Closed with needs met",
                "Stepped up",
            ],
            rows,
        )
