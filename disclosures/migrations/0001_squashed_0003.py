"""Every migration of this app up to 0003, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import tac_portal.fields
from tac_portal.migration_operations import CreateModels


class Migration(migrations.Migration):
    replaces = [
        ("disclosures", "0001_initial"),
        ("disclosures", "0002_item_files"),
        ("disclosures", "0003_history_by_record"),
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
                    name="DisclosureItem",
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
                        ("version", models.PositiveIntegerField(default=1)),
                        ("position", models.PositiveIntegerField()),
                        ("source", models.CharField(max_length=40)),
                        ("key", models.CharField(max_length=120)),
                        ("kind", models.CharField(max_length=100)),
                        ("title", models.CharField(max_length=300)),
                        ("at", models.DateTimeField(blank=True, null=True)),
                        (
                            "fields",
                            models.JSONField(
                                default=list, help_text="(label, text) pairs, as found."
                            ),
                        ),
                        (
                            "files",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="The stored files that are part of the record, as found (FoundFile).",
                            ),
                        ),
                        ("withheld", models.BooleanField(default=False)),
                        (
                            "withheld_reason",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="The exemption applied, and why.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "still_held",
                            models.BooleanField(
                                default=True,
                                help_text="False when a later search no longer found the record.",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["position", "id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("withheld", False),
                                    models.Q(("withheld_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="disclosure_item_withheld_has_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("withheld_reason"), 20000
                                ),
                                name="disclosures_disclosureitem_withheld_reason_len_f40bc2df",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Redaction",
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
                        ("version", models.PositiveIntegerField(default=1)),
                        ("term", models.CharField(max_length=300)),
                        (
                            "flagged_as",
                            models.CharField(
                                choices=[
                                    ("third_party", "Another person's information"),
                                    ("restricted", "Restricted item"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "flag_note",
                            models.CharField(
                                blank=True, help_text="Whose, or which item.", max_length=200
                            ),
                        ),
                        ("redacted", models.BooleanField(default=True)),
                        (
                            "decision_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decided_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="redactions",
                                to="disclosures.disclosureitem",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("item", "term"), name="redaction_unique_term"
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("decision_reason"), 20000
                                ),
                                name="disclosures_redaction_decision_reason_len_80b1c558",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "disclosures_redactionhistory" ("decided_at", "decided_by_id", "decision_reason", "flag_note", "flagged_as", "id", "item_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "redacted", "term", "version") VALUES (NEW."decided_at", NEW."decided_by_id", NEW."decision_reason", NEW."flag_note", NEW."flagged_as", NEW."id", NEW."item_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."redacted", NEW."term", NEW."version"); RETURN NULL;',
                                    hash="16d4f06f23ee6656f1a0ea90023b0d308b12f478",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_998f0",
                                    table="disclosures_redaction",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "disclosures_redactionhistory" ("decided_at", "decided_by_id", "decision_reason", "flag_note", "flagged_as", "id", "item_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "redacted", "term", "version") VALUES (NEW."decided_at", NEW."decided_by_id", NEW."decision_reason", NEW."flag_note", NEW."flagged_as", NEW."id", NEW."item_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."redacted", NEW."term", NEW."version"); RETURN NULL;',
                                    hash="34e648ecf7fef54780cb0ef9055870966fd078a3",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_463b2",
                                    table="disclosures_redaction",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "disclosures_redactionhistory" ("decided_at", "decided_by_id", "decision_reason", "flag_note", "flagged_as", "id", "item_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "redacted", "term", "version") VALUES (OLD."decided_at", OLD."decided_by_id", OLD."decision_reason", OLD."flag_note", OLD."flagged_as", OLD."id", OLD."item_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."redacted", OLD."term", OLD."version"); RETURN NULL;',
                                    hash="091a80aee6ad4b0fb940a6cad2a10c145de3cbb2",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_958f9",
                                    table="disclosures_redaction",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RedactionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("term", models.CharField(max_length=300)),
                        (
                            "flagged_as",
                            models.CharField(
                                choices=[
                                    ("third_party", "Another person's information"),
                                    ("restricted", "Restricted item"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "flag_note",
                            models.CharField(
                                blank=True, help_text="Whose, or which item.", max_length=200
                            ),
                        ),
                        ("redacted", models.BooleanField(default=True)),
                        (
                            "decision_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decided_by",
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
                            "item",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="disclosures.disclosureitem",
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
                                to="disclosures.redaction",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="redaction_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("decision_reason"), 20000
                                ),
                                name="disclosures_redactionhistory_decision_reason_len_d9d4e32d",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="ae46e9443be5d950a2f1b889c5457a54760652a4",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_9cb06",
                                    table="disclosures_redactionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SubjectAccessRequest",
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
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "subject_kind",
                            models.CharField(
                                choices=[
                                    ("child", "A child"),
                                    ("adult", "A parent, carer or family member"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("requester_name", models.CharField(max_length=200)),
                        (
                            "requester_relationship",
                            models.CharField(
                                choices=[
                                    ("self", "The person themselves"),
                                    ("parent", "A parent or carer, for a child"),
                                    ("representative", "A solicitor or other representative"),
                                    ("other", "Someone else, with the person's authority"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("received_on", models.DateField(help_text="Starts the one-month clock.")),
                        ("extended", models.BooleanField(default=False)),
                        (
                            "extension_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "child_consulted",
                            models.CharField(
                                choices=[
                                    ("not_applicable", "Not applicable"),
                                    ("yes", "Yes, the child was consulted"),
                                    (
                                        "not_competent",
                                        "No: the child is not able to understand the request",
                                    ),
                                    ("no", "No (say why)"),
                                ],
                                default="not_applicable",
                                max_length=20,
                            ),
                        ),
                        (
                            "child_consulted_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("received", "Received"),
                                    ("in_review", "In review"),
                                    ("disclosed", "Disclosed"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="received",
                                max_length=20,
                            ),
                        ),
                        ("logged_at", models.DateTimeField()),
                        ("searched_at", models.DateTimeField(blank=True, null=True)),
                        ("disclosed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "child",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.child",
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
                            "logged_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["received_on", "id"],
                        "indexes": [
                            models.Index(
                                fields=["status", "received_on"], name="sar_status_received_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("child__isnull", False),
                                        ("family_member__isnull", True),
                                        ("subject_kind", "child"),
                                    ),
                                    models.Q(
                                        ("child__isnull", True),
                                        ("family_member__isnull", False),
                                        ("subject_kind", "adult"),
                                    ),
                                    _connector="OR",
                                ),
                                name="sar_one_subject",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("extended", False),
                                    models.Q(("extension_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="sar_extension_has_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("extension_reason"),
                                    20000,
                                ),
                                name="disclosures_subjectaccessreque_extension_reason_len_67d1b1fb",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_consulted_note"),
                                    20000,
                                ),
                                name="disclosures_subjectaccessreque_child_consulted_no_len_171e5a59",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "disclosures_subjectaccessrequesthistory" ("child_consulted", "child_consulted_note", "child_id", "disclosed_at", "extended", "extension_reason", "family_member_id", "id", "logged_at", "logged_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_on", "requester_name", "requester_relationship", "searched_at", "status", "subject_kind", "version") VALUES (NEW."child_consulted", NEW."child_consulted_note", NEW."child_id", NEW."disclosed_at", NEW."extended", NEW."extension_reason", NEW."family_member_id", NEW."id", NEW."logged_at", NEW."logged_by_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."received_on", NEW."requester_name", NEW."requester_relationship", NEW."searched_at", NEW."status", NEW."subject_kind", NEW."version"); RETURN NULL;',
                                    hash="4fc275fdb5f08da132acc521d71de0aec5962204",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_13959",
                                    table="disclosures_subjectaccessrequest",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "disclosures_subjectaccessrequesthistory" ("child_consulted", "child_consulted_note", "child_id", "disclosed_at", "extended", "extension_reason", "family_member_id", "id", "logged_at", "logged_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_on", "requester_name", "requester_relationship", "searched_at", "status", "subject_kind", "version") VALUES (NEW."child_consulted", NEW."child_consulted_note", NEW."child_id", NEW."disclosed_at", NEW."extended", NEW."extension_reason", NEW."family_member_id", NEW."id", NEW."logged_at", NEW."logged_by_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."received_on", NEW."requester_name", NEW."requester_relationship", NEW."searched_at", NEW."status", NEW."subject_kind", NEW."version"); RETURN NULL;',
                                    hash="a7122d705e93e8a95c04143703c9aeccad9838e8",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_c1a98",
                                    table="disclosures_subjectaccessrequest",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "disclosures_subjectaccessrequesthistory" ("child_consulted", "child_consulted_note", "child_id", "disclosed_at", "extended", "extension_reason", "family_member_id", "id", "logged_at", "logged_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_on", "requester_name", "requester_relationship", "searched_at", "status", "subject_kind", "version") VALUES (OLD."child_consulted", OLD."child_consulted_note", OLD."child_id", OLD."disclosed_at", OLD."extended", OLD."extension_reason", OLD."family_member_id", OLD."id", OLD."logged_at", OLD."logged_by_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."received_on", OLD."requester_name", OLD."requester_relationship", OLD."searched_at", OLD."status", OLD."subject_kind", OLD."version"); RETURN NULL;',
                                    hash="4513056b9e9a9e27825473e680c4420163c4d718",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_fe82a",
                                    table="disclosures_subjectaccessrequest",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RequestEvent",
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
                        ("code", models.CharField(max_length=60)),
                        ("at", models.DateTimeField()),
                        ("summary", models.CharField(blank=True, max_length=300)),
                        ("data", models.JSONField(blank=True, default=dict)),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "request",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="events",
                                to="disclosures.subjectaccessrequest",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["at", "id"],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="sar_event_append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="524c6ad0a33d658c900f8dc2b4c6930d3385f452",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_sar_event_append_only_52574",
                                    table="disclosures_requestevent",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DisclosureItemHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("position", models.PositiveIntegerField()),
                        ("source", models.CharField(max_length=40)),
                        ("key", models.CharField(max_length=120)),
                        ("kind", models.CharField(max_length=100)),
                        ("title", models.CharField(max_length=300)),
                        ("at", models.DateTimeField(blank=True, null=True)),
                        (
                            "fields",
                            models.JSONField(
                                default=list, help_text="(label, text) pairs, as found."
                            ),
                        ),
                        (
                            "files",
                            models.JSONField(
                                blank=True,
                                default=list,
                                help_text="The stored files that are part of the record, as found (FoundFile).",
                            ),
                        ),
                        ("withheld", models.BooleanField(default=False)),
                        (
                            "withheld_reason",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="The exemption applied, and why.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "still_held",
                            models.BooleanField(
                                default=True,
                                help_text="False when a later search no longer found the record.",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.case",
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
                                to="disclosures.disclosureitem",
                            ),
                        ),
                        (
                            "request",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="disclosures.subjectaccessrequest",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="disclosureitem_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("withheld_reason"), 20000
                                ),
                                name="disclosures_disclosureitemhist_withheld_reason_len_8d8ee428",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="13772f8e38ad8d3434697dca3f68d40a43e9e1ca",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_4e456",
                                    table="disclosures_disclosureitemhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="disclosureitem",
                    name="request",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="disclosures.subjectaccessrequest",
                    ),
                ),
                migrations.CreateModel(
                    name="Disclosure",
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
                                    ("queued", "Queued"),
                                    ("building", "Being built"),
                                    ("ready", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=20,
                            ),
                        ),
                        ("requested_at", models.DateTimeField()),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("done", models.PositiveIntegerField(default=0)),
                        ("total", models.PositiveIntegerField(default=0)),
                        (
                            "summary",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="What was disclosed, redacted and withheld.",
                            ),
                        ),
                        ("package", models.BinaryField(blank=True, null=True)),
                        ("sha256", models.CharField(blank=True, max_length=64)),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "request",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="disclosures",
                                to="disclosures.subjectaccessrequest",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-requested_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="SubjectAccessRequestHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "subject_kind",
                            models.CharField(
                                choices=[
                                    ("child", "A child"),
                                    ("adult", "A parent, carer or family member"),
                                ],
                                max_length=10,
                            ),
                        ),
                        ("requester_name", models.CharField(max_length=200)),
                        (
                            "requester_relationship",
                            models.CharField(
                                choices=[
                                    ("self", "The person themselves"),
                                    ("parent", "A parent or carer, for a child"),
                                    ("representative", "A solicitor or other representative"),
                                    ("other", "Someone else, with the person's authority"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("received_on", models.DateField(help_text="Starts the one-month clock.")),
                        ("extended", models.BooleanField(default=False)),
                        (
                            "extension_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "child_consulted",
                            models.CharField(
                                choices=[
                                    ("not_applicable", "Not applicable"),
                                    ("yes", "Yes, the child was consulted"),
                                    (
                                        "not_competent",
                                        "No: the child is not able to understand the request",
                                    ),
                                    ("no", "No (say why)"),
                                ],
                                default="not_applicable",
                                max_length=20,
                            ),
                        ),
                        (
                            "child_consulted_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("received", "Received"),
                                    ("in_review", "In review"),
                                    ("disclosed", "Disclosed"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="received",
                                max_length=20,
                            ),
                        ),
                        ("logged_at", models.DateTimeField()),
                        ("searched_at", models.DateTimeField(blank=True, null=True)),
                        ("disclosed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "child",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.child",
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
                            "logged_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
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
                                to="disclosures.subjectaccessrequest",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="subjectaccessrequest_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("extension_reason"),
                                    20000,
                                ),
                                name="disclosures_subjectaccessreque_extension_reason_len_62e79ed9",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_consulted_note"),
                                    20000,
                                ),
                                name="disclosures_subjectaccessreque_child_consulted_no_len_803ea4e0",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="536efc246691676705742c5697a1a2dfd2218479",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_1dcb0",
                                    table="disclosures_subjectaccessrequesthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="disclosureitem",
                    constraint=models.UniqueConstraint(
                        fields=("request", "key"), name="disclosure_item_unique_key"
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="disclosureitem",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "disclosures_disclosureitemhistory" ("at", "case_id", "fields", "files", "id", "key", "kind", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "position", "request_id", "source", "still_held", "title", "version", "withheld", "withheld_reason") VALUES (NEW."at", NEW."case_id", NEW."fields", NEW."files", NEW."id", NEW."key", NEW."kind", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."position", NEW."request_id", NEW."source", NEW."still_held", NEW."title", NEW."version", NEW."withheld", NEW."withheld_reason"); RETURN NULL;',
                            hash="64bab30d1aa2702798b154167b3c4dd1f8deb4de",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_0d5cf",
                            table="disclosures_disclosureitem",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="disclosureitem",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "disclosures_disclosureitemhistory" ("at", "case_id", "fields", "files", "id", "key", "kind", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "position", "request_id", "source", "still_held", "title", "version", "withheld", "withheld_reason") VALUES (NEW."at", NEW."case_id", NEW."fields", NEW."files", NEW."id", NEW."key", NEW."kind", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."position", NEW."request_id", NEW."source", NEW."still_held", NEW."title", NEW."version", NEW."withheld", NEW."withheld_reason"); RETURN NULL;',
                            hash="4591cd86018ac821484fa4e34f87f6de9f5035f7",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_da2a1",
                            table="disclosures_disclosureitem",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="disclosureitem",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "disclosures_disclosureitemhistory" ("at", "case_id", "fields", "files", "id", "key", "kind", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "position", "request_id", "source", "still_held", "title", "version", "withheld", "withheld_reason") VALUES (OLD."at", OLD."case_id", OLD."fields", OLD."files", OLD."id", OLD."key", OLD."kind", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."position", OLD."request_id", OLD."source", OLD."still_held", OLD."title", OLD."version", OLD."withheld", OLD."withheld_reason"); RETURN NULL;',
                            hash="2b33927b632a00b8e4642201bb6c853d96261f04",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_ef6a3",
                            table="disclosures_disclosureitem",
                            when="AFTER",
                        ),
                    ),
                ),
            ]
        ),
    ]
