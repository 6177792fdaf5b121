"""Default reminder rules for actions, assessments, first meetings, restrictions,
break-glass grants and consent re-checks (editable in admin)."""

import datetime

from django.db import migrations

RULES = [
    # code, subject type, audience, offset in working days, title
    ("action.due_soon", "action.due", "owner", -3, "An action you own is due in {days} working days"),
    ("action.due", "action.due", "owner", 0, "An action you own is due today"),
    ("action.overdue", "action.due", "owner", 1, "An action you own is overdue"),
    ("action.overdue_lead", "action.due", "lead", 1, "An action in a plan you lead is overdue"),
    ("assessment.draft_stale", "assessment.draft", "owner", 15, "An assessment you started has been in draft for {days} working days"),
    ("first_tac.not_held", "case.first_tac", "lead", 15, "No first TAC meeting {days} working days after the assessment was completed"),
    ("restriction.review_due", "restriction.review", "owner", 0, "A restriction you set is due for review today"),
    ("break_glass.awaiting_review", "break_glass.review", "governance", 1, "An emergency access grant is awaiting review"),
    ("consent.recheck", "consent.recheck", "lead", 0, "Check the family's consent and sharing preferences"),
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
    dependencies = [("notifications", "0002_seed_review_rules")]

    operations = [migrations.RunPython(seed, unseed)]
