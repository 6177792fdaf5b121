from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_join_invited_teams, dispatch_uid="cases.join_invited_teams")


def _join_invited_teams(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Someone invited to a team before they had an account joins it when they sign in."""
    from cases.services.invitations import join_invited_teams

    join_invited_teams(user)
