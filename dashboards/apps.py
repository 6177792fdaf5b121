from __future__ import annotations

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"

    def ready(self) -> None:
        from cases.panels import MyWorkPanel, register_my_work_panel
        from dashboards.panels import caseload_summary

        register_my_work_panel(
            MyWorkPanel(
                key="caseload",
                order=10,
                template="dashboards/panels/caseload.html",
                context=caseload_summary,
            )
        )
