"""Reading the dashboards: who sees which slice, and the metric tables (DOMAIN §7.1).

Every figure on a dashboard is a sum over summary cells (``dashboards.models``),
so the page runs the same few queries at ten thousand or a million children.
The unfiltered authority view reads the pre-summed totals, and the filters offer
the teams and agencies as at the last refresh (``FilterDirectory``, rendered
once per refresh in each process): neither the number of children nor the size
of the directory changes what a page reads. Tables are plain data (``Table``):
the page renders them, draws charts from them, and the CSV export writes them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, DateField, F, Q, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from agencies.models import LOCAL_AUTHORITY_KINDS, Agency, Team
from cases.models import ClosureReason, Ethnicity, LevelOfNeed, ReferralSource, Sex, TriageDecision
from dashboards.models import FilterDirectory, MetricCell, MetricTotal, SummaryRefresh
from dashboards.services import add_months, month_start
from meetings.models import FamilyFeedback

if TYPE_CHECKING:
    from agencies.models import User

Cell = str | int | float | None
#: Shown where a figure cannot be worked out (nothing to divide by).
NO_FIGURE = "\u2013"

PERIOD_CHOICES = [
    (1, "This month so far"),
    (3, "Last 3 months"),
    (6, "Last 6 months"),
    (12, "Last 12 months"),
]
DEFAULT_PERIOD = 3
TREND_MONTHS = 12
LONG_TABLE_ROWS = 25
FLOW_METRICS = ("M2", "M3", "M4", "M9", "M11D", "M12", "M15", "M15F", "M15A", "E2", "E9")
#: Flow metrics the page also shows month by month over the trend; the others are
#: read over the chosen period only.
TREND_FLOW_METRICS = ("M9",)
PERIOD_FLOW_METRICS = tuple(m for m in FLOW_METRICS if m not in TREND_FLOW_METRICS)
SNAPSHOT_METRICS = ("M1", "M5", "M6", "M7", "M7C", "E1")
#: Snapshot metrics not split by level of need (a caseload spans levels).
NO_LEVEL_METRICS = ("M7", "M7C")
CASELOAD_BANDS = ((1, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 30), (31, None))
WAIT_BANDS = ((0, 5), (6, 10), (11, 15), (16, 20), (21, 30), (31, 45), (46, None))
EQUALITY_DIMENSIONS = (
    ("ethnicity", "Ethnicity"),
    ("sex", "Sex"),
    ("age", "Age band"),
    ("sen", "Disability or special educational needs"),
    ("carer", "Young carer"),
)
AGE_BAND_ORDER = ("unborn", "0-4", "5-9", "10-15", "16-17", "18+")


def assessment_target_working_days() -> int:
    return settings.TAC_ASSESSMENT_TARGET_WORKING_DAYS


# --- Who sees what ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The slice of the authority a dashboard user sees.

    ``team_ids`` is ``None`` for the authority-wide view (the coordinator) and the
    managed teams' ids for a team manager.
    """

    team_ids: tuple[int, ...] | None

    @property
    def is_authority(self) -> bool:
        return self.team_ids is None


def dashboard_scope(user: User) -> Scope:
    """The coordinator sees the authority; a manager their teams; anyone else a 404."""
    if not user.is_authenticated or not user.is_active or user.is_system_administrator:
        raise Http404("No dashboard")
    if user.is_coordinator:
        return Scope(team_ids=None)
    team_ids = tuple(user.managed_teams.order_by("pk").values_list("pk", flat=True))
    if team_ids:
        return Scope(team_ids=team_ids)
    raise Http404("No dashboard")


def can_export_annex_a(user: User) -> bool:
    """The Ofsted extract: the coordinator and information governance only."""
    return user.is_active and (user.is_coordinator or user.is_information_governance)


# --- Filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    period: int = DEFAULT_PERIOD
    team_id: int | None = None
    agency_id: int | None = None
    locality: str = ""
    level_id: int | None = None

    def as_query(self) -> str:
        from urllib.parse import urlencode

        pairs: dict[str, Any] = {"period": self.period}
        for name in ("team_id", "agency_id", "level_id"):
            if getattr(self, name) is not None:
                pairs[name.removesuffix("_id")] = getattr(self, name)
        if self.locality:
            pairs["locality"] = self.locality
        return urlencode(pairs)


def uses_totals(scope: Scope, filters: Filters) -> bool:
    """The unfiltered authority view reads the pre-summed totals (``MetricTotal``)."""
    return scope.is_authority and not (
        filters.team_id or filters.agency_id or filters.locality or filters.level_id
    )


