"""Every migration of this app up to 0002, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import pgtrigger.compiler
from django.conf import settings
from django.db import migrations, models

import documents.models
import tac_portal.fields
from tac_portal.migration_operations import CreateModels


class Migration(migrations.Migration):
    replaces = [("documents", "0001_initial"), ("documents", "0002_history_by_record")]

    initial = True

    dependencies = [
        ("agencies", "__first__"),
        ("assessments", "0001_squashed_0006"),
        ("cases", "0001_squashed_0027"),
        ("meetings", "0001_squashed_0011"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="Document",
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
                        ("title", models.CharField(max_length=120)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("consent_form", "Consent form"),
                                    ("report", "Report"),
                                    ("letter", "Letter"),
                                    ("plan", "Plan"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "visibility",
                            models.CharField(
                                choices=[
                                    ("team", "The whole team around the child"),
                                    ("professionals", "Professionals only"),
                                    ("restricted", "Restricted: only the people I name"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "added_by_client",
                            models.CharField(
                                blank=True,
                                help_text="The partner system that added it, if any.",
                                max_length=100,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("deleted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "deletion_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "action",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="documents",
                                to="meetings.action",
                            ),
                        ),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="documents_added",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="documents",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="documents",
                                to="cases.case",
                            ),
                        ),
                        (
                            "deleted_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="documents",
                                to="meetings.meeting",
                            ),
                        ),
                        (
                            "named_users",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Who may open a restricted document (whoever added it always may).",
                                related_name="restricted_documents",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("deleted_at__isnull", True)),
                                fields=["case", "-created_at"],
                                name="document_case_current_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("assessment__isnull", True), ("meeting__isnull", True)
                                    ),
                                    models.Q(
                                        ("action__isnull", True), ("assessment__isnull", True)
                                    ),
                                    models.Q(("action__isnull", True), ("meeting__isnull", True)),
                                    _connector="OR",
                                ),
                                name="document_attached_to_one_record",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("deleted_at__isnull", True),
                                    models.Q(("deletion_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="document_deletion_has_a_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("deletion_reason"), 20000
                                ),
                                name="documents_document_deletion_reason_len_5c84a8d3",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "documents_documenthistory" ("action_id", "added_by_client", "added_by_id", "assessment_id", "case_id", "created_at", "deleted_at", "deleted_by_id", "deletion_reason", "id", "kind", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "title", "updated_at", "visibility") VALUES (NEW."action_id", NEW."added_by_client", NEW."added_by_id", NEW."assessment_id", NEW."case_id", NEW."created_at", NEW."deleted_at", NEW."deleted_by_id", NEW."deletion_reason", NEW."id", NEW."kind", NEW."meeting_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."title", NEW."updated_at", NEW."visibility"); RETURN NULL;',
                                    hash="f6ab7af7cfa4aa0b3da1fe7f8d43d9197e9d2758",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_be524",
                                    table="documents_document",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "documents_documenthistory" ("action_id", "added_by_client", "added_by_id", "assessment_id", "case_id", "created_at", "deleted_at", "deleted_by_id", "deletion_reason", "id", "kind", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "title", "updated_at", "visibility") VALUES (NEW."action_id", NEW."added_by_client", NEW."added_by_id", NEW."assessment_id", NEW."case_id", NEW."created_at", NEW."deleted_at", NEW."deleted_by_id", NEW."deletion_reason", NEW."id", NEW."kind", NEW."meeting_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."title", NEW."updated_at", NEW."visibility"); RETURN NULL;',
                                    hash="bc393cd3b6891dac694172a543530b0d1b87c166",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_a3ed6",
                                    table="documents_document",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "documents_documenthistory" ("action_id", "added_by_client", "added_by_id", "assessment_id", "case_id", "created_at", "deleted_at", "deleted_by_id", "deletion_reason", "id", "kind", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "title", "updated_at", "visibility") VALUES (OLD."action_id", OLD."added_by_client", OLD."added_by_id", OLD."assessment_id", OLD."case_id", OLD."created_at", OLD."deleted_at", OLD."deleted_by_id", OLD."deletion_reason", OLD."id", OLD."kind", OLD."meeting_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."title", OLD."updated_at", OLD."visibility"); RETURN NULL;',
                                    hash="d751a4d3b242bd08f93d5754176f92172159a848",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_0c008",
                                    table="documents_document",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DocumentHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("title", models.CharField(max_length=120)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("consent_form", "Consent form"),
                                    ("report", "Report"),
                                    ("letter", "Letter"),
                                    ("plan", "Plan"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "visibility",
                            models.CharField(
                                choices=[
                                    ("team", "The whole team around the child"),
                                    ("professionals", "Professionals only"),
                                    ("restricted", "Restricted: only the people I name"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "added_by_client",
                            models.CharField(
                                blank=True,
                                help_text="The partner system that added it, if any.",
                                max_length=100,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("deleted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "deletion_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "action",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.action",
                            ),
                        ),
                        (
                            "added_by",
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
                        (
                            "assessment",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="assessments.assessment",
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
                            "deleted_by",
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
                        (
                            "meeting",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.meeting",
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
                                to="documents.document",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="document_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("deletion_reason"), 20000
                                ),
                                name="documents_documenthistory_deletion_reason_len_6b53d613",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="e952eac4cf617089a686e59793cc2023ddb6f8e4",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_3ec26",
                                    table="documents_documenthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DocumentVersion",
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
                        ("number", models.PositiveIntegerField()),
                        (
                            "file",
                            models.FileField(
                                max_length=200,
                                storage=documents.models.document_storage,
                                upload_to=documents.models.version_file_name,
                            ),
                        ),
                        (
                            "file_type",
                            models.CharField(
                                help_text="The type its content shows.", max_length=10
                            ),
                        ),
                        ("content_type", models.CharField(max_length=120)),
                        ("size", models.PositiveBigIntegerField()),
                        ("sha256", models.CharField(max_length=64)),
                        ("original_name", models.CharField(blank=True, max_length=200)),
                        (
                            "scan_status",
                            models.CharField(
                                choices=[
                                    ("clean", "Scanned: no virus found"),
                                    ("infected", "Quarantined: a virus was found"),
                                    ("failed", "Quarantined: could not be scanned"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("scan_detail", models.CharField(blank=True, max_length=200)),
                        ("scanned_at", models.DateTimeField()),
                        ("uploaded_by_client", models.CharField(blank=True, max_length=100)),
                        ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "document",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="versions",
                                to="documents.document",
                            ),
                        ),
                        (
                            "uploaded_by",
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
                        "ordering": ["document", "-number"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("document", "number"), name="documentversion_number"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DocumentDownload",
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
                        ("client_id", models.CharField(blank=True, max_length=100)),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        ("request_id", models.CharField(blank=True, max_length=64)),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="downloads",
                                to="documents.documentversion",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-at", "-id"],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="document_download_append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="a05e37bea1dd95ce60e7dbe45b3aae41dd236c76",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_document_download_append_only_efcef",
                                    table="documents_documentdownload",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
            ]
        ),
    ]
