from __future__ import annotations

from django.urls import path

from dashboards import leaver_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.export_table, name="export"),
    path("list/<slug:kind>/", views.drilldown, name="drilldown"),
    path("list/<slug:kind>.csv", views.drilldown_csv, name="drilldown_csv"),
    path("late/review/<int:pk>/", views.review_late_reason, name="review_late_reason"),
    path("late/action/<int:pk>/", views.action_late_reason, name="action_late_reason"),
    path("leavers/", leaver_views.leaver_list, name="leavers"),
    path("leavers/<int:pk>/", leaver_views.leaver_caseload, name="leaver_caseload"),
    path("annex-a/", views.annex_a, name="annex_a"),
    path("annex-a/list-2.csv", views.annex_a_export, name="annex_a_export"),
]
