"""Indexes that only repeat the first column of another index go: each change history's
index on ``pgh_obj`` alone (its ``*_hist_obj`` index on ``pgh_obj, -pgh_id`` serves)
so that every write keeps one index fewer. A database made from the squashed migration
never had them."""

from django.db import migrations

REDUNDANT = [
    "assessments_assessmenthistory_pgh_obj_id_1f05f36c",
    "assessments_assessmentsectionhistory_pgh_obj_id_d4a3037d",
    "assessments_elemententryhistory_pgh_obj_id_13053752",
    "assessments_viewrecordhistory_pgh_obj_id_66137502",
]


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_squashed_0006")]

    operations = [
        migrations.RunSQL(
            [f'DROP INDEX IF EXISTS "{name}"' for name in REDUNDANT],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
