"""The default review reminder ladder (the issue's defaults; editable in admin)."""

import datetime

from django.db import migrations

REVIEW_RULES = [
    # code, audience, offset in working days, title
    ("review.due_soon", "lead", -5, "A case review is due in {days} working days"),
    ("review.due", "lead", 0, "A case review is due today"),
    ("review.overdue", "lead", 5, "A case review is {days} working days overdue"),
    ("review.overdue_manager", "lead_manager", 5, "A case review in your team is {days} working days overdue"),
    ("review.overdue_coordinator", "coordinator", 15, "A case review is {days} working days overdue"),
]


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for code, audience, offset, title in REVIEW_RULES:
        ReminderRule.objects.update_or_create(
            code=code,
            defaults={
                "subject_type": "case.review",
                "audience": audience,
                "offset_working_days": offset,
                "send_time": datetime.time(8, 0),
                "title": title,
                "is_active": True,
            },
        )


def unseed(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    ReminderRule.objects.filter(code__in=[r[0] for r in REVIEW_RULES], reminders__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
