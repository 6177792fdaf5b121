from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from cases import (
            episode_panels,  # noqa: F401
            voice_panel,  # noqa: F401
        )
