"""Partner API: agencies and agency kinds with their CIN referral-source codes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from agencies.models import CIN_SOURCE_CODES, Agency, AgencyKind
from tac_portal.api.serializers import ApiModelSerializer
from tac_portal.api.views import ApiDetailView, ApiListView, ReferenceListView

REFERENCE_READ = "reference:read"


class AgencySerializer(ApiModelSerializer):
    # Blank when not known, so not typed as an email address.
    email = serializers.CharField(read_only=True, help_text="Empty when not known.")

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "kind",
            "cin_source_code",
            "school_urn",
            "ods_code",
            "locality",
            "phone",
            "email",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields


class AgencyKindSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    cin_source_code = serializers.CharField(help_text="Children in Need census referral source.")


@extend_schema(summary="Agencies (inactive ones too, so that a sync sees them go)")
class AgencyList(ApiListView):
    """Agencies (inactive ones too, so that a sync sees them go)."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.none()
    required_scopes = [REFERENCE_READ]

    def get_queryset(self) -> QuerySet[Agency]:
        return Agency.objects.all()


@extend_schema(summary="One agency")
class AgencyDetail(ApiDetailView):
    """One agency."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.all()
    required_scopes = [REFERENCE_READ]


@extend_schema(summary="Agency kinds with their CIN referral-source codes")
class AgencyKindList(ReferenceListView):
    """Agency kinds with their CIN referral-source codes."""

    serializer_class = AgencyKindSerializer
    required_scopes = [REFERENCE_READ]

    def entries(self) -> list[Any]:
        return [
            {"code": k.value, "label": k.label, "cin_source_code": CIN_SOURCE_CODES[k]}
            for k in AgencyKind
        ]
