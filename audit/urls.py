from __future__ import annotations

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("access/", views.access_report, name="access_report"),
    path("access/report.csv", views.access_report_csv, name="access_report_csv"),
    path("cases/<int:case_pk>/access/", views.case_access_report, name="case_access"),
    path(
        "professionals/<int:user_pk>/access/",
        views.professional_access_report,
        name="professional_access",
    ),
    path("break-glass/", views.break_glass_list, name="break_glass_list"),
    path("break-glass/request/", views.break_glass_request, name="break_glass_request"),
    path("break-glass/<int:pk>/review/", views.break_glass_review, name="break_glass_review"),
    path("cases/<int:case_pk>/restrictions/", views.case_restrictions, name="case_restrictions"),
    path("restrictions/<int:pk>/review/", views.restriction_review, name="restriction_review"),
    path("restrictions/<int:pk>/show/", views.unmask, name="unmask"),
]
