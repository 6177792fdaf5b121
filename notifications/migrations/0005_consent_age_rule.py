"""The consent re-check when a subject child reaches 12 or 16 (editable in admin)."""

import datetime

from django.db import migrations

RULES = [
    ("consent.age", "consent.age", "lead", 0, "A child in a case you lead has reached an age to re-check consent"),
]


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for code, subject_type, audience, offset, title in RULES:
        ReminderRule.objects.update_or_create(
            code=code,
            defaults={
                "subject_type": subject_type,
                "audience": audience,
                "offset_working_days": offset,
                "send_time": datetime.time(8, 0),
                "title": title,
            },
        )


def unseed(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    ReminderRule.objects.filter(code__in=[r[0] for r in RULES], reminders__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_audience_information_governance")]

    operations = [migrations.RunPython(seed, unseed)]
