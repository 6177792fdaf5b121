"""Every migration of this app up to 0004, as one. The access records they made moved to
``cases`` (its migration 0010), so nothing is left to create.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

from django.db import migrations


class Migration(migrations.Migration):
    replaces = [
        ("audit", "0001_initial"),
        ("audit", "0002_breakglassgrant"),
        ("audit", "0003_restrictions"),
        ("audit", "0004_access_records_to_cases"),
    ]

    initial = True

    dependencies = []

    operations = []
