from __future__ import annotations

from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agencies"

    def ready(self) -> None:
        # Signal receivers are connected once the app registry is ready (Django's way).
        from agencies import security, session_store  # noqa: F401  # receivers

        security.connect_axes_signals()