def slice_filter(scope: Scope, filters: Filters) -> Q:
    """The cells (``MetricCell``) a scoped or filtered dashboard sums."""
    q = Q()
    if scope.team_ids is not None:
        q &= Q(team_id__in=scope.team_ids)
    if filters.team_id is not None:
        q &= Q(team_id=filters.team_id)
    if filters.agency_id is not None:
        q &= Q(agency_id=filters.agency_id)
    if filters.locality:
        q &= Q(locality=filters.locality)
    if filters.level_id is not None:
        q &= Q(level_id=filters.level_id) | Q(metric__in=NO_LEVEL_METRICS)
    return q


# --- Tables -----------------------------------------------------------------------------------


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    #: Long tables (one row per agency) show their largest rows; the CSV has them all.
    display_limit: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def shown_rows(self) -> list[list[Cell]]:
        return self.rows if self.display_limit is None else self.rows[: self.display_limit]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown_rows)


@dataclass
class Figure:
    label: str
    value: str
    detail: str = ""


@dataclass
class Dashboard:
    scope: Scope
    filters: Filters
    refresh: SummaryRefresh | None
    period_start: dt.date | None
    period_end: dt.date | None
    tables: dict[str, Table]
    figures: dict[str, list[Figure]]
    teams: list[TeamChoice]
    agencies: list[AgencyChoice]
    levels: list[LevelOfNeed]
    localities: list[str]

    def table(self, key: str) -> Table:
        return self.tables[key]


def percent(part: int, whole: int) -> str:
    return NO_FIGURE if not whole else f"{100 * part / whole:.0f}%"


def _band_label(low: int, high: int | None) -> str:
    return f"{low} or more" if high is None else f"{low} to {high}"


def _in_band(value: int, low: int, high: int | None) -> bool:
    return value >= low and (high is None or value <= high)


def median_of(histogram: dict[int, int]) -> float | None:
    """The median of values given as ``{value: how many}``."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > n:
                return value
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def quantile_of(histogram: dict[int, int], q: float) -> int | None:
    total = sum(histogram.values())
    if not total:
        return None
    target, seen = q * total, 0
    for value, count in sorted(histogram.items()):
        seen += count
        if seen >= target:
            return value
    return None


def _month_label(month: dt.date) -> str:
    return month.strftime("%b %Y")


def _fmt_days(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return f"{value:g}"


class _Cells:
    """Summed cells: ``get(metric, key=..., key2=..., months=...)``."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self.rows = list(rows)
        self.by_metric: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for row in self.rows:
            self.by_metric[row["metric"]].append(row)

    def select(
        self,
        metric: str,
        *,
        months: Sequence[dt.date] | None = None,
        key: str | None = None,
        key2: str | None = None,
    ) -> Iterable[Mapping[str, Any]]:
        wanted = set(months) if months is not None else None
        for row in self.by_metric.get(metric, ()):
            if wanted is not None and row["month"] not in wanted:
                continue
            if key is not None and row["key"] != key:
                continue
            if key2 is not None and row["key2"] != key2:
                continue
            yield row

    def total(self, metric: str, **kwargs: Any) -> int:
        return sum(int(r["v"]) for r in self.select(metric, **kwargs))

    def by(self, metric: str, field_name: str, **kwargs: Any) -> dict[Any, int]:
        out: dict[Any, int] = defaultdict(int)
        for row in self.select(metric, **kwargs):
            out[row[field_name]] += int(row["v"])
        return out

    def histogram(self, metric: str, **kwargs: Any) -> dict[int, int]:
        out: dict[int, int] = defaultdict(int)
        for row in self.select(metric, **kwargs):
            if row["key"].isdigit():
                out[int(row["key"])] += int(row["v"])
        return out


@dataclass(frozen=True)
class TeamChoice:
    pk: int
    name: str
    agency_name: str
    locality: str

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_name})"


@dataclass(frozen=True)
class AgencyChoice:
    pk: int
    name: str
    kind: str
    locality: str


def render_options(choices: Iterable[tuple[Any, str]]) -> SafeString:
    """``<option>`` elements, none selected (``FilterForm`` marks the chosen one)."""
    return format_html_join("", '<option value="{}">{}</option>', choices)


