"""Summary tables behind the caseload dashboards (DOMAIN §7).

The authority-wide dashboard never scans the case tables while a page is
served: ``dashboards.tasks.refresh_summaries`` rebuilds ``MetricCell`` rows in
one set-based pass and records the run in ``SummaryRefresh`` (the page shows
its "as of" time). A cell is a count for one metric, one month, one slice of
the lead professional's team, agency and locality and the level of need, and up
to two metric-specific keys (a referral source, a closure reason, a number of
working days). Any filter the dashboard offers is a sum over cells.

Cells hold counts only, never a child's or a professional's identity.
"""

from __future__ import annotations

from django.db import models


class SummaryRefresh(models.Model):
    """One run of the summary refresh: when it ran and how long it took."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(help_text="The day the snapshot metrics describe.")
    cell_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # The dashboard's "as of": the latest finished refresh.
            models.Index(
                fields=["-finished_at"],
                name="dash_refresh_finished_idx",
                condition=models.Q(finished_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Summary refresh {self.pk} as of {self.as_of}"


class MetricCell(models.Model):
    """A count for one metric in one month and one slice (see the module docstring).

    Dimensions are plain ids, not foreign keys: a cell is a figure from the last
    refresh and must not stop a team or agency being removed.
    """

    metric = models.CharField(max_length=8)
    month = models.DateField(help_text="First day of the month the figure counts in.")
    team_id = models.BigIntegerField(null=True, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    level_id = models.BigIntegerField(null=True, blank=True)
    key = models.CharField(max_length=60, blank=True)
    key2 = models.CharField(max_length=60, blank=True)
    value = models.BigIntegerField()
    is_total = models.BooleanField(
        db_default=False,
        help_text="An authority-wide total of the slices (every dimension empty), so that "
        "the unfiltered authority dashboard sums a few rows instead of every slice.",
    )

    class Meta:
        indexes = [
            # Every dashboard query: totals (the unfiltered authority view) or slices,
            # for a set of metrics over a range of months.
            models.Index(fields=["is_total", "metric", "month"], name="dash_cell_metric_month_idx"),
            # The team dashboard: the same, for the manager's teams.
            models.Index(fields=["team_id", "metric", "month"], name="dash_cell_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m} {self.key} {self.key2} = {self.value}"


class WorkingDay(models.Model):
    """A calendar of England's working days, for counting them in SQL.

    ``ordinal`` is the number of working days from the start of the calendar up to
    and including ``day``; a weekend or bank holiday carries the ordinal of the
    working day before it. The working days after ``a`` up to ``b`` are therefore
    ``ordinal(b) - ordinal(a)``.
    """

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.day} ({self.ordinal})"
