"""Every migration of this app up to 0004, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

import django.db.models.deletion
from django.db import migrations, models

from tac_portal.migration_operations import CreateModels


class Migration(migrations.Migration):
    replaces = [
        ("dashboards", "0001_summary_tables"),
        ("dashboards", "0002_authority_totals"),
        ("dashboards", "0003_authority_totals_table_and_filter_directory"),
        ("dashboards", "0004_ranked_totals_index"),
    ]

    initial = True

    dependencies = []

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="WorkingDay",
                    fields=[
                        ("day", models.DateField(primary_key=True, serialize=False)),
                        ("ordinal", models.IntegerField()),
                    ],
                ),
                migrations.CreateModel(
                    name="MetricCell",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("metric", models.CharField(max_length=8)),
                        (
                            "month",
                            models.DateField(
                                help_text="First day of the month the figure counts in."
                            ),
                        ),
                        ("team_id", models.BigIntegerField(blank=True, null=True)),
                        ("agency_id", models.BigIntegerField(blank=True, null=True)),
                        ("locality", models.CharField(blank=True, max_length=100)),
                        ("level_id", models.BigIntegerField(blank=True, null=True)),
                        ("key", models.CharField(blank=True, max_length=60)),
                        ("key2", models.CharField(blank=True, max_length=60)),
                        ("value", models.BigIntegerField()),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                fields=["metric", "month"], name="dash_cell_metric_month_idx"
                            ),
                            models.Index(
                                fields=["team_id", "metric", "month"], name="dash_cell_team_idx"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="MetricTotal",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("metric", models.CharField(max_length=8)),
                        (
                            "month",
                            models.DateField(
                                help_text="First day of the month the figure counts in."
                            ),
                        ),
                        ("level_id", models.BigIntegerField(blank=True, null=True)),
                        ("agency_id", models.BigIntegerField(blank=True, null=True)),
                        ("locality", models.CharField(blank=True, max_length=100)),
                        ("key", models.CharField(blank=True, max_length=60)),
                        ("key2", models.CharField(blank=True, max_length=60)),
                        ("value", models.BigIntegerField()),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                fields=["metric", "month", "-value"], name="dash_total_ranked_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SummaryRefresh",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "as_of",
                            models.DateField(help_text="The day the snapshot metrics describe."),
                        ),
                        ("cell_count", models.PositiveIntegerField(default=0)),
                        ("duration_ms", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "ordering": ["-started_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("finished_at__isnull", False)),
                                fields=["-finished_at"],
                                name="dash_refresh_finished_idx",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FilterDirectory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "teams",
                            models.JSONField(
                                default=list,
                                help_text="[id, name, agency name, locality] for every team, by name.",
                            ),
                        ),
                        (
                            "agencies",
                            models.JSONField(
                                default=list,
                                help_text="[id, name, kind, locality] for every agency, by name.",
                            ),
                        ),
                        (
                            "refresh",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="directory",
                                to="dashboards.summaryrefresh",
                            ),
                        ),
                    ],
                ),
            ]
        ),
    ]