@dataclass(frozen=True)
class Directory:
    """The teams and agencies as at a refresh, with the authority's options rendered."""

    teams: tuple[TeamChoice, ...]
    agencies: tuple[AgencyChoice, ...]
    localities: tuple[str, ...]
    team_options: SafeString
    agency_options: SafeString

    @classmethod
    def of(cls, teams: Iterable[TeamChoice], agencies: Iterable[AgencyChoice]) -> Directory:
        all_teams, all_agencies = tuple(teams), tuple(agencies)
        localities = {t.locality for t in all_teams if t.locality}
        localities |= {a.locality for a in all_agencies if a.locality}
        return cls(
            all_teams,
            all_agencies,
            tuple(sorted(localities)),
            render_options((t.pk, str(t)) for t in all_teams),
            render_options((a.pk, a.name) for a in all_agencies),
        )


@dataclass
class Choices:
    """What the filters offer (teams in scope, agencies, levels and localities), with
    the refresh the figures come from (``None`` before the first)."""

    teams: list[TeamChoice]
    agencies: list[AgencyChoice]
    levels: list[LevelOfNeed]
    localities: list[str]
    refresh: SummaryRefresh | None = None
    #: The teams' and agencies' ``<option>`` elements, rendered once per refresh.
    team_options: SafeString | None = None
    agency_options: SafeString | None = None


#: The latest refresh's directory, rendered: ``(refresh id, finished at, directory id)``
#: and the ``Directory``. A refresh's directory never changes, so this is only replaced.
_rendered: dict[str, tuple[tuple[Any, ...], Directory]] = {}


def latest_refresh() -> SummaryRefresh | None:
    """The last finished refresh, with the id of its directory (``directory_pk``)."""
    return (
        SummaryRefresh.objects.filter(finished_at__isnull=False)
        .annotate(directory_pk=F("directory__id"))
        .order_by("-finished_at")
        .first()
    )


def _live_directory() -> Directory:
    # Plain rows, not model instances: a large authority has thousands of teams.
    teams = Team.objects.order_by("name", "pk").values_list(
        "pk", "name", "agency__name", "locality"
    )
    agencies = Agency.objects.order_by("name", "pk").values_list("pk", "name", "kind", "locality")
    return Directory.of(
        (TeamChoice(*row) for row in teams), (AgencyChoice(*row) for row in agencies)
    )


def directory_of(refresh: SummaryRefresh | None) -> Directory:
    """The teams and agencies the figures of ``refresh`` know; read and rendered once per
    refresh. Before the first refresh (or one without a directory), the live ones."""
    directory_pk = getattr(refresh, "directory_pk", None)
    if refresh is None or directory_pk is None:
        return _live_directory()
    key = (refresh.pk, refresh.finished_at, directory_pk)
    cached = _rendered.get("latest")
    if cached is not None and cached[0] == key:
        return cached[1]
    stored = (
        FilterDirectory.objects.values_list("teams", "agencies").filter(pk=directory_pk).first()
    )
    if stored is None:
        # A newer refresh replaced it since the refresh was read: this once, the live ones.
        return _live_directory()
    teams, agencies = stored
    directory = Directory.of(
        (TeamChoice(*row) for row in teams), (AgencyChoice(*row) for row in agencies)
    )
    _rendered["latest"] = (key, directory)
    return directory


def dashboard_choices(scope: Scope, refresh: SummaryRefresh | None = None) -> Choices:
    """What the filters offer, from the directory as at the latest refresh."""
    refresh = refresh if refresh is not None else latest_refresh()
    directory = directory_of(refresh)
    levels = list(LevelOfNeed.objects.order_by("ordinal"))
    if scope.team_ids is None:
        return Choices(
            list(directory.teams),
            list(directory.agencies),
            levels,
            list(directory.localities),
            refresh,
            directory.team_options,
            directory.agency_options,
        )
    # A manager's teams only; the agencies still name the tables' rows.
    in_scope = set(scope.team_ids)
    teams = [t for t in directory.teams if t.pk in in_scope]
    localities = sorted({t.locality for t in teams if t.locality})
    return Choices(teams, list(directory.agencies), levels, localities, refresh)


def _months(period: list[dt.date], trend: list[dt.date], now: dt.date) -> Q:
    """The months each metric is read over: its period, its trend, or now."""
    return (
        Q(metric__in=PERIOD_FLOW_METRICS, month__gte=period[0])
        | Q(metric__in=TREND_FLOW_METRICS, month__gte=min(period[0], trend[0]))
        | Q(metric__in=SNAPSHOT_METRICS, month=now)
        | Q(metric__in=("M1", "M5"), month__gte=trend[0])
    )


def _summed_months(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "month": row["summed_month"]} for row in rows]


