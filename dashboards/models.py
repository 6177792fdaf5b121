"""Summary tables behind the caseload dashboards (DOMAIN §7).

The authority-wide dashboard never scans the case tables while a page is
served: ``dashboards.tasks.refresh_summaries`` rebuilds ``MetricCell`` rows in
one set-based pass and records the run in ``SummaryRefresh`` (the page shows
its "as of" time). A cell is a count for one metric, one month, one slice of
the lead professional's team, agency and locality and the level of need, and up
to two metric-specific keys (a referral source, a closure reason, a number of
working days). Any filter the dashboard offers is a sum over cells.

The unfiltered authority view reads ``MetricTotal`` instead: the same counts
summed over every slice, in a small table of their own. ``FilterDirectory``
keeps the teams and agencies as at each refresh: what the filters offer and
how the tables name them, so that serving the page does not read the directory.

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

    class Meta:
        indexes = [
            # A filtered dashboard: the slices of a set of metrics over a range of months.
            models.Index(fields=["metric", "month"], name="dash_cell_metric_month_idx"),
            # The team dashboard: the same, for the manager's teams.
            models.Index(fields=["team_id", "metric", "month"], name="dash_cell_team_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m} {self.key} {self.key2} = {self.value}"


class MetricTotal(models.Model):
    """An authority-wide figure: the cells of one metric, month and keys summed over
    every team, agency and locality and the level of need.

    Open episodes now (M1 in the refresh's month) are also kept broken down one way
    at a time, which the authority page shows: by level (``M1L``), by locality
    (``M1P``) and by agency (``M1A``, read largest first, a few rows), with the number
    of agencies leading any (``M1N``). Written by the refresh in two statements, so a
    page reads a few hundred neighbouring rows however many agencies there are.
    """

    metric = models.CharField(max_length=8)
    month = models.DateField(help_text="First day of the month the figure counts in.")
    level_id = models.BigIntegerField(null=True, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    key = models.CharField(max_length=60, blank=True)
    key2 = models.CharField(max_length=60, blank=True)
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            # The unfiltered authority dashboard: a set of metrics over a range of months;
            # and the agencies leading the most open episodes now (``M1A``), largest first.
            models.Index(fields=["metric", "month", "-value"], name="dash_total_ranked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m} {self.key} {self.key2} = {self.value} (total)"


class FilterDirectory(models.Model):
    """The teams and agencies as at a refresh (only the latest refresh's is kept).

    The filters offer these and the tables name agencies by them. The figures know
    only the teams and agencies that existed at the refresh, so the page need not
    read the (large) directory tables while it is served.
    """

    refresh = models.OneToOneField(
        SummaryRefresh, on_delete=models.CASCADE, related_name="directory"
    )
    teams = models.JSONField(
        default=list, help_text="[id, name, agency name, locality] for every team, by name."
    )
    agencies = models.JSONField(
        default=list, help_text="[id, name, kind, locality] for every agency, by name."
    )

    def __str__(self) -> str:
        return f"Filter directory of {self.refresh}"


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
