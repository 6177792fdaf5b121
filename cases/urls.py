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