def _read_cells(
    scope: Scope, filters: Filters, months: Q, period_start: dt.date, now: dt.date
) -> tuple[_Cells, list[Mapping[str, Any]]]:
    """The cells the page sums, and open episodes now by level, agency and locality.

    Flow metrics read over the period only are summed over it here (their rows carry
    the period's first month), so the rows read do not grow with the period.
    """
    month = Case(
        When(metric__in=PERIOD_FLOW_METRICS, then=Value(period_start)),
        default=F("month"),
        output_field=DateField(),
    )
    if uses_totals(scope, filters):
        # One read of the authority's totals; open episodes now are kept broken down.
        rows = _summed_months(
            MetricTotal.objects.filter(months)
            .values(
                "metric", "key", "key2", "level_id", "agency_id", "locality", summed_month=month
            )
            .annotate(v=Sum("value"))
            .order_by()
        )
        return _Cells(rows), [r for r in rows if r["metric"] == "M1" and r["month"] == now]
    cells = MetricCell.objects.filter(slice_filter(scope, filters))
    summed = _summed_months(
        cells.filter(months)
        .values("metric", "key", "key2", summed_month=month)
        .annotate(v=Sum("value"))
        .order_by()
    )
    by_slice: list[Mapping[str, Any]] = list(
        cells.filter(metric="M1", month=now)
        .values("level_id", "agency_id", "locality")
        .annotate(v=Sum("value"))
        .order_by()
    )
    return _Cells(summed), by_slice


def build_dashboard(scope: Scope, filters: Filters, choices: Choices) -> Dashboard:
    """Every table and figure of the dashboard, in a fixed number of queries."""
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
        (_Cells([]), [])
        if refresh is None
        else _read_cells(
            scope,
            filters,
            _months(period_months, trend_months, as_of_month),
            period_months[0],
            as_of_month,
        )
    )
    agency_by_id = {a.pk: a for a in agencies}
    level_by_id = {lv.pk: lv for lv in levels}

    _open_episodes(tables, figures, open_now, agency_by_id, level_by_id, cells, trend_months)
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
    open_now: Sequence[Mapping[str, Any]],
    agency_by_id: dict[int, AgencyChoice],
    level_by_id: dict[int, LevelOfNeed],
    cells: _Cells,
    trend_months: list[dt.date],
) -> None:
    total = sum(int(r["v"]) for r in open_now)
    by_level: dict[int | None, int] = defaultdict(int)
    by_locality: dict[str, int] = defaultdict(int)
    by_agency: dict[int | None, int] = defaultdict(int)
    led = {"partner": 0, "la": 0, "none": 0}
    for row in open_now:
        v = int(row["v"])
        by_level[row["level_id"]] += v
        by_locality[row["locality"] or "Not recorded"] += v
        by_agency[row["agency_id"]] += v
        agency = agency_by_id.get(row["agency_id"]) if row["agency_id"] else None
        if agency is None:
            led["none"] += v
        elif agency.kind in LOCAL_AUTHORITY_KINDS:
            led["la"] += v
        else:
            led["partner"] += v
    level_rows: list[list[Cell]] = [
        [level.label, by_level.get(pk, 0)] for pk, level in level_by_id.items()
    ]
    if by_level.get(None):
        level_rows.append(["Not yet judged", by_level[None]])
    tables["m1_level"] = Table(
        "m1_level", "Open episodes by level of need", ["Level of need", "Open episodes"], level_rows
    )
    tables["m1_locality"] = Table(
        "m1_locality",
        "Open episodes by locality",
        ["Locality", "Open episodes"],
        [[name, v] for name, v in sorted(by_locality.items())],
        display_limit=LONG_TABLE_ROWS,
    )
    agency_rows: list[list[Cell]] = sorted(
        (
            [agency_by_id[pk].name if pk in agency_by_id else "No lead professional", v]
            for pk, v in by_agency.items()
        ),
        key=lambda r: (-int(r[1] or 0), str(r[0])),
    )
    tables["m1_agency"] = Table(
        "m1_agency",
        "Open episodes by the lead professional's agency",
        ["Lead professional's agency", "Open episodes"],
        agency_rows,
        display_limit=LONG_TABLE_ROWS,
    )
    trend = cells.by("M1", "month", months=trend_months)
    tables["m1_trend"] = Table(
        "m1_trend",
        "Open episodes at the end of each month (this month: now)",
        ["Month", "Open episodes"],
        [[_month_label(m), trend.get(m, 0)] for m in trend_months],
        note="Earlier months are counted from opening and closing dates.",
    )
    tables["m8"] = Table(
        "m8",
        "Who leads open episodes",
        ["Lead professional from", "Open episodes", "Share"],
        [
            ["A partner agency", led["partner"], percent(led["partner"], total)],
            ["The local authority", led["la"], percent(led["la"], total)],
            ["No lead professional yet", led["none"], percent(led["none"], total)],
        ],
    )
    figures["m1"] = [Figure("Open episodes", f"{total:,}")]
    figures["m8"] = [
        Figure("Led by a partner agency", percent(led["partner"], total), f"{led['partner']:,}")
    ]


