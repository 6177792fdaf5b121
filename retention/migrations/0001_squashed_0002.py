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

import tac_portal.fields
from tac_portal.migration_operations import CreateModels


class Migration(migrations.Migration):
    replaces = [("retention", "0001_initial"), ("retention", "0002_history_by_record")]

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
                    name="DisposalItem",
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
                        ("record_class", models.CharField(max_length=40)),
                        ("record_key", models.CharField(max_length=40)),
                        ("label", models.CharField(max_length=120)),
                        (
                            "disposal",
                            models.CharField(
                                choices=[("destroy", "Destroyed"), ("anonymise", "Anonymised")],
                                max_length=10,
                            ),
                        ),
                        (
                            "schedule_event",
                            models.CharField(
                                help_text="What the schedule counts from, as the page names it.",
                                max_length=200,
                            ),
                        ),
                        ("schedule_years", models.PositiveSmallIntegerField()),
                        (
                            "event_on",
                            models.DateField(
                                help_text="When the event the schedule counts from happened."
                            ),
                        ),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("due", "Due for disposal"),
                                    ("disposed", "Disposed"),
                                    ("withdrawn", "No longer due"),
                                ],
                                default="due",
                                max_length=10,
                            ),
                        ),
                        ("listed_at", models.DateTimeField()),
                        ("disposed_at", models.DateTimeField(blank=True, null=True)),
                        ("rows_disposed", models.PositiveIntegerField(default=0)),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "confirmed_by",
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
                        "ordering": ["due_on", "id"],
                        "indexes": [
                            models.Index(
                                fields=["status", "record_class", "due_on"],
                                name="disposal_status_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status", "due")),
                                fields=("record_class", "record_key"),
                                name="disposal_item_one_due_per_record",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "disposed"), _negated=True),
                                    models.Q(
                                        ("confirmed_by__isnull", False),
                                        ("disposed_at__isnull", False),
                                    ),
                                    _connector="OR",
                                ),
                                name="disposal_item_disposed_is_confirmed",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="disposal_item_kept",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;",
                                    hash="7722c9c7cab446f5a46eb4b90c3b56345680ac86",
                                    operation="DELETE",
                                    pgid="pgtrigger_disposal_item_kept_e8249",
                                    table="retention_disposalitem",
                                    when="BEFORE",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "retention_disposalitemhistory" ("confirmed_by_id", "disposal", "disposed_at", "due_on", "event_on", "id", "label", "listed_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "record_class", "record_key", "rows_disposed", "schedule_event", "schedule_years", "status", "version", "withdrawn_at") VALUES (NEW."confirmed_by_id", NEW."disposal", NEW."disposed_at", NEW."due_on", NEW."event_on", NEW."id", NEW."label", NEW."listed_at", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."record_class", NEW."record_key", NEW."rows_disposed", NEW."schedule_event", NEW."schedule_years", NEW."status", NEW."version", NEW."withdrawn_at"); RETURN NULL;',
                                    hash="f71fe985ac03775785f22483efeb64bfc60709ce",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_3975a",
                                    table="retention_disposalitem",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "retention_disposalitemhistory" ("confirmed_by_id", "disposal", "disposed_at", "due_on", "event_on", "id", "label", "listed_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "record_class", "record_key", "rows_disposed", "schedule_event", "schedule_years", "status", "version", "withdrawn_at") VALUES (NEW."confirmed_by_id", NEW."disposal", NEW."disposed_at", NEW."due_on", NEW."event_on", NEW."id", NEW."label", NEW."listed_at", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."record_class", NEW."record_key", NEW."rows_disposed", NEW."schedule_event", NEW."schedule_years", NEW."status", NEW."version", NEW."withdrawn_at"); RETURN NULL;',
                                    hash="72b7ca7283bbcadefbc8d9cef1734612e6bc2490",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_92b73",
                                    table="retention_disposalitem",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "retention_disposalitemhistory" ("confirmed_by_id", "disposal", "disposed_at", "due_on", "event_on", "id", "label", "listed_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "record_class", "record_key", "rows_disposed", "schedule_event", "schedule_years", "status", "version", "withdrawn_at") VALUES (OLD."confirmed_by_id", OLD."disposal", OLD."disposed_at", OLD."due_on", OLD."event_on", OLD."id", OLD."label", OLD."listed_at", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."record_class", OLD."record_key", OLD."rows_disposed", OLD."schedule_event", OLD."schedule_years", OLD."status", OLD."version", OLD."withdrawn_at"); RETURN NULL;',
                                    hash="76b613c09fc38821955b9533f9250d4ebf9da1de",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_199ea",
                                    table="retention_disposalitem",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DisposalItemHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("record_class", models.CharField(max_length=40)),
                        ("record_key", models.CharField(max_length=40)),
                        ("label", models.CharField(max_length=120)),
                        (
                            "disposal",
                            models.CharField(
                                choices=[("destroy", "Destroyed"), ("anonymise", "Anonymised")],
                                max_length=10,
                            ),
                        ),
                        (
                            "schedule_event",
                            models.CharField(
                                help_text="What the schedule counts from, as the page names it.",
                                max_length=200,
                            ),
                        ),
                        ("schedule_years", models.PositiveSmallIntegerField()),
                        (
                            "event_on",
                            models.DateField(
                                help_text="When the event the schedule counts from happened."
                            ),
                        ),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("due", "Due for disposal"),
                                    ("disposed", "Disposed"),
                                    ("withdrawn", "No longer due"),
                                ],
                                default="due",
                                max_length=10,
                            ),
                        ),
                        ("listed_at", models.DateTimeField()),
                        ("disposed_at", models.DateTimeField(blank=True, null=True)),
                        ("rows_disposed", models.PositiveIntegerField(default=0)),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "confirmed_by",
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
                                to="retention.disposalitem",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="disposalitem_hist_obj"
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="ba532227e33e2cff9412afa73645ce47f2008d4d",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_5edd8",
                                    table="retention_disposalitemhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LegalHold",
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
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("placed_at", models.DateTimeField()),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "lift_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
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
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.child",
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
                            "placed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-placed_at", "-id"],
                        "indexes": [
                            models.Index(fields=["lifted_at"], name="legal_hold_active_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("case__isnull", False), ("child__isnull", True)),
                                    models.Q(("case__isnull", True), ("child__isnull", False)),
                                    _connector="OR",
                                ),
                                name="legal_hold_one_target",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("reason", ""), _negated=True),
                                name="legal_hold_has_reason",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("lifted_at__isnull", True),
                                    models.Q(("lift_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="legal_hold_lift_has_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="retention_legalhold_reason_len_509455fc",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("lift_reason"), 20000
                                ),
                                name="retention_legalhold_lift_reason_len_53708bcc",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "retention_legalholdhistory" ("case_id", "child_id", "id", "lift_reason", "lifted_at", "lifted_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "placed_at", "placed_by_id", "reason", "version") VALUES (NEW."case_id", NEW."child_id", NEW."id", NEW."lift_reason", NEW."lifted_at", NEW."lifted_by_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."placed_at", NEW."placed_by_id", NEW."reason", NEW."version"); RETURN NULL;',
                                    hash="9f61e1ccf36648ffa3a16bbdc9b0389e3d003f77",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_9dba2",
                                    table="retention_legalhold",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "retention_legalholdhistory" ("case_id", "child_id", "id", "lift_reason", "lifted_at", "lifted_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "placed_at", "placed_by_id", "reason", "version") VALUES (NEW."case_id", NEW."child_id", NEW."id", NEW."lift_reason", NEW."lifted_at", NEW."lifted_by_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."placed_at", NEW."placed_by_id", NEW."reason", NEW."version"); RETURN NULL;',
                                    hash="666f351f92dde2095e5fa11646dc9f5270cc8da0",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_6fd03",
                                    table="retention_legalhold",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "retention_legalholdhistory" ("case_id", "child_id", "id", "lift_reason", "lifted_at", "lifted_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "placed_at", "placed_by_id", "reason", "version") VALUES (OLD."case_id", OLD."child_id", OLD."id", OLD."lift_reason", OLD."lifted_at", OLD."lifted_by_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."placed_at", OLD."placed_by_id", OLD."reason", OLD."version"); RETURN NULL;',
                                    hash="0a2dee33bbbfea487c3d200e4fceab0a6ae6712e",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_f5c69",
                                    table="retention_legalhold",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LegalHoldHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("placed_at", models.DateTimeField()),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "lift_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
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
                            "lifted_by",
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
                                to="retention.legalhold",
                            ),
                        ),
                        (
                            "placed_by",
                            models.ForeignKey(
                                db_constraint=False,
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
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="legalhold_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="retention_legalholdhistory_reason_len_f9e168be",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("lift_reason"), 20000
                                ),
                                name="retention_legalholdhistory_lift_reason_len_a6807a72",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="923a462700c6ce3ab81df44e7881c22f1962ee86",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_14787",
                                    table="retention_legalholdhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
            ]
        ),
    ]
