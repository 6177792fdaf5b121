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
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from agencies.models import Agency, Team
from cases.models import LevelOfNeed
from dashboards.models import FilterDirectory, MetricCell, MetricTotal, SummaryRefresh

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


#: The most teams or agencies a filter lists on the page. A large authority has
#: thousands: past this, the team list waits for an agency or a locality to be chosen
#: (and the agency list for a locality), so the page's weight does not grow with them.
FILTER_LIST_LIMIT = 60


#: The agencies the open-episodes breakdown names, those leading the most; the others
#: are one row (the CSV lists every agency).
TOP_AGENCIES = 15


#: The most agencies a typed agency filter offers to choose from when several match.
AGENCY_MATCH_LIMIT = 10


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
    ("disability", "Disability"),
    ("sen", "Special educational needs"),
    ("carer", "Young carer"),
)


AGE_BAND_ORDER = ("unborn", "0-4", "5-9", "10-15", "16-17", "18+")


def assessment_target_working_days() -> int:
    return settings.TAC_ASSESSMENT_TARGET_WORKING_DAYS


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


@dataclass(frozen=True)
class Filters:
    period: int = DEFAULT_PERIOD
    team_id: int | None = None
    agency_id: int | None = None
    locality: str = ""
    level_id: int | None = None

    def as_query(self) -> str:
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


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    #: Long tables (one row per agency) show their largest rows; the CSV has them all.
    display_limit: int | None = None
    #: Rows not even read (the totals give the largest only); the CSV has them.
    unlisted: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def shown_rows(self) -> list[list[Cell]]:
        return self.rows if self.display_limit is None else self.rows[: self.display_limit]

    @property
    def hidden_count(self) -> int:
        return len(self.rows) - len(self.shown_rows) + self.unlisted


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

    @property
    def closure_figures(self) -> list[Figure]:
        """The closure tiles (M9 to M12) in one row."""
        return [f for key in ("m9", "m10", "m11", "m12") for f in self.figures.get(key, [])]

    @property
    def equality_tables(self) -> list[Table]:
        """The equality breakdowns (M16), one table per dimension, in their order."""
        return [self.tables[f"e_{dimension}"] for dimension, _ in EQUALITY_DIMENSIONS]


def percent(part: int, whole: int) -> str:
    return NO_FIGURE if not whole else f"{100 * part / whole:.0f}%"


def band_label(low: int, high: int | None) -> str:
    return f"{low} or more" if high is None else f"{low} to {high}"


def in_band(value: int, low: int, high: int | None) -> bool:
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


def month_label(month: dt.date) -> str:
    return month.strftime("%b %Y")


def format_days(value: float | None) -> str:
    if value is None:
        return NO_FIGURE
    return f"{value:g}"


class Cells:
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
    #: Absent from directories stored before it was recorded.
    agency_pk: int | None = None

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


def agencies_matching(agencies: Sequence[AgencyChoice], typed: str) -> list[AgencyChoice]:
    """The agencies whose name has ``typed`` in it (any case, spaces collapsed): the one
    so named first, then names that start with it, then the rest, each by name.

    Matched against the directory in memory, as the figures know it (no query).
    """
    wanted = " ".join(typed.split()).casefold()
    if not wanted:
        return []
    ranked = []
    for agency in agencies:
        name = agency.name.casefold()
        if wanted in name:
            ranked.append((0 if name == wanted else 1 if name.startswith(wanted) else 2, agency))
    ranked.sort(key=lambda pair: pair[0])  # stable: the directory is in name order
    return [agency for _rank, agency in ranked]


@dataclass(frozen=True)
class TeamsBy:
    """A directory's teams by id, by agency and by locality, built once per refresh."""

    id: Mapping[int, TeamChoice]
    agency: Mapping[int, tuple[TeamChoice, ...]]
    locality: Mapping[str, tuple[TeamChoice, ...]]

    @classmethod
    def of(cls, teams: Sequence[TeamChoice]) -> TeamsBy:
        by_agency: dict[int, list[TeamChoice]] = defaultdict(list)
        by_locality: dict[str, list[TeamChoice]] = defaultdict(list)
        for team in teams:
            if team.agency_pk is not None:
                by_agency[team.agency_pk].append(team)
            by_locality[team.locality].append(team)
        return cls(
            {t.pk: t for t in teams},
            {k: tuple(v) for k, v in by_agency.items()},
            {k: tuple(v) for k, v in by_locality.items()},
        )


