from django.db import migrations

# ASVS 6.5.5: a code from the authenticator app works for its own 30-second step only.
# django-otp's TOTP devices accept one step either side by default (a code then lasts 90
# seconds); every device is set to accept none, and the database refuses any other value,
# whichever way a device is made (the portal's enrolment page, the configuration site, a
# shell).
CONSTRAINT = "otp_totp_totpdevice_tolerance_zero"


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0009_hashed_backup_codes"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "UPDATE otp_totp_totpdevice SET tolerance = 0 WHERE tolerance <> 0",
                f"ALTER TABLE otp_totp_totpdevice ADD CONSTRAINT {CONSTRAINT} "
                "CHECK (tolerance = 0)",
            ],
            reverse_sql=[f"ALTER TABLE otp_totp_totpdevice DROP CONSTRAINT {CONSTRAINT}"],
        ),
    ]