def _caseloads(
    tables: dict[str, Table], figures: dict[str, list[Figure]], cells: _Cells, month: dt.date
) -> None:
    for metric, key, noun in (("M7", "m7", "open episodes"), ("M7C", "m7c", "children")):
        hist = cells.histogram(metric, months=[month])
        leads = sum(hist.values())
        tables[key] = Table(
            key,
            f"Lead professionals by caseload ({noun})",
            [f"Caseload ({noun})", "Lead professionals"],
            [
                [_band_label(lo, hi), sum(c for v, c in hist.items() if _in_band(v, lo, hi))]
                for lo, hi in CASELOAD_BANDS
            ],
            note="A distribution: no one is named or ranked.",
        )
        figures[key] = [
            Figure("Lead professionals", f"{leads:,}"),
            Figure(f"Median {noun} each", _fmt_days(median_of(hist))),
            Figure(
                "Three in four hold at most",
                NO_FIGURE if quantile_of(hist, 0.75) is None else str(quantile_of(hist, 0.75)),
            ),
        ]


def _overdue(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: _Cells,
    agency_by_id: dict[int, AgencyChoice],
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
                _month_label(m),
                trend_total.get(m),
                trend_reason.get(m, 0) if m in trend_total else None,
            ]
            for m in trend_months
        ],
        note="Recorded from the month the dashboards started; empty months were not recorded.",
    )
    per_agency: dict[str, dict[str, int]] = defaultdict(lambda: {"reason": 0, "none": 0})
    for row in cells.select("M6", months=[month]):
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
    )
    total = sum(int(r[1] or 0) for r in rows)
    reasons = sum(int(r[2] or 0) for r in rows)
    figures["m6"] = [
        Figure("Overdue actions", f"{total:,}"),
        Figure("With a reason given", f"{reasons:,}"),
        Figure("No reason given", f"{total - reasons:,}"),
    ]


def _requests(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: _Cells,
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
    cells: _Cells,
    months: list[dt.date],
) -> None:
    target = assessment_target_working_days()
    m3 = cells.histogram("M3", months=months)
    no_request = cells.total("M3", months=months, key="none")
    done = sum(m3.values())
    within = sum(c for v, c in m3.items() if v <= target)
    figures["m3"] = [
        Figure("Assessments completed", f"{done + no_request:,}"),
        Figure("Median working days from request", _fmt_days(median_of(m3))),
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
        Figure("Median working days from assessment", _fmt_days(median_of(m4))),
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
                [_band_label(lo, hi), sum(c for v, c in hist.items() if _in_band(v, lo, hi))]
                for lo, hi in WAIT_BANDS
            ],
        )


def _closures(
    tables: dict[str, Table],
    figures: dict[str, list[Figure]],
    cells: _Cells,
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
                _month_label(m),
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
    cells: _Cells,
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


def _equality_label(dimension: str, value: str) -> str:
    if dimension == "ethnicity":
        return dict(Ethnicity.choices).get(value, value)
    if dimension == "sex":
        return dict(Sex.choices).get(value, value)
    if dimension == "age":
        return "Unborn or not known" if value == "unborn" else f"{value} years"
    return {"yes": "Yes", "no": "No"}.get(value, value)


def _equality(
    tables: dict[str, Table], cells: _Cells, month: dt.date, months: list[dt.date]
) -> None:
    open_children = cells.by("E1", "key", months=[month])
    requested = cells.by("E2", "key", months=months)
    closed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in cells.select("E9", months=months):
        closed[row["key"]][row["key2"]] += int(row["v"])
    for dimension, title in EQUALITY_DIMENSIONS:
        prefix = f"{dimension}:"
        keys = {k for k in (*open_children, *requested, *closed) if k.startswith(prefix)}
        if dimension == "ethnicity":
            order = [f"{prefix}{code}" for code, _ in Ethnicity.choices]
        elif dimension == "sex":
            order = [f"{prefix}{code}" for code, _ in Sex.choices]
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