@dataclass(frozen=True)
class Directory:
    """The teams and agencies as at a refresh, with the authority's options rendered."""

    teams: tuple[TeamChoice, ...]
    agencies: tuple[AgencyChoice, ...]
    localities: tuple[str, ...]
    team_options: SafeString
    agency_options: SafeString
    agency_by_id: Mapping[int, AgencyChoice] = field(default_factory=dict, compare=False)
    #: The teams by id, by agency and by locality (to narrow the list without a scan).
    teams_by: TeamsBy | None = field(default=None, compare=False)

    @classmethod
    def of(cls, teams: Iterable[TeamChoice], agencies: Iterable[AgencyChoice]) -> Directory:
        all_teams, all_agencies = tuple(teams), tuple(agencies)
        localities = {t.locality for t in all_teams if t.locality}
        localities |= {a.locality for a in all_agencies if a.locality}
        # Past FILTER_LIST_LIMIT a list is never offered whole: nothing to render.
        return cls(
            all_teams,
            all_agencies,
            tuple(sorted(localities)),
            render_options(
                (t.pk, str(t)) for t in all_teams if len(all_teams) <= FILTER_LIST_LIMIT
            ),
            render_options(
                (a.pk, a.name) for a in all_agencies if len(all_agencies) <= FILTER_LIST_LIMIT
            ),
            {a.pk: a for a in all_agencies},
            TeamsBy.of(all_teams),
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
    #: The agencies by id, and the teams by id, agency and locality, built once per
    #: refresh (the authority's; ``None`` for a manager's few teams).
    agency_by_id: Mapping[int, AgencyChoice] = field(default_factory=dict)
    teams_by: TeamsBy | None = None


#: The latest refresh's directory, rendered: ``(refresh id, finished at, directory id)``
#: and the ``Directory``. A refresh's directory never changes, so this is only replaced.
_rendered: dict[str, tuple[tuple[Any, ...], Directory]] = {}


#: Figures older than this many refresh intervals are flagged as possibly out of date.
STALE_AFTER_INTERVALS = 2


def refresh_interval() -> dt.timedelta:
    """How often the beat schedule refreshes the figures (15 minutes unless changed)."""
    entry = settings.CELERY_BEAT_SCHEDULE.get("refresh-dashboard-summaries", {})
    seconds = entry.get("schedule", 900.0)
    return dt.timedelta(seconds=float(seconds) if isinstance(seconds, int | float) else 900.0)


def figures_are_stale(refresh: SummaryRefresh | None, now: dt.datetime | None = None) -> bool:
    """Whether the last refresh is overdue (the worker or beat may be stopped)."""
    if refresh is None or refresh.finished_at is None:
        return False
    now = now or timezone.now()
    return now - refresh.finished_at > STALE_AFTER_INTERVALS * refresh_interval()


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
        "pk", "name", "agency__name", "locality", "agency_id"
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
            directory.agency_by_id,
            directory.teams_by,
        )
    # A manager's teams only; the agencies still name the tables' rows.
    in_scope = set(scope.team_ids)
    teams = [t for t in directory.teams if t.pk in in_scope]
    localities = sorted({t.locality for t in teams if t.locality})
    return Choices(
        teams,
        list(directory.agencies),
        levels,
        localities,
        refresh,
        agency_by_id=directory.agency_by_id,
    )


def months_filter(period: list[dt.date], trend: list[dt.date], now: dt.date) -> Q:
    """The months each metric is read over: its period, its trend, or now."""
    return (
        Q(metric__in=PERIOD_FLOW_METRICS, month__gte=period[0])
        | Q(metric__in=TREND_FLOW_METRICS, month__gte=min(period[0], trend[0]))
        | Q(metric__in=SNAPSHOT_METRICS, month=now)
        | Q(metric__in=("M1", "M5"), month__gte=trend[0])
    )


def _summed_months(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "month": row["summed_month"]} for row in rows]


#: The breakdowns of open episodes now (``dashboards.models.MetricTotal``).
OPEN_NOW_BREAKDOWNS = ("M1L", "M1P", "M1A", "M1N")


@dataclass
class OpenNow:
    """Open episodes now, broken down one way at a time: by level, by locality, and the
    agencies leading the most (largest first), with how many agencies lead any."""

    by_level: dict[int | None, int] = field(default_factory=dict)
    by_locality: dict[str, int] = field(default_factory=dict)
    top_agencies: list[tuple[int | None, int]] = field(default_factory=list)
    agency_count: int = 0

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, Any]]) -> OpenNow:
        """From rows of ``metric`` (``M1L``, ``M1P``, ``M1A``, ``M1N``) and ``v``, the
        agencies' rows largest first."""
        found = cls()
        for row in rows:
            v = int(row["v"] or 0)
            if row["metric"] == "M1L":
                found.by_level[row["level_id"]] = v
            elif row["metric"] == "M1P":
                found.by_locality[row["locality"]] = v
            elif row["metric"] == "M1A":
                found.top_agencies.append((row["agency_id"], v))
            elif row["metric"] == "M1N":
                found.agency_count = v
        # Largest first (a UNION keeps no order), then by id: a few rows.
        found.top_agencies.sort(key=lambda pair: (-pair[1], pair[0] or 0))
        return found


