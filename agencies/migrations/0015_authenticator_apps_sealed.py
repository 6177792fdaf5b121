"""Authenticator apps move from django-otp's TOTP devices, which keep the key in the
clear, to AuthenticatorApp, which keeps it sealed under the secret key. Each device
keeps its key, so the apps on people's phones carry on; a session verified with the old
device asks for a code once more."""

from binascii import hexlify, unhexlify

import agencies.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tac_portal.sealing import seal, unseal

# As agencies.models.AUTHENTICATOR_KEY_SEALED_AS when this was written.
PURPOSE = "tac-authenticator-keys"
KEPT = ("user_id", "name", "confirmed", "throttling_failure_timestamp",
        "throttling_failure_count", "step", "t0", "digits", "last_t")


def _move(old_model, new_model, key):
    for old in old_model.objects.all():
        new = new_model.objects.create(**{f: getattr(old, f) for f in KEPT}, **key(old))
        # created_at is set on insert: carry the original over afterwards.
        new_model.objects.filter(pk=new.pk).update(
            created_at=old.created_at, last_used_at=old.last_used_at
        )
    old_model.objects.all().delete()


def seal_keys(apps, schema_editor):
    _move(
        apps.get_model("otp_totp", "TOTPDevice"),
        apps.get_model("agencies", "AuthenticatorApp"),
        lambda device: {"sealed_key": seal(unhexlify(device.key), purpose=PURPOSE)},
    )


def unseal_keys(apps, schema_editor):
    _move(
        apps.get_model("agencies", "AuthenticatorApp"),
        apps.get_model("otp_totp", "TOTPDevice"),
        lambda app: {
            "key": hexlify(unseal(app.sealed_key, purpose=PURPOSE)).decode(),
            "tolerance": 0,
        },
    )


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0014_hashed_session_keys'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuthenticatorApp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='The human-readable name of this device.', max_length=64)),
                ('confirmed', models.BooleanField(default=True, help_text='Is this device ready for use?')),
                ('throttling_failure_timestamp', models.DateTimeField(blank=True, default=None, help_text='A timestamp of the last failed verification attempt. Null if last attempt succeeded.', null=True)),
                ('throttling_failure_count', models.PositiveIntegerField(default=0, help_text='Number of successive failed attempts.')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='The date and time when this device was initially created in the system.', null=True)),
                ('last_used_at', models.DateTimeField(blank=True, help_text='The most recent date and time this device was used.', null=True)),
                ('sealed_key', models.CharField(default=agencies.models._new_sealed_authenticator_key, editable=False, help_text='The 160-bit TOTP key, sealed under the secret key.', max_length=200)),
                ('step', models.PositiveSmallIntegerField(default=30, help_text='Seconds each code lasts.')),
                ('t0', models.BigIntegerField(default=0, help_text='Unix time of step 0.')),
                ('digits', models.PositiveSmallIntegerField(default=6)),
                ('last_t', models.BigIntegerField(default=-1, help_text='The step of the last code accepted; the next must be later.')),
                ('user', models.ForeignKey(help_text='The user that this device belongs to.', on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'authenticator app',
                'abstract': False,
            },
        ),
        migrations.RunPython(seal_keys, unseal_keys),
    ]
