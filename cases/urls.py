from __future__ import annotations

from django.urls import path

from cases.views import (
    accounts,
    case_page,
    episode,
    journeys,
    level,
    people,
    records,
    review_date,
    team,
)

app_name = "cases"

urlpatterns = [
    path("", case_page.my_cases, name="my_cases"),
    path("<int:pk>/", case_page.case_detail, name="detail"),
    path("<int:pk>/history/", case_page.case_history, name="history"),
    path("<int:pk>/chronology/", case_page.case_chronology, name="chronology"),
    # The team around the child: who is on it, who was, and changing it.
    path("<int:pk>/team/", team.team, name="team"),
    path("<int:pk>/team/add-professional/", team.add_professional, name="team_add_professional"),
    path("<int:pk>/team/add-family-member/", team.add_family_member, name="team_add_family_member"),
    path(
        "<int:pk>/team/add-new-family-member/",
        team.add_new_family_member,
        name="team_add_new_family_member",
    ),
    path("<int:pk>/team/<int:membership_pk>/role/", team.member_role, name="team_member_role"),
    path("<int:pk>/team/<int:membership_pk>/end/", team.end_membership, name="team_member_end"),
    path(
        "<int:pk>/team/requests/<int:request_pk>/",
        team.decide_join_request,
        name="team_join_decision",
    ),
    path("<int:pk>/team/invite/", team.invite, name="team_invite"),
    path(
        "<int:pk>/team/invitations/<int:invitation_pk>/withdraw/",
        team.withdraw_invitation,
        name="team_invitation_withdraw",
    ),
    path("ask-to-join/", team.ask_to_join, name="ask_to_join"),
    path("account-requests/", accounts.account_requests, name="account_requests"),
    path("account-requests/<int:pk>/", accounts.account_request, name="account_request"),
    # Practitioner journeys.
    path("find-a-child/", journeys.find_child, name="find_child"),
    path("add-a-child/", journeys.add_child, name="add_child"),
    path("add-an-unborn-child/", records.add_unborn, name="add_unborn"),
    path("start/", journeys.start_case, name="start_case"),
    path("requests/<int:pk>/", journeys.request_sent, name="request_sent"),
    path("triage/", journeys.triage_queue, name="triage_queue"),
    path("triage/<int:pk>/", journeys.triage, name="triage"),
    path("<int:pk>/consent/", journeys.consent_new, name="consent_new"),
    path(
        "<int:pk>/consent/<int:consent_pk>/withdraw/",
        journeys.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<int:pk>/disclosures/", journeys.disclosures, name="disclosures"),
    path("<int:pk>/safeguarding-concern/", journeys.raise_concern, name="raise_concern"),
    path("<int:pk>/safeguarding-concern/<int:concern_pk>/", journeys.concern, name="concern"),
    # Episode steps: lead handover, step-up and its decision, closure, step-down in.
    path("<int:pk>/lead/handover/", episode.lead_handover, name="lead_handover"),
    path("<int:pk>/step-up/", episode.step_up_request, name="step_up_request"),
    path("<int:pk>/step-up/decision/", episode.step_up_decision, name="step_up_decision"),
    path("<int:pk>/close/", episode.closure, name="closure"),
    path("<int:pk>/stage/<str:to>/", episode.stage, name="stage"),
    path("step-down/", episode.step_down_in, name="step_down_in"),
    # The family's record: a child's details, the family's, the adults, a sibling.
    path("<int:pk>/children/<int:child_pk>/", people.child_details, name="child_details"),
    path("<int:pk>/children/add/", people.add_child_to_case, name="add_child_to_case"),
    path("<int:pk>/children/add-known/", people.add_known_child_to_case, name="add_known_child"),
    path("<int:pk>/children/add-unborn/", records.add_unborn_to_case, name="add_unborn_to_case"),
    path("<int:pk>/children/<int:child_pk>/birth/", records.birth, name="record_birth"),
    path("<int:pk>/children/<int:child_pk>/merge/", records.merge, name="merge_child"),
    path("<int:pk>/merges/<int:merge_pk>/undo/", records.merge_undo, name="merge_undo"),
    path("<int:pk>/family/", people.family_details, name="family_details"),
    path("<int:pk>/family/adults/add/", people.add_adult, name="add_adult"),
    path("<int:pk>/family/adults/<int:member_pk>/", people.change_adult, name="change_adult"),
    path(
        "<int:pk>/family/adults/<int:member_pk>/children/",
        people.relationship_to_child,
        name="relationship_to_child",
    ),
    # Moving the next review date, with a reason ("why late" when it is overdue).
    path("<int:pk>/review-date/", review_date.review_date, name="review_date"),
    path("<int:pk>/level-of-need/", level.level_of_need, name="level_of_need"),
]
