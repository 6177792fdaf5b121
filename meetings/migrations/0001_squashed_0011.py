"""Every migration of this app up to 0011, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

import django.contrib.postgres.fields
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
        ("meetings", "0001_initial"),
        ("meetings", "0002_meeting_mode_plan_reviews"),
        ("meetings", "0003_dashboard_indexes"),
        ("meetings", "0004_family_feedback"),
        ("meetings", "0005_outcome_reviews"),
        ("meetings", "0006_move_meeting_emails_to_outbox"),
        ("meetings", "0007_delete_meetingemail"),
        ("meetings", "0008_text_limits"),
        ("meetings", "0009_outcome_and_action_for_one_child"),
        ("meetings", "0010_history_by_record"),
        ("meetings", "0011_action_open_case_due_idx"),
    ]

    initial = True

    dependencies = [
        ("agencies", "0002_partner_clients"),
        ("agencies", "__first__"),
        ("cases", "0001_squashed_0027"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="Action",
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
                        ("description", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "owner_name",
                            models.CharField(
                                blank=True,
                                help_text="A network member without an account.",
                                max_length=200,
                            ),
                        ),
                        ("start_on", models.DateField(blank=True, null=True)),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "Not started"),
                                    ("in_progress", "In progress"),
                                    ("done", "Done"),
                                    ("cancelled", "Cancelled"),
                                    ("carried_forward", "Carried forward"),
                                ],
                                default="not_started",
                                max_length=20,
                            ),
                        ),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "late_reason",
                            models.CharField(
                                blank=True,
                                help_text="Why an overdue action is late (dashboards).",
                                max_length=200,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Bumped on every change."
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actions",
                                to="cases.case",
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                blank=True,
                                help_text="The one child it is for; empty when it is for all the case's children.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="plan_actions",
                                to="cases.child",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "owner_agency",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty when the family or their network owns it.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actions",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "owner_family_member",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="actions",
                                to="cases.familymember",
                            ),
                        ),
                        (
                            "owner_professional",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="owned_actions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["due_on", "id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["not_started", "in_progress", "carried_forward"],
                                    )
                                ),
                                fields=["owner_professional", "due_on"],
                                name="action_open_owner_due_idx",
                            ),
                            models.Index(fields=["case", "status"], name="action_case_status_idx"),
                            models.Index(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["not_started", "in_progress", "carried_forward"],
                                    )
                                ),
                                fields=["case", "due_on"],
                                name="action_open_case_due_idx",
                            ),
                            models.Index(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["not_started", "in_progress", "carried_forward"],
                                    )
                                ),
                                fields=["due_on"],
                                name="action_open_due_idx",
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("owner_professional__isnull", False),
                                    ("owner_family_member__isnull", False),
                                    models.Q(("owner_name", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="action_has_an_owner",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("description"), 20000
                                ),
                                name="meetings_action_description_len_1a38559d",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ActionUpdate",
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
                        ("at", models.DateTimeField()),
                        ("text", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "action",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="updates",
                                to="meetings.action",
                            ),
                        ),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["at", "id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("text"), 20000
                                ),
                                name="meetings_actionupdate_text_len_f07e66bd",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_actionupdatehistory" ("action_id", "at", "by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text") VALUES (NEW."action_id", NEW."at", NEW."by_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."text"); RETURN NULL;',
                                    hash="19b58daa11c7b301e4da0659774e64757ae09b30",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_e7ef7",
                                    table="meetings_actionupdate",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "meetings_actionupdatehistory" ("action_id", "at", "by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text") VALUES (NEW."action_id", NEW."at", NEW."by_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."text"); RETURN NULL;',
                                    hash="072928c782c22e17d61b4a68f0b86ebe6cc59519",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_29f27",
                                    table="meetings_actionupdate",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_actionupdatehistory" ("action_id", "at", "by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "text") VALUES (OLD."action_id", OLD."at", OLD."by_id", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."text"); RETURN NULL;',
                                    hash="c402dc9832153b3b5adbf57206f7dfde06314358",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_4f37f",
                                    table="meetings_actionupdate",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ActionUpdateHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("at", models.DateTimeField()),
                        ("text", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "action",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.action",
                            ),
                        ),
                        (
                            "by",
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
                                to="meetings.actionupdate",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="actionupdate_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("text"), 20000
                                ),
                                name="meetings_actionupdatehistory_text_len_c2e36120",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="38c339761fb27e9fdba5163c82343e8341710bd9",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_b9934",
                                    table="meetings_actionupdatehistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseDiscussion",
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
                        ("held_on", models.DateField()),
                        ("question", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "hypotheses",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "learning",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "next_steps",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="discussions",
                                to="cases.case",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "participants",
                            models.ManyToManyField(related_name="+", to=settings.AUTH_USER_MODEL),
                        ),
                    ],
                    options={
                        "ordering": ["-held_on", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("question"), 20000
                                ),
                                name="meetings_casediscussion_question_len_1c20185a",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("hypotheses"), 20000
                                ),
                                name="meetings_casediscussion_hypotheses_len_bbb6fb1d",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("learning"), 20000
                                ),
                                name="meetings_casediscussion_learning_len_2f72e4f9",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("next_steps"), 20000
                                ),
                                name="meetings_casediscussion_next_steps_len_1abcf51f",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_casediscussionhistory" ("case_id", "created_at", "created_by_id", "held_on", "hypotheses", "id", "learning", "next_steps", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question") VALUES (NEW."case_id", NEW."created_at", NEW."created_by_id", NEW."held_on", NEW."hypotheses", NEW."id", NEW."learning", NEW."next_steps", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."question"); RETURN NULL;',
                                    hash="bfd82c04f357bab8979d0942beb6d2ffcc2c05e0",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_8b824",
                                    table="meetings_casediscussion",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "meetings_casediscussionhistory" ("case_id", "created_at", "created_by_id", "held_on", "hypotheses", "id", "learning", "next_steps", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question") VALUES (NEW."case_id", NEW."created_at", NEW."created_by_id", NEW."held_on", NEW."hypotheses", NEW."id", NEW."learning", NEW."next_steps", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."question"); RETURN NULL;',
                                    hash="f2a594b20fb3abe99646fa723c1fd2c3cc2b18bd",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_a2ad8",
                                    table="meetings_casediscussion",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_casediscussionhistory" ("case_id", "created_at", "created_by_id", "held_on", "hypotheses", "id", "learning", "next_steps", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "question") VALUES (OLD."case_id", OLD."created_at", OLD."created_by_id", OLD."held_on", OLD."hypotheses", OLD."id", OLD."learning", OLD."next_steps", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."question"); RETURN NULL;',
                                    hash="2af48034be545605f6df3c4ae01d6b98cb75e922",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_49553",
                                    table="meetings_casediscussion",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseDiscussionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("held_on", models.DateField()),
                        ("question", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "hypotheses",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "learning",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "next_steps",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
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
                            "created_by",
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
                                to="meetings.casediscussion",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="casediscussion_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("question"), 20000
                                ),
                                name="meetings_casediscussionhistory_question_len_b43c604d",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("hypotheses"), 20000
                                ),
                                name="meetings_casediscussionhistory_hypotheses_len_c458e1bf",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("learning"), 20000
                                ),
                                name="meetings_casediscussionhistory_learning_len_a5daa434",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("next_steps"), 20000
                                ),
                                name="meetings_casediscussionhistory_next_steps_len_a6754e8d",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="f2a28ddd8595cdbc8f2dbdd10a9c427d8f7123e2",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_9c422",
                                    table="meetings_casediscussionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Contribution",
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
                            "author_role",
                            models.CharField(
                                blank=True, help_text="As it was when written.", max_length=100
                            ),
                        ),
                        (
                            "author_agency",
                            models.CharField(
                                blank=True, help_text="As it was when written.", max_length=200
                            ),
                        ),
                        ("body", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("created_at", models.DateTimeField()),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contributions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="contributions",
                                to="cases.case",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["case", "-created_at"], name="contribution_case_at_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("body"), 20000
                                ),
                                name="meetings_contribution_body_len_cfc9b683",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Decision",
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
                        ("text", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "rationale",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["recorded_at", "id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("text"), 20000
                                ),
                                name="meetings_decision_text_len_5c6a9bd2",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("rationale"), 20000
                                ),
                                name="meetings_decision_rationale_len_a30c2660",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Dissent",
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
                        ("by_name", models.CharField(max_length=200)),
                        ("by_role", models.CharField(blank=True, max_length=200)),
                        ("text", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "decision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="dissents",
                                to="meetings.decision",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["recorded_at", "id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("text"), 20000
                                ),
                                name="meetings_dissent_text_len_1b52b81b",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FamilyFeedback",
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
                            "given_by",
                            models.CharField(
                                choices=[
                                    ("child", "The child or young person"),
                                    ("parent", "A parent or carer"),
                                    ("family", "The family together"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "answer",
                            models.CharField(
                                choices=[
                                    ("working", "Yes, it is working for us"),
                                    ("partly", "Partly"),
                                    ("not_working", "No, it is not working for us"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "in_their_words",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "may_quote",
                            models.BooleanField(
                                default=False,
                                help_text="The family agreed their words may be shown to managers without names.",
                            ),
                        ),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-recorded_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("may_quote", True)),
                                fields=["-recorded_at"],
                                name="feedback_quotable_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("in_their_words"), 20000
                                ),
                                name="meetings_familyfeedback_in_their_words_len_6123399c",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Invitation",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("professional", "Professional"),
                                    ("family", "Family member"),
                                    ("external", "Attendee without an account"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "name",
                            models.CharField(help_text="As it was when invited.", max_length=200),
                        ),
                        (
                            "agency",
                            models.CharField(
                                blank=True, help_text="Role and agency, as invited.", max_length=200
                            ),
                        ),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        (
                            "response",
                            models.CharField(
                                choices=[
                                    ("awaiting", "No reply yet"),
                                    ("attending", "Attending"),
                                    ("apologies", "Sent apologies"),
                                ],
                                default="awaiting",
                                max_length=20,
                            ),
                        ),
                        ("responded_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "attendance",
                            models.CharField(
                                choices=[
                                    ("unknown", "Not recorded"),
                                    ("attended", "Attended"),
                                    ("apologies", "Apologies"),
                                    ("absent", "Did not attend"),
                                ],
                                default="unknown",
                                max_length=20,
                            ),
                        ),
                        (
                            "update_text",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="Their update at the meeting.",
                                max_length=20000,
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("invited_at", models.DateTimeField()),
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
                            "membership",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.teammembership",
                            ),
                        ),
                        (
                            "professional",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="meeting_invitations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("update_text"), 20000
                                ),
                                name="meetings_invitation_update_text_len_8a822f7f",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DissentHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("by_name", models.CharField(max_length=200)),
                        ("by_role", models.CharField(blank=True, max_length=200)),
                        ("text", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "decision",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.decision",
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
                                to="meetings.dissent",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "invitation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.invitation",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="dissent_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("text"), 20000
                                ),
                                name="meetings_dissenthistory_text_len_e2924d28",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="28efc5647cccc3917fe14bedbacbc469fe22bee2",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_3f880",
                                    table="meetings_dissenthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="dissent",
                    name="invitation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="meetings.invitation",
                    ),
                ),
                migrations.CreateModel(
                    name="Meeting",
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
                            "kind",
                            models.CharField(
                                choices=[
                                    ("initial", "Initial TAC meeting"),
                                    ("review", "Review meeting"),
                                    ("closure", "Closure meeting"),
                                    ("step_down", "Step-down handover meeting"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("scheduled", "Scheduled"),
                                    ("held", "Held"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="scheduled",
                                max_length=20,
                            ),
                        ),
                        ("starts_at", models.DateTimeField()),
                        ("ends_at", models.DateTimeField(blank=True, null=True)),
                        ("held_at", models.DateTimeField(blank=True, null=True)),
                        ("minutes_published_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("in_person", "In person"),
                                    ("video", "Video call"),
                                    ("phone", "Phone call"),
                                    ("hybrid", "In person and video"),
                                ],
                                default="in_person",
                                max_length=20,
                            ),
                        ),
                        (
                            "location",
                            models.CharField(
                                blank=True,
                                help_text="Where, or how to join. Never the family's home address.",
                                max_length=300,
                            ),
                        ),
                        ("professionals_only", models.BooleanField(default=False)),
                        (
                            "professionals_only_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "ical_uid",
                            models.CharField(blank=True, max_length=120, null=True, unique=True),
                        ),
                        ("ical_sequence", models.PositiveIntegerField(default=0)),
                        (
                            "cancelled_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Bumped on every save."
                            ),
                        ),
                        (
                            "text_versions",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Version of each typed field, bumped on every save.",
                            ),
                        ),
                        (
                            "family_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="The family's views, in their words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "child_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="The child's views, in their words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "progress_summary",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("next_review_on", models.DateField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="meetings",
                                to="cases.case",
                            ),
                        ),
                        (
                            "chair",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "note_taker",
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
                        "ordering": ["starts_at", "id"],
                        "indexes": [
                            models.Index(
                                fields=["case", "starts_at"], name="meeting_case_starts_idx"
                            ),
                            models.Index(
                                fields=["status", "starts_at"], name="meeting_status_starts_idx"
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length(
                                        "professionals_only_reason"
                                    ),
                                    20000,
                                ),
                                name="meetings_meeting_professionals_only_len_b284fcdf",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("cancelled_reason"),
                                    20000,
                                ),
                                name="meetings_meeting_cancelled_reason_len_c7e25f05",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("family_views"), 20000
                                ),
                                name="meetings_meeting_family_views_len_029b3e9d",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_views"), 20000
                                ),
                                name="meetings_meeting_child_views_len_5a8b517b",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("progress_summary"),
                                    20000,
                                ),
                                name="meetings_meeting_progress_summary_len_1486a424",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_meetinghistory" ("cancelled_reason", "case_id", "chair_id", "child_views", "created_at", "created_by_id", "ends_at", "family_views", "held_at", "ical_sequence", "ical_uid", "id", "kind", "location", "minutes_published_at", "mode", "next_review_on", "note_taker_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professionals_only", "professionals_only_reason", "progress_summary", "starts_at", "status", "text_versions", "updated_at", "version") VALUES (NEW."cancelled_reason", NEW."case_id", NEW."chair_id", NEW."child_views", NEW."created_at", NEW."created_by_id", NEW."ends_at", NEW."family_views", NEW."held_at", NEW."ical_sequence", NEW."ical_uid", NEW."id", NEW."kind", NEW."location", NEW."minutes_published_at", NEW."mode", NEW."next_review_on", NEW."note_taker_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."professionals_only", NEW."professionals_only_reason", NEW."progress_summary", NEW."starts_at", NEW."status", NEW."text_versions", NEW."updated_at", NEW."version"); RETURN NULL;',
                                    hash="24486dc527e7f80c97ee5e7bd5c0dba53788c537",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_61d9e",
                                    table="meetings_meeting",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "meetings_meetinghistory" ("cancelled_reason", "case_id", "chair_id", "child_views", "created_at", "created_by_id", "ends_at", "family_views", "held_at", "ical_sequence", "ical_uid", "id", "kind", "location", "minutes_published_at", "mode", "next_review_on", "note_taker_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professionals_only", "professionals_only_reason", "progress_summary", "starts_at", "status", "text_versions", "updated_at", "version") VALUES (NEW."cancelled_reason", NEW."case_id", NEW."chair_id", NEW."child_views", NEW."created_at", NEW."created_by_id", NEW."ends_at", NEW."family_views", NEW."held_at", NEW."ical_sequence", NEW."ical_uid", NEW."id", NEW."kind", NEW."location", NEW."minutes_published_at", NEW."mode", NEW."next_review_on", NEW."note_taker_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."professionals_only", NEW."professionals_only_reason", NEW."progress_summary", NEW."starts_at", NEW."status", NEW."text_versions", NEW."updated_at", NEW."version"); RETURN NULL;',
                                    hash="637a7b3cba099ba1867f3a208ab102106f9af10f",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_495b8",
                                    table="meetings_meeting",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_meetinghistory" ("cancelled_reason", "case_id", "chair_id", "child_views", "created_at", "created_by_id", "ends_at", "family_views", "held_at", "ical_sequence", "ical_uid", "id", "kind", "location", "minutes_published_at", "mode", "next_review_on", "note_taker_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professionals_only", "professionals_only_reason", "progress_summary", "starts_at", "status", "text_versions", "updated_at", "version") VALUES (OLD."cancelled_reason", OLD."case_id", OLD."chair_id", OLD."child_views", OLD."created_at", OLD."created_by_id", OLD."ends_at", OLD."family_views", OLD."held_at", OLD."ical_sequence", OLD."ical_uid", OLD."id", OLD."kind", OLD."location", OLD."minutes_published_at", OLD."mode", OLD."next_review_on", OLD."note_taker_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."professionals_only", OLD."professionals_only_reason", OLD."progress_summary", OLD."starts_at", OLD."status", OLD."text_versions", OLD."updated_at", OLD."version"); RETURN NULL;',
                                    hash="bc13a72cfad30ae3ae0405700c2fd921eb004979",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_4bf26",
                                    table="meetings_meeting",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="InvitationHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("professional", "Professional"),
                                    ("family", "Family member"),
                                    ("external", "Attendee without an account"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "name",
                            models.CharField(help_text="As it was when invited.", max_length=200),
                        ),
                        (
                            "agency",
                            models.CharField(
                                blank=True, help_text="Role and agency, as invited.", max_length=200
                            ),
                        ),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        (
                            "response",
                            models.CharField(
                                choices=[
                                    ("awaiting", "No reply yet"),
                                    ("attending", "Attending"),
                                    ("apologies", "Sent apologies"),
                                ],
                                default="awaiting",
                                max_length=20,
                            ),
                        ),
                        ("responded_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "attendance",
                            models.CharField(
                                choices=[
                                    ("unknown", "Not recorded"),
                                    ("attended", "Attended"),
                                    ("apologies", "Apologies"),
                                    ("absent", "Did not attend"),
                                ],
                                default="unknown",
                                max_length=20,
                            ),
                        ),
                        (
                            "update_text",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="Their update at the meeting.",
                                max_length=20000,
                            ),
                        ),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("invited_at", models.DateTimeField()),
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
                            "membership",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.teammembership",
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
                                to="meetings.invitation",
                            ),
                        ),
                        (
                            "professional",
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
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.meeting",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="invitation_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("update_text"), 20000
                                ),
                                name="meetings_invitationhistory_update_text_len_f6565ee5",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="aa719f8a810947af3ad696914336ad0e68450fb3",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_9b15b",
                                    table="meetings_invitationhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="invitation",
                    name="meeting",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="meetings.meeting",
                    ),
                ),
                migrations.CreateModel(
                    name="DecisionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("text", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "rationale",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("recorded_at", models.DateTimeField()),
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
                                to="meetings.decision",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "meeting",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.meeting",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="decision_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("text"), 20000
                                ),
                                name="meetings_decisionhistory_text_len_b9f0afaf",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("rationale"), 20000
                                ),
                                name="meetings_decisionhistory_rationale_len_71b4cc46",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="be0ffb31815939532fc78e5bbe0258478b09abd7",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_50257",
                                    table="meetings_decisionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="decision",
                    name="meeting",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decisions",
                        to="meetings.meeting",
                    ),
                ),
                migrations.CreateModel(
                    name="ContributionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "author_role",
                            models.CharField(
                                blank=True, help_text="As it was when written.", max_length=100
                            ),
                        ),
                        (
                            "author_agency",
                            models.CharField(
                                blank=True, help_text="As it was when written.", max_length=200
                            ),
                        ),
                        ("body", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("created_at", models.DateTimeField()),
                        (
                            "author",
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
                                to="meetings.contribution",
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="contribution_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("body"), 20000
                                ),
                                name="meetings_contributionhistory_body_len_035062c3",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="3a678d8b35449a183f8d5b48bee1bd657c2bbec6",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_49008",
                                    table="meetings_contributionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="contribution",
                    name="meeting",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="contributions",
                        to="meetings.meeting",
                    ),
                ),
                migrations.CreateModel(
                    name="ActionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("description", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "owner_name",
                            models.CharField(
                                blank=True,
                                help_text="A network member without an account.",
                                max_length=200,
                            ),
                        ),
                        ("start_on", models.DateField(blank=True, null=True)),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("not_started", "Not started"),
                                    ("in_progress", "In progress"),
                                    ("done", "Done"),
                                    ("cancelled", "Cancelled"),
                                    ("carried_forward", "Carried forward"),
                                ],
                                default="not_started",
                                max_length=20,
                            ),
                        ),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "late_reason",
                            models.CharField(
                                blank=True,
                                help_text="Why an overdue action is late (dashboards).",
                                max_length=200,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Bumped on every change."
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
                                blank=True,
                                db_constraint=False,
                                help_text="The one child it is for; empty when it is for all the case's children.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.child",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "owner_agency",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Empty when the family or their network owns it.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "owner_family_member",
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
                            "owner_professional",
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
                                to="meetings.action",
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="action_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("description"), 20000
                                ),
                                name="meetings_actionhistory_description_len_bad7d598",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="c172f3b2e67b2b4f797b54f649e08d52fd9c319e",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_a43f9",
                                    table="meetings_actionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="action",
                    name="meeting",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions",
                        to="meetings.meeting",
                    ),
                ),
                migrations.CreateModel(
                    name="MeetingHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("initial", "Initial TAC meeting"),
                                    ("review", "Review meeting"),
                                    ("closure", "Closure meeting"),
                                    ("step_down", "Step-down handover meeting"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("scheduled", "Scheduled"),
                                    ("held", "Held"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="scheduled",
                                max_length=20,
                            ),
                        ),
                        ("starts_at", models.DateTimeField()),
                        ("ends_at", models.DateTimeField(blank=True, null=True)),
                        ("held_at", models.DateTimeField(blank=True, null=True)),
                        ("minutes_published_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("in_person", "In person"),
                                    ("video", "Video call"),
                                    ("phone", "Phone call"),
                                    ("hybrid", "In person and video"),
                                ],
                                default="in_person",
                                max_length=20,
                            ),
                        ),
                        (
                            "location",
                            models.CharField(
                                blank=True,
                                help_text="Where, or how to join. Never the family's home address.",
                                max_length=300,
                            ),
                        ),
                        ("professionals_only", models.BooleanField(default=False)),
                        (
                            "professionals_only_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("ical_uid", models.CharField(blank=True, max_length=120, null=True)),
                        ("ical_sequence", models.PositiveIntegerField(default=0)),
                        (
                            "cancelled_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Bumped on every save."
                            ),
                        ),
                        (
                            "text_versions",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                help_text="Version of each typed field, bumped on every save.",
                            ),
                        ),
                        (
                            "family_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="The family's views, in their words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "child_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="The child's views, in their words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "progress_summary",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("next_review_on", models.DateField(blank=True, null=True)),
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
                            "chair",
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
                            "created_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "note_taker",
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
                                to="meetings.meeting",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="meeting_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length(
                                        "professionals_only_reason"
                                    ),
                                    20000,
                                ),
                                name="meetings_meetinghistory_professionals_only_len_2908ba2e",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("cancelled_reason"),
                                    20000,
                                ),
                                name="meetings_meetinghistory_cancelled_reason_len_605c7bb2",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("family_views"), 20000
                                ),
                                name="meetings_meetinghistory_family_views_len_fca39841",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_views"), 20000
                                ),
                                name="meetings_meetinghistory_child_views_len_b75d7837",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("progress_summary"),
                                    20000,
                                ),
                                name="meetings_meetinghistory_progress_summary_len_fb977b90",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="a5d4e9831bc0b033e9ce518037f6060b982a959e",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_a7a3f",
                                    table="meetings_meetinghistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Outcome",
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
                        ("statement", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("achieved", "Achieved"),
                                    ("partly_achieved", "Partly achieved"),
                                    ("not_achieved", "Not achieved"),
                                    ("no_longer_relevant", "No longer relevant"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "framework_tags",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.CharField(
                                    choices=[
                                        ("ECM1", "Be healthy"),
                                        ("ECM2", "Stay safe"),
                                        ("ECM3", "Enjoy and achieve"),
                                        ("ECM4", "Make a positive contribution"),
                                        ("ECM5", "Achieve economic well-being"),
                                        ("SF1", "Getting a good education"),
                                        ("SF2", "Good early years development"),
                                        ("SF3", "Improved mental and physical health"),
                                        ("SF4", "Better managed substance use"),
                                        ("SF5", "Improved family relationships"),
                                        ("SF6", "Children safe from abuse and exploitation"),
                                        ("SF7", "Families diverted from crime"),
                                        ("SF8", "Safe from domestic abuse"),
                                        ("SF9", "Secure housing"),
                                        ("SF10", "Financial stability"),
                                    ],
                                    max_length=10,
                                ),
                                blank=True,
                                default=list,
                                size=None,
                            ),
                        ),
                        (
                            "how_we_will_know",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("baseline_scale", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("target_scale", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "current_scale",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Where things are now, 0 to 10, at the latest review.",
                                null=True,
                            ),
                        ),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "review_note",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="What the family and the team said at the latest review.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Bumped on every review."
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="outcomes",
                                to="cases.case",
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                blank=True,
                                help_text="The one child it is for; empty when it is for all the case's children.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="plan_outcomes",
                                to="cases.child",
                            ),
                        ),
                        (
                            "created_by",
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
                                related_name="outcomes",
                                to="meetings.meeting",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("baseline_scale__isnull", True),
                                    ("baseline_scale__lte", 10),
                                    _connector="OR",
                                ),
                                name="outcome_baseline_0_10",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("current_scale__isnull", True),
                                    ("current_scale__lte", 10),
                                    _connector="OR",
                                ),
                                name="outcome_current_0_10",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("target_scale__isnull", True),
                                    ("target_scale__lte", 10),
                                    _connector="OR",
                                ),
                                name="outcome_target_0_10",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("statement"), 20000
                                ),
                                name="meetings_outcome_statement_len_d2923847",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("how_we_will_know"),
                                    20000,
                                ),
                                name="meetings_outcome_how_we_will_know_len_d8cc2a09",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("review_note"), 20000
                                ),
                                name="meetings_outcome_review_note_len_633c46dd",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_outcomehistory" ("baseline_scale", "case_id", "child_id", "created_at", "created_by_id", "current_scale", "framework_tags", "how_we_will_know", "id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "review_note", "reviewed_at", "statement", "status", "target_scale", "version") VALUES (NEW."baseline_scale", NEW."case_id", NEW."child_id", NEW."created_at", NEW."created_by_id", NEW."current_scale", NEW."framework_tags", NEW."how_we_will_know", NEW."id", NEW."meeting_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."review_note", NEW."reviewed_at", NEW."statement", NEW."status", NEW."target_scale", NEW."version"); RETURN NULL;',
                                    hash="3944a410a9585ade2ee2f9acad866258042f6e2e",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_2bef6",
                                    table="meetings_outcome",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "meetings_outcomehistory" ("baseline_scale", "case_id", "child_id", "created_at", "created_by_id", "current_scale", "framework_tags", "how_we_will_know", "id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "review_note", "reviewed_at", "statement", "status", "target_scale", "version") VALUES (NEW."baseline_scale", NEW."case_id", NEW."child_id", NEW."created_at", NEW."created_by_id", NEW."current_scale", NEW."framework_tags", NEW."how_we_will_know", NEW."id", NEW."meeting_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."review_note", NEW."reviewed_at", NEW."statement", NEW."status", NEW."target_scale", NEW."version"); RETURN NULL;',
                                    hash="8309534a7c7c61fc07e660a0bae5644e2136cd64",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_4cd7c",
                                    table="meetings_outcome",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_outcomehistory" ("baseline_scale", "case_id", "child_id", "created_at", "created_by_id", "current_scale", "framework_tags", "how_we_will_know", "id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "review_note", "reviewed_at", "statement", "status", "target_scale", "version") VALUES (OLD."baseline_scale", OLD."case_id", OLD."child_id", OLD."created_at", OLD."created_by_id", OLD."current_scale", OLD."framework_tags", OLD."how_we_will_know", OLD."id", OLD."meeting_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."review_note", OLD."reviewed_at", OLD."statement", OLD."status", OLD."target_scale", OLD."version"); RETURN NULL;',
                                    hash="1bf6d0f96a22e030740e8f43b5c2bb4074b20d6f",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_60996",
                                    table="meetings_outcome",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="action",
                    name="outcomes",
                    field=models.ManyToManyField(
                        blank=True, related_name="actions", to="meetings.outcome"
                    ),
                ),
                migrations.CreateModel(
                    name="OutcomeHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("statement", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("achieved", "Achieved"),
                                    ("partly_achieved", "Partly achieved"),
                                    ("not_achieved", "Not achieved"),
                                    ("no_longer_relevant", "No longer relevant"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "framework_tags",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.CharField(
                                    choices=[
                                        ("ECM1", "Be healthy"),
                                        ("ECM2", "Stay safe"),
                                        ("ECM3", "Enjoy and achieve"),
                                        ("ECM4", "Make a positive contribution"),
                                        ("ECM5", "Achieve economic well-being"),
                                        ("SF1", "Getting a good education"),
                                        ("SF2", "Good early years development"),
                                        ("SF3", "Improved mental and physical health"),
                                        ("SF4", "Better managed substance use"),
                                        ("SF5", "Improved family relationships"),
                                        ("SF6", "Children safe from abuse and exploitation"),
                                        ("SF7", "Families diverted from crime"),
                                        ("SF8", "Safe from domestic abuse"),
                                        ("SF9", "Secure housing"),
                                        ("SF10", "Financial stability"),
                                    ],
                                    max_length=10,
                                ),
                                blank=True,
                                default=list,
                                size=None,
                            ),
                        ),
                        (
                            "how_we_will_know",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("baseline_scale", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("target_scale", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "current_scale",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Where things are now, 0 to 10, at the latest review.",
                                null=True,
                            ),
                        ),
                        ("reviewed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "review_note",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="What the family and the team said at the latest review.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "version",
                            models.PositiveIntegerField(
                                default=1, help_text="Bumped on every review."
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
                                blank=True,
                                db_constraint=False,
                                help_text="The one child it is for; empty when it is for all the case's children.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.child",
                            ),
                        ),
                        (
                            "created_by",
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
                                to="meetings.outcome",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="outcome_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("statement"), 20000
                                ),
                                name="meetings_outcomehistory_statement_len_20b3835d",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("how_we_will_know"),
                                    20000,
                                ),
                                name="meetings_outcomehistory_how_we_will_know_len_e429e70a",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("review_note"), 20000
                                ),
                                name="meetings_outcomehistory_review_note_len_cdfe002b",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="fa43811103746a75d1cafbb2e6ebdb2299c3edd9",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_23132",
                                    table="meetings_outcomehistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Review",
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
                        ("reviewed_at", models.DateTimeField()),
                        (
                            "child_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True, help_text="In the child's own words.", max_length=20000
                            ),
                        ),
                        (
                            "parent_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="In the parents' or carers' own words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "progress",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("positive", "Positive change"),
                                    ("no_change", "No change"),
                                    ("deterioration", "Things have got worse"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "summary",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("next_review_on", models.DateField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reviews",
                                to="cases.case",
                            ),
                        ),
                        (
                            "meeting",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="review",
                                to="meetings.meeting",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-reviewed_at", "-id"],
                        "indexes": [
                            models.Index(fields=["reviewed_at"], name="review_reviewed_at_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_views"), 20000
                                ),
                                name="meetings_review_child_views_len_47d0e2e4",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("parent_views"), 20000
                                ),
                                name="meetings_review_parent_views_len_5bcc4247",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("summary"), 20000
                                ),
                                name="meetings_review_summary_len_f53df9f4",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_reviewhistory" ("case_id", "child_views", "id", "meeting_id", "next_review_on", "parent_views", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "progress", "recorded_by_id", "reviewed_at", "summary") VALUES (NEW."case_id", NEW."child_views", NEW."id", NEW."meeting_id", NEW."next_review_on", NEW."parent_views", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."progress", NEW."recorded_by_id", NEW."reviewed_at", NEW."summary"); RETURN NULL;',
                                    hash="71b2b23dc6081deb9a39578f7a4216e83dfcc830",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_3d1ee",
                                    table="meetings_review",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "meetings_reviewhistory" ("case_id", "child_views", "id", "meeting_id", "next_review_on", "parent_views", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "progress", "recorded_by_id", "reviewed_at", "summary") VALUES (NEW."case_id", NEW."child_views", NEW."id", NEW."meeting_id", NEW."next_review_on", NEW."parent_views", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."progress", NEW."recorded_by_id", NEW."reviewed_at", NEW."summary"); RETURN NULL;',
                                    hash="ebc84247903726e0097ec159b4eb6876bf8bde54",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_4ab42",
                                    table="meetings_review",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "meetings_reviewhistory" ("case_id", "child_views", "id", "meeting_id", "next_review_on", "parent_views", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "progress", "recorded_by_id", "reviewed_at", "summary") VALUES (OLD."case_id", OLD."child_views", OLD."id", OLD."meeting_id", OLD."next_review_on", OLD."parent_views", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."progress", OLD."recorded_by_id", OLD."reviewed_at", OLD."summary"); RETURN NULL;',
                                    hash="8247d7fa4ac498d6701a61bfdcb36e6a6b8edc2d",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_ccde4",
                                    table="meetings_review",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FamilyFeedbackHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "given_by",
                            models.CharField(
                                choices=[
                                    ("child", "The child or young person"),
                                    ("parent", "A parent or carer"),
                                    ("family", "The family together"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "answer",
                            models.CharField(
                                choices=[
                                    ("working", "Yes, it is working for us"),
                                    ("partly", "Partly"),
                                    ("not_working", "No, it is not working for us"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "in_their_words",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "may_quote",
                            models.BooleanField(
                                default=False,
                                help_text="The family agreed their words may be shown to managers without names.",
                            ),
                        ),
                        ("recorded_at", models.DateTimeField()),
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
                                to="meetings.familyfeedback",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "review",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="meetings.review",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="familyfeedback_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("in_their_words"), 20000
                                ),
                                name="meetings_familyfeedbackhistory_in_their_words_len_37bb28b6",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="7c509c94d596d3ff62d5962b1b3bfd76e7a0c77d",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_b1beb",
                                    table="meetings_familyfeedbackhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="familyfeedback",
                    name="review",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="feedback",
                        to="meetings.review",
                    ),
                ),
                migrations.CreateModel(
                    name="ReviewHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("reviewed_at", models.DateTimeField()),
                        (
                            "child_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True, help_text="In the child's own words.", max_length=20000
                            ),
                        ),
                        (
                            "parent_views",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="In the parents' or carers' own words.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "progress",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("positive", "Positive change"),
                                    ("no_change", "No change"),
                                    ("deterioration", "Things have got worse"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "summary",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("next_review_on", models.DateField(blank=True, null=True)),
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
                                to="meetings.review",
                            ),
                        ),
                        (
                            "recorded_by",
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
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="review_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_views"), 20000
                                ),
                                name="meetings_reviewhistory_child_views_len_d7840716",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("parent_views"), 20000
                                ),
                                name="meetings_reviewhistory_parent_views_len_1928ac16",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("summary"), 20000
                                ),
                                name="meetings_reviewhistory_summary_len_122ab5c0",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="f8469a899c52fc67bfae4cfc30ceafb2e77de06e",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_adf15",
                                    table="meetings_reviewhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="invitation",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("professional__isnull", False)),
                        fields=("meeting", "professional"),
                        name="invitation_one_per_professional",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="invitation",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("family_member__isnull", False)),
                        fields=("meeting", "family_member"),
                        name="invitation_one_per_family_member",
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="dissent",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_dissenthistory" ("by_name", "by_role", "decision_id", "id", "invitation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "text") VALUES (NEW."by_name", NEW."by_role", NEW."decision_id", NEW."id", NEW."invitation_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."text"); RETURN NULL;',
                            hash="fcb4ae0c6d23c3d45327eec8b8f02eb6cb9e034d",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_a2458",
                            table="meetings_dissent",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="dissent",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "meetings_dissenthistory" ("by_name", "by_role", "decision_id", "id", "invitation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "text") VALUES (NEW."by_name", NEW."by_role", NEW."decision_id", NEW."id", NEW."invitation_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."text"); RETURN NULL;',
                            hash="537cd6534d468259319402c6782748aed0f72c1e",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_507d7",
                            table="meetings_dissent",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="dissent",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_dissenthistory" ("by_name", "by_role", "decision_id", "id", "invitation_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "text") VALUES (OLD."by_name", OLD."by_role", OLD."decision_id", OLD."id", OLD."invitation_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_at", OLD."recorded_by_id", OLD."text"); RETURN NULL;',
                            hash="f4ec2ad39986923f6308f585c4b3fd61d51bd0ea",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_47aad",
                            table="meetings_dissent",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="invitation",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_invitationhistory" ("agency", "attendance", "email", "family_member_id", "id", "invited_at", "kind", "meeting_id", "membership_id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "responded_at", "response", "update_text", "version") VALUES (NEW."agency", NEW."attendance", NEW."email", NEW."family_member_id", NEW."id", NEW."invited_at", NEW."kind", NEW."meeting_id", NEW."membership_id", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."professional_id", NEW."responded_at", NEW."response", NEW."update_text", NEW."version"); RETURN NULL;',
                            hash="0ce635ee6982f9023ae859ef4dc6a1c6d9a20151",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_1f593",
                            table="meetings_invitation",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="invitation",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "meetings_invitationhistory" ("agency", "attendance", "email", "family_member_id", "id", "invited_at", "kind", "meeting_id", "membership_id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "responded_at", "response", "update_text", "version") VALUES (NEW."agency", NEW."attendance", NEW."email", NEW."family_member_id", NEW."id", NEW."invited_at", NEW."kind", NEW."meeting_id", NEW."membership_id", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."professional_id", NEW."responded_at", NEW."response", NEW."update_text", NEW."version"); RETURN NULL;',
                            hash="1fb998ec2240203129c1c03cfd5b3c0aba69e2d4",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_af01b",
                            table="meetings_invitation",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="invitation",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_invitationhistory" ("agency", "attendance", "email", "family_member_id", "id", "invited_at", "kind", "meeting_id", "membership_id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "responded_at", "response", "update_text", "version") VALUES (OLD."agency", OLD."attendance", OLD."email", OLD."family_member_id", OLD."id", OLD."invited_at", OLD."kind", OLD."meeting_id", OLD."membership_id", OLD."name", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."professional_id", OLD."responded_at", OLD."response", OLD."update_text", OLD."version"); RETURN NULL;',
                            hash="c99826f17802cb5ebd05db14926403b9c5c39dbd",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_1baa1",
                            table="meetings_invitation",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="decision",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_decisionhistory" ("id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rationale", "recorded_at", "recorded_by_id", "text") VALUES (NEW."id", NEW."meeting_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."rationale", NEW."recorded_at", NEW."recorded_by_id", NEW."text"); RETURN NULL;',
                            hash="0636721cfa226550137696f535c38b91e2a7a8a8",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_61695",
                            table="meetings_decision",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="decision",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "meetings_decisionhistory" ("id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rationale", "recorded_at", "recorded_by_id", "text") VALUES (NEW."id", NEW."meeting_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."rationale", NEW."recorded_at", NEW."recorded_by_id", NEW."text"); RETURN NULL;',
                            hash="c45c58a16cace3d518fb2a6dc094e8ccbef8d659",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_3b789",
                            table="meetings_decision",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="decision",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_decisionhistory" ("id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rationale", "recorded_at", "recorded_by_id", "text") VALUES (OLD."id", OLD."meeting_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."rationale", OLD."recorded_at", OLD."recorded_by_id", OLD."text"); RETURN NULL;',
                            hash="2c428cc4bb3c4dee45701f652fb4d98c4a4de77c",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_05bcf",
                            table="meetings_decision",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="contribution",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_contributionhistory" ("author_agency", "author_id", "author_role", "body", "case_id", "created_at", "id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."author_agency", NEW."author_id", NEW."author_role", NEW."body", NEW."case_id", NEW."created_at", NEW."id", NEW."meeting_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id"); RETURN NULL;',
                            hash="74ffdf86746e01d2d5696ec44b79d2ea8517a7ad",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_22580",
                            table="meetings_contribution",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="contribution",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "meetings_contributionhistory" ("author_agency", "author_id", "author_role", "body", "case_id", "created_at", "id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."author_agency", NEW."author_id", NEW."author_role", NEW."body", NEW."case_id", NEW."created_at", NEW."id", NEW."meeting_id", _pgh_attach_context(), NOW(), \'update\', NEW."id"); RETURN NULL;',
                            hash="6ee487213c6b67089ba84cbd0cc483670c139b75",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_11240",
                            table="meetings_contribution",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="contribution",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_contributionhistory" ("author_agency", "author_id", "author_role", "body", "case_id", "created_at", "id", "meeting_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (OLD."author_agency", OLD."author_id", OLD."author_role", OLD."body", OLD."case_id", OLD."created_at", OLD."id", OLD."meeting_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id"); RETURN NULL;',
                            hash="7e8d31421ffdcc7fa425b94e54bfc34b8eb31e8e",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_47965",
                            table="meetings_contribution",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="action",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_actionhistory" ("case_id", "child_id", "completed_at", "created_at", "created_by_id", "description", "due_on", "id", "late_reason", "meeting_id", "owner_agency_id", "owner_family_member_id", "owner_name", "owner_professional_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "start_on", "status", "updated_at", "version") VALUES (NEW."case_id", NEW."child_id", NEW."completed_at", NEW."created_at", NEW."created_by_id", NEW."description", NEW."due_on", NEW."id", NEW."late_reason", NEW."meeting_id", NEW."owner_agency_id", NEW."owner_family_member_id", NEW."owner_name", NEW."owner_professional_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."start_on", NEW."status", NEW."updated_at", NEW."version"); RETURN NULL;',
                            hash="02f972be53e07b5e8778585a9ee7a2c1f54501e1",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_fae11",
                            table="meetings_action",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="action",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "meetings_actionhistory" ("case_id", "child_id", "completed_at", "created_at", "created_by_id", "description", "due_on", "id", "late_reason", "meeting_id", "owner_agency_id", "owner_family_member_id", "owner_name", "owner_professional_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "start_on", "status", "updated_at", "version") VALUES (NEW."case_id", NEW."child_id", NEW."completed_at", NEW."created_at", NEW."created_by_id", NEW."description", NEW."due_on", NEW."id", NEW."late_reason", NEW."meeting_id", NEW."owner_agency_id", NEW."owner_family_member_id", NEW."owner_name", NEW."owner_professional_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."start_on", NEW."status", NEW."updated_at", NEW."version"); RETURN NULL;',
                            hash="287fb88422a3c7cfe7c86d0a74fa9b26b99b8d5e",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_a681c",
                            table="meetings_action",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="action",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_actionhistory" ("case_id", "child_id", "completed_at", "created_at", "created_by_id", "description", "due_on", "id", "late_reason", "meeting_id", "owner_agency_id", "owner_family_member_id", "owner_name", "owner_professional_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "start_on", "status", "updated_at", "version") VALUES (OLD."case_id", OLD."child_id", OLD."completed_at", OLD."created_at", OLD."created_by_id", OLD."description", OLD."due_on", OLD."id", OLD."late_reason", OLD."meeting_id", OLD."owner_agency_id", OLD."owner_family_member_id", OLD."owner_name", OLD."owner_professional_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."start_on", OLD."status", OLD."updated_at", OLD."version"); RETURN NULL;',
                            hash="05791c0729fe0c32398df301ff70ce5fbcb87e86",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_641b9",
                            table="meetings_action",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="familyfeedback",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_familyfeedbackhistory" ("answer", "given_by", "id", "in_their_words", "may_quote", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "review_id") VALUES (NEW."answer", NEW."given_by", NEW."id", NEW."in_their_words", NEW."may_quote", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."review_id"); RETURN NULL;',
                            hash="a9f3266ea80308ef85b390c736694d26e152d11f",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_cfd84",
                            table="meetings_familyfeedback",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="familyfeedback",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "meetings_familyfeedbackhistory" ("answer", "given_by", "id", "in_their_words", "may_quote", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "review_id") VALUES (NEW."answer", NEW."given_by", NEW."id", NEW."in_their_words", NEW."may_quote", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."review_id"); RETURN NULL;',
                            hash="2902478871201b32410d148ad2bee93db0d049b2",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_d8c86",
                            table="meetings_familyfeedback",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="familyfeedback",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "meetings_familyfeedbackhistory" ("answer", "given_by", "id", "in_their_words", "may_quote", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "review_id") VALUES (OLD."answer", OLD."given_by", OLD."id", OLD."in_their_words", OLD."may_quote", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_at", OLD."recorded_by_id", OLD."review_id"); RETURN NULL;',
                            hash="aeb9a53c04e009b30b7e2c1b4b5a5d13574ce1c5",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_df13f",
                            table="meetings_familyfeedback",
                            when="AFTER",
                        ),
                    ),
                ),
            ]
        ),
    ]