def _breakdown(rows: QuerySet[MetricCell], metric: str, by: str = "", value: Any = None) -> Any:
    """Open episodes now summed ``by`` one of level, agency or locality (or over all),
    shaped like the other breakdowns, for one UNION."""
    nothing = Cast(Value(None), BigIntegerField())  # NULL::bigint, as the UNION needs
    return (
        rows.annotate(
            m=Value(metric, output_field=CharField()),
            level=F("level_id") if by == "level_id" else nothing,
            agency=F("agency_id") if by == "agency_id" else nothing,
            place=F("locality") if by == "locality" else Value("", output_field=CharField()),
        )
        .values("m", "level", "agency", "place")
        .annotate(v=value if value is not None else Sum("value"))
    )


def read_cells(
    scope: Scope,
    filters: Filters,
    months: Q,
    period_start: dt.date,
    now: dt.date,
    agency_limit: int | None = TOP_AGENCIES,
    owner_limit: int | None = LONG_TABLE_ROWS,
) -> tuple[Cells, OpenNow]:
    """The cells the page sums, and open episodes now by level, locality and agency
    (the ``agency_limit`` leading the most; ``None`` for every one). Overdue actions
    by owner are cells ``M6A``, of the ``owner_limit`` owning the most (``None``: all),
    with the number of owners (``M6N``).

    Flow metrics read over the period only are summed over it here (their rows carry
    the period's first month), so the rows read do not grow with the period.
    """
    month = Case(
        When(metric__in=PERIOD_FLOW_METRICS, then=Value(period_start)),
        default=F("month"),
        output_field=DateField(),
    )
    if uses_totals(scope, filters):
        # One read of the authority's totals and the breakdowns by agency: the agencies
        # leading the most open episodes and owning the most overdue actions come first
        # from an index (``ORDER BY value DESC LIMIT n``), and only those.
        columns = ("metric", "key", "key2", "level_id", "agency_id", "locality")
        breakdowns = Q(metric__in=("M1L", "M1P", "M1N", "M6N"), month=now)
        totals = (
            MetricTotal.objects.filter(months | breakdowns)
            .values(*columns, summed_month=month)
            .annotate(v=Sum("value"))
            .order_by()
        )

        def largest(metric: str, limit: int | None, **more: Any) -> Any:
            ranked = MetricTotal.objects.filter(metric=metric, month=now, **more)
            return (
                ranked.values(*columns, summed_month=month)
                .annotate(v=F("value"))
                .order_by("-value", "agency_id", "key")[:limit]
            )

        owner_keys = (
            MetricTotal.objects.filter(metric="M6A", month=now)
            .order_by("-value", "key")
            .values("key")[:owner_limit]
        )
        rows = _summed_months(
            totals.union(
                largest("M1A", agency_limit),
                largest("M6A", owner_limit),
                largest("M6R", None, key__in=owner_keys),
                all=True,
            )
        )
        open_now = OpenNow.of(r for r in rows if r["metric"] in OPEN_NOW_BREAKDOWNS)
        kept = [r for r in rows if r["metric"] not in (*OPEN_NOW_BREAKDOWNS, "M6A", "M6R")]
        return Cells([*kept, *_overdue_by_owner(rows, now)]), open_now
    cells = MetricCell.objects.filter(slice_filter(scope, filters))
    summed = _summed_months(
        cells.filter(months)
        .values("metric", "key", "key2", summed_month=month)
        .annotate(v=Sum("value"))
        .order_by()
    )
    # The same breakdowns, summed over the slice's cells in one query.
    now_cells = cells.filter(metric="M1", month=now)
    by_level = _breakdown(now_cells, "M1L", "level_id").order_by()
    by_locality = _breakdown(now_cells, "M1P", "locality").order_by()
    top = _breakdown(now_cells, "M1A", "agency_id").order_by("-v", "agency")[:agency_limit]
    count = _breakdown(now_cells, "M1N", value=Count("agency_id", distinct=True)).order_by()
    names = {"m": "metric", "level": "level_id", "agency": "agency_id", "place": "locality"}
    rows = [
        {names.get(k, k): v for k, v in r.items()}
        for r in by_level.union(by_locality, top, count, all=True)
    ]
    # Overdue actions by owner, as the totals give them (``_overdue_by_owner``).
    owners = [{**r, "metric": "M6A"} for r in summed if r["metric"] == "M6"]
    counted = {"metric": "M6N", "month": now, "key": "", "key2": ""}
    owners.append({**counted, "v": len({r["key"] for r in owners})})
    return Cells([*summed, *owners]), OpenNow.of(rows)


def _overdue_by_owner(rows: Iterable[Mapping[str, Any]], now: dt.date) -> list[dict[str, Any]]:
    """Cells ``M6A`` (an owner's overdue actions, ``key2`` "reason" or "none") from the
    totals' rows ``M6A`` (every one) and ``M6R`` (those with a reason given)."""
    every: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for row in rows:
        if row["metric"] == "M6A":
            every[row["key"]] = int(row["v"])
        elif row["metric"] == "M6R":
            reasons[row["key"]] = int(row["v"])
    out = []
    for key, count in every.items():
        given = reasons.get(key, 0)
        cell = {"metric": "M6A", "month": now, "key": key}
        out.append({**cell, "key2": "reason", "v": given})
        out.append({**cell, "key2": "none", "v": count - given})
    return out
