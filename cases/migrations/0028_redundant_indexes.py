"""Indexes that only repeat the first column of another index go: each change history's
index on ``pgh_obj`` alone (its ``*_hist_obj`` index on ``pgh_obj, -pgh_id`` serves), and
those on the case of a chronology event and of a case subject (``caseevent_case_at_idx``
and ``case_subject_unique`` lead with it), so that every write keeps one index fewer. A
database made from the squashed migration never had them."""

from django.db import migrations

REDUNDANT = [
    "cases_caseclosurehistory_pgh_obj_id_8e888deb",
    "cases_caseevent_case_id_6c6031ac",
    "cases_casehistory_pgh_obj_id_b4f3d656",
    "cases_casesubject_case_id_51c9ca0d",
    "cases_casesubjecthistory_pgh_obj_id_4ee792eb",
    "cases_childhistory_pgh_obj_id_5763a8db",
    "cases_childrecordcheckhistory_pgh_obj_id_0cdb7062",
    "cases_consentrecordhistory_pgh_obj_id_6f2b986f",
    "cases_disclosuredecisionhistory_pgh_obj_id_3c428373",
    "cases_familyhistory_pgh_obj_id_ab97818a",
    "cases_familymemberhistory_pgh_obj_id_a454c0c3",
    "cases_joinrequesthistory_pgh_obj_id_2b7df304",
    "cases_leadhandoverhistory_pgh_obj_id_0817e821",
    "cases_leadprofessionalassignmenthistory_pgh_obj_id_3f04fa24",
    "cases_levelofneedjudgementhistory_pgh_obj_id_aa239ded",
    "cases_requestforsupporthistory_pgh_obj_id_1e1c8cd6",
    "cases_safeguardingconcernhistory_pgh_obj_id_804e5327",
    "cases_stepdowninhistory_pgh_obj_id_0639115c",
    "cases_stepupreferralhistory_pgh_obj_id_1e427363",
    "cases_teaminvitationhistory_pgh_obj_id_8ef4f5fe",
    "cases_teammembershiphistory_pgh_obj_id_b4e680b9",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_squashed_0027")]

    operations = [
        migrations.RunSQL(
            [f'DROP INDEX IF EXISTS "{name}"' for name in REDUNDANT],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
