"""Seal every stored secret again under the current ``SECRET_KEY``.

Run it after replacing ``SECRET_KEY`` (the old key still in ``SECRET_KEY_FALLBACKS``):
once it reports nothing unreadable, the old key can leave the fallbacks without making
an authenticator app or a webhook secret unreadable (docs/security.md, "Key management").
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from tac_portal.sealing import SEALED_COLUMNS, Unreadable, reseal


class Command(BaseCommand):
    help = "Seal authenticator-app keys and webhook secrets again under the current SECRET_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        unreadable = 0
        for label, field, purpose in SEALED_COLUMNS:
            model = apps.get_model(label)
            done = 0
            rows = model.objects.exclude(**{field: ""}).values_list("pk", field)
            for pk, sealed in rows.iterator():
                try:
                    again = reseal(sealed, purpose=purpose)
                except Unreadable:
                    unreadable += 1
                    continue
                # Only if unchanged meanwhile: a value sealed since is sealed right already.
                done += model.objects.filter(pk=pk, **{field: sealed}).update(**{field: again})
            self.stdout.write(f"{model._meta.verbose_name_plural}, {field}: {done} sealed again")
        if unreadable:
            raise CommandError(
                f"{unreadable} sealed values open with none of SECRET_KEY and "
                "SECRET_KEY_FALLBACKS: keep the key that sealed them among the fallbacks."
            )
