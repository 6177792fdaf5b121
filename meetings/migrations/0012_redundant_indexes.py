"""Indexes that only repeat the first column of another index go: each change history's
index on ``pgh_obj`` alone (its ``*_hist_obj`` index on ``pgh_obj, -pgh_id`` serves)
so that every write keeps one index fewer. A database made from the squashed migration
never had them."""

from django.db import migrations

REDUNDANT = [
    "meetings_actionhistory_pgh_obj_id_1a53854c",
    "meetings_actionupdatehistory_pgh_obj_id_d8148e61",
    "meetings_casediscussionhistory_pgh_obj_id_1d25c6bd",
    "meetings_contributionhistory_pgh_obj_id_37146f2b",
    "meetings_decisionhistory_pgh_obj_id_6bdc3193",
    "meetings_dissenthistory_pgh_obj_id_dc05ba4d",
    "meetings_familyfeedbackhistory_pgh_obj_id_7595dcdd",
    "meetings_invitationhistory_pgh_obj_id_15c4fa17",
    "meetings_meetinghistory_pgh_obj_id_1c9bad66",
    "meetings_outcomehistory_pgh_obj_id_68a84252",
    "meetings_reviewhistory_pgh_obj_id_f834bfcd",
]


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_squashed_0011")]

    operations = [
        migrations.RunSQL(
            [f'DROP INDEX IF EXISTS "{name}"' for name in REDUNDANT],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
