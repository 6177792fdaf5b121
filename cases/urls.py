from __future__ import annotations

from django.urls import path

from audit import views as audit_views
from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("break-glass/", audit_views.break_glass_request, name="break_glass"),
]
