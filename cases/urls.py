from __future__ import annotations

from django.urls import path

from audit import views as audit_views
from cases import journey_views, views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("break-glass/", audit_views.break_glass_request, name="break_glass"),
    # Practitioner journeys.
    path("find-a-child/", journey_views.find_child, name="find_child"),
    path("add-a-child/", journey_views.add_child, name="add_child"),
    path("start/", journey_views.start_case, name="start_case"),
    path("requests/<int:pk>/", journey_views.request_sent, name="request_sent"),
    path("triage/", journey_views.triage_queue, name="triage_queue"),
    path("triage/<int:pk>/", journey_views.triage, name="triage"),
    path("<int:pk>/consent/", journey_views.consent_new, name="consent_new"),
    path(
        "<int:pk>/consent/<int:consent_pk>/withdraw/",
        journey_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/disclosures/", journey_views.disclosures, name="disclosures"),
    path("<int:pk>/safeguarding-concern/", journey_views.raise_concern, name="raise_concern"),
    path(
        "<int:pk>/safeguarding-concern/<int:concern_pk>/",
        journey_views.concern,
        name="concern",
    ),
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

# Moving the next review date, with a reason ("why late" when it is overdue).
from cases import review_date  # noqa: E402

urlpatterns += [path("<int:pk>/review-date/", review_date.review_date, name="review_date")]
