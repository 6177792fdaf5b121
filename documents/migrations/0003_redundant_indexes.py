"""Indexes that only repeat the first column of another index go: each change history's
index on ``pgh_obj`` alone (its ``*_hist_obj`` index on ``pgh_obj, -pgh_id`` serves)
so that every write keeps one index fewer. A database made from the squashed migration
never had them."""

from django.db import migrations

REDUNDANT = [
    "documents_documenthistory_pgh_obj_id_83db737f",
]


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_squashed_0002")]

    operations = [
        migrations.RunSQL(
            [f'DROP INDEX IF EXISTS "{name}"' for name in REDUNDANT],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
