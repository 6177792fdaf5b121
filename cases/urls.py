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

# Episode steps: lead handover, step-up and its decision, closure, step-down in.
from cases import episode_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/lead/handover/", episode_views.lead_handover, name="lead_handover"),
    path("<int:pk>/step-up/", episode_views.step_up_request, name="step_up_request"),
    path("<int:pk>/step-up/decision/", episode_views.step_up_decision, name="step_up_decision"),
    path("<int:pk>/close/", episode_views.closure, name="closure"),
    path("step-down/", episode_views.step_down_in, name="step_down_in"),
]
