"""The access policy's records now belong to ``cases`` (its migration 0010): state only.

The old append-only triggers (named after this app) are dropped only after ``cases``
0010 has added its own, so the tables are protected throughout. No table or row moves.
"""

import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_restrictions"),
        ("cases", "0010_access_records_from_audit"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="recordaccess",
            name="record_access_append_only",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="unmasking",
            name="unmasking_append_only",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="recordaccess", name="case"),
                migrations.RemoveField(model_name="recordaccess", name="child"),
                migrations.RemoveField(model_name="recordaccess", name="user"),
                migrations.RemoveField(model_name="restriction", name="case"),
                migrations.RemoveField(model_name="restriction", name="lifted_by"),
                migrations.RemoveField(model_name="restriction", name="named_users"),
                migrations.RemoveField(model_name="restriction", name="set_by"),
                migrations.RemoveField(model_name="unmasking", name="restriction"),
                migrations.RemoveField(model_name="unmasking", name="user"),
                migrations.DeleteModel(name="BreakGlassGrant"),
                migrations.DeleteModel(name="RecordAccess"),
                migrations.DeleteModel(name="Restriction"),
                migrations.DeleteModel(name="Unmasking"),
            ],
        ),
    ]
