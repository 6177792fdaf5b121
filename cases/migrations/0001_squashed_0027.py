"""Every migration of this app up to 0027, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables, the levels of need,
and the sequence that numbers the cases.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

from importlib import import_module

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
import django.db.models.functions.datetime
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

import cases.validators
import tac_portal.fields
import tac_portal.validators
from tac_portal.migration_operations import CreateModels

# The replaced migrations that seed data; their functions run from their own modules.
LEVELS = import_module("cases.migrations.0002_levels_of_need_and_reference_sequence")


class Migration(migrations.Migration):
    replaces = [
        ("cases", "0001_initial"),
        ("cases", "0002_levels_of_need_and_reference_sequence"),
        ("cases", "0003_change_history"),
        ("cases", "0004_requests_consent_disclosure"),
        ("cases", "0005_child_name_keys_journeys"),
        ("cases", "0005_episode_steps"),
        ("cases", "0006_child_soundex_given_index"),
        ("cases", "0007_merge_journeys_and_episode"),
        ("cases", "0008_dashboard_indexes"),
        ("cases", "0009_partner_added_children"),
        ("cases", "0010_access_records_from_audit"),
        ("cases", "0011_record_access_purpose"),
        ("cases", "0012_request_requester_agency_and_partner"),
        ("cases", "0013_request_has_a_requester"),
        ("cases", "0014_team_page"),
        ("cases", "0015_people_details_history"),
        ("cases", "0016_input_limits"),
        ("cases", "0017_closure_from_every_stage_and_concern_words"),
        ("cases", "0018_concern_words_bounded"),
        ("cases", "0019_unborn_and_merged_children"),
        ("cases", "0020_team_invitations"),
        ("cases", "0021_access_purpose_subject_access"),
        ("cases", "0022_family_member_text_messages"),
        ("cases", "0023_record_access_purpose_document"),
        ("cases", "0024_all_access_purposes"),
        ("cases", "0025_relationship_to_each_child"),
        ("cases", "0026_name_slip_keys"),
        ("cases", "0027_history_by_record"),
    ]

    initial = True

    dependencies = [
        # The OAuth toolkit's migrations run first, while few models refer to the user:
        # each of their alterations reloads every model related to it.
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
        ("agencies", "0002_partner_clients"),
        ("agencies", "__first__"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="Case",
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
                        ("reference", models.CharField(editable=False, max_length=20, unique=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("IDENTIFIED", "Need identified"),
                                    ("REQUEST_SUBMITTED", "Request for support submitted"),
                                    ("TRIAGED", "Triaged"),
                                    ("CONSENT_PENDING", "Awaiting family's agreement"),
                                    ("ASSESSING", "Assessing"),
                                    ("PLANNING", "Planning"),
                                    ("ACTIVE", "Active plan"),
                                    ("REASSESSING", "Reassessing"),
                                    ("STEP_UP_REQUESTED", "Step-up requested"),
                                    ("CLOSING", "Closing"),
                                    ("CLOSED", "Closed"),
                                    ("SINGLE_AGENCY", "Single agency support"),
                                    ("CSC_REFERRAL", "Referred to children's social care"),
                                    ("CLOSED_NFA", "Closed: no further action"),
                                    ("CLOSED_DECLINED", "Closed: family declined"),
                                    ("CLOSED_NEEDS_MET", "Closed: needs met"),
                                    ("CLOSED_STEPPED_UP", "Closed: stepped up"),
                                ],
                                default="IDENTIFIED",
                                max_length=20,
                            ),
                        ),
                        ("opened_at", models.DateTimeField()),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "closure_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("NEEDS_MET", "Outcomes achieved / needs met"),
                                    ("SINGLE_AGENCY", "Continuing with a single agency"),
                                    ("STEPPED_UP", "Stepped up to children's social care"),
                                    ("CONSENT_WITHDRAWN", "Family withdrew consent"),
                                    ("DISENGAGED", "Family disengaged"),
                                    ("MOVED_OUT_OF_AREA", "Moved out of area"),
                                    ("AGED_OUT", "Young person aged out"),
                                    ("NFA_AFTER_TRIAGE", "No further action after triage"),
                                    ("OTHER", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "closure_reason_detail",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("is_re_referral", models.BooleanField(default=False)),
                        ("next_review_due", models.DateField(blank=True, null=True)),
                        (
                            "review_late_reason",
                            models.CharField(
                                blank=True,
                                db_default="",
                                help_text="Why an overdue review is late (for example: the family asked to reschedule). Shown beside the overdue flag on dashboards; cleared when the review date moves.",
                                max_length=200,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "opened_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "previous_case",
                            models.ForeignKey(
                                blank=True,
                                help_text="The earlier case this re-referral follows.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="re_referrals",
                                to="cases.case",
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(fields=["updated_at", "id"], name="case_updated_idx"),
                            models.Index(
                                condition=models.Q(("closed_at__isnull", True)),
                                fields=["next_review_due"],
                                name="case_open_review_idx",
                            ),
                            models.Index(fields=["status"], name="case_status_idx"),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("closed_at__isnull", True),
                                    models.Q(("closure_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="case_closed_has_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("closure_reason_detail"),
                                    20000,
                                ),
                                name="cases_case_closure_reason_det_len_d3b0dd1e",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseClosure",
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
                            "reason",
                            models.CharField(
                                choices=[
                                    ("NEEDS_MET", "Outcomes achieved / needs met"),
                                    ("SINGLE_AGENCY", "Continuing with a single agency"),
                                    ("STEPPED_UP", "Stepped up to children's social care"),
                                    ("CONSENT_WITHDRAWN", "Family withdrew consent"),
                                    ("DISENGAGED", "Family disengaged"),
                                    ("MOVED_OUT_OF_AREA", "Moved out of area"),
                                    ("AGED_OUT", "Young person aged out"),
                                    ("NFA_AFTER_TRIAGE", "No further action after triage"),
                                    ("OTHER", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "reason_detail",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("progress_summary", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "outcomes_achieved",
                            models.CharField(
                                choices=[
                                    ("ALL", "All outcomes achieved"),
                                    ("SOME", "Some outcomes achieved"),
                                    ("NONE", "No outcomes achieved"),
                                    ("NOPL", "No plan was made"),
                                ],
                                max_length=4,
                            ),
                        ),
                        (
                            "outcomes_detail",
                            tac_portal.fields.BoundedTextField(
                                help_text="Which outcomes were achieved, and why not.",
                                max_length=20000,
                            ),
                        ),
                        ("child_views", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_views", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "continuing_support",
                            tac_portal.fields.BoundedTextField(
                                help_text="Who continues to support the family.", max_length=20000
                            ),
                        ),
                        (
                            "post_closure_actions",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("closed_at", models.DateTimeField()),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="closure",
                                to="cases.case",
                            ),
                        ),
                        (
                            "closed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                fields=["closed_at", "reason"], name="closure_closed_reason_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("reason", "OTHER"), _negated=True),
                                    models.Q(("reason_detail", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="closure_other_has_detail",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason_detail"), 20000
                                ),
                                name="cases_caseclosure_reason_detail_len_7c26aae7",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("progress_summary"),
                                    20000,
                                ),
                                name="cases_caseclosure_progress_summary_len_0faa02e1",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("outcomes_detail"), 20000
                                ),
                                name="cases_caseclosure_outcomes_detail_len_4d1f4c43",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_views"), 20000
                                ),
                                name="cases_caseclosure_child_views_len_7ab03620",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("family_views"), 20000
                                ),
                                name="cases_caseclosure_family_views_len_ac7709f1",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("continuing_support"),
                                    20000,
                                ),
                                name="cases_caseclosure_continuing_support_len_cbd4e999",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("post_closure_actions"),
                                    20000,
                                ),
                                name="cases_caseclosure_post_closure_actio_len_ae7f3de6",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_caseclosurehistory" ("case_id", "child_views", "closed_at", "closed_by_id", "continuing_support", "family_views", "id", "outcomes_achieved", "outcomes_detail", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "post_closure_actions", "progress_summary", "reason", "reason_detail") VALUES (NEW."case_id", NEW."child_views", NEW."closed_at", NEW."closed_by_id", NEW."continuing_support", NEW."family_views", NEW."id", NEW."outcomes_achieved", NEW."outcomes_detail", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."post_closure_actions", NEW."progress_summary", NEW."reason", NEW."reason_detail"); RETURN NULL;',
                                    hash="44f796db55e0b79ef5c4a5ae273ce795f98b346a",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_40b3f",
                                    table="cases_caseclosure",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_caseclosurehistory" ("case_id", "child_views", "closed_at", "closed_by_id", "continuing_support", "family_views", "id", "outcomes_achieved", "outcomes_detail", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "post_closure_actions", "progress_summary", "reason", "reason_detail") VALUES (NEW."case_id", NEW."child_views", NEW."closed_at", NEW."closed_by_id", NEW."continuing_support", NEW."family_views", NEW."id", NEW."outcomes_achieved", NEW."outcomes_detail", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."post_closure_actions", NEW."progress_summary", NEW."reason", NEW."reason_detail"); RETURN NULL;',
                                    hash="b2a8c8e2397e203b0f410c2c850e3ff0c98caa50",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_906df",
                                    table="cases_caseclosure",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_caseclosurehistory" ("case_id", "child_views", "closed_at", "closed_by_id", "continuing_support", "family_views", "id", "outcomes_achieved", "outcomes_detail", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "post_closure_actions", "progress_summary", "reason", "reason_detail") VALUES (OLD."case_id", OLD."child_views", OLD."closed_at", OLD."closed_by_id", OLD."continuing_support", OLD."family_views", OLD."id", OLD."outcomes_achieved", OLD."outcomes_detail", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."post_closure_actions", OLD."progress_summary", OLD."reason", OLD."reason_detail"); RETURN NULL;',
                                    hash="3f88f21fef9b1446f64d6058ed187e87be740de2",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_c32f9",
                                    table="cases_caseclosure",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseClosureHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "reason",
                            models.CharField(
                                choices=[
                                    ("NEEDS_MET", "Outcomes achieved / needs met"),
                                    ("SINGLE_AGENCY", "Continuing with a single agency"),
                                    ("STEPPED_UP", "Stepped up to children's social care"),
                                    ("CONSENT_WITHDRAWN", "Family withdrew consent"),
                                    ("DISENGAGED", "Family disengaged"),
                                    ("MOVED_OUT_OF_AREA", "Moved out of area"),
                                    ("AGED_OUT", "Young person aged out"),
                                    ("NFA_AFTER_TRIAGE", "No further action after triage"),
                                    ("OTHER", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "reason_detail",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("progress_summary", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "outcomes_achieved",
                            models.CharField(
                                choices=[
                                    ("ALL", "All outcomes achieved"),
                                    ("SOME", "Some outcomes achieved"),
                                    ("NONE", "No outcomes achieved"),
                                    ("NOPL", "No plan was made"),
                                ],
                                max_length=4,
                            ),
                        ),
                        (
                            "outcomes_detail",
                            tac_portal.fields.BoundedTextField(
                                help_text="Which outcomes were achieved, and why not.",
                                max_length=20000,
                            ),
                        ),
                        ("child_views", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_views", tac_portal.fields.BoundedTextField(max_length=20000)),
                        (
                            "continuing_support",
                            tac_portal.fields.BoundedTextField(
                                help_text="Who continues to support the family.", max_length=20000
                            ),
                        ),
                        (
                            "post_closure_actions",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("closed_at", models.DateTimeField()),
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
                            "closed_by",
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
                                to="cases.caseclosure",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="caseclosure_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason_detail"), 20000
                                ),
                                name="cases_caseclosurehistory_reason_detail_len_1a724bcd",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("progress_summary"),
                                    20000,
                                ),
                                name="cases_caseclosurehistory_progress_summary_len_5d86a405",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("outcomes_detail"), 20000
                                ),
                                name="cases_caseclosurehistory_outcomes_detail_len_c114b205",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("child_views"), 20000
                                ),
                                name="cases_caseclosurehistory_child_views_len_5734c940",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("family_views"), 20000
                                ),
                                name="cases_caseclosurehistory_family_views_len_05ca3e50",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("continuing_support"),
                                    20000,
                                ),
                                name="cases_caseclosurehistory_continuing_support_len_98a5ab91",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("post_closure_actions"),
                                    20000,
                                ),
                                name="cases_caseclosurehistory_post_closure_actio_len_8121920e",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="0588532c535f002bb845096de81e0dc449dd5d07",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_87f85",
                                    table="cases_caseclosurehistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseEvent",
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
                            "case",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="events",
                                to="cases.case",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["at", "id"],
                        "indexes": [
                            models.Index(fields=["case", "-at"], name="caseevent_case_at_idx"),
                            models.Index(fields=["code", "at"], name="caseevent_code_at_idx"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseSubject",
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
                        ("is_open", models.BooleanField(default=True)),
                        ("added_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "case",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subjects",
                                to="cases.case",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Child",
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
                            "given_names",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "family_name",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        ("also_known_as", models.CharField(blank=True, max_length=200)),
                        (
                            "sex",
                            models.CharField(
                                choices=[
                                    ("male", "Male"),
                                    ("female", "Female"),
                                    ("unknown", "Not known"),
                                    ("not_said", "Prefers not to say"),
                                ],
                                default="unknown",
                                max_length=10,
                            ),
                        ),
                        ("date_of_birth", models.DateField(blank=True, null=True)),
                        ("is_unborn", models.BooleanField(default=False)),
                        ("expected_date_of_delivery", models.DateField(blank=True, null=True)),
                        (
                            "address",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "postcode",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_postcode],
                            ),
                        ),
                        ("contact_phone", models.CharField(blank=True, max_length=40)),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        (
                            "nhs_number",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_nhs_number],
                                verbose_name="NHS number",
                            ),
                        ),
                        (
                            "school_urn",
                            models.CharField(
                                blank=True,
                                help_text="As the child's record has it.",
                                max_length=8,
                                verbose_name="school or setting URN",
                            ),
                        ),
                        (
                            "upn",
                            models.CharField(
                                blank=True, max_length=13, verbose_name="unique pupil number (UPN)"
                            ),
                        ),
                        (
                            "religion",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("christian", "Christian"),
                                    ("jewish", "Jewish"),
                                    ("hindu", "Hindu"),
                                    ("muslim", "Muslim"),
                                    ("buddhist", "Buddhist"),
                                    ("sikh", "Sikh"),
                                    ("none", "No religion"),
                                    ("not_given", "Not given"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("religion_other", models.CharField(blank=True, max_length=100)),
                        (
                            "ethnicity",
                            models.CharField(
                                choices=[
                                    ("WBRI", "White - British"),
                                    ("WIRI", "White - Irish"),
                                    ("WIRT", "Traveller of Irish heritage"),
                                    ("WOTH", "Any other White background"),
                                    ("WROM", "Gypsy/Roma"),
                                    ("MWBC", "White and Black Caribbean"),
                                    ("MWBA", "White and Black African"),
                                    ("MWAS", "White and Asian"),
                                    ("MOTH", "Any other mixed background"),
                                    ("AIND", "Indian"),
                                    ("APKN", "Pakistani"),
                                    ("ABAN", "Bangladeshi"),
                                    ("AOTH", "Any other Asian background"),
                                    ("BCRB", "Caribbean"),
                                    ("BAFR", "African"),
                                    ("BOTH", "Any other Black background"),
                                    ("CHNE", "Chinese"),
                                    ("OOTH", "Any other ethnic group"),
                                    ("REFU", "Refused"),
                                    ("NOBT", "Information not yet obtained"),
                                ],
                                default="NOBT",
                                max_length=4,
                            ),
                        ),
                        ("immigration_status", models.CharField(blank=True, max_length=100)),
                        ("first_language", models.CharField(blank=True, max_length=50)),
                        ("parent_first_language", models.CharField(blank=True, max_length=50)),
                        ("interpreter_required", models.BooleanField(default=False)),
                        ("interpreter_arranged", models.BooleanField(default=False)),
                        (
                            "disability_status",
                            models.CharField(
                                choices=[
                                    ("yes", "Yes"),
                                    ("no", "No"),
                                    ("not_obtained", "Not obtained"),
                                    ("declined", "Declined to say"),
                                ],
                                default="not_obtained",
                                max_length=20,
                                verbose_name="disability",
                            ),
                        ),
                        ("has_disability", models.BooleanField(default=False)),
                        (
                            "disability_details",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "has_sen",
                            models.BooleanField(
                                default=False, verbose_name="special educational needs or EHC plan"
                            ),
                        ),
                        (
                            "sen_status",
                            models.CharField(
                                choices=[
                                    ("none", "No special educational needs"),
                                    ("sen_support", "SEN support"),
                                    ("ehc_plan", "Education, health and care (EHC) plan"),
                                    ("not_obtained", "Not obtained"),
                                    ("declined", "Declined to say"),
                                ],
                                default="not_obtained",
                                max_length=20,
                                verbose_name="special educational needs",
                            ),
                        ),
                        (
                            "sen_details",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "special_requirements",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("is_young_carer", models.BooleanField(default=False)),
                        (
                            "risk_of_exclusion",
                            models.BooleanField(
                                default=False, verbose_name="at risk of exclusion from school"
                            ),
                        ),
                        (
                            "family_name_metaphone",
                            models.CharField(blank=True, default="", editable=False, max_length=20),
                        ),
                        (
                            "family_name_soundex",
                            models.CharField(blank=True, default="", editable=False, max_length=4),
                        ),
                        (
                            "given_name_metaphone",
                            models.CharField(blank=True, default="", editable=False, max_length=20),
                        ),
                        (
                            "name_slip_keys",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.TextField(),
                                blank=True,
                                default=list,
                                editable=False,
                                size=None,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "merged_into",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="merged_records",
                                to="cases.child",
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                blank=True,
                                help_text="School, nursery or college attended.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="pupils",
                                to="agencies.agency",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "children",
                        "indexes": [
                            models.Index(fields=["date_of_birth"], name="child_dob_idx"),
                            models.Index(fields=["postcode"], name="child_postcode_idx"),
                            models.Index(
                                condition=models.Q(("nhs_number", ""), _negated=True),
                                fields=["nhs_number"],
                                name="child_nhs_idx",
                            ),
                            models.Index(
                                fields=["family_name_metaphone", "date_of_birth"],
                                name="child_fam_meta_dob_idx",
                            ),
                            models.Index(
                                fields=["family_name_metaphone", "given_name_metaphone"],
                                name="child_fam_given_meta_idx",
                            ),
                            models.Index(
                                fields=["family_name_soundex", "date_of_birth"],
                                name="child_fam_sdx_dob_idx",
                            ),
                            models.Index(
                                fields=["family_name_soundex", "given_name_metaphone"],
                                name="child_fam_sdx_given_meta_idx",
                            ),
                            models.Index(
                                fields=["given_name_metaphone", "date_of_birth"],
                                name="child_given_meta_dob_idx",
                            ),
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["name_slip_keys"], name="child_name_slip_keys_idx"
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("is_unborn", True),
                                    ("date_of_birth__isnull", False),
                                    _connector="OR",
                                ),
                                name="child_born_has_date_of_birth",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("is_unborn", False),
                                    ("expected_date_of_delivery__isnull", False),
                                    _connector="OR",
                                ),
                                name="child_unborn_has_edd",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("address"), 20000
                                ),
                                name="cases_child_address_len_7df577c3",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("disability_details"),
                                    20000,
                                ),
                                name="cases_child_disability_details_len_1bf048de",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("sen_details"), 20000
                                ),
                                name="cases_child_sen_details_len_27685332",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("special_requirements"),
                                    20000,
                                ),
                                name="cases_child_special_requiremen_len_246bab02",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseSubjectHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("is_open", models.BooleanField(default=True)),
                        ("added_at", models.DateTimeField(auto_now_add=True)),
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
                                to="cases.casesubject",
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="casesubject_hist_obj")
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="1cc2820e83df03d9f186ba0976aab3ae60133fae",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_80200",
                                    table="cases_casesubjecthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="casesubject",
                    name="child",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case_subjects",
                        to="cases.child",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="children",
                    field=models.ManyToManyField(
                        related_name="cases", through="cases.CaseSubject", to="cases.child"
                    ),
                ),
                migrations.CreateModel(
                    name="ChildMerge",
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
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("moved", models.JSONField(default=dict)),
                        ("merged_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("undo_until", models.DateTimeField()),
                        ("undone_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "undo_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "kept",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="merges_in",
                                to="cases.child",
                            ),
                        ),
                        (
                            "merged",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="merges_out",
                                to="cases.child",
                            ),
                        ),
                        (
                            "merged_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "undone_by",
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
                        "ordering": ["-merged_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("kept", models.F("merged")), _negated=True),
                                name="child_merge_two_records",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(("undone_at__isnull", True)),
                                fields=("merged",),
                                name="child_merge_once",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_childmerge_reason_len_035ac4dc",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("undo_reason"), 20000
                                ),
                                name="cases_childmerge_undo_reason_len_51e444b1",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ChildRecordCheck",
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
                            "added_by_client",
                            models.CharField(
                                blank=True,
                                help_text="The partner system, for a child referred by API.",
                                max_length=100,
                            ),
                        ),
                        ("added_at", models.DateTimeField()),
                        ("possible_matches", models.JSONField(blank=True, default=list)),
                        (
                            "reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "added_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "child",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="record_check",
                                to="cases.child",
                            ),
                        ),
                    ],
                    options={
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("possible_matches", []),
                                    models.Q(("reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="record_check_matches_need_reason",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("added_by__isnull", False),
                                    models.Q(("added_by_client", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="record_check_names_who_added",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_childrecordcheck_reason_len_6285b9b4",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_childrecordcheckhistory" ("added_at", "added_by_client", "added_by_id", "child_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "possible_matches", "reason") VALUES (NEW."added_at", NEW."added_by_client", NEW."added_by_id", NEW."child_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."possible_matches", NEW."reason"); RETURN NULL;',
                                    hash="1e440a97697c5a4edd9cdc6c63f5112801c3432a",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_b6624",
                                    table="cases_childrecordcheck",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_childrecordcheckhistory" ("added_at", "added_by_client", "added_by_id", "child_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "possible_matches", "reason") VALUES (NEW."added_at", NEW."added_by_client", NEW."added_by_id", NEW."child_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."possible_matches", NEW."reason"); RETURN NULL;',
                                    hash="b7ddd4ca5a2d52f08e5b2d6570886b7c0ad56555",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_d7bd7",
                                    table="cases_childrecordcheck",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_childrecordcheckhistory" ("added_at", "added_by_client", "added_by_id", "child_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "possible_matches", "reason") VALUES (OLD."added_at", OLD."added_by_client", OLD."added_by_id", OLD."child_id", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."possible_matches", OLD."reason"); RETURN NULL;',
                                    hash="8df255e60e2ea077455c74d1830321dbb139bcfa",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_34bd8",
                                    table="cases_childrecordcheck",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ChildRecordCheckHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "added_by_client",
                            models.CharField(
                                blank=True,
                                help_text="The partner system, for a child referred by API.",
                                max_length=100,
                            ),
                        ),
                        ("added_at", models.DateTimeField()),
                        ("possible_matches", models.JSONField(blank=True, default=list)),
                        (
                            "reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
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
                                to="cases.childrecordcheck",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="childrecordcheck_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_childrecordcheckhistory_reason_len_b782ca6e",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="aca83ed4c207d7b53c788ee39efba22de23110fb",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_6013c",
                                    table="cases_childrecordcheckhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ConsentRecord",
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
                                    ("agreement_to_assessment", "Agreement to an assessment"),
                                    ("agreement_to_service", "Agreement to early help"),
                                    ("sharing_preference", "Sharing preference"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "capacity_basis",
                            models.CharField(
                                choices=[
                                    ("adult", "Adult"),
                                    ("age_16_17_presumed", "Aged 16 or 17 (capacity presumed)"),
                                    ("gillick_assessed", "Assessed as competent (Gillick)"),
                                    ("parent_on_behalf", "Parent on the child's behalf"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "capacity_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "information_level",
                            models.CharField(
                                choices=[
                                    ("basic", "Basic information"),
                                    ("additional", "Additional information"),
                                ],
                                default="basic",
                                max_length=20,
                            ),
                        ),
                        (
                            "method",
                            models.CharField(
                                choices=[
                                    ("written", "In writing"),
                                    ("e_signature", "Electronic signature"),
                                    ("verbal", "Verbally (attested by the practitioner)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("given_at", models.DateTimeField()),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "withdrawal_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "agencies_allowed",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Empty means every TAC agency.",
                                related_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "agencies_excluded",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Agencies that must not receive additional information.",
                                related_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="consents",
                                to="cases.case",
                            ),
                        ),
                        (
                            "given_by_child",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="consents_given",
                                to="cases.child",
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
                        (
                            "subject_children",
                            models.ManyToManyField(related_name="consents", to="cases.child"),
                        ),
                    ],
                    options={
                        "ordering": ["-given_at", "-id"],
                        "indexes": [
                            models.Index(fields=["case", "kind"], name="consent_case_kind_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("capacity_note"), 20000
                                ),
                                name="cases_consentrecord_capacity_note_len_7f7a4571",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("withdrawal_note"), 20000
                                ),
                                name="cases_consentrecord_withdrawal_note_len_0aa8cc20",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DisclosureDecision",
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
                            "decision",
                            models.CharField(
                                choices=[("share", "Shared"), ("not_share", "Not shared")],
                                max_length=20,
                            ),
                        ),
                        (
                            "recipient",
                            models.CharField(
                                help_text="Who the information went (or not) to.", max_length=200
                            ),
                        ),
                        (
                            "information",
                            tac_portal.fields.BoundedTextField(
                                help_text="What was shared or asked for.", max_length=20000
                            ),
                        ),
                        ("purpose", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("lawful_basis", models.CharField(blank=True, max_length=200)),
                        ("with_consent", models.BooleanField(default=False)),
                        (
                            "reason",
                            tac_portal.fields.BoundedTextField(
                                help_text="Why it was, or was not, shared.", max_length=20000
                            ),
                        ),
                        ("decided_at", models.DateTimeField()),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="disclosures",
                                to="cases.case",
                            ),
                        ),
                        (
                            "decided_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-decided_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("information"), 20000
                                ),
                                name="cases_disclosuredecision_information_len_c3d19a74",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("purpose"), 20000
                                ),
                                name="cases_disclosuredecision_purpose_len_e5a38e76",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_disclosuredecision_reason_len_a3c33105",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_disclosuredecisionhistory" ("case_id", "decided_at", "decided_by_id", "decision", "id", "information", "lawful_basis", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purpose", "reason", "recipient", "with_consent") VALUES (NEW."case_id", NEW."decided_at", NEW."decided_by_id", NEW."decision", NEW."id", NEW."information", NEW."lawful_basis", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."purpose", NEW."reason", NEW."recipient", NEW."with_consent"); RETURN NULL;',
                                    hash="22be00b318162bded4ac46bfaa1e3fdc4788c17b",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_86ec1",
                                    table="cases_disclosuredecision",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_disclosuredecisionhistory" ("case_id", "decided_at", "decided_by_id", "decision", "id", "information", "lawful_basis", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purpose", "reason", "recipient", "with_consent") VALUES (NEW."case_id", NEW."decided_at", NEW."decided_by_id", NEW."decision", NEW."id", NEW."information", NEW."lawful_basis", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."purpose", NEW."reason", NEW."recipient", NEW."with_consent"); RETURN NULL;',
                                    hash="11d2b6c16a424ee57761cbcbdd9b731ab303d4a0",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_f1bf4",
                                    table="cases_disclosuredecision",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_disclosuredecisionhistory" ("case_id", "decided_at", "decided_by_id", "decision", "id", "information", "lawful_basis", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "purpose", "reason", "recipient", "with_consent") VALUES (OLD."case_id", OLD."decided_at", OLD."decided_by_id", OLD."decision", OLD."id", OLD."information", OLD."lawful_basis", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."purpose", OLD."reason", OLD."recipient", OLD."with_consent"); RETURN NULL;',
                                    hash="4d60c409e0b577ea4fb8d0cf668b0b4d97c85d3f",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_f0a89",
                                    table="cases_disclosuredecision",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DisclosureDecisionHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "decision",
                            models.CharField(
                                choices=[("share", "Shared"), ("not_share", "Not shared")],
                                max_length=20,
                            ),
                        ),
                        (
                            "recipient",
                            models.CharField(
                                help_text="Who the information went (or not) to.", max_length=200
                            ),
                        ),
                        (
                            "information",
                            tac_portal.fields.BoundedTextField(
                                help_text="What was shared or asked for.", max_length=20000
                            ),
                        ),
                        ("purpose", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("lawful_basis", models.CharField(blank=True, max_length=200)),
                        ("with_consent", models.BooleanField(default=False)),
                        (
                            "reason",
                            tac_portal.fields.BoundedTextField(
                                help_text="Why it was, or was not, shared.", max_length=20000
                            ),
                        ),
                        ("decided_at", models.DateTimeField()),
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
                            "decided_by",
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
                                to="cases.disclosuredecision",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="disclosuredecision_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("information"), 20000
                                ),
                                name="cases_disclosuredecisionhistor_information_len_b60d89a7",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("purpose"), 20000
                                ),
                                name="cases_disclosuredecisionhistor_purpose_len_cbb63ad3",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_disclosuredecisionhistor_reason_len_e6c7ebc5",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="baa7d67397a0937ac09686cebb959d0b3df0d4b6",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_5dd82",
                                    table="cases_disclosuredecisionhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Family",
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
                            "name",
                            models.CharField(
                                help_text="How the household is known, for example 'the Okafor family'.",
                                max_length=200,
                            ),
                        ),
                        (
                            "address",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "postcode",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_postcode],
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "verbose_name_plural": "families",
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("address"), 20000
                                ),
                                name="cases_family_address_len_f8eb6073",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_familyhistory" ("address", "created_at", "id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "postcode", "updated_at", "version") VALUES (NEW."address", NEW."created_at", NEW."id", NEW."name", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."postcode", NEW."updated_at", NEW."version"); RETURN NULL;',
                                    hash="fade58d583d9c9f17c0de9dd5e7f008836cb2bcc",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_74378",
                                    table="cases_family",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_familyhistory" ("address", "created_at", "id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "postcode", "updated_at", "version") VALUES (NEW."address", NEW."created_at", NEW."id", NEW."name", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."postcode", NEW."updated_at", NEW."version"); RETURN NULL;',
                                    hash="6701938a6c677716d5e99b47b6e7d05641f8aab6",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_6ab1c",
                                    table="cases_family",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_familyhistory" ("address", "created_at", "id", "name", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "postcode", "updated_at", "version") VALUES (OLD."address", OLD."created_at", OLD."id", OLD."name", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."postcode", OLD."updated_at", OLD."version"); RETURN NULL;',
                                    hash="6baa1ad765a67884a6e421bd3ef074767c6820eb",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_d5d35",
                                    table="cases_family",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="child",
                    name="family",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="cases.family",
                    ),
                ),
                migrations.AddField(
                    model_name="case",
                    name="family",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="cases.family",
                    ),
                ),
                migrations.CreateModel(
                    name="FamilyHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "name",
                            models.CharField(
                                help_text="How the household is known, for example 'the Okafor family'.",
                                max_length=200,
                            ),
                        ),
                        (
                            "address",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "postcode",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_postcode],
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
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
                                to="cases.family",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="family_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("address"), 20000
                                ),
                                name="cases_familyhistory_address_len_360d61f7",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="f2f7aeb107c4e44f45253266d555071b19ecdc23",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_fd807",
                                    table="cases_familyhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FamilyMember",
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
                            "given_names",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "family_name",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "relationship",
                            models.CharField(
                                choices=[
                                    ("mother", "Mother"),
                                    ("father", "Father"),
                                    ("step_parent", "Step-parent"),
                                    ("partner_of_parent", "Partner of parent"),
                                    ("grandparent", "Grandparent"),
                                    ("kinship_carer", "Kinship carer"),
                                    ("foster_carer", "Foster carer"),
                                    ("sibling", "Adult sibling"),
                                    ("other_relative", "Other relative"),
                                    ("family_friend", "Family friend or network member"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "relationship_detail",
                            models.CharField(
                                blank=True,
                                help_text="For example, which children this applies to.",
                                max_length=200,
                            ),
                        ),
                        (
                            "parental_responsibility",
                            models.CharField(
                                choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Don't know")],
                                default="unknown",
                                max_length=10,
                            ),
                        ),
                        ("date_of_birth", models.DateField(blank=True, null=True)),
                        ("lives_with_children", models.BooleanField(default=True)),
                        (
                            "address",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="Only if different from the family's.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "postcode",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_postcode],
                            ),
                        ),
                        ("phone", models.CharField(blank=True, max_length=40)),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        (
                            "preferred_contact_method",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("phone", "Phone call"),
                                    ("text", "Text message"),
                                    ("email", "Email"),
                                    ("letter", "Letter"),
                                    ("in_person", "In person"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "mobile_phone",
                            models.CharField(
                                blank=True,
                                db_default="",
                                default="",
                                max_length=20,
                                validators=[cases.validators.validate_uk_mobile],
                                verbose_name="mobile number",
                            ),
                        ),
                        (
                            "agrees_to_text_messages",
                            models.BooleanField(
                                db_default=False,
                                default=False,
                                help_text="They agreed to get text message reminders of meetings on their mobile.",
                                verbose_name="agreed to text messages",
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                blank=True, max_length=50, verbose_name="first language"
                            ),
                        ),
                        (
                            "interpreter_required",
                            models.BooleanField(default=False, verbose_name="needs an interpreter"),
                        ),
                        ("has_learning_difficulty", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "family",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="members",
                                to="cases.family",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("address"), 20000
                                ),
                                name="cases_familymember_address_len_7f14a11d",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_familymemberhistory" ("address", "agrees_to_text_messages", "created_at", "date_of_birth", "email", "family_id", "family_name", "given_names", "has_learning_difficulty", "id", "interpreter_required", "language", "lives_with_children", "mobile_phone", "parental_responsibility", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "postcode", "preferred_contact_method", "relationship", "relationship_detail", "updated_at", "version") VALUES (NEW."address", NEW."agrees_to_text_messages", NEW."created_at", NEW."date_of_birth", NEW."email", NEW."family_id", NEW."family_name", NEW."given_names", NEW."has_learning_difficulty", NEW."id", NEW."interpreter_required", NEW."language", NEW."lives_with_children", NEW."mobile_phone", NEW."parental_responsibility", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."phone", NEW."postcode", NEW."preferred_contact_method", NEW."relationship", NEW."relationship_detail", NEW."updated_at", NEW."version"); RETURN NULL;',
                                    hash="1290948bdcc04a68334a772834de3fe5b715e3b6",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_c4f0e",
                                    table="cases_familymember",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_familymemberhistory" ("address", "agrees_to_text_messages", "created_at", "date_of_birth", "email", "family_id", "family_name", "given_names", "has_learning_difficulty", "id", "interpreter_required", "language", "lives_with_children", "mobile_phone", "parental_responsibility", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "postcode", "preferred_contact_method", "relationship", "relationship_detail", "updated_at", "version") VALUES (NEW."address", NEW."agrees_to_text_messages", NEW."created_at", NEW."date_of_birth", NEW."email", NEW."family_id", NEW."family_name", NEW."given_names", NEW."has_learning_difficulty", NEW."id", NEW."interpreter_required", NEW."language", NEW."lives_with_children", NEW."mobile_phone", NEW."parental_responsibility", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."phone", NEW."postcode", NEW."preferred_contact_method", NEW."relationship", NEW."relationship_detail", NEW."updated_at", NEW."version"); RETURN NULL;',
                                    hash="199ffa692efce20dd2087f22adeb484fb4a1c41d",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_10ebc",
                                    table="cases_familymember",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_familymemberhistory" ("address", "agrees_to_text_messages", "created_at", "date_of_birth", "email", "family_id", "family_name", "given_names", "has_learning_difficulty", "id", "interpreter_required", "language", "lives_with_children", "mobile_phone", "parental_responsibility", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "phone", "postcode", "preferred_contact_method", "relationship", "relationship_detail", "updated_at", "version") VALUES (OLD."address", OLD."agrees_to_text_messages", OLD."created_at", OLD."date_of_birth", OLD."email", OLD."family_id", OLD."family_name", OLD."given_names", OLD."has_learning_difficulty", OLD."id", OLD."interpreter_required", OLD."language", OLD."lives_with_children", OLD."mobile_phone", OLD."parental_responsibility", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."phone", OLD."postcode", OLD."preferred_contact_method", OLD."relationship", OLD."relationship_detail", OLD."updated_at", OLD."version"); RETURN NULL;',
                                    hash="eecc64b23b0e8d8093a1fbf70c86043b401a9f1a",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_3a30c",
                                    table="cases_familymember",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DetailChange",
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
                            "subject",
                            models.CharField(
                                choices=[
                                    ("child", "Child"),
                                    ("family", "Family"),
                                    ("family_member", "Parent or carer"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("field_name", models.CharField(max_length=50)),
                        ("label", models.CharField(max_length=100)),
                        (
                            "old_value",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "new_value",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "changed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "child",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="detail_changes",
                                to="cases.child",
                            ),
                        ),
                        (
                            "family",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="detail_changes",
                                to="cases.family",
                            ),
                        ),
                        (
                            "family_member",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="detail_changes",
                                to="cases.familymember",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-changed_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["child", "-changed_at"], name="detail_change_child_idx"
                            ),
                            models.Index(
                                fields=["family", "-changed_at"], name="detail_change_family_idx"
                            ),
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("old_value"), 20000
                                ),
                                name="cases_detailchange_old_value_len_f776d460",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("new_value"), 20000
                                ),
                                name="cases_detailchange_new_value_len_6d54d1d2",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_detailchange_reason_len_87712fc6",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ConsentRecordHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("agreement_to_assessment", "Agreement to an assessment"),
                                    ("agreement_to_service", "Agreement to early help"),
                                    ("sharing_preference", "Sharing preference"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "capacity_basis",
                            models.CharField(
                                choices=[
                                    ("adult", "Adult"),
                                    ("age_16_17_presumed", "Aged 16 or 17 (capacity presumed)"),
                                    ("gillick_assessed", "Assessed as competent (Gillick)"),
                                    ("parent_on_behalf", "Parent on the child's behalf"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "capacity_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "information_level",
                            models.CharField(
                                choices=[
                                    ("basic", "Basic information"),
                                    ("additional", "Additional information"),
                                ],
                                default="basic",
                                max_length=20,
                            ),
                        ),
                        (
                            "method",
                            models.CharField(
                                choices=[
                                    ("written", "In writing"),
                                    ("e_signature", "Electronic signature"),
                                    ("verbal", "Verbally (attested by the practitioner)"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("given_at", models.DateTimeField()),
                        ("expires_at", models.DateTimeField(blank=True, null=True)),
                        ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "withdrawal_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
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
                            "given_by_child",
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
                                to="cases.consentrecord",
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
                            "given_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The parent or carer; empty when a young person gave it themselves.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.familymember",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="consentrecord_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("capacity_note"), 20000
                                ),
                                name="cases_consentrecordhistory_capacity_note_len_85e763e0",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("withdrawal_note"), 20000
                                ),
                                name="cases_consentrecordhistory_withdrawal_note_len_0dc0ad45",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="2f49a9d652ece9f9b25089c632fb273ebedf2182",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_de003",
                                    table="cases_consentrecordhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="consentrecord",
                    name="given_by",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The parent or carer; empty when a young person gave it themselves.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consents",
                        to="cases.familymember",
                    ),
                ),
                migrations.CreateModel(
                    name="ChildRelationship",
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
                            "relationship",
                            models.CharField(
                                choices=[
                                    ("mother", "Mother"),
                                    ("father", "Father"),
                                    ("step_parent", "Step-parent"),
                                    ("partner_of_parent", "Partner of parent"),
                                    ("grandparent", "Grandparent"),
                                    ("kinship_carer", "Kinship carer"),
                                    ("foster_carer", "Foster carer"),
                                    ("sibling", "Adult sibling"),
                                    ("other_relative", "Other relative"),
                                    ("family_friend", "Family friend or network member"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "parental_responsibility",
                            models.CharField(
                                choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Don't know")],
                                max_length=10,
                            ),
                        ),
                        ("lives_with_child", models.BooleanField()),
                        ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "child",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="adult_relationships",
                                to="cases.child",
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
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="child_relationships",
                                to="cases.familymember",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["child_id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("member", "child"), name="child_relationship_once"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ChildHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "given_names",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "family_name",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        ("also_known_as", models.CharField(blank=True, max_length=200)),
                        (
                            "sex",
                            models.CharField(
                                choices=[
                                    ("male", "Male"),
                                    ("female", "Female"),
                                    ("unknown", "Not known"),
                                    ("not_said", "Prefers not to say"),
                                ],
                                default="unknown",
                                max_length=10,
                            ),
                        ),
                        ("date_of_birth", models.DateField(blank=True, null=True)),
                        ("is_unborn", models.BooleanField(default=False)),
                        ("expected_date_of_delivery", models.DateField(blank=True, null=True)),
                        (
                            "address",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "postcode",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_postcode],
                            ),
                        ),
                        ("contact_phone", models.CharField(blank=True, max_length=40)),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        (
                            "nhs_number",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_nhs_number],
                                verbose_name="NHS number",
                            ),
                        ),
                        (
                            "school_urn",
                            models.CharField(
                                blank=True,
                                help_text="As the child's record has it.",
                                max_length=8,
                                verbose_name="school or setting URN",
                            ),
                        ),
                        (
                            "upn",
                            models.CharField(
                                blank=True, max_length=13, verbose_name="unique pupil number (UPN)"
                            ),
                        ),
                        (
                            "religion",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("christian", "Christian"),
                                    ("jewish", "Jewish"),
                                    ("hindu", "Hindu"),
                                    ("muslim", "Muslim"),
                                    ("buddhist", "Buddhist"),
                                    ("sikh", "Sikh"),
                                    ("none", "No religion"),
                                    ("not_given", "Not given"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("religion_other", models.CharField(blank=True, max_length=100)),
                        (
                            "ethnicity",
                            models.CharField(
                                choices=[
                                    ("WBRI", "White - British"),
                                    ("WIRI", "White - Irish"),
                                    ("WIRT", "Traveller of Irish heritage"),
                                    ("WOTH", "Any other White background"),
                                    ("WROM", "Gypsy/Roma"),
                                    ("MWBC", "White and Black Caribbean"),
                                    ("MWBA", "White and Black African"),
                                    ("MWAS", "White and Asian"),
                                    ("MOTH", "Any other mixed background"),
                                    ("AIND", "Indian"),
                                    ("APKN", "Pakistani"),
                                    ("ABAN", "Bangladeshi"),
                                    ("AOTH", "Any other Asian background"),
                                    ("BCRB", "Caribbean"),
                                    ("BAFR", "African"),
                                    ("BOTH", "Any other Black background"),
                                    ("CHNE", "Chinese"),
                                    ("OOTH", "Any other ethnic group"),
                                    ("REFU", "Refused"),
                                    ("NOBT", "Information not yet obtained"),
                                ],
                                default="NOBT",
                                max_length=4,
                            ),
                        ),
                        ("immigration_status", models.CharField(blank=True, max_length=100)),
                        ("first_language", models.CharField(blank=True, max_length=50)),
                        ("parent_first_language", models.CharField(blank=True, max_length=50)),
                        ("interpreter_required", models.BooleanField(default=False)),
                        ("interpreter_arranged", models.BooleanField(default=False)),
                        (
                            "disability_status",
                            models.CharField(
                                choices=[
                                    ("yes", "Yes"),
                                    ("no", "No"),
                                    ("not_obtained", "Not obtained"),
                                    ("declined", "Declined to say"),
                                ],
                                default="not_obtained",
                                max_length=20,
                                verbose_name="disability",
                            ),
                        ),
                        ("has_disability", models.BooleanField(default=False)),
                        (
                            "disability_details",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "has_sen",
                            models.BooleanField(
                                default=False, verbose_name="special educational needs or EHC plan"
                            ),
                        ),
                        (
                            "sen_status",
                            models.CharField(
                                choices=[
                                    ("none", "No special educational needs"),
                                    ("sen_support", "SEN support"),
                                    ("ehc_plan", "Education, health and care (EHC) plan"),
                                    ("not_obtained", "Not obtained"),
                                    ("declined", "Declined to say"),
                                ],
                                default="not_obtained",
                                max_length=20,
                                verbose_name="special educational needs",
                            ),
                        ),
                        (
                            "sen_details",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "special_requirements",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("is_young_carer", models.BooleanField(default=False)),
                        (
                            "risk_of_exclusion",
                            models.BooleanField(
                                default=False, verbose_name="at risk of exclusion from school"
                            ),
                        ),
                        (
                            "family_name_metaphone",
                            models.CharField(blank=True, default="", editable=False, max_length=20),
                        ),
                        (
                            "family_name_soundex",
                            models.CharField(blank=True, default="", editable=False, max_length=4),
                        ),
                        (
                            "given_name_metaphone",
                            models.CharField(blank=True, default="", editable=False, max_length=20),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "merged_into",
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
                                to="cases.child",
                            ),
                        ),
                        (
                            "school",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="School, nursery or college attended.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "family",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.family",
                            ),
                        ),
                        (
                            "expectant_mother",
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="child_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("address"), 20000
                                ),
                                name="cases_childhistory_address_len_d7cca091",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("disability_details"),
                                    20000,
                                ),
                                name="cases_childhistory_disability_details_len_e8fb88ee",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("sen_details"), 20000
                                ),
                                name="cases_childhistory_sen_details_len_98d47a32",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("special_requirements"),
                                    20000,
                                ),
                                name="cases_childhistory_special_requiremen_len_94d1ab19",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="5c205fee231713d77a83122b32511a2e99eddbd5",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_266f4",
                                    table="cases_childhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="child",
                    name="expectant_mother",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="expected_children",
                        to="cases.familymember",
                    ),
                ),
                migrations.CreateModel(
                    name="FamilyMemberHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "given_names",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "family_name",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "relationship",
                            models.CharField(
                                choices=[
                                    ("mother", "Mother"),
                                    ("father", "Father"),
                                    ("step_parent", "Step-parent"),
                                    ("partner_of_parent", "Partner of parent"),
                                    ("grandparent", "Grandparent"),
                                    ("kinship_carer", "Kinship carer"),
                                    ("foster_carer", "Foster carer"),
                                    ("sibling", "Adult sibling"),
                                    ("other_relative", "Other relative"),
                                    ("family_friend", "Family friend or network member"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "relationship_detail",
                            models.CharField(
                                blank=True,
                                help_text="For example, which children this applies to.",
                                max_length=200,
                            ),
                        ),
                        (
                            "parental_responsibility",
                            models.CharField(
                                choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Don't know")],
                                default="unknown",
                                max_length=10,
                            ),
                        ),
                        ("date_of_birth", models.DateField(blank=True, null=True)),
                        ("lives_with_children", models.BooleanField(default=True)),
                        (
                            "address",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                help_text="Only if different from the family's.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "postcode",
                            models.CharField(
                                blank=True,
                                max_length=10,
                                validators=[cases.validators.validate_postcode],
                            ),
                        ),
                        ("phone", models.CharField(blank=True, max_length=40)),
                        ("email", models.EmailField(blank=True, max_length=254)),
                        (
                            "preferred_contact_method",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("phone", "Phone call"),
                                    ("text", "Text message"),
                                    ("email", "Email"),
                                    ("letter", "Letter"),
                                    ("in_person", "In person"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "mobile_phone",
                            models.CharField(
                                blank=True,
                                db_default="",
                                default="",
                                max_length=20,
                                validators=[cases.validators.validate_uk_mobile],
                                verbose_name="mobile number",
                            ),
                        ),
                        (
                            "agrees_to_text_messages",
                            models.BooleanField(
                                db_default=False,
                                default=False,
                                help_text="They agreed to get text message reminders of meetings on their mobile.",
                                verbose_name="agreed to text messages",
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                blank=True, max_length=50, verbose_name="first language"
                            ),
                        ),
                        (
                            "interpreter_required",
                            models.BooleanField(default=False, verbose_name="needs an interpreter"),
                        ),
                        ("has_learning_difficulty", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "family",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.family",
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
                                to="cases.familymember",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="familymember_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("address"), 20000
                                ),
                                name="cases_familymemberhistory_address_len_78af35cc",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="45aaa7a6c0dd1140500934beeecb424c0739db62",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_14df2",
                                    table="cases_familymemberhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="JoinRequest",
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
                            "reason",
                            tac_portal.fields.BoundedTextField(
                                help_text="Why they need to work with the family.", max_length=20000
                            ),
                        ),
                        ("requested_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for a decision"),
                                    ("approved", "Approved"),
                                    ("declined", "Declined"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="join_requests",
                                to="cases.case",
                            ),
                        ),
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
                            "requester",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="join_requests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["requested_at", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status", "pending")),
                                fields=("case", "requester"),
                                name="join_request_one_pending",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("reason", ""), _negated=True),
                                name="join_request_has_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_joinrequest_reason_len_a26a1a66",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="KnownName",
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
                            "given_names",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "family_name",
                            models.CharField(
                                max_length=100,
                                validators=[tac_portal.validators.validate_person_name],
                            ),
                        ),
                        (
                            "family_name_metaphone",
                            models.CharField(blank=True, default="", editable=False, max_length=20),
                        ),
                        (
                            "family_name_soundex",
                            models.CharField(blank=True, default="", editable=False, max_length=4),
                        ),
                        (
                            "given_name_metaphone",
                            models.CharField(blank=True, default="", editable=False, max_length=20),
                        ),
                        (
                            "name_slip_keys",
                            django.contrib.postgres.fields.ArrayField(
                                base_field=models.TextField(),
                                blank=True,
                                default=list,
                                editable=False,
                                size=None,
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "child",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="known_names",
                                to="cases.child",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                null=True,
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
                                fields=["family_name_metaphone", "given_name_metaphone"],
                                name="known_name_meta_idx",
                            ),
                            models.Index(
                                fields=["family_name_soundex", "given_name_metaphone"],
                                name="known_name_sdx_idx",
                            ),
                            django.contrib.postgres.indexes.GinIndex(
                                fields=["name_slip_keys"], name="known_name_slip_keys_idx"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LeadHandover",
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
                        ("note", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lead_handovers",
                                to="cases.case",
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
                        "ordering": ["-recorded_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("note", ""), _negated=True),
                                name="lead_handover_has_note",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("note"), 20000
                                ),
                                name="cases_leadhandover_note_len_b437295c",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LeadProfessionalAssignment",
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
                            "basis",
                            models.CharField(
                                choices=[
                                    ("INTERIM_INITIATOR", "Interim: started the case"),
                                    ("AGREED_AT_TAC", "Agreed at a TAC meeting"),
                                    ("FAMILY_CHOICE", "The family's choice"),
                                    ("MANAGER_ALLOCATED", "Allocated by a manager"),
                                    ("STEP_DOWN_HANDOVER", "Step-down handover from social care"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("family_consulted", models.BooleanField(default=False)),
                        (
                            "family_preference",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "change_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("MANAGING_CASELOADS", "Managing caseloads"),
                                    ("WORKER_LEFT_ROLE", "Worker left the role"),
                                    ("RESTRUCTURE", "Service restructure"),
                                    ("STANDARD_TRANSFER", "Standard process transfer"),
                                    ("ABSENCE_COVER", "Absence cover"),
                                    ("CHILD_REQUESTED", "Child requested a change"),
                                    ("PARENT_REQUESTED", "Parent or carer requested a change"),
                                    ("AGREED_AT_FIRST_TAC", "Lead agreed at the first TAC"),
                                    ("OTHER", "Other"),
                                ],
                                max_length=24,
                            ),
                        ),
                        (
                            "change_reason_detail",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "end_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("REPLACED", "Replaced by a new lead professional"),
                                    ("CASE_CLOSED", "Case closed"),
                                    ("CSC_LEAD", "Children's social care took the lead"),
                                ],
                                max_length=12,
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                help_text="The lead's agency when they took the role.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "assigned_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="lead_assignments",
                                to="cases.case",
                            ),
                        ),
                        (
                            "professional",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="lead_assignments",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-started_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("ended_at__isnull", True)),
                                fields=["professional", "case"],
                                name="lead_active_prof_idx",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("ended_at__isnull", True)),
                                fields=("case",),
                                name="one_active_lead_per_case",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("family_preference"),
                                    20000,
                                ),
                                name="cases_leadprofessionalassignme_family_preference_len_8b50b4d6",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("change_reason_detail"),
                                    20000,
                                ),
                                name="cases_leadprofessionalassignme_change_reason_deta_len_860b1049",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_leadprofessionalassignmenthistory" ("agency_id", "assigned_by_id", "basis", "case_id", "change_reason", "change_reason_detail", "end_reason", "ended_at", "family_consulted", "family_preference", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "started_at") VALUES (NEW."agency_id", NEW."assigned_by_id", NEW."basis", NEW."case_id", NEW."change_reason", NEW."change_reason_detail", NEW."end_reason", NEW."ended_at", NEW."family_consulted", NEW."family_preference", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."professional_id", NEW."started_at"); RETURN NULL;',
                                    hash="fac9cae9fe67636e1cbbc683e5d03db3133c7d7a",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_9fba4",
                                    table="cases_leadprofessionalassignment",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_leadprofessionalassignmenthistory" ("agency_id", "assigned_by_id", "basis", "case_id", "change_reason", "change_reason_detail", "end_reason", "ended_at", "family_consulted", "family_preference", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "started_at") VALUES (NEW."agency_id", NEW."assigned_by_id", NEW."basis", NEW."case_id", NEW."change_reason", NEW."change_reason_detail", NEW."end_reason", NEW."ended_at", NEW."family_consulted", NEW."family_preference", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."professional_id", NEW."started_at"); RETURN NULL;',
                                    hash="3e5e09c21e594db03373418334965446b99337b4",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_878bf",
                                    table="cases_leadprofessionalassignment",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_leadprofessionalassignmenthistory" ("agency_id", "assigned_by_id", "basis", "case_id", "change_reason", "change_reason_detail", "end_reason", "ended_at", "family_consulted", "family_preference", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "started_at") VALUES (OLD."agency_id", OLD."assigned_by_id", OLD."basis", OLD."case_id", OLD."change_reason", OLD."change_reason_detail", OLD."end_reason", OLD."ended_at", OLD."family_consulted", OLD."family_preference", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."professional_id", OLD."started_at"); RETURN NULL;',
                                    hash="96bccb7311b26daa9c9f4819710fc786aa2c186d",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_905cc",
                                    table="cases_leadprofessionalassignment",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LeadHandoverHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("note", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("recorded_at", models.DateTimeField()),
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
                                to="cases.leadhandover",
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
                            "from_assignment",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.leadprofessionalassignment",
                            ),
                        ),
                        (
                            "to_assignment",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.leadprofessionalassignment",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="leadhandover_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("note"), 20000
                                ),
                                name="cases_leadhandoverhistory_note_len_32eb3fa1",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="126b74a487a5d85be41183cd36779949d03e193a",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_d7d16",
                                    table="cases_leadhandoverhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="leadhandover",
                    name="from_assignment",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.leadprofessionalassignment",
                    ),
                ),
                migrations.AddField(
                    model_name="leadhandover",
                    name="to_assignment",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="handover",
                        to="cases.leadprofessionalassignment",
                    ),
                ),
                migrations.CreateModel(
                    name="LeadProfessionalAssignmentHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "basis",
                            models.CharField(
                                choices=[
                                    ("INTERIM_INITIATOR", "Interim: started the case"),
                                    ("AGREED_AT_TAC", "Agreed at a TAC meeting"),
                                    ("FAMILY_CHOICE", "The family's choice"),
                                    ("MANAGER_ALLOCATED", "Allocated by a manager"),
                                    ("STEP_DOWN_HANDOVER", "Step-down handover from social care"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("family_consulted", models.BooleanField(default=False)),
                        (
                            "family_preference",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "change_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("MANAGING_CASELOADS", "Managing caseloads"),
                                    ("WORKER_LEFT_ROLE", "Worker left the role"),
                                    ("RESTRUCTURE", "Service restructure"),
                                    ("STANDARD_TRANSFER", "Standard process transfer"),
                                    ("ABSENCE_COVER", "Absence cover"),
                                    ("CHILD_REQUESTED", "Child requested a change"),
                                    ("PARENT_REQUESTED", "Parent or carer requested a change"),
                                    ("AGREED_AT_FIRST_TAC", "Lead agreed at the first TAC"),
                                    ("OTHER", "Other"),
                                ],
                                max_length=24,
                            ),
                        ),
                        (
                            "change_reason_detail",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("started_at", models.DateTimeField()),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "end_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("REPLACED", "Replaced by a new lead professional"),
                                    ("CASE_CLOSED", "Case closed"),
                                    ("CSC_LEAD", "Children's social care took the lead"),
                                ],
                                max_length=12,
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The lead's agency when they took the role.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "assigned_by",
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
                                to="cases.leadprofessionalassignment",
                            ),
                        ),
                        (
                            "professional",
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
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="leadprofessionalassi_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("family_preference"),
                                    20000,
                                ),
                                name="cases_leadprofessionalassignme_family_preference_len_204a68a3",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("change_reason_detail"),
                                    20000,
                                ),
                                name="cases_leadprofessionalassignme_change_reason_deta_len_601f98ac",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="691b99160185c84c6482336e09580c1ef3da1f85",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_c9c92",
                                    table="cases_leadprofessionalassignmenthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LevelOfNeed",
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
                        ("code", models.CharField(max_length=20, unique=True)),
                        ("ordinal", models.PositiveSmallIntegerField(unique=True)),
                        ("label", models.CharField(max_length=100)),
                        (
                            "description",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("response_guidance_url", models.URLField(blank=True)),
                        ("is_active", models.BooleanField(default=True)),
                    ],
                    options={
                        "verbose_name_plural": "levels of need",
                        "ordering": ["ordinal"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("description"), 20000
                                ),
                                name="cases_levelofneed_description_len_20afddcb",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CaseHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("reference", models.CharField(editable=False, max_length=20)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("IDENTIFIED", "Need identified"),
                                    ("REQUEST_SUBMITTED", "Request for support submitted"),
                                    ("TRIAGED", "Triaged"),
                                    ("CONSENT_PENDING", "Awaiting family's agreement"),
                                    ("ASSESSING", "Assessing"),
                                    ("PLANNING", "Planning"),
                                    ("ACTIVE", "Active plan"),
                                    ("REASSESSING", "Reassessing"),
                                    ("STEP_UP_REQUESTED", "Step-up requested"),
                                    ("CLOSING", "Closing"),
                                    ("CLOSED", "Closed"),
                                    ("SINGLE_AGENCY", "Single agency support"),
                                    ("CSC_REFERRAL", "Referred to children's social care"),
                                    ("CLOSED_NFA", "Closed: no further action"),
                                    ("CLOSED_DECLINED", "Closed: family declined"),
                                    ("CLOSED_NEEDS_MET", "Closed: needs met"),
                                    ("CLOSED_STEPPED_UP", "Closed: stepped up"),
                                ],
                                default="IDENTIFIED",
                                max_length=20,
                            ),
                        ),
                        ("opened_at", models.DateTimeField()),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "closure_reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("NEEDS_MET", "Outcomes achieved / needs met"),
                                    ("SINGLE_AGENCY", "Continuing with a single agency"),
                                    ("STEPPED_UP", "Stepped up to children's social care"),
                                    ("CONSENT_WITHDRAWN", "Family withdrew consent"),
                                    ("DISENGAGED", "Family disengaged"),
                                    ("MOVED_OUT_OF_AREA", "Moved out of area"),
                                    ("AGED_OUT", "Young person aged out"),
                                    ("NFA_AFTER_TRIAGE", "No further action after triage"),
                                    ("OTHER", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "closure_reason_detail",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("is_re_referral", models.BooleanField(default=False)),
                        ("next_review_due", models.DateField(blank=True, null=True)),
                        (
                            "review_late_reason",
                            models.CharField(
                                blank=True,
                                db_default="",
                                help_text="Why an overdue review is late (for example: the family asked to reschedule). Shown beside the overdue flag on dashboards; cleared when the review date moves.",
                                max_length=200,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "opened_by",
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
                                to="cases.case",
                            ),
                        ),
                        (
                            "previous_case",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The earlier case this re-referral follows.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "family",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.family",
                            ),
                        ),
                        (
                            "current_level",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Copied from the latest level-of-need judgement, for lists and dashboards.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.levelofneed",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="case_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("closure_reason_detail"),
                                    20000,
                                ),
                                name="cases_casehistory_closure_reason_det_len_63e1bcef",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="81390c1f956b512da9abead14717d653b632e133",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_40a51",
                                    table="cases_casehistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="case",
                    name="current_level",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Copied from the latest level-of-need judgement, for lists and dashboards.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.levelofneed",
                    ),
                ),
                migrations.CreateModel(
                    name="LevelOfNeedJudgement",
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
                        ("rationale", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_informed", models.BooleanField(default=False)),
                        ("judged_at", models.DateTimeField()),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="level_judgements",
                                to="cases.case",
                            ),
                        ),
                        (
                            "judged_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "level",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="judgements",
                                to="cases.levelofneed",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-judged_at", "-id"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("rationale", ""), _negated=True),
                                name="level_judgement_has_rationale",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("rationale"), 20000
                                ),
                                name="cases_levelofneedjudgement_rationale_len_942d03dd",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_levelofneedjudgementhistory" ("case_id", "family_informed", "id", "judged_at", "judged_by_id", "level_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rationale") VALUES (NEW."case_id", NEW."family_informed", NEW."id", NEW."judged_at", NEW."judged_by_id", NEW."level_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."rationale"); RETURN NULL;',
                                    hash="b09fcd93ac9d1fe1dfffe1eaf875ddb5d3bb254f",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_e265b",
                                    table="cases_levelofneedjudgement",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_levelofneedjudgementhistory" ("case_id", "family_informed", "id", "judged_at", "judged_by_id", "level_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rationale") VALUES (NEW."case_id", NEW."family_informed", NEW."id", NEW."judged_at", NEW."judged_by_id", NEW."level_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."rationale"); RETURN NULL;',
                                    hash="a599aecc6995ebf0125c148a92708915b3e34493",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_b3a1a",
                                    table="cases_levelofneedjudgement",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_levelofneedjudgementhistory" ("case_id", "family_informed", "id", "judged_at", "judged_by_id", "level_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "rationale") VALUES (OLD."case_id", OLD."family_informed", OLD."id", OLD."judged_at", OLD."judged_by_id", OLD."level_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."rationale"); RETURN NULL;',
                                    hash="ebd11cf5fbf3f380b8a922f73e4c55ee642b76c2",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_a93a5",
                                    table="cases_levelofneedjudgement",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="LevelOfNeedJudgementHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("rationale", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_informed", models.BooleanField(default=False)),
                        ("judged_at", models.DateTimeField()),
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
                            "judged_by",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "level",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.levelofneed",
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
                                to="cases.levelofneedjudgement",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="levelofneedjudgement_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("rationale"), 20000
                                ),
                                name="cases_levelofneedjudgementhist_rationale_len_3b3de240",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="55dd9431920536c87db1d470334eddb58f6125ae",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_81394",
                                    table="cases_levelofneedjudgementhistory",
                                    when="BEFORE",
                                ),
                            )
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
                        (
                            "purpose",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("case", "Case page"),
                                    ("case_work", "Work on the case"),
                                    ("team", "Team around the child"),
                                    ("meeting", "Meeting"),
                                    ("plan", "Plan and actions"),
                                    ("assessment", "Assessment"),
                                    ("family_copy", "Family's copy"),
                                    ("restrictions", "Restricted items"),
                                    ("case_list", "Case list"),
                                    ("search", "Find a child"),
                                    ("request", "Request for support"),
                                    ("dashboard", "Dashboard list"),
                                    ("history", "Change history"),
                                    ("access_report", "Access report"),
                                    ("api", "API"),
                                    ("subject_access", "Subject access request"),
                                    ("document", "Document"),
                                ],
                                help_text="What it was for.",
                                max_length=20,
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
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="record_access_append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="4580345bf92f499ff0abf13fe4b77aca11549b86",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_record_access_append_only_6c2d7",
                                    table="audit_recordaccess",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RequestForSupport",
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
                            "received_at",
                            models.DateTimeField(
                                help_text="Starts the request-to-assessment clock."
                            ),
                        ),
                        (
                            "requester_name",
                            models.CharField(
                                blank=True,
                                help_text="Who asked, by name: a family member, a caller, or the person at a partner system's agency.",
                                max_length=200,
                            ),
                        ),
                        (
                            "source_code",
                            models.CharField(
                                choices=[
                                    ("1A", "Individual: family member, relative or carer"),
                                    ("1B", "Individual: acquaintance"),
                                    ("1C", "Individual: self"),
                                    ("1D", "Individual: other"),
                                    ("2A", "Schools"),
                                    ("2B", "Education services"),
                                    ("3A", "Health services: GP"),
                                    ("3B", "Health services: health visitor"),
                                    ("3C", "Health services: school nurse"),
                                    ("3D", "Health services: other primary health services"),
                                    ("3E", "Health services: A&E"),
                                    ("3F", "Health services: other"),
                                    ("4", "Housing"),
                                    ("5A", "LA services: social care"),
                                    ("5B", "LA services: other internal department"),
                                    ("5C", "LA services: other council"),
                                    ("5D", "LA services: early help"),
                                    ("6", "Police"),
                                    ("7", "Other legal agency"),
                                    ("8", "Other"),
                                    ("9", "Anonymous"),
                                    ("10", "Unknown"),
                                ],
                                max_length=4,
                            ),
                        ),
                        ("summary_of_need", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_aware", models.BooleanField(default=False)),
                        ("consent_obtained", models.BooleanField(default=False)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("received", "Waiting for triage"),
                                    ("triaged", "Triaged"),
                                ],
                                default="received",
                                max_length=20,
                            ),
                        ),
                        (
                            "triage_decision",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("advice_signpost", "Advice and signposting"),
                                    ("single_agency", "Single-agency support"),
                                    ("early_help_assessment", "Early help assessment"),
                                    ("lp_support_existing_plan", "Support for an existing plan"),
                                    ("refer_to_csc", "Refer to children's social care"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("triage_decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "triage_rationale",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                help_text="The case the request opened or joined.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="requests_for_support",
                                to="cases.case",
                            ),
                        ),
                        (
                            "existing_case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "family",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="requests",
                                to="cases.family",
                            ),
                        ),
                        (
                            "level_of_need_at_triage",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.levelofneed",
                            ),
                        ),
                        (
                            "partner_client",
                            models.ForeignKey(
                                blank=True,
                                help_text="The partner system that sent it through the API.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="requests_for_support",
                                to="agencies.partnerclient",
                            ),
                        ),
                        (
                            "requester",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty for a self-referral or one taken by phone.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="requests_for_support",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "requester_agency",
                            models.ForeignKey(
                                blank=True,
                                help_text="The organisation that asked; empty for a family or member of the public.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="requests_for_support",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "subjects",
                            models.ManyToManyField(
                                related_name="requests_for_support", to="cases.child"
                            ),
                        ),
                        (
                            "triaged_by",
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
                        "ordering": ["-received_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["status", "received_at"], name="request_status_received_idx"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("requester__isnull", False),
                                    ("partner_client__isnull", False),
                                    models.Q(("requester_name", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="request_has_a_requester",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("summary_of_need"), 20000
                                ),
                                name="cases_requestforsupport_summary_of_need_len_9c706d2f",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("triage_rationale"),
                                    20000,
                                ),
                                name="cases_requestforsupport_triage_rationale_len_92f36711",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_requestforsupporthistory" ("case_id", "consent_obtained", "created_at", "existing_case_id", "family_aware", "family_id", "id", "level_of_need_at_triage_id", "partner_client_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_at", "requester_agency_id", "requester_id", "requester_name", "source_code", "status", "summary_of_need", "triage_decided_at", "triage_decision", "triage_rationale", "triaged_by_id", "updated_at") VALUES (NEW."case_id", NEW."consent_obtained", NEW."created_at", NEW."existing_case_id", NEW."family_aware", NEW."family_id", NEW."id", NEW."level_of_need_at_triage_id", NEW."partner_client_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."received_at", NEW."requester_agency_id", NEW."requester_id", NEW."requester_name", NEW."source_code", NEW."status", NEW."summary_of_need", NEW."triage_decided_at", NEW."triage_decision", NEW."triage_rationale", NEW."triaged_by_id", NEW."updated_at"); RETURN NULL;',
                                    hash="83d4ade6207182f49b1feff2e90bc662f456e0a3",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_37dc6",
                                    table="cases_requestforsupport",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_requestforsupporthistory" ("case_id", "consent_obtained", "created_at", "existing_case_id", "family_aware", "family_id", "id", "level_of_need_at_triage_id", "partner_client_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_at", "requester_agency_id", "requester_id", "requester_name", "source_code", "status", "summary_of_need", "triage_decided_at", "triage_decision", "triage_rationale", "triaged_by_id", "updated_at") VALUES (NEW."case_id", NEW."consent_obtained", NEW."created_at", NEW."existing_case_id", NEW."family_aware", NEW."family_id", NEW."id", NEW."level_of_need_at_triage_id", NEW."partner_client_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."received_at", NEW."requester_agency_id", NEW."requester_id", NEW."requester_name", NEW."source_code", NEW."status", NEW."summary_of_need", NEW."triage_decided_at", NEW."triage_decision", NEW."triage_rationale", NEW."triaged_by_id", NEW."updated_at"); RETURN NULL;',
                                    hash="77adaa5c84f5e10631f88b8ecb4b149f0a137c09",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_d5e66",
                                    table="cases_requestforsupport",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_requestforsupporthistory" ("case_id", "consent_obtained", "created_at", "existing_case_id", "family_aware", "family_id", "id", "level_of_need_at_triage_id", "partner_client_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "received_at", "requester_agency_id", "requester_id", "requester_name", "source_code", "status", "summary_of_need", "triage_decided_at", "triage_decision", "triage_rationale", "triaged_by_id", "updated_at") VALUES (OLD."case_id", OLD."consent_obtained", OLD."created_at", OLD."existing_case_id", OLD."family_aware", OLD."family_id", OLD."id", OLD."level_of_need_at_triage_id", OLD."partner_client_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."received_at", OLD."requester_agency_id", OLD."requester_id", OLD."requester_name", OLD."source_code", OLD."status", OLD."summary_of_need", OLD."triage_decided_at", OLD."triage_decision", OLD."triage_rationale", OLD."triaged_by_id", OLD."updated_at"); RETURN NULL;',
                                    hash="fdcda2c29dbe679b11b58125c124264fd242eb3f",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_bf799",
                                    table="cases_requestforsupport",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RequestForSupportHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "received_at",
                            models.DateTimeField(
                                help_text="Starts the request-to-assessment clock."
                            ),
                        ),
                        (
                            "requester_name",
                            models.CharField(
                                blank=True,
                                help_text="Who asked, by name: a family member, a caller, or the person at a partner system's agency.",
                                max_length=200,
                            ),
                        ),
                        (
                            "source_code",
                            models.CharField(
                                choices=[
                                    ("1A", "Individual: family member, relative or carer"),
                                    ("1B", "Individual: acquaintance"),
                                    ("1C", "Individual: self"),
                                    ("1D", "Individual: other"),
                                    ("2A", "Schools"),
                                    ("2B", "Education services"),
                                    ("3A", "Health services: GP"),
                                    ("3B", "Health services: health visitor"),
                                    ("3C", "Health services: school nurse"),
                                    ("3D", "Health services: other primary health services"),
                                    ("3E", "Health services: A&E"),
                                    ("3F", "Health services: other"),
                                    ("4", "Housing"),
                                    ("5A", "LA services: social care"),
                                    ("5B", "LA services: other internal department"),
                                    ("5C", "LA services: other council"),
                                    ("5D", "LA services: early help"),
                                    ("6", "Police"),
                                    ("7", "Other legal agency"),
                                    ("8", "Other"),
                                    ("9", "Anonymous"),
                                    ("10", "Unknown"),
                                ],
                                max_length=4,
                            ),
                        ),
                        ("summary_of_need", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_aware", models.BooleanField(default=False)),
                        ("consent_obtained", models.BooleanField(default=False)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("received", "Waiting for triage"),
                                    ("triaged", "Triaged"),
                                ],
                                default="received",
                                max_length=20,
                            ),
                        ),
                        (
                            "triage_decision",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("advice_signpost", "Advice and signposting"),
                                    ("single_agency", "Single-agency support"),
                                    ("early_help_assessment", "Early help assessment"),
                                    ("lp_support_existing_plan", "Support for an existing plan"),
                                    ("refer_to_csc", "Refer to children's social care"),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("triage_decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "triage_rationale",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The case the request opened or joined.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "existing_case",
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
                            "family",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.family",
                            ),
                        ),
                        (
                            "level_of_need_at_triage",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.levelofneed",
                            ),
                        ),
                        (
                            "partner_client",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The partner system that sent it through the API.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="agencies.partnerclient",
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
                                to="cases.requestforsupport",
                            ),
                        ),
                        (
                            "requester",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="Empty for a self-referral or one taken by phone.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "requester_agency",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The organisation that asked; empty for a family or member of the public.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "triaged_by",
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
                                fields=["pgh_obj", "-pgh_id"], name="requestforsupport_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("summary_of_need"), 20000
                                ),
                                name="cases_requestforsupporthistory_summary_of_need_len_64221d1e",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("triage_rationale"),
                                    20000,
                                ),
                                name="cases_requestforsupporthistory_triage_rationale_len_34d31030",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="954b58a7292274f657989abb9dc57813a2aa3308",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_29e5c",
                                    table="cases_requestforsupporthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
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
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("set_at", models.DateTimeField()),
                        ("review_due", models.DateField()),
                        ("last_reviewed_at", models.DateTimeField(blank=True, null=True)),
                        ("lifted_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "lift_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
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
                        "indexes": [
                            models.Index(
                                condition=models.Q(("lifted_at__isnull", True)),
                                fields=["case"],
                                name="restriction_case_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("reason", ""), _negated=True),
                                name="restriction_has_a_reason",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="audit_restriction_reason_len_8101b647",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("lift_reason"), 20000
                                ),
                                name="audit_restriction_lift_reason_len_50623583",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SafeguardingConcern",
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
                        ("raised_at", models.DateTimeField()),
                        (
                            "route",
                            models.CharField(
                                help_text="The MASH contact the professional was given.",
                                max_length=300,
                            ),
                        ),
                        (
                            "what_was_seen_or_heard",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                db_default="",
                                help_text="What the professional saw or heard, in their words, before the MASH contact was shown. Empty only on concerns raised before this was asked.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="safeguarding_concerns",
                                to="cases.case",
                            ),
                        ),
                        (
                            "raised_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-raised_at", "-id"],
                        "indexes": [
                            models.Index(fields=["case", "-raised_at"], name="concern_case_at_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length(
                                        "what_was_seen_or_heard"
                                    ),
                                    20000,
                                ),
                                name="cases_safeguardingconcern_what_was_seen_or_h_len_e016fca3",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_safeguardingconcernhistory" ("case_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "raised_at", "raised_by_id", "route", "what_was_seen_or_heard") VALUES (NEW."case_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."raised_at", NEW."raised_by_id", NEW."route", NEW."what_was_seen_or_heard"); RETURN NULL;',
                                    hash="b0cb0d257f96a92301a11530ca9981e70bea2618",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_f6da8",
                                    table="cases_safeguardingconcern",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_safeguardingconcernhistory" ("case_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "raised_at", "raised_by_id", "route", "what_was_seen_or_heard") VALUES (NEW."case_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."raised_at", NEW."raised_by_id", NEW."route", NEW."what_was_seen_or_heard"); RETURN NULL;',
                                    hash="09b58eecdef1dc07231a0eb2330d6c5d34ce23f3",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_c2fcc",
                                    table="cases_safeguardingconcern",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_safeguardingconcernhistory" ("case_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "raised_at", "raised_by_id", "route", "what_was_seen_or_heard") VALUES (OLD."case_id", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."raised_at", OLD."raised_by_id", OLD."route", OLD."what_was_seen_or_heard"); RETURN NULL;',
                                    hash="bb60063f2f0bf976679e9cf939a2ea298eabc629",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_c2286",
                                    table="cases_safeguardingconcern",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SafeguardingConcernHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("raised_at", models.DateTimeField()),
                        (
                            "route",
                            models.CharField(
                                help_text="The MASH contact the professional was given.",
                                max_length=300,
                            ),
                        ),
                        (
                            "what_was_seen_or_heard",
                            tac_portal.fields.BoundedTextField(
                                blank=True,
                                db_default="",
                                help_text="What the professional saw or heard, in their words, before the MASH contact was shown. Empty only on concerns raised before this was asked.",
                                max_length=20000,
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
                                to="cases.safeguardingconcern",
                            ),
                        ),
                        (
                            "raised_by",
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
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="safeguardingconcern_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length(
                                        "what_was_seen_or_heard"
                                    ),
                                    20000,
                                ),
                                name="cases_safeguardingconcernhisto_what_was_seen_or_h_len_89ea20b9",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="d6ba034eb5bcd9a5cf478f23bdf7336a1257bb2b",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_a2326",
                                    table="cases_safeguardingconcernhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="StepDownIn",
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
                            "summary",
                            tac_portal.fields.BoundedTextField(
                                help_text="The social care assessment or CIN plan summary.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "outstanding_actions",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("handover_meeting_on", models.DateField(blank=True, null=True)),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "agreement",
                            models.ForeignKey(
                                help_text="The family's written agreement to early help.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.consentrecord",
                            ),
                        ),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="step_down",
                                to="cases.case",
                            ),
                        ),
                        (
                            "lead_assignment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cases.leadprofessionalassignment",
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
                        "verbose_name": "step-down in",
                        "verbose_name_plural": "step-downs in",
                        "ordering": ["-recorded_at", "-id"],
                        "indexes": [
                            models.Index(fields=["recorded_at"], name="step_down_recorded_idx")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("summary"), 20000
                                ),
                                name="cases_stepdownin_summary_len_060d00bb",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("outstanding_actions"),
                                    20000,
                                ),
                                name="cases_stepdownin_outstanding_action_len_c562a9e5",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="StepUpReferral",
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
                            "referred_at",
                            models.DateTimeField(
                                help_text="When the referral reached the front door."
                            ),
                        ),
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_informed", models.BooleanField()),
                        (
                            "family_not_informed_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "decision",
                            models.CharField(
                                choices=[
                                    ("PENDING", "Waiting for social care's decision"),
                                    ("ACCEPTED", "Accepted by social care"),
                                    ("DECLINED", "Not accepted by social care"),
                                ],
                                default="PENDING",
                                max_length=10,
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decision_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "decline_outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "NOT_ACCEPTED",
                                        "Not accepted as a referral: advice to early help",
                                    ),
                                    ("RC8", "Closed after assessment: no further action (RC8)"),
                                    (
                                        "RC9",
                                        "Closed after assessment: referred to early help (RC9)",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "review_due_by",
                            models.DateField(
                                blank=True,
                                help_text="When declined: the TAF review is held by this day.",
                                null=True,
                            ),
                        ),
                        ("decision_recorded_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="step_ups",
                                to="cases.case",
                            ),
                        ),
                        (
                            "decision_recorded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
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
                        (
                            "referred_by",
                            models.ForeignKey(
                                help_text="Who made the referral.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-referred_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["decision", "decided_at"], name="step_up_decision_idx"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("decision", "PENDING")),
                                fields=("case",),
                                name="step_up_one_pending",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("family_informed", True),
                                    models.Q(("family_not_informed_reason", ""), _negated=True),
                                    _connector="OR",
                                ),
                                name="step_up_says_why_family_not_informed",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("decision", "PENDING"),
                                    ("decided_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="step_up_decision_has_date",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_stepupreferral_reason_len_5996383a",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length(
                                        "family_not_informed_reason"
                                    ),
                                    20000,
                                ),
                                name="cases_stepupreferral_family_not_informe_len_9bad2617",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("decision_note"), 20000
                                ),
                                name="cases_stepupreferral_decision_note_len_44d3201d",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TeamInvitation",
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
                        ("full_name", models.CharField(max_length=200)),
                        (
                            "email",
                            models.EmailField(
                                help_text="Their work email address.", max_length=254
                            ),
                        ),
                        ("job_title", models.CharField(blank=True, max_length=150)),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead_professional", "Lead professional"),
                                    ("practitioner", "Practitioner"),
                                    ("chair", "Independent chair"),
                                    ("note_taker", "Note-taker"),
                                    ("family_member", "Family member"),
                                    ("child_young_person", "Child or young person"),
                                    ("family_network_member", "Family network member"),
                                    ("advocate", "Advocate"),
                                    ("interpreter", "Interpreter"),
                                    ("observer", "Observer or student"),
                                    ("social_worker", "Social worker (children's social care)"),
                                ],
                                default="practitioner",
                                max_length=30,
                            ),
                        ),
                        (
                            "involvement",
                            models.CharField(
                                choices=[
                                    ("core", "Core member"),
                                    ("occasional", "Occasional contributor"),
                                ],
                                default="core",
                                max_length=12,
                            ),
                        ),
                        ("invited_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for an account"),
                                    ("approved", "Account made, waiting for them to sign in"),
                                    ("joined", "Joined the team"),
                                    ("declined", "Account declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decision_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=2000),
                        ),
                        (
                            "account",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="team_invitations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "agency",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="agencies.agency",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="invitations",
                                to="cases.case",
                            ),
                        ),
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
                            "invited_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["invited_at", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("case"),
                                django.db.models.functions.text.Lower("email"),
                                condition=models.Q(("status__in", ["pending", "approved"])),
                                name="team_invitation_one_open_per_email",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("decision_reason"), 2000
                                ),
                                name="cases_teaminvitation_decision_reason_len_9b764082",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TeamMembership",
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
                                    ("professional", "Professional with an account"),
                                    ("family", "Family member"),
                                    ("external", "External contact"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("external_name", models.CharField(blank=True, max_length=200)),
                        ("external_agency", models.CharField(blank=True, max_length=200)),
                        ("external_email", models.EmailField(blank=True, max_length=254)),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead_professional", "Lead professional"),
                                    ("practitioner", "Practitioner"),
                                    ("chair", "Independent chair"),
                                    ("note_taker", "Note-taker"),
                                    ("family_member", "Family member"),
                                    ("child_young_person", "Child or young person"),
                                    ("family_network_member", "Family network member"),
                                    ("advocate", "Advocate"),
                                    ("interpreter", "Interpreter"),
                                    ("observer", "Observer or student"),
                                    ("social_worker", "Social worker (children's social care)"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "involvement",
                            models.CharField(
                                choices=[
                                    ("core", "Core member"),
                                    ("occasional", "Occasional contributor"),
                                ],
                                db_default="core",
                                default="core",
                                max_length=12,
                            ),
                        ),
                        ("joined_at", models.DateTimeField()),
                        ("left_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "end_reason",
                            tac_portal.fields.BoundedTextField(
                                blank=True, db_default="", max_length=20000
                            ),
                        ),
                        ("version", models.PositiveIntegerField(db_default=1, default=1)),
                        (
                            "added_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="cases.case",
                            ),
                        ),
                        (
                            "ended_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "family_member",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="memberships",
                                to="cases.familymember",
                            ),
                        ),
                        (
                            "professional",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="tac_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                condition=models.Q(("left_at__isnull", True)),
                                fields=["professional", "case"],
                                name="membership_active_prof_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("external_name", ""),
                                        ("family_member__isnull", True),
                                        ("kind", "professional"),
                                        ("professional__isnull", False),
                                    ),
                                    models.Q(
                                        ("external_name", ""),
                                        ("family_member__isnull", False),
                                        ("kind", "family"),
                                        ("professional__isnull", True),
                                    ),
                                    models.Q(
                                        ("family_member__isnull", True),
                                        ("kind", "external"),
                                        ("professional__isnull", True),
                                        models.Q(("external_name", ""), _negated=True),
                                    ),
                                    _connector="OR",
                                ),
                                name="membership_kind_matches_person",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(
                                    ("left_at__isnull", True), ("professional__isnull", False)
                                ),
                                fields=("case", "professional"),
                                name="membership_one_active_per_professional",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(
                                    ("family_member__isnull", False), ("left_at__isnull", True)
                                ),
                                fields=("case", "family_member"),
                                name="membership_one_active_per_family_member",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("end_reason"), 20000
                                ),
                                name="cases_teammembership_end_reason_len_260d2374",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="insert_insert",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_teammembershiphistory" ("added_by_id", "case_id", "end_reason", "ended_by_id", "external_agency", "external_email", "external_name", "family_member_id", "id", "involvement", "joined_at", "kind", "left_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "role", "version") VALUES (NEW."added_by_id", NEW."case_id", NEW."end_reason", NEW."ended_by_id", NEW."external_agency", NEW."external_email", NEW."external_name", NEW."family_member_id", NEW."id", NEW."involvement", NEW."joined_at", NEW."kind", NEW."left_at", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."professional_id", NEW."role", NEW."version"); RETURN NULL;',
                                    hash="81b361c56d3850d85bbb2fceeeed179a5c95e6a9",
                                    operation="INSERT",
                                    pgid="pgtrigger_insert_insert_af5d3",
                                    table="cases_teammembership",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="update_update",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                                    func='INSERT INTO "cases_teammembershiphistory" ("added_by_id", "case_id", "end_reason", "ended_by_id", "external_agency", "external_email", "external_name", "family_member_id", "id", "involvement", "joined_at", "kind", "left_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "role", "version") VALUES (NEW."added_by_id", NEW."case_id", NEW."end_reason", NEW."ended_by_id", NEW."external_agency", NEW."external_email", NEW."external_name", NEW."family_member_id", NEW."id", NEW."involvement", NEW."joined_at", NEW."kind", NEW."left_at", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."professional_id", NEW."role", NEW."version"); RETURN NULL;',
                                    hash="b897694dd11a31952bb755ad1a4a02dbb89bd3da",
                                    operation="UPDATE",
                                    pgid="pgtrigger_update_update_6605e",
                                    table="cases_teammembership",
                                    when="AFTER",
                                ),
                            ),
                            pgtrigger.compiler.Trigger(
                                name="delete_delete",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func='INSERT INTO "cases_teammembershiphistory" ("added_by_id", "case_id", "end_reason", "ended_by_id", "external_agency", "external_email", "external_name", "family_member_id", "id", "involvement", "joined_at", "kind", "left_at", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "professional_id", "role", "version") VALUES (OLD."added_by_id", OLD."case_id", OLD."end_reason", OLD."ended_by_id", OLD."external_agency", OLD."external_email", OLD."external_name", OLD."family_member_id", OLD."id", OLD."involvement", OLD."joined_at", OLD."kind", OLD."left_at", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."professional_id", OLD."role", OLD."version"); RETURN NULL;',
                                    hash="f02a0a1cee643914bb545c3364d1bb2266a090a7",
                                    operation="DELETE",
                                    pgid="pgtrigger_delete_delete_1460b",
                                    table="cases_teammembership",
                                    when="AFTER",
                                ),
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TeamInvitationHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("full_name", models.CharField(max_length=200)),
                        (
                            "email",
                            models.EmailField(
                                help_text="Their work email address.", max_length=254
                            ),
                        ),
                        ("job_title", models.CharField(blank=True, max_length=150)),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead_professional", "Lead professional"),
                                    ("practitioner", "Practitioner"),
                                    ("chair", "Independent chair"),
                                    ("note_taker", "Note-taker"),
                                    ("family_member", "Family member"),
                                    ("child_young_person", "Child or young person"),
                                    ("family_network_member", "Family network member"),
                                    ("advocate", "Advocate"),
                                    ("interpreter", "Interpreter"),
                                    ("observer", "Observer or student"),
                                    ("social_worker", "Social worker (children's social care)"),
                                ],
                                default="practitioner",
                                max_length=30,
                            ),
                        ),
                        (
                            "involvement",
                            models.CharField(
                                choices=[
                                    ("core", "Core member"),
                                    ("occasional", "Occasional contributor"),
                                ],
                                default="core",
                                max_length=12,
                            ),
                        ),
                        ("invited_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for an account"),
                                    ("approved", "Account made, waiting for them to sign in"),
                                    ("joined", "Joined the team"),
                                    ("declined", "Account declined"),
                                    ("withdrawn", "Withdrawn"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decision_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=2000),
                        ),
                        (
                            "account",
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
                            "agency",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="agencies.agency",
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
                            "invited_by",
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
                                to="cases.teaminvitation",
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="teaminvitation_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("decision_reason"), 2000
                                ),
                                name="cases_teaminvitationhistory_decision_reason_len_ce186c4c",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="c62bccbf745020378ba23b7c25aabecc38bd8692",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_2a123",
                                    table="cases_teaminvitationhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="teaminvitation",
                    name="membership",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.teammembership",
                    ),
                ),
                migrations.CreateModel(
                    name="StepUpReferralHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "referred_at",
                            models.DateTimeField(
                                help_text="When the referral reached the front door."
                            ),
                        ),
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
                        ("family_informed", models.BooleanField()),
                        (
                            "family_not_informed_reason",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "decision",
                            models.CharField(
                                choices=[
                                    ("PENDING", "Waiting for social care's decision"),
                                    ("ACCEPTED", "Accepted by social care"),
                                    ("DECLINED", "Not accepted by social care"),
                                ],
                                default="PENDING",
                                max_length=10,
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "decision_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        (
                            "decline_outcome",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "NOT_ACCEPTED",
                                        "Not accepted as a referral: advice to early help",
                                    ),
                                    ("RC8", "Closed after assessment: no further action (RC8)"),
                                    (
                                        "RC9",
                                        "Closed after assessment: referred to early help (RC9)",
                                    ),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "review_due_by",
                            models.DateField(
                                blank=True,
                                help_text="When declined: the TAF review is held by this day.",
                                null=True,
                            ),
                        ),
                        ("decision_recorded_at", models.DateTimeField(blank=True, null=True)),
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
                            "decision_recorded_by",
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
                                to="cases.stepupreferral",
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
                            "referred_by",
                            models.ForeignKey(
                                db_constraint=False,
                                help_text="Who made the referral.",
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "social_worker",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The allocated social worker, recorded as an external TAC contact.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.teammembership",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="stepupreferral_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_stepupreferralhistory_reason_len_0219cbf2",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length(
                                        "family_not_informed_reason"
                                    ),
                                    20000,
                                ),
                                name="cases_stepupreferralhistory_family_not_informe_len_776b8b14",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("decision_note"), 20000
                                ),
                                name="cases_stepupreferralhistory_decision_note_len_0677abdd",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="bb6b69e9936be0da442001256cf2b61983a36ee3",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_e5ff0",
                                    table="cases_stepupreferralhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="stepupreferral",
                    name="social_worker",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The allocated social worker, recorded as an external TAC contact.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.teammembership",
                    ),
                ),
                migrations.CreateModel(
                    name="StepDownInHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "summary",
                            tac_portal.fields.BoundedTextField(
                                help_text="The social care assessment or CIN plan summary.",
                                max_length=20000,
                            ),
                        ),
                        (
                            "outstanding_actions",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
                        ),
                        ("handover_meeting_on", models.DateField(blank=True, null=True)),
                        ("recorded_at", models.DateTimeField()),
                        (
                            "agreement",
                            models.ForeignKey(
                                db_constraint=False,
                                help_text="The family's written agreement to early help.",
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.consentrecord",
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
                            "lead_assignment",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.leadprofessionalassignment",
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
                                to="cases.stepdownin",
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
                            "social_worker",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The stepping-down social worker, a temporary TAC contact.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to="cases.teammembership",
                            ),
                        ),
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="stepdownin_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("summary"), 20000
                                ),
                                name="cases_stepdowninhistory_summary_len_044c1386",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("outstanding_actions"),
                                    20000,
                                ),
                                name="cases_stepdowninhistory_outstanding_action_len_d4f77ddd",
                            ),
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="95bd651f0e34c3ca470508afa0a07d88b2aaa655",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_2b5d2",
                                    table="cases_stepdowninhistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="stepdownin",
                    name="social_worker",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="The stepping-down social worker, a temporary TAC contact.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.teammembership",
                    ),
                ),
                migrations.CreateModel(
                    name="JoinRequestHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "reason",
                            tac_portal.fields.BoundedTextField(
                                help_text="Why they need to work with the family.", max_length=20000
                            ),
                        ),
                        ("requested_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for a decision"),
                                    ("approved", "Approved"),
                                    ("declined", "Declined"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("decided_at", models.DateTimeField(blank=True, null=True)),
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
                                to="cases.joinrequest",
                            ),
                        ),
                        (
                            "requester",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                related_query_name="+",
                                to=settings.AUTH_USER_MODEL,
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(fields=["pgh_obj", "-pgh_id"], name="joinrequest_hist_obj")
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="cases_joinrequesthistory_reason_len_68b26ce1",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="d43d8ff46357f67d9716f910b5003267e992b772",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_de515",
                                    table="cases_joinrequesthistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
                    },
                ),
                migrations.AddField(
                    model_name="joinrequest",
                    name="membership",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.teammembership",
                    ),
                ),
                migrations.CreateModel(
                    name="TeamMembershipHistory",
                    fields=[
                        ("pgh_id", models.AutoField(primary_key=True, serialize=False)),
                        ("pgh_created_at", models.DateTimeField(auto_now_add=True)),
                        ("pgh_label", models.TextField(help_text="The event label.")),
                        ("id", models.BigIntegerField()),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("professional", "Professional with an account"),
                                    ("family", "Family member"),
                                    ("external", "External contact"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("external_name", models.CharField(blank=True, max_length=200)),
                        ("external_agency", models.CharField(blank=True, max_length=200)),
                        ("external_email", models.EmailField(blank=True, max_length=254)),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("lead_professional", "Lead professional"),
                                    ("practitioner", "Practitioner"),
                                    ("chair", "Independent chair"),
                                    ("note_taker", "Note-taker"),
                                    ("family_member", "Family member"),
                                    ("child_young_person", "Child or young person"),
                                    ("family_network_member", "Family network member"),
                                    ("advocate", "Advocate"),
                                    ("interpreter", "Interpreter"),
                                    ("observer", "Observer or student"),
                                    ("social_worker", "Social worker (children's social care)"),
                                ],
                                max_length=30,
                            ),
                        ),
                        (
                            "involvement",
                            models.CharField(
                                choices=[
                                    ("core", "Core member"),
                                    ("occasional", "Occasional contributor"),
                                ],
                                db_default="core",
                                default="core",
                                max_length=12,
                            ),
                        ),
                        ("joined_at", models.DateTimeField()),
                        ("left_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "end_reason",
                            tac_portal.fields.BoundedTextField(
                                blank=True, db_default="", max_length=20000
                            ),
                        ),
                        ("version", models.PositiveIntegerField(db_default=1, default=1)),
                        (
                            "added_by",
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
                            "ended_by",
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
                                to="cases.teammembership",
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
                    ],
                    options={
                        "abstract": False,
                        "indexes": [
                            models.Index(
                                fields=["pgh_obj", "-pgh_id"], name="teammembership_hist_obj"
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("end_reason"), 20000
                                ),
                                name="cases_teammembershiphistory_end_reason_len_b7a1cf2e",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="b9e8ae9bb6eb94168bf6ef669589710a9728eb26",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_append_only_24c36",
                                    table="cases_teammembershiphistory",
                                    when="BEFORE",
                                ),
                            )
                        ],
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
                        ("reason", tac_portal.fields.BoundedTextField(max_length=20000)),
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
                        "constraints": [
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("reason"), 20000
                                ),
                                name="audit_unmasking_reason_len_c05db3c6",
                            )
                        ],
                        "triggers": [
                            pgtrigger.compiler.Trigger(
                                name="unmasking_append_only",
                                sql=pgtrigger.compiler.UpsertTriggerSql(
                                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                                    hash="eebeecbb82297220fb88bfe3a4c70601f597650f",
                                    operation="UPDATE OR DELETE",
                                    pgid="pgtrigger_unmasking_append_only_61915",
                                    table="audit_unmasking",
                                    when="BEFORE",
                                ),
                            )
                        ],
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
                        ("justification", tac_portal.fields.BoundedTextField(max_length=20000)),
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
                        (
                            "review_note",
                            tac_portal.fields.BoundedTextField(blank=True, max_length=20000),
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
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="break_glass_grants",
                                to="cases.case",
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
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("justification"), 20000
                                ),
                                name="audit_breakglassgrant_justification_len_1c5c44b3",
                            ),
                            models.CheckConstraint(
                                condition=django.db.models.lookups.LessThanOrEqual(
                                    django.db.models.functions.text.Length("review_note"), 20000
                                ),
                                name="audit_breakglassgrant_review_note_len_71a67137",
                            ),
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="casesubject",
                    constraint=models.UniqueConstraint(
                        fields=("case", "child"), name="case_subject_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="casesubject",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_open", True)),
                        fields=("child",),
                        name="child_one_open_case",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="consentrecord",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("given_by__isnull", False),
                            ("given_by_child__isnull", False),
                            _connector="OR",
                        ),
                        name="consent_has_a_giver",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="stepupreferral",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decision", "ACCEPTED"), _negated=True),
                            ("social_worker__isnull", False),
                            _connector="OR",
                        ),
                        name="step_up_accepted_has_social_worker",
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="casesubject",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_casesubjecthistory" ("added_at", "case_id", "child_id", "id", "is_open", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."added_at", NEW."case_id", NEW."child_id", NEW."id", NEW."is_open", _pgh_attach_context(), NOW(), \'insert\', NEW."id"); RETURN NULL;',
                            hash="faee895a6ddc4273272270177561948eba5ac09f",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_c0bdb",
                            table="cases_casesubject",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="casesubject",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_casesubjecthistory" ("added_at", "case_id", "child_id", "id", "is_open", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (NEW."added_at", NEW."case_id", NEW."child_id", NEW."id", NEW."is_open", _pgh_attach_context(), NOW(), \'update\', NEW."id"); RETURN NULL;',
                            hash="b6d8520ec4a85f98d61f3cf290df68e5a0af14c3",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_d1d59",
                            table="cases_casesubject",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="casesubject",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_casesubjecthistory" ("added_at", "case_id", "child_id", "id", "is_open", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id") VALUES (OLD."added_at", OLD."case_id", OLD."child_id", OLD."id", OLD."is_open", _pgh_attach_context(), NOW(), \'delete\', OLD."id"); RETURN NULL;',
                            hash="fec997cbdbc18b753298ac159e258e63af08f995",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_1c655",
                            table="cases_casesubject",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="consentrecord",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_consentrecordhistory" ("capacity_basis", "capacity_note", "case_id", "expires_at", "given_at", "given_by_child_id", "given_by_id", "id", "information_level", "kind", "method", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "withdrawal_note", "withdrawn_at") VALUES (NEW."capacity_basis", NEW."capacity_note", NEW."case_id", NEW."expires_at", NEW."given_at", NEW."given_by_child_id", NEW."given_by_id", NEW."id", NEW."information_level", NEW."kind", NEW."method", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."withdrawal_note", NEW."withdrawn_at"); RETURN NULL;',
                            hash="26832fb792c3e9890f95a010a9862d4626a4b588",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_1c39d",
                            table="cases_consentrecord",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="consentrecord",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_consentrecordhistory" ("capacity_basis", "capacity_note", "case_id", "expires_at", "given_at", "given_by_child_id", "given_by_id", "id", "information_level", "kind", "method", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "withdrawal_note", "withdrawn_at") VALUES (NEW."capacity_basis", NEW."capacity_note", NEW."case_id", NEW."expires_at", NEW."given_at", NEW."given_by_child_id", NEW."given_by_id", NEW."id", NEW."information_level", NEW."kind", NEW."method", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."withdrawal_note", NEW."withdrawn_at"); RETURN NULL;',
                            hash="5dcbbf533e096504bf80bdab744eb674cb980b48",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_44bfb",
                            table="cases_consentrecord",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="consentrecord",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_consentrecordhistory" ("capacity_basis", "capacity_note", "case_id", "expires_at", "given_at", "given_by_child_id", "given_by_id", "id", "information_level", "kind", "method", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "withdrawal_note", "withdrawn_at") VALUES (OLD."capacity_basis", OLD."capacity_note", OLD."case_id", OLD."expires_at", OLD."given_at", OLD."given_by_child_id", OLD."given_by_id", OLD."id", OLD."information_level", OLD."kind", OLD."method", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_at", OLD."recorded_by_id", OLD."withdrawal_note", OLD."withdrawn_at"); RETURN NULL;',
                            hash="ec901021a7015d5b378c6029abf31f1357560541",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_85b63",
                            table="cases_consentrecord",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="child",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_childhistory" ("address", "also_known_as", "contact_phone", "created_at", "date_of_birth", "disability_details", "disability_status", "email", "ethnicity", "expectant_mother_id", "expected_date_of_delivery", "family_id", "family_name", "family_name_metaphone", "family_name_soundex", "first_language", "given_name_metaphone", "given_names", "has_disability", "has_sen", "id", "immigration_status", "interpreter_arranged", "interpreter_required", "is_unborn", "is_young_carer", "merged_into_id", "nhs_number", "parent_first_language", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "postcode", "religion", "religion_other", "risk_of_exclusion", "school_id", "school_urn", "sen_details", "sen_status", "sex", "special_requirements", "updated_at", "upn", "version") VALUES (NEW."address", NEW."also_known_as", NEW."contact_phone", NEW."created_at", NEW."date_of_birth", NEW."disability_details", NEW."disability_status", NEW."email", NEW."ethnicity", NEW."expectant_mother_id", NEW."expected_date_of_delivery", NEW."family_id", NEW."family_name", NEW."family_name_metaphone", NEW."family_name_soundex", NEW."first_language", NEW."given_name_metaphone", NEW."given_names", NEW."has_disability", NEW."has_sen", NEW."id", NEW."immigration_status", NEW."interpreter_arranged", NEW."interpreter_required", NEW."is_unborn", NEW."is_young_carer", NEW."merged_into_id", NEW."nhs_number", NEW."parent_first_language", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."postcode", NEW."religion", NEW."religion_other", NEW."risk_of_exclusion", NEW."school_id", NEW."school_urn", NEW."sen_details", NEW."sen_status", NEW."sex", NEW."special_requirements", NEW."updated_at", NEW."upn", NEW."version"); RETURN NULL;',
                            hash="9e13b3ab33d4dd25bdb3b98acfedfbefe228bdcd",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_a78bb",
                            table="cases_child",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="child",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition='WHEN (OLD."address" IS DISTINCT FROM (NEW."address") OR OLD."also_known_as" IS DISTINCT FROM (NEW."also_known_as") OR OLD."contact_phone" IS DISTINCT FROM (NEW."contact_phone") OR OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."date_of_birth" IS DISTINCT FROM (NEW."date_of_birth") OR OLD."disability_details" IS DISTINCT FROM (NEW."disability_details") OR OLD."disability_status" IS DISTINCT FROM (NEW."disability_status") OR OLD."email" IS DISTINCT FROM (NEW."email") OR OLD."ethnicity" IS DISTINCT FROM (NEW."ethnicity") OR OLD."expectant_mother_id" IS DISTINCT FROM (NEW."expectant_mother_id") OR OLD."expected_date_of_delivery" IS DISTINCT FROM (NEW."expected_date_of_delivery") OR OLD."family_id" IS DISTINCT FROM (NEW."family_id") OR OLD."family_name" IS DISTINCT FROM (NEW."family_name") OR OLD."family_name_metaphone" IS DISTINCT FROM (NEW."family_name_metaphone") OR OLD."family_name_soundex" IS DISTINCT FROM (NEW."family_name_soundex") OR OLD."first_language" IS DISTINCT FROM (NEW."first_language") OR OLD."given_name_metaphone" IS DISTINCT FROM (NEW."given_name_metaphone") OR OLD."given_names" IS DISTINCT FROM (NEW."given_names") OR OLD."has_disability" IS DISTINCT FROM (NEW."has_disability") OR OLD."has_sen" IS DISTINCT FROM (NEW."has_sen") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."immigration_status" IS DISTINCT FROM (NEW."immigration_status") OR OLD."interpreter_arranged" IS DISTINCT FROM (NEW."interpreter_arranged") OR OLD."interpreter_required" IS DISTINCT FROM (NEW."interpreter_required") OR OLD."is_unborn" IS DISTINCT FROM (NEW."is_unborn") OR OLD."is_young_carer" IS DISTINCT FROM (NEW."is_young_carer") OR OLD."merged_into_id" IS DISTINCT FROM (NEW."merged_into_id") OR OLD."nhs_number" IS DISTINCT FROM (NEW."nhs_number") OR OLD."parent_first_language" IS DISTINCT FROM (NEW."parent_first_language") OR OLD."postcode" IS DISTINCT FROM (NEW."postcode") OR OLD."religion" IS DISTINCT FROM (NEW."religion") OR OLD."religion_other" IS DISTINCT FROM (NEW."religion_other") OR OLD."risk_of_exclusion" IS DISTINCT FROM (NEW."risk_of_exclusion") OR OLD."school_id" IS DISTINCT FROM (NEW."school_id") OR OLD."school_urn" IS DISTINCT FROM (NEW."school_urn") OR OLD."sen_details" IS DISTINCT FROM (NEW."sen_details") OR OLD."sen_status" IS DISTINCT FROM (NEW."sen_status") OR OLD."sex" IS DISTINCT FROM (NEW."sex") OR OLD."special_requirements" IS DISTINCT FROM (NEW."special_requirements") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at") OR OLD."upn" IS DISTINCT FROM (NEW."upn") OR OLD."version" IS DISTINCT FROM (NEW."version"))',
                            func='INSERT INTO "cases_childhistory" ("address", "also_known_as", "contact_phone", "created_at", "date_of_birth", "disability_details", "disability_status", "email", "ethnicity", "expectant_mother_id", "expected_date_of_delivery", "family_id", "family_name", "family_name_metaphone", "family_name_soundex", "first_language", "given_name_metaphone", "given_names", "has_disability", "has_sen", "id", "immigration_status", "interpreter_arranged", "interpreter_required", "is_unborn", "is_young_carer", "merged_into_id", "nhs_number", "parent_first_language", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "postcode", "religion", "religion_other", "risk_of_exclusion", "school_id", "school_urn", "sen_details", "sen_status", "sex", "special_requirements", "updated_at", "upn", "version") VALUES (NEW."address", NEW."also_known_as", NEW."contact_phone", NEW."created_at", NEW."date_of_birth", NEW."disability_details", NEW."disability_status", NEW."email", NEW."ethnicity", NEW."expectant_mother_id", NEW."expected_date_of_delivery", NEW."family_id", NEW."family_name", NEW."family_name_metaphone", NEW."family_name_soundex", NEW."first_language", NEW."given_name_metaphone", NEW."given_names", NEW."has_disability", NEW."has_sen", NEW."id", NEW."immigration_status", NEW."interpreter_arranged", NEW."interpreter_required", NEW."is_unborn", NEW."is_young_carer", NEW."merged_into_id", NEW."nhs_number", NEW."parent_first_language", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."postcode", NEW."religion", NEW."religion_other", NEW."risk_of_exclusion", NEW."school_id", NEW."school_urn", NEW."sen_details", NEW."sen_status", NEW."sex", NEW."special_requirements", NEW."updated_at", NEW."upn", NEW."version"); RETURN NULL;',
                            hash="39ca280a7bd41ec09767ee979c8fed5548ae2679",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_dfaec",
                            table="cases_child",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="child",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_childhistory" ("address", "also_known_as", "contact_phone", "created_at", "date_of_birth", "disability_details", "disability_status", "email", "ethnicity", "expectant_mother_id", "expected_date_of_delivery", "family_id", "family_name", "family_name_metaphone", "family_name_soundex", "first_language", "given_name_metaphone", "given_names", "has_disability", "has_sen", "id", "immigration_status", "interpreter_arranged", "interpreter_required", "is_unborn", "is_young_carer", "merged_into_id", "nhs_number", "parent_first_language", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "postcode", "religion", "religion_other", "risk_of_exclusion", "school_id", "school_urn", "sen_details", "sen_status", "sex", "special_requirements", "updated_at", "upn", "version") VALUES (OLD."address", OLD."also_known_as", OLD."contact_phone", OLD."created_at", OLD."date_of_birth", OLD."disability_details", OLD."disability_status", OLD."email", OLD."ethnicity", OLD."expectant_mother_id", OLD."expected_date_of_delivery", OLD."family_id", OLD."family_name", OLD."family_name_metaphone", OLD."family_name_soundex", OLD."first_language", OLD."given_name_metaphone", OLD."given_names", OLD."has_disability", OLD."has_sen", OLD."id", OLD."immigration_status", OLD."interpreter_arranged", OLD."interpreter_required", OLD."is_unborn", OLD."is_young_carer", OLD."merged_into_id", OLD."nhs_number", OLD."parent_first_language", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."postcode", OLD."religion", OLD."religion_other", OLD."risk_of_exclusion", OLD."school_id", OLD."school_urn", OLD."sen_details", OLD."sen_status", OLD."sex", OLD."special_requirements", OLD."updated_at", OLD."upn", OLD."version"); RETURN NULL;',
                            hash="22db306ec5bc5129a066ae36f8e0af34b5b739d5",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_9f97b",
                            table="cases_child",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="leadhandover",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_leadhandoverhistory" ("case_id", "from_assignment_id", "id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "to_assignment_id") VALUES (NEW."case_id", NEW."from_assignment_id", NEW."id", NEW."note", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."to_assignment_id"); RETURN NULL;',
                            hash="b6e875904fd04d5e31decd125c1b165806490f57",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_2b37d",
                            table="cases_leadhandover",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="leadhandover",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_leadhandoverhistory" ("case_id", "from_assignment_id", "id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "to_assignment_id") VALUES (NEW."case_id", NEW."from_assignment_id", NEW."id", NEW."note", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."to_assignment_id"); RETURN NULL;',
                            hash="9c984d6dee3468f7948b291d96847557186ae10a",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_bf097",
                            table="cases_leadhandover",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="leadhandover",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_leadhandoverhistory" ("case_id", "from_assignment_id", "id", "note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "to_assignment_id") VALUES (OLD."case_id", OLD."from_assignment_id", OLD."id", OLD."note", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_at", OLD."recorded_by_id", OLD."to_assignment_id"); RETURN NULL;',
                            hash="acf2a91e0e65d61e823054ac829d423bbcfa80b2",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_c1f38",
                            table="cases_leadhandover",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="case",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_casehistory" ("closed_at", "closure_reason", "closure_reason_detail", "created_at", "current_level_id", "family_id", "id", "is_re_referral", "next_review_due", "opened_at", "opened_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_case_id", "reference", "review_late_reason", "status", "updated_at") VALUES (NEW."closed_at", NEW."closure_reason", NEW."closure_reason_detail", NEW."created_at", NEW."current_level_id", NEW."family_id", NEW."id", NEW."is_re_referral", NEW."next_review_due", NEW."opened_at", NEW."opened_by_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."previous_case_id", NEW."reference", NEW."review_late_reason", NEW."status", NEW."updated_at"); RETURN NULL;',
                            hash="d277c0e135c83d0a3cb1c6274d2b12fb9c587999",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_0b483",
                            table="cases_case",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="case",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_casehistory" ("closed_at", "closure_reason", "closure_reason_detail", "created_at", "current_level_id", "family_id", "id", "is_re_referral", "next_review_due", "opened_at", "opened_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_case_id", "reference", "review_late_reason", "status", "updated_at") VALUES (NEW."closed_at", NEW."closure_reason", NEW."closure_reason_detail", NEW."created_at", NEW."current_level_id", NEW."family_id", NEW."id", NEW."is_re_referral", NEW."next_review_due", NEW."opened_at", NEW."opened_by_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."previous_case_id", NEW."reference", NEW."review_late_reason", NEW."status", NEW."updated_at"); RETURN NULL;',
                            hash="45134e30fff009a123106e2f5c9bd13f61987253",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_f5146",
                            table="cases_case",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="case",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_casehistory" ("closed_at", "closure_reason", "closure_reason_detail", "created_at", "current_level_id", "family_id", "id", "is_re_referral", "next_review_due", "opened_at", "opened_by_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "previous_case_id", "reference", "review_late_reason", "status", "updated_at") VALUES (OLD."closed_at", OLD."closure_reason", OLD."closure_reason_detail", OLD."created_at", OLD."current_level_id", OLD."family_id", OLD."id", OLD."is_re_referral", OLD."next_review_due", OLD."opened_at", OLD."opened_by_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."previous_case_id", OLD."reference", OLD."review_late_reason", OLD."status", OLD."updated_at"); RETURN NULL;',
                            hash="9fabeb1a36398a19109a773b7a7ecd9d17f6e2a3",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_8d49e",
                            table="cases_case",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="teaminvitation",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_teaminvitationhistory" ("account_id", "agency_id", "case_id", "decided_at", "decided_by_id", "decision_reason", "email", "full_name", "id", "invited_at", "invited_by_id", "involvement", "job_title", "membership_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "status", "version") VALUES (NEW."account_id", NEW."agency_id", NEW."case_id", NEW."decided_at", NEW."decided_by_id", NEW."decision_reason", NEW."email", NEW."full_name", NEW."id", NEW."invited_at", NEW."invited_by_id", NEW."involvement", NEW."job_title", NEW."membership_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."role", NEW."status", NEW."version"); RETURN NULL;',
                            hash="b2b5cef0c68ef38b34710f57fd4d6ece95a88a8c",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_e821c",
                            table="cases_teaminvitation",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="teaminvitation",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_teaminvitationhistory" ("account_id", "agency_id", "case_id", "decided_at", "decided_by_id", "decision_reason", "email", "full_name", "id", "invited_at", "invited_by_id", "involvement", "job_title", "membership_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "status", "version") VALUES (NEW."account_id", NEW."agency_id", NEW."case_id", NEW."decided_at", NEW."decided_by_id", NEW."decision_reason", NEW."email", NEW."full_name", NEW."id", NEW."invited_at", NEW."invited_by_id", NEW."involvement", NEW."job_title", NEW."membership_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."role", NEW."status", NEW."version"); RETURN NULL;',
                            hash="d656bde5ed16dd4f568e677fe3b74a1a50ad4637",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_4d3fe",
                            table="cases_teaminvitation",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="teaminvitation",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_teaminvitationhistory" ("account_id", "agency_id", "case_id", "decided_at", "decided_by_id", "decision_reason", "email", "full_name", "id", "invited_at", "invited_by_id", "involvement", "job_title", "membership_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "status", "version") VALUES (OLD."account_id", OLD."agency_id", OLD."case_id", OLD."decided_at", OLD."decided_by_id", OLD."decision_reason", OLD."email", OLD."full_name", OLD."id", OLD."invited_at", OLD."invited_by_id", OLD."involvement", OLD."job_title", OLD."membership_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."role", OLD."status", OLD."version"); RETURN NULL;',
                            hash="6b1c39b52809ecf63fd16c41b89692fdfaf0db5f",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_a0023",
                            table="cases_teaminvitation",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="stepupreferral",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_stepupreferralhistory" ("case_id", "decided_at", "decision", "decision_note", "decision_recorded_at", "decision_recorded_by_id", "decline_outcome", "family_informed", "family_not_informed_reason", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "recorded_at", "recorded_by_id", "referred_at", "referred_by_id", "review_due_by", "social_worker_id") VALUES (NEW."case_id", NEW."decided_at", NEW."decision", NEW."decision_note", NEW."decision_recorded_at", NEW."decision_recorded_by_id", NEW."decline_outcome", NEW."family_informed", NEW."family_not_informed_reason", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."recorded_at", NEW."recorded_by_id", NEW."referred_at", NEW."referred_by_id", NEW."review_due_by", NEW."social_worker_id"); RETURN NULL;',
                            hash="7defc140b8260622f6bac67e227f40b7ae528301",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_d66bf",
                            table="cases_stepupreferral",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="stepupreferral",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_stepupreferralhistory" ("case_id", "decided_at", "decision", "decision_note", "decision_recorded_at", "decision_recorded_by_id", "decline_outcome", "family_informed", "family_not_informed_reason", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "recorded_at", "recorded_by_id", "referred_at", "referred_by_id", "review_due_by", "social_worker_id") VALUES (NEW."case_id", NEW."decided_at", NEW."decision", NEW."decision_note", NEW."decision_recorded_at", NEW."decision_recorded_by_id", NEW."decline_outcome", NEW."family_informed", NEW."family_not_informed_reason", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."recorded_at", NEW."recorded_by_id", NEW."referred_at", NEW."referred_by_id", NEW."review_due_by", NEW."social_worker_id"); RETURN NULL;',
                            hash="5a187a3a80d0aae3e0bfbe34b32db42c851d5ca4",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_23596",
                            table="cases_stepupreferral",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="stepupreferral",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_stepupreferralhistory" ("case_id", "decided_at", "decision", "decision_note", "decision_recorded_at", "decision_recorded_by_id", "decline_outcome", "family_informed", "family_not_informed_reason", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "recorded_at", "recorded_by_id", "referred_at", "referred_by_id", "review_due_by", "social_worker_id") VALUES (OLD."case_id", OLD."decided_at", OLD."decision", OLD."decision_note", OLD."decision_recorded_at", OLD."decision_recorded_by_id", OLD."decline_outcome", OLD."family_informed", OLD."family_not_informed_reason", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."reason", OLD."recorded_at", OLD."recorded_by_id", OLD."referred_at", OLD."referred_by_id", OLD."review_due_by", OLD."social_worker_id"); RETURN NULL;',
                            hash="450689b409d55041cd8e57b46e3ea6ad3ce2fb57",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_19a44",
                            table="cases_stepupreferral",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="stepdownin",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_stepdowninhistory" ("agreement_id", "case_id", "handover_meeting_on", "id", "lead_assignment_id", "outstanding_actions", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "social_worker_id", "summary") VALUES (NEW."agreement_id", NEW."case_id", NEW."handover_meeting_on", NEW."id", NEW."lead_assignment_id", NEW."outstanding_actions", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."social_worker_id", NEW."summary"); RETURN NULL;',
                            hash="4ccb5da1f9de66b6580004253b333d5d5a53047e",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_72e46",
                            table="cases_stepdownin",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="stepdownin",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_stepdowninhistory" ("agreement_id", "case_id", "handover_meeting_on", "id", "lead_assignment_id", "outstanding_actions", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "social_worker_id", "summary") VALUES (NEW."agreement_id", NEW."case_id", NEW."handover_meeting_on", NEW."id", NEW."lead_assignment_id", NEW."outstanding_actions", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."recorded_at", NEW."recorded_by_id", NEW."social_worker_id", NEW."summary"); RETURN NULL;',
                            hash="36e3a8b2b05846ac0c28f4dfb1d237b59533a490",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_d20fe",
                            table="cases_stepdownin",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="stepdownin",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_stepdowninhistory" ("agreement_id", "case_id", "handover_meeting_on", "id", "lead_assignment_id", "outstanding_actions", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "recorded_at", "recorded_by_id", "social_worker_id", "summary") VALUES (OLD."agreement_id", OLD."case_id", OLD."handover_meeting_on", OLD."id", OLD."lead_assignment_id", OLD."outstanding_actions", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."recorded_at", OLD."recorded_by_id", OLD."social_worker_id", OLD."summary"); RETURN NULL;',
                            hash="151df0886b2ae3faab4292f846216dd5d49de11b",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_76605",
                            table="cases_stepdownin",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="joinrequest",
                    trigger=pgtrigger.compiler.Trigger(
                        name="insert_insert",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_joinrequesthistory" ("case_id", "decided_at", "decided_by_id", "id", "membership_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_at", "requester_id", "status", "version") VALUES (NEW."case_id", NEW."decided_at", NEW."decided_by_id", NEW."id", NEW."membership_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."requested_at", NEW."requester_id", NEW."status", NEW."version"); RETURN NULL;',
                            hash="afe3b517f05ff8e4bbd48f5fd325d361bb1184e3",
                            operation="INSERT",
                            pgid="pgtrigger_insert_insert_7be90",
                            table="cases_joinrequest",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="joinrequest",
                    trigger=pgtrigger.compiler.Trigger(
                        name="update_update",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                            func='INSERT INTO "cases_joinrequesthistory" ("case_id", "decided_at", "decided_by_id", "id", "membership_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_at", "requester_id", "status", "version") VALUES (NEW."case_id", NEW."decided_at", NEW."decided_by_id", NEW."id", NEW."membership_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."requested_at", NEW."requester_id", NEW."status", NEW."version"); RETURN NULL;',
                            hash="5fc344683c2a874170f9dd56438acc2c2b407431",
                            operation="UPDATE",
                            pgid="pgtrigger_update_update_021e1",
                            table="cases_joinrequest",
                            when="AFTER",
                        ),
                    ),
                ),
                pgtrigger.migrations.AddTrigger(
                    model_name="joinrequest",
                    trigger=pgtrigger.compiler.Trigger(
                        name="delete_delete",
                        sql=pgtrigger.compiler.UpsertTriggerSql(
                            func='INSERT INTO "cases_joinrequesthistory" ("case_id", "decided_at", "decided_by_id", "id", "membership_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_at", "requester_id", "status", "version") VALUES (OLD."case_id", OLD."decided_at", OLD."decided_by_id", OLD."id", OLD."membership_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."reason", OLD."requested_at", OLD."requester_id", OLD."status", OLD."version"); RETURN NULL;',
                            hash="5d28b5127040f88c2596f129181943a22c237485",
                            operation="DELETE",
                            pgid="pgtrigger_delete_delete_e638b",
                            table="cases_joinrequest",
                            when="AFTER",
                        ),
                    ),
                ),
            ]
        ),
        migrations.RunPython(LEVELS.add_levels, LEVELS.remove_levels),
        # Case references (EH-000123) come from a sequence so that concurrent openings never
        # collide.
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS cases_case_reference_seq START 1",
            "DROP SEQUENCE IF EXISTS cases_case_reference_seq",
        ),
    ]
