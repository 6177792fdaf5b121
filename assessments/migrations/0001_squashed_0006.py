"""Every migration of this app up to 0006, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables, and the national CAF
template as version 1.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

from importlib import import_module

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import tac_portal.fields
from tac_portal.migration_operations import CreateModels

# The replaced migration that seeds the template; its functions run from its own module.
CAF_TEMPLATE = import_module("assessments.migrations.0003_default_caf_template")


class Migration(migrations.Migration):
    replaces = [
        ("assessments", "0001_initial"),
        ("assessments", "0002_content_and_lifecycle"),
        ("assessments", "0003_default_caf_template"),
        ("assessments", "0004_text_limits"),
        ("assessments", "0005_family_copy_parts_and_disagreement"),
        ("assessments", "0006_history_by_record"),
    ]

    initial = True

    dependencies = [
        ("agencies", "__first__"),
        ("cases", "0001_squashed_0027"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="Assessment",
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
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("awaiting_consent", "Awaiting consent"),
                                    ("in_progress", "In progress"),
                                    ("shared_with_family", "Shared with the family"),
                                    ("completed", "Completed"),
                                    ("superseded", "Superseded"),
                                    ("abandoned", "Abandoned"),
                                    ("safeguarding_escalated", "Safeguarding escalated"),
                                ],
                                default="draft",
                                max_length=30,
                            ),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("shared_with_family_at", models.DateTimeField(blank=True, null=True)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "lock_version",
                            models.PositiveIntegerField(
                                default=1,
                                help_text="Bumped on every save: a save based on an older one is a conflict.",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "family_copy_given_on",
                            models.DateField(
                                blank=True,
                                help_text="The day the family was given its own copy.",
                                null=True,
                            ),
                        ),
                        (
                            "family_copy_left_out",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="The parts of the family's copy left out because they are about someone else (keys from assessments.services.family_copy).",
                            ),
                        ),
                        (
                            "family_copy_version",
                            models.PositiveIntegerField(db_default=1, default=1),
                        ),
                        (
                            "abandoned_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "status_before_escalation",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("draft", "Draft"),
                                    ("awaiting_consent", "Awaiting consent"),
                                    ("in_progress", "In progress"),
                                    ("shared_with_family", "Shared with the family"),
                                    ("completed", "Completed"),
                                    ("superseded", "Superseded"),
                                    ("abandoned", "Abandoned"),
                                    ("safeguarding_escalated", "Safeguarding escalated"),
                                ],
                                db_default="",
                                max_length=30,
                            ),
                        ),
                        (
                            "assessor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assessments",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assessments",
                                to="cases.case",
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assessments",
                                to="cases.child",
                            ),
                        ),
                        (
                            "consent_to_assessment",
                            models.ForeignKey(
                                blank=True,
                                help_text="Section K: the family's agreement to the assessment, at the start.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.consentrecord",
                            ),
                        ),
                        (
                            "consent_to_share",
                            models.ForeignKey(
                                blank=True,
                                help_text="Section K: what the family agreed may be stored and shared, at completion.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.consentrecord",
                            ),
                        ),
                        (
                            "previous_version",
                            models.ForeignKey(
                                blank=True,
                                help_text="The completed assessment this one revises.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="next_versions",
                                to="assessments.assessment",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-started_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["assessor", "status"], name="assessment_assessor_status_idx"
                            ),
                            models.Index(
                                fields=["case", "status"], name="assessment_case_status_idx"
                            ),
                            models.Index(fields=["completed_at"], name="assessment_completed_idx"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        (
                                            "draft",
                                            "awaiting_consent",
                                            "in_progress",
                                            "shared_with_family",
                                            "safeguarding_escalated",
                                        ),
                                    )
                                ),
                                fields=("child",),
                                name="assessment_one_open_per_child",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("abandoned_reason"),
                                    20000,
                                ),
                                name="assessments_assessment_abandoned_reason_len_3d67f1ae",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentSection",
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
                        ("versions", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("key", models.SlugField(max_length=60)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sections",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("assessment", "key"), name="section_unique_key"
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "assessments_assessmentsectionhistory" ("assessment_id", "data", "id", "key", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "updated_at", "updated_by_id", "versions") VALUES (NEW."assessment_id", NEW."data", NEW."id", NEW."key", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."updated_at", NEW."updated_by_id", NEW."versions"); RETURN NULL;',
                                    hash="710352994835550a0f6f60a175ff9a268969521c",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_7f313",
                                    table="assessments_assessmentsection",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "assessments_assessmentsectionhistory" ("assessment_id", "data", "id", "key", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "updated_at", "updated_by_id", "versions") VALUES (NEW."assessment_id", NEW."data", NEW."id", NEW."key", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."updated_at", NEW."updated_by_id", NEW."versions"); RETURN NULL;',
                                    hash="c6a1de147e814b1d3022fe897b2d31670207e5dd",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_78c4a",
                                    table="assessments_assessmentsection",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "assessments_assessmentsectionhistory" ("assessment_id", "data", "id", "key", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "updated_at", "updated_by_id", "versions") VALUES (OLD."assessment_id", OLD."data", OLD."id", OLD."key", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."updated_at", OLD."updated_by_id", OLD."versions"); RETURN NULL;',
                                    hash="06f86f5acd44a6e73793f4c39ce59b42f27c41a5",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_a5cf5",
                                    table="assessments_assessmentsection",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentSectionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("versions", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("key", models.SlugField(db_index=False, max_length=60)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        (
                            "assessment",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="history",
                                related_query_name="history",
                                to="assessments.assessmentsection",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="assessmentsection_hist_obj"
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="a0a7b6851cea7b0acc2d023970bc8fa7290612a8",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_2c7d6",
                                    table="assessments_assessmentsectionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentTemplate",
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
                            "code",
                            models.SlugField(help_text="For example caf-2009.", max_length=60),
                        ),
                        ("version", models.PositiveIntegerField()),
                        ("name", models.CharField(max_length=200)),
                        (
                            "definition",
                            models.JSONField(
                                help_text="Sections, domains and elements, validated on publish."
                            ),
                        ),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                        ("is_default", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "ordering": ["code", "-version"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("code", "version"), name="template_code_version_unique"
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("is_default", True)),
                                fields=("is_default",),
                                name="one_default_template",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "Draft"),
                                    ("awaiting_consent", "Awaiting consent"),
                                    ("in_progress", "In progress"),
                                    ("shared_with_family", "Shared with the family"),
                                    ("completed", "Completed"),
                                    ("superseded", "Superseded"),
                                    ("abandoned", "Abandoned"),
                                    ("safeguarding_escalated", "Safeguarding escalated"),
                                ],
                                default="draft",
                                max_length=30,
                            ),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("shared_with_family_at", models.DateTimeField(blank=True, null=True)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "lock_version",
                            models.PositiveIntegerField(
                                default=1,
                                help_text="Bumped on every save: a save based on an older one is a conflict.",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "family_copy_given_on",
                            models.DateField(
                                blank=True,
                                help_text="The day the family was given its own copy.",
                                null=True,
                            ),
                        ),
                        (
                            "family_copy_left_out",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="The parts of the family's copy left out because they are about someone else (keys from assessments.services.family_copy).",
                            ),
                        ),
                        (
                            "family_copy_version",
                            models.PositiveIntegerField(db_default=1, default=1),
                        ),
                        (
                            "abandoned_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "status_before_escalation",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("draft", "Draft"),
                                    ("awaiting_consent", "Awaiting consent"),
                                    ("in_progress", "In progress"),
                                    ("shared_with_family", "Shared with the family"),
                                    ("completed", "Completed"),
                                    ("superseded", "Superseded"),
                                    ("abandoned", "Abandoned"),
                                    ("safeguarding_escalated", "Safeguarding escalated"),
                                ],
                                db_default="",
                                max_length=30,
                            ),
                        ),
                        (
                            "assessor",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.child",
                            ),
                        ),
                        (
                            "consent_to_assessment",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Section K: the family's agreement to the assessment, at the start.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.consentrecord",
                            ),
                        ),
                        (
                            "consent_to_share",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Section K: what the family agreed may be stored and shared, at completion.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.consentrecord",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="history",
                                related_query_name="history",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "previous_version",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The completed assessment this one revises.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "template",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="assessments.assessmenttemplate",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="assessment_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("abandoned_reason"),
                                    20000,
                                ),
                                name="assessments_assessmenthistory_abandoned_reason_len_a91cbf8b",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="28fae4d615c99d1128f0072dd73d8cb97267a37d",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_40b12",
                                    table="assessments_assessmenthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="assessment",
                    name="template",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assessments",
                        to="assessments.assessmenttemplate",
                    ),
                ),
                migrations.CreateModel(
                    name="ElementEntry",
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
                        ("versions", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("element_code", models.CharField(max_length=60)),
                        (
                            "strengths",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("needs", tac_portal.fields.BoundedTextField(blank=True, max_length=20000)),
                        ("not_discussed", models.BooleanField(default=False)),
                        (
                            "not_discussed_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "sources",
                            models.JSONField(blank=True, default=list, help_text="Source values."),
                        ),
                        ("source_detail", models.CharField(blank=True, max_length=300)),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="elements",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("assessment", "element_code"),
                                name="element_entry_unique_code",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("strengths"), 20000
                                ),
                                name="assessments_elemententry_strengths_len_2d150219",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("needs"), 20000
                                ),
                                name="assessments_elemententry_needs_len_2ed17406",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("not_discussed_reason"),
                                    20000,
                                ),
                                name="assessments_elemententry_not_discussed_reas_len_bb11032e",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "assessments_elemententryhistory" ("assessment_id", "element_code", "id", "needs", "not_discussed", "not_discussed_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "source_detail", "sources", "strengths", "updated_at", "updated_by_id", "versions") VALUES (NEW."assessment_id", NEW."element_code", NEW."id", NEW."needs", NEW."not_discussed", NEW."not_discussed_reason", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."source_detail", NEW."sources", NEW."strengths", NEW."updated_at", NEW."updated_by_id", NEW."versions"); RETURN NULL;',
                                    hash="197be4a7f08d1bda930c04dba3bb61cc7942fa39",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_9a0ac",
                                    table="assessments_elemententry",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "assessments_elemententryhistory" ("assessment_id", "element_code", "id", "needs", "not_discussed", "not_discussed_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "source_detail", "sources", "strengths", "updated_at", "updated_by_id", "versions") VALUES (NEW."assessment_id", NEW."element_code", NEW."id", NEW."needs", NEW."not_discussed", NEW."not_discussed_reason", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."source_detail", NEW."sources", NEW."strengths", NEW."updated_at", NEW."updated_by_id", NEW."versions"); RETURN NULL;',
                                    hash="9d2095221b661e18d1c814aa60b1b8af18d2697b",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_5d768",
                                    table="assessments_elemententry",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "assessments_elemententryhistory" ("assessment_id", "element_code", "id", "needs", "not_discussed", "not_discussed_reason", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "source_detail", "sources", "strengths", "updated_at", "updated_by_id", "versions") VALUES (OLD."assessment_id", OLD."element_code", OLD."id", OLD."needs", OLD."not_discussed", OLD."not_discussed_reason", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."source_detail", OLD."sources", OLD."strengths", OLD."updated_at", OLD."updated_by_id", OLD."versions"); RETURN NULL;',
                                    hash="1109acd980f0daa6766649bbd4a58cf9023c96ae",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_e24f5",
                                    table="assessments_elemententry",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ElementEntryHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("versions", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("element_code", models.CharField(max_length=60)),
                        (
                            "strengths",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("needs", tac_portal.fields.BoundedTextField(blank=True, max_length=20000)),
                        ("not_discussed", models.BooleanField(default=False)),
                        (
                            "not_discussed_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "sources",
                            models.JSONField(blank=True, default=list, help_text="Source values."),
                        ),
                        ("source_detail", models.CharField(blank=True, max_length=300)),
                        (
                            "assessment",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="history",
                                related_query_name="history",
                                to="assessments.elemententry",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="elemententry_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("strengths"), 20000
                                ),
                                name="assessments_elemententryhistor_strengths_len_23721445",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("needs"), 20000
                                ),
                                name="assessments_elemententryhistor_needs_len_74289a99",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("not_discussed_reason"),
                                    20000,
                                ),
                                name="assessments_elemententryhistor_not_discussed_reas_len_d22ff4fd",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="6e860b6b6e2e1b34861438f754bb2706c6610a4c",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_c7d58",
                                    table="assessments_elemententryhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ViewRecord",
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
                        ("versions", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "speaker",
                            models.CharField(
                                choices=[
                                    ("child", "The child"),
                                    ("parent_carer", "Parent or carer"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "own_words",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "disagreement",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                db_default="",
                                help_text="Anything they disagree with in the assessment, in their own words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "scribed_by",
                            models.CharField(
                                blank=True,
                                help_text="Who wrote the words down, if not the speaker.",
                                max_length=200,
                            ),
                        ),
                        (
                            "communication_method",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("spoken", "Spoken"),
                                    ("written", "Written by them"),
                                    ("drawing", "Drawing"),
                                    ("signing", "Signing"),
                                    ("interpreter", "Through an interpreter"),
                                    ("advocate", "Through an advocate"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "not_obtained_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="views",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "family_member",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.familymember",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["speaker", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("speaker", "child")),
                                fields=("assessment",),
                                name="view_one_child_view",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("family_member__isnull", False)),
                                fields=("assessment", "family_member"),
                                name="view_one_per_family_member",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("family_member__isnull", True), ("speaker", "child")),
                                    models.Q(
                                        ("family_member__isnull", False),
                                        ("speaker", "parent_carer"),
                                    ),
                                    _connector="OR",
                                ),
                                name="view_speaker_matches_person",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("own_words"), 20000
                                ),
                                name="assessments_viewrecord_own_words_len_03e74663",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("disagreement"), 20000
                                ),
                                name="assessments_viewrecord_disagreement_len_f133de58",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("not_obtained_reason"),
                                    20000,
                                ),
                                name="assessments_viewrecord_not_obtained_reaso_len_691fbb4f",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "assessments_viewrecordhistory" ("assessment_id", "communication_method", "disagreement", "family_member_id", "id", "not_obtained_reason", "own_words", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "scribed_by", "speaker", "updated_at", "updated_by_id", "versions") VALUES (NEW."assessment_id", NEW."communication_method", NEW."disagreement", NEW."family_member_id", NEW."id", NEW."not_obtained_reason", NEW."own_words", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."scribed_by", NEW."speaker", NEW."updated_at", NEW."updated_by_id", NEW."versions"); RETURN NULL;',
                                    hash="f87087531cf44cf7a330a1dfe69246a0fe603fe8",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_a5fe3",
                                    table="assessments_viewrecord",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "assessments_viewrecordhistory" ("assessment_id", "communication_method", "disagreement", "family_member_id", "id", "not_obtained_reason", "own_words", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "scribed_by", "speaker", "updated_at", "updated_by_id", "versions") VALUES (NEW."assessment_id", NEW."communication_method", NEW."disagreement", NEW."family_member_id", NEW."id", NEW."not_obtained_reason", NEW."own_words", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."scribed_by", NEW."speaker", NEW."updated_at", NEW."updated_by_id", NEW."versions"); RETURN NULL;',
                                    hash="88458a793a223d23f97c5a8a939e64a102d6d9bd",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_e7ec3",
                                    table="assessments_viewrecord",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "assessments_viewrecordhistory" ("assessment_id", "communication_method", "disagreement", "family_member_id", "id", "not_obtained_reason", "own_words", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "scribed_by", "speaker", "updated_at", "updated_by_id", "versions") VALUES (OLD."assessment_id", OLD."communication_method", OLD."disagreement", OLD."family_member_id", OLD."id", OLD."not_obtained_reason", OLD."own_words", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."scribed_by", OLD."speaker", OLD."updated_at", OLD."updated_by_id", OLD."versions"); RETURN NULL;',
                                    hash="21a94ffeafe98e610f87cdabff6de2733f63fcb1",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_5232d",
                                    table="assessments_viewrecord",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ViewRecordHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("versions", models.JSONField(blank=True, default=dict)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "speaker",
                            models.CharField(
                                choices=[
                                    ("child", "The child"),
                                    ("parent_carer", "Parent or carer"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "own_words",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "disagreement",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                db_default="",
                                help_text="Anything they disagree with in the assessment, in their own words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "scribed_by",
                            models.CharField(
                                blank=True,
                                help_text="Who wrote the words down, if not the speaker.",
                                max_length=200,
                            ),
                        ),
                        (
                            "communication_method",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("spoken", "Spoken"),
                                    ("written", "Written by them"),
                                    ("drawing", "Drawing"),
                                    ("signing", "Signing"),
                                    ("interpreter", "Through an interpreter"),
                                    ("advocate", "Through an advocate"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "not_obtained_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "family_member",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.familymember",
                            ),
                        ),
                        (
                            "pgh_context",
                            models.ForeignKey(
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="pghistory.context",
                            ),
                        ),
                        (
                            "pgh_obj",
                            models.ForeignKey(
                                db_constraint=False,
                                db_index=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="history",
                                related_query_name="history",
                                to="assessments.viewrecord",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="viewrecord_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("own_words"), 20000
                                ),
                                name="assessments_viewrecordhistory_own_words_len_f85eba21",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("disagreement"), 20000
                                ),
                                name="assessments_viewrecordhistory_disagreement_len_aadd19de",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("not_obtained_reason"),
                                    20000,
                                ),
                                name="assessments_viewrecordhistory_not_obtained_reaso_len_ce13e153",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="c349ce9869625ca20736e403151366812ea6d3e1",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_e1e9c",
                                    table="assessments_viewrecordhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="assessment",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "assessments_assessmenthistory" ("abandoned_reason", "assessor_id", "case_id", "child_id", "completed_at", "consent_to_assessment_id", "consent_to_share_id", "created_at", "family_copy_given_on", "family_copy_left_out", "family_copy_version", "id", "lock_version", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_version_id", "shared_with_family_at", "started_at", "status", "status_before_escalation", "template_id", "updated_at") VALUES (NEW."abandoned_reason", NEW."assessor_id", NEW."case_id", NEW."child_id", NEW."completed_at", NEW."consent_to_assessment_id", NEW."consent_to_share_id", NEW."created_at", NEW."family_copy_given_on", NEW."family_copy_left_out", NEW."family_copy_version", NEW."id", NEW."lock_version", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."previous_version_id", NEW."shared_with_family_at", NEW."started_at", NEW."status", NEW."status_before_escalation", NEW."template_id", NEW."updated_at"); RETURN NULL;',
                            hash="8f64ba06ab09a88a400ee99269ef5b9118be89d9",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_3ca2a",
                            table="assessments_assessment",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="assessment",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "assessments_assessmenthistory" ("abandoned_reason", "assessor_id", "case_id", "child_id", "completed_at", "consent_to_assessment_id", "consent_to_share_id", "created_at", "family_copy_given_on", "family_copy_left_out", "family_copy_version", "id", "lock_version", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_version_id", "shared_with_family_at", "started_at", "status", "status_before_escalation", "template_id", "updated_at") VALUES (NEW."abandoned_reason", NEW."assessor_id", NEW."case_id", NEW."child_id", NEW."completed_at", NEW."consent_to_assessment_id", NEW."consent_to_share_id", NEW."created_at", NEW."family_copy_given_on", NEW."family_copy_left_out", NEW."family_copy_version", NEW."id", NEW."lock_version", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."previous_version_id", NEW."shared_with_family_at", NEW."started_at", NEW."status", NEW."status_before_escalation", NEW."template_id", NEW."updated_at"); RETURN NULL;',
                            hash="bd3831b539c7fb3236ff1def6f8a525a10ad40f2",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_d96c6",
                            table="assessments_assessment",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="assessment",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "assessments_assessmenthistory" ("abandoned_reason", "assessor_id", "case_id", "child_id", "completed_at", "consent_to_assessment_id", "consent_to_share_id", "created_at", "family_copy_given_on", "family_copy_left_out", "family_copy_version", "id", "lock_version", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_version_id", "shared_with_family_at", "started_at", "status", "status_before_escalation", "template_id", "updated_at") VALUES (OLD."abandoned_reason", OLD."assessor_id", OLD."case_id", OLD."child_id", OLD."completed_at", OLD."consent_to_assessment_id", OLD."consent_to_share_id", OLD."created_at", OLD."family_copy_given_on", OLD."family_copy_left_out", OLD."family_copy_version", OLD."id", OLD."lock_version", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."previous_version_id", OLD."shared_with_family_at", OLD."started_at", OLD."status", OLD."status_before_escalation", OLD."template_id", OLD."updated_at"); RETURN NULL;',
                            hash="adde961dc5b36adfd854d23354a27c6a12cb88a3",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_28394",
                            table="assessments_assessment",
                            when="AFTER",
                        ),
                    ),
                ),
            ]
        ),
        migrations.RunPython(CAF_TEMPLATE.seed, CAF_TEMPLATE.unseed),
    ]
