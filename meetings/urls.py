from __future__ import annotations

from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("case/<int:case_pk>/schedule/", views.schedule, name="schedule"),
    path("case/<int:case_pk>/review/", views.review_without_meeting, name="review"),
    path(
        "case/<int:case_pk>/reviews/<int:review_pk>/feedback/",
        views.family_feedback,
        name="feedback",
    ),
    path(
        "case/<int:case_pk>/reviews/<int:review_pk>/feedback/<int:pk>/stop-quoting/",
        views.stop_quoting_feedback,
        name="stop_quoting_feedback",
    ),
    path("case/<int:case_pk>/contribute/", views.add_contribution, name="contribute"),
    path("case/<int:case_pk>/discussions/new/", views.new_discussion, name="new_discussion"),
    path("discussions/<int:pk>/", views.discussion, name="discussion"),
    path("actions/<int:pk>/update/", views.update_action, name="update_action"),
    path("outcomes/<int:pk>/review/", views.review_outcome, name="review_outcome"),
    path("actions/<int:pk>/change/", views.change_action, name="change_action"),
    path("actions/<int:pk>/cancel/", views.cancel_action, name="cancel_action"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/written-update/", views.written_update, name="written_update"),
    path("<int:pk>/reply/<int:invitation_pk>/", views.respond, name="respond"),
    path("<int:pk>/family-copy/", views.family_copy, name="family_copy"),
    path("<int:pk>/run/", views.run, name="run"),
    path("<int:pk>/run/attendance/<int:invitation_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/run/text/<str:field>/", views.autosave_meeting, name="autosave"),
    path("<int:pk>/run/update/<int:invitation_pk>/", views.autosave_update, name="autosave_update"),
    path("<int:pk>/run/actions/<int:action_pk>/review/", views.review_action, name="review_action"),
    path("<int:pk>/run/actions/new/", views.add_action, name="add_action"),
    path("<int:pk>/run/outcomes/new/", views.add_outcome, name="add_outcome"),
    path("<int:pk>/run/decisions/new/", views.add_decision, name="add_decision"),
    path(
        "<int:pk>/run/decisions/<int:decision_pk>/dissent/", views.add_dissent, name="add_dissent"
    ),
    path("<int:pk>/run/lead/", views.agree_lead, name="agree_lead"),
    path("<int:pk>/run/next-review/", views.next_review, name="next_review"),
    path("<int:pk>/finish/", views.finish, name="finish"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
