"""Partner API: assessments' status and dates, where the family shares additional information.

An assessment is about a child's needs, so it is additional information (DOMAIN
§6.1): an agency the family shares only basic information with gets a 404 for
it and an empty list, exactly as for an assessment that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from assessments.models import Assessment
from cases.api.base import CASES_READ, CaseDataDetailView, CaseScopedListView
from cases.sharing import ADDITIONAL, information_levels
from tac_portal.api.problems import NOT_FOUND_DETAIL
from tac_portal.api.serializers import ApiModelSerializer
from tac_portal.api.views import get_object_or_404


class TemplateRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()


class AssessmentSerializer(ApiModelSerializer):
    template = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "child",
            "template",
            "status",
            "started_at",
            "shared_with_family_at",
            "completed_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(TemplateRefSerializer)
    def get_template(self, assessment: Assessment) -> dict[str, Any]:
        t = assessment.template
        return {"code": t.code, "version": t.version, "name": t.name}


@extend_schema(summary="One assessment's status and dates")
class AssessmentDetail(CaseDataDetailView):
    """One assessment's status and dates."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()
    required_scopes = [CASES_READ]

    def get_object(self) -> Assessment:
        visible = Assessment.objects.filter(case__in=self.viewer.reachable_cases())
        assessment: Assessment = get_object_or_404(
            visible.select_related("template"), pk=self.kwargs["pk"]
        )
        level = information_levels([assessment.case_id], self.viewer.agency_id)
        if level[assessment.case_id] != ADDITIONAL:
            # Not shared with this agency: exactly like a missing assessment.
            raise NotFound(NOT_FOUND_DETAIL)
        return assessment

    def shown_records(self, objects: Sequence[Assessment]) -> Iterable[tuple[int, int | None]]:
        return [(a.child_id, a.case_id) for a in objects]


@extend_schema(summary="The case's assessments (status and dates)")
class CaseAssessmentList(CaseScopedListView):
    """The case's assessments (status and dates)."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    def get_queryset(self) -> QuerySet[Assessment]:
        if self.level != ADDITIONAL:
            return Assessment.objects.none()
        return Assessment.objects.filter(case=self.case).select_related("template")
