from __future__ import annotations

from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("start/<int:case_pk>/<int:child_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sections/<slug:key>/", views.section, name="section"),
    path("<int:pk>/sections/<slug:key>/save/", views.save_section, name="save_section"),
    path("<int:pk>/elements/<slug:code>/save/", views.save_element, name="save_element"),
    path("<int:pk>/views/<str:who>/save/", views.save_view, name="save_view"),
    path("<int:pk>/consent/<slug:stage>/", views.record_consent, name="record_consent"),
    path("<int:pk>/awaiting-consent/", views.awaiting_consent, name="awaiting_consent"),
    path("<int:pk>/begin/", views.begin, name="begin"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/abandon/", views.abandon, name="abandon"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("<int:pk>/family-copy/", views.family_copy, name="family_copy"),
    path("<int:pk>/family-copy/print/", views.family_copy_print, name="family_copy_print"),
    path("<int:pk>/family-copy/given/", views.family_copy_given, name="family_copy_given"),
]
