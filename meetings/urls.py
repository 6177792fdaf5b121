from __future__ import annotations

from django.urls import path

from meetings.views import case_lists, meeting_mode, plan, reviews, scheduling

app_name = "meetings"

urlpatterns = [
    path("case/<int:case_pk>/schedule/", scheduling.schedule, name="schedule"),
    path("case/<int:case_pk>/review/", reviews.review_without_meeting, name="review"),
    path(
        "case/<int:case_pk>/reviews/<int:review_pk>/feedback/",
        reviews.family_feedback,
        name="feedback",
    ),
    path(
        "case/<int:case_pk>/reviews/<int:review_pk>/feedback/<int:pk>/stop-quoting/",
        reviews.stop_quoting_feedback,
        name="stop_quoting_feedback",
    ),
    path("case/<int:case_pk>/contribute/", reviews.add_contribution, name="contribute"),
    path("case/<int:case_pk>/contributions/", case_lists.case_contributions, name="contributions"),
    path("case/<int:case_pk>/plan/", case_lists.case_plan, name="case_plan"),
    path("case/<int:case_pk>/discussions/new/", reviews.new_discussion, name="new_discussion"),
    path("discussions/<int:pk>/", reviews.discussion, name="discussion"),
    path("actions/<int:pk>/update/", plan.update_action, name="update_action"),
    path("outcomes/<int:pk>/review/", plan.review_outcome, name="review_outcome"),
    path("actions/<int:pk>/change/", plan.change_action, name="change_action"),
    path("actions/<int:pk>/cancel/", plan.cancel_action, name="cancel_action"),
    path("<int:pk>/", scheduling.detail, name="detail"),
    path("<int:pk>/reschedule/", scheduling.reschedule, name="reschedule"),
    path("<int:pk>/invite/", scheduling.invite, name="invite"),
    path("<int:pk>/cancel/", scheduling.cancel, name="cancel"),
    path("<int:pk>/written-update/", scheduling.written_update, name="written_update"),
    path("<int:pk>/reply/<int:invitation_pk>/", scheduling.respond, name="respond"),
    path("<int:pk>/family-copy/", scheduling.family_copy, name="family_copy"),
    path("<int:pk>/run/", meeting_mode.run, name="run"),
    path(
        "<int:pk>/run/attendance/<int:invitation_pk>/", meeting_mode.attendance, name="attendance"
    ),
    path("<int:pk>/run/text/<str:field>/", meeting_mode.autosave_meeting, name="autosave"),
    path(
        "<int:pk>/run/update/<int:invitation_pk>/",
        meeting_mode.autosave_update,
        name="autosave_update",
    ),
    path(
        "<int:pk>/run/actions/<int:action_pk>/review/",
        meeting_mode.review_action,
        name="review_action",
    ),
    path("<int:pk>/run/actions/new/", meeting_mode.add_action, name="add_action"),
    path("<int:pk>/run/outcomes/new/", meeting_mode.add_outcome, name="add_outcome"),
    path("<int:pk>/run/decisions/new/", meeting_mode.add_decision, name="add_decision"),
    path(
        "<int:pk>/run/decisions/<int:decision_pk>/dissent/",
        meeting_mode.add_dissent,
        name="add_dissent",
    ),
    path("<int:pk>/run/lead/", meeting_mode.agree_lead, name="agree_lead"),
    path("<int:pk>/run/next-review/", meeting_mode.next_review, name="next_review"),
    path("<int:pk>/finish/", meeting_mode.finish, name="finish"),
    path("<int:pk>/publish/", meeting_mode.publish, name="publish"),
]
