from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional authority for ``make run`` and the benchmarks; it has no models."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
