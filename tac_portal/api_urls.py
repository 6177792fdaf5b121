"""The partner REST API under /api/v1/ (issue: partner REST API).

Reads, and writes, each a small view calling the service the portal's own pages call:
``POST referrals/`` (``cases.services.requests.refer_children``), ``PATCH actions/<id>/``
(``meetings.services.plan.update_action``), ``POST cases/<id>/contributions/``
(``meetings.services.contributions.add_contribution``) and ``PATCH invitations/<id>/``
(``meetings.services.scheduling.record_response``).
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from agencies import api as agencies_api
from assessments import api as assessments_api
from cases.api import referrals, resources
from documents import api as documents_api
from meetings import api as meetings_api
from tac_portal.api.problems import not_found
from tac_portal.api.views import api_docs

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("children/", resources.ChildList.as_view(), name="child-list"),
    path("children/<int:pk>/", resources.ChildDetail.as_view(), name="child-detail"),
    path("cases/", resources.CaseList.as_view(), name="case-list"),
    path("cases/<int:pk>/", resources.CaseDetail.as_view(), name="case-detail"),
    path("cases/<int:case_pk>/team/", resources.CaseTeamList.as_view(), name="case-team"),
    path(
        "cases/<int:case_pk>/actions/", meetings_api.CaseActionList.as_view(), name="case-actions"
    ),
    path(
        "cases/<int:case_pk>/meetings/",
        meetings_api.CaseMeetingList.as_view(),
        name="case-meetings",
    ),
    path(
        "cases/<int:case_pk>/contributions/",
        meetings_api.CaseContributionCreate.as_view(),
        name="case-contributions",
    ),
    path(
        "cases/<int:case_pk>/assessments/",
        assessments_api.CaseAssessmentList.as_view(),
        name="case-assessments",
    ),
    path(
        "cases/<int:case_pk>/documents/",
        documents_api.CaseDocumentList.as_view(),
        name="case-documents",
    ),
    path("documents/<int:pk>/file/", documents_api.DocumentFile.as_view(), name="document-file"),
    path(
        "assessments/<int:pk>/",
        assessments_api.AssessmentDetail.as_view(),
        name="assessment-detail",
    ),
    path("referrals/", referrals.ReferralCreate.as_view(), name="referral-create"),
    path("referrals/<int:pk>/", referrals.ReferralDetail.as_view(), name="referral-detail"),
    path("actions/<int:pk>/", meetings_api.ActionDetail.as_view(), name="action-detail"),
    path(
        "invitations/<int:pk>/",
        meetings_api.InvitationDetail.as_view(),
        name="invitation-detail",
    ),
    path("agencies/", agencies_api.AgencyList.as_view(), name="agency-list"),
    path("agencies/<int:pk>/", agencies_api.AgencyDetail.as_view(), name="agency-detail"),
    path("agency-kinds/", agencies_api.AgencyKindList.as_view(), name="agency-kinds"),
    path("levels-of-need/", resources.LevelOfNeedList.as_view(), name="levels-of-need"),
    path("closure-reasons/", resources.ClosureReasonList.as_view(), name="closure-reasons"),
    path("ethnicity-codes/", resources.EthnicityCodeList.as_view(), name="ethnicity-codes"),
    # The description of the API holds no personal data: anyone may read it.
    path(
        "schema/",
        # The OpenAPI schema is public by design: it describes, it holds no data.
        SpectacularAPIView.as_view(
            permission_classes=[AllowAny],  # nosemgrep
            authentication_classes=[],
        ),
        name="schema",
    ),
    path("docs/", api_docs, name="docs"),
    re_path(r"^(?P<path>.*)$", not_found, name="not-found"),
]
