"""The access policy's records move from ``audit`` to ``cases``: state only, the tables stay.

Break-glass grants, restrictions, unmaskings and the record-access log keep their
``audit_*`` tables and rows; only Django's idea of which app owns them changes. The
append-only triggers are named after the owning app, so the new ones are added here and
``audit`` 0004 drops the old ones once these exist (the tables are never unprotected).
"""

import django.db.models.deletion
import django.db.models.functions.datetime
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


def audit_tables_made(apps, schema_editor):
    """This migration once depended on audit 0003 as well. The squashed migrations that a
    new database runs cannot depend on each other both ways, so the dependency went. Every
    database that ran ``migrate`` since audit 0003 (2026-11-23) has its tables; one that
    did not is told how to go on rather than failing half-way."""
    tables = schema_editor.connection.introspection.table_names()
    if not {"audit_recordaccess", "audit_restriction", "audit_unmasking"} <= set(tables):
        raise RuntimeError(
            "This database predates audit migration 0003. Run `manage.py migrate` with "
            "TAC Portal as of commit feaad25 first, then with this version."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_partner_added_children"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(audit_tables_made, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Restriction",
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
                            "target",
                            models.CharField(
                                choices=[
                                    ("child", "A child"),
                                    ("family", "The family's household"),
                                    ("family_member", "A family member or carer"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("target_id", models.BigIntegerField()),
                        (
                            "field_name",
                            models.CharField(
                                blank=True,
                                help_text="Empty when the whole record is restricted.",
                                max_length=40,
                            ),
                        ),
                        ("reason", models.TextField()),
                        ("set_at", models.DateTimeField()),
                        ("review_due", models.DateField()),
                        ("last_reviewed_at", models.DateTimeField(blank=True, null=True)),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        ("lift_reason", models.TextField(blank=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="restrictions",
                                to="cases.case",
                            ),
                        ),
                        (
                            "lifted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "named_users",
                            models.ManyToManyField(
                                help_text="Who may unmask it (the person who set it always may).",
                                related_name="restrictions_named_in",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "set_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="restrictions_set",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audit_restriction",
                        "ordering": ["set_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Unmasking",
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
                        ("reason", models.TextField()),
                        (
                            "at",
                            models.DateTimeField(
                                db_default=django.db.models.functions.datetime.Now()
                            ),
                        ),
                        ("request_id", models.CharField(blank=True, max_length=64)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        (
                            "restriction",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="unmaskings",
                                to="cases.restriction",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audit_unmasking",
                        "ordering": ["-at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="BreakGlassGrant",
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
                            "reason_code",
                            models.CharField(
                                choices=[
                                    ("SAFEGUARDING_CONCERN", "Immediate safeguarding concern"),
                                    (
                                        "EMERGENCY_CONTACT",
                                        "Emergency contact with the child or family",
                                    ),
                                    ("OUT_OF_HOURS_DUTY", "Out-of-hours duty"),
                                    ("OTHER", "Other (explain below)"),
                                ],
                                max_length=32,
                            ),
                        ),
                        ("justification", models.TextField()),
                        ("granted_at", models.DateTimeField()),
                        ("expires_at", models.DateTimeField()),
                        (
                            "review_outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("APPROPRIATE", "Appropriate"),
                                    ("INAPPROPRIATE", "Inappropriate"),
                                    ("NEEDS_FOLLOW_UP", "Needs follow-up"),
                                ],
                                default="",
                                max_length=20,
                            ),
                        ),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        ("review_note", models.TextField(blank=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="break_glass_grants",
                                to="cases.case",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="break_glass_reviews",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="break_glass_grants",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audit_breakglassgrant",
                        "ordering": ["-granted_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["case", "user", "expires_at"],
                                name="breakglass_case_user_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("expires_at__gt", models.F("granted_at"))),
                                name="breakglass_expires_after_granted",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("justification", ""), _negated=True),
                                name="breakglass_justification_required",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RecordAccess",
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
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        (
                            "client_id",
                            models.CharField(
                                blank=True,
                                help_text="The partner system, for API reads.",
                                max_length=100,
                            ),
                        ),
                        (
                            "route",
                            models.CharField(
                                help_text="What was shown (the route name).", max_length=100
                            ),
                        ),
                        ("request_id", models.CharField(blank=True, max_length=64)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("break_glass_grant_id", models.BigIntegerField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.child",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="record_accesses",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "record accesses",
                        "db_table": "audit_recordaccess",
                        "indexes": [
                            models.Index(fields=["child", "-at"], name="recordaccess_child_idx"),
                            models.Index(fields=["user", "-at"], name="recordaccess_user_idx"),
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="restriction",
                    index=models.Index(
                        condition=models.Q(("lifted_at__isnull", True)),
                        fields=["case"],
                        name="restriction_case_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="restriction",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("reason", ""), _negated=True),
                        name="restriction_has_a_reason",
                    ),
                ),
            ],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="recordaccess",
            trigger=pgtrigger.compiler.Trigger(
                name="record_access_append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="4580345bf92f499ff0abf13fe4b77aca11549b86",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_record_access_append_only_6c2d7",
                    table="audit_recordaccess",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="unmasking",
            trigger=pgtrigger.compiler.Trigger(
                name="unmasking_append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="eebeecbb82297220fb88bfe3a4c70601f597650f",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_unmasking_append_only_61915",
                    table="audit_unmasking",
                    when="BEFORE",
                ),
            ),
        ),
    ]
