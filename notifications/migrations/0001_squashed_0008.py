"""Every migration of this app up to 0008, as one: the schema read from the models,
with indexes, constraints and triggers created with their tables, and the default
reminder rules.

A database that has the replaced migrations keeps them; a new database runs this one.
Keep the replaced files until every database has run them all.
"""

import datetime
from importlib import import_module

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tac_portal.migration_operations import CreateModels

# The replaced migrations that seed the rules; their functions run from their own modules.
RULES = [
    import_module(f"notifications.migrations.{name}")
    for name in ("0002_seed_review_rules", "0003_seed_further_rules", "0005_consent_age_rule")
]


class Migration(migrations.Migration):
    replaces = [
        ("notifications", "0001_initial"),
        ("notifications", "0002_seed_review_rules"),
        ("notifications", "0003_seed_further_rules"),
        ("notifications", "0004_audience_information_governance"),
        ("notifications", "0005_consent_age_rule"),
        ("notifications", "0006_outbox_for_every_email"),
        ("notifications", "0007_notification_case"),
        ("notifications", "0008_outbox_text_messages_and_notify"),
    ]

    initial = True

    dependencies = [
        ("agencies", "__first__"),
        ("cases", "0001_squashed_0027"),
    ]

    operations = [
        CreateModels(
            [
                migrations.CreateModel(
                    name="ReminderRule",
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
                            "code",
                            models.SlugField(
                                help_text="For example review.due_soon.", max_length=60, unique=True
                            ),
                        ),
                        ("subject_type", models.CharField(default="case.review", max_length=40)),
                        (
                            "audience",
                            models.CharField(
                                choices=[
                                    ("lead", "The lead professional"),
                                    ("lead_manager", "The lead professional's team managers"),
                                    ("coordinator", "The early help coordinators"),
                                    ("owner", "The owner of the action or item"),
                                    ("governance", "The information governance officers"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "offset_working_days",
                            models.SmallIntegerField(
                                help_text="Working days relative to the due date: -5 is five working days before, 0 the day itself (the working day before when it falls on a weekend or bank holiday), 15 three weeks after."
                            ),
                        ),
                        (
                            "send_time",
                            models.TimeField(
                                default=datetime.time(8, 0),
                                help_text="Local time on the day the reminder goes out.",
                            ),
                        ),
                        (
                            "title",
                            models.CharField(
                                help_text="Shown in the portal and as the email subject. Never put case details or names here. {days} is replaced by the number of working days.",
                                max_length=150,
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True)),
                    ],
                    options={
                        "ordering": ["subject_type", "offset_working_days", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
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
                            "email_frequency",
                            models.CharField(
                                choices=[
                                    ("immediate", "An email for each notification"),
                                    ("daily_digest", "One email a day listing new notifications"),
                                ],
                                default="immediate",
                                max_length=20,
                            ),
                        ),
                        (
                            "digest_hour",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "00:00"),
                                    (1, "01:00"),
                                    (2, "02:00"),
                                    (3, "03:00"),
                                    (4, "04:00"),
                                    (5, "05:00"),
                                    (6, "06:00"),
                                    (7, "07:00"),
                                    (8, "08:00"),
                                    (9, "09:00"),
                                    (10, "10:00"),
                                    (11, "11:00"),
                                    (12, "12:00"),
                                    (13, "13:00"),
                                    (14, "14:00"),
                                    (15, "15:00"),
                                    (16, "16:00"),
                                    (17, "17:00"),
                                    (18, "18:00"),
                                    (19, "19:00"),
                                    (20, "20:00"),
                                    (21, "21:00"),
                                    (22, "22:00"),
                                    (23, "23:00"),
                                ],
                                default=8,
                                help_text="Local hour the daily digest is sent.",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Reminder",
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
                        ("subject_type", models.CharField(max_length=40)),
                        ("subject_id", models.BigIntegerField()),
                        (
                            "due_on",
                            models.DateField(
                                help_text="The date the reminder is about (the review date)."
                            ),
                        ),
                        ("fire_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sent", "Sent"),
                                    ("cancelled", "Cancelled"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to="cases.case",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminders",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "rule",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="reminders",
                                to="notifications.reminderrule",
                            ),
                        ),
                    ],
                    options={
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status", "pending")),
                                fields=["fire_at"],
                                name="reminder_pending_fire_idx",
                            ),
                            models.Index(
                                condition=models.Q(("status", "pending")),
                                fields=["subject_type", "subject_id"],
                                name="reminder_pending_subject_idx",
                            ),
                            models.Index(
                                condition=models.Q(("status", "pending")),
                                fields=["case"],
                                name="reminder_pending_case_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=(
                                    "subject_type",
                                    "subject_id",
                                    "rule",
                                    "recipient",
                                    "due_on",
                                ),
                                name="reminder_unique_key",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
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
                        ("title", models.CharField(max_length=200)),
                        (
                            "case_label",
                            models.CharField(
                                blank=True,
                                help_text="The case it is about, by reference and the children's initials; never a name.",
                                max_length=120,
                            ),
                        ),
                        (
                            "link",
                            models.CharField(help_text="A path inside the portal.", max_length=300),
                        ),
                        ("created_at", models.DateTimeField()),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "awaiting_digest",
                            models.BooleanField(
                                default=False,
                                help_text="Emailed in the recipient's next daily digest.",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                help_text="The case it is about, if any: the notification centre groups by case.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.case",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "reminder",
                            models.OneToOneField(
                                blank=True,
                                help_text="Exactly one notification per reminder (unique).",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="notification",
                                to="notifications.reminder",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["recipient", "-created_at"],
                                name="notification_recipient_idx",
                            ),
                            models.Index(
                                condition=models.Q(("read_at__isnull", True)),
                                fields=["recipient"],
                                name="notification_unread_idx",
                            ),
                            models.Index(
                                condition=models.Q(("awaiting_digest", True)),
                                fields=["recipient"],
                                name="notification_digest_idx",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="EmailOutbox",
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
                                choices=[("email", "Email"), ("text", "Text message")],
                                db_default="email",
                                default="email",
                                max_length=10,
                            ),
                        ),
                        (
                            "to_address",
                            models.EmailField(
                                blank=True, help_text="An email's address.", max_length=254
                            ),
                        ),
                        (
                            "phone_number",
                            models.CharField(
                                blank=True,
                                db_default="",
                                help_text="A text message's mobile number.",
                                max_length=20,
                            ),
                        ),
                        (
                            "template",
                            models.CharField(
                                blank=True,
                                db_default="",
                                help_text="A text message's GOV.UK Notify template, by its name in TAC_NOTIFY_TEMPLATES.",
                                max_length=40,
                            ),
                        ),
                        (
                            "personalisation",
                            models.JSONField(
                                blank=True,
                                db_default=models.Value({}, output_field=models.JSONField()),
                                default=dict,
                                help_text="A text message's placeholders: a first name, a date, a time and a phone number, and nothing else (notifications.govuk_notify.TextMessage).",
                            ),
                        ),
                        ("subject", models.CharField(max_length=200)),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        (
                            "calendar",
                            models.TextField(
                                blank=True,
                                help_text="An iCalendar file, sent as a text/calendar part (invitations).",
                            ),
                        ),
                        (
                            "calendar_method",
                            models.CharField(
                                blank=True,
                                help_text="The iCalendar method: REQUEST or CANCEL.",
                                max_length=10,
                            ),
                        ),
                        (
                            "about_type",
                            models.CharField(
                                blank=True,
                                help_text="What the email is about, for the sender's page (e.g. meetings.invitation).",
                                max_length=40,
                            ),
                        ),
                        ("about_id", models.BigIntegerField(blank=True, null=True)),
                        (
                            "message_id",
                            models.CharField(
                                help_text="Stable per email, so a resend is recognisable.",
                                max_length=200,
                                unique=True,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("dead", "Could not be delivered"),
                                    ("cancelled", "Withdrawn before it was sent"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("next_attempt_at", models.DateTimeField()),
                        ("lease_until", models.DateTimeField(blank=True, null=True)),
                        (
                            "last_error",
                            models.CharField(
                                blank=True,
                                help_text="The exception class and SMTP reply code (or Notify's HTTP status) only, never the server's message.",
                                max_length=200,
                            ),
                        ),
                        (
                            "provider_id",
                            models.CharField(
                                blank=True,
                                db_default="",
                                help_text="GOV.UK Notify's ID for the message, once accepted.",
                                max_length=40,
                            ),
                        ),
                        ("created_at", models.DateTimeField()),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "recipient",
                            models.ForeignKey(
                                blank=True,
                                help_text="Empty for someone without an account (a family member, an external attendee).",
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "notification",
                            models.OneToOneField(
                                blank=True,
                                help_text="The in-app notification this email tells of; empty for a digest or for someone without an account.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="email",
                                to="notifications.notification",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "email in the outbox",
                        "verbose_name_plural": "email outbox",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status__in", ["pending", "sending"])),
                                fields=["next_attempt_at"],
                                name="outbox_unsent_idx",
                            ),
                            models.Index(
                                condition=models.Q(("status", "dead")),
                                fields=["status"],
                                name="outbox_dead_idx",
                            ),
                            models.Index(
                                condition=models.Q(("about_id__isnull", False)),
                                fields=["about_type", "about_id"],
                                name="outbox_about_idx",
                            ),
                        ],
                    },
                ),
            ]
        ),
        *(migrations.RunPython(rules.seed, rules.unseed) for rules in RULES),
    ]
