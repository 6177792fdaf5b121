"""Partner API: a case's TAC meetings and plan actions (read-only for now).

Reached only through a visible case (``CaseScopedListView``). Future write:
``PATCH actions/{id}/`` will be an ``ApiView`` with ``required_scopes =
["actions:write"]`` and a ``StrictInputSerializer`` (status, note), finding the
action through a visible case, checking ``If-Match`` against the detail ETag and
calling ``meetings.services.update_action(...)``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from cases.api import AgencyRefSerializer, CaseScopedListView
from cases.sharing import ADDITIONAL
from meetings.models import Action, Meeting
from tac_portal.api.base import ApiModelSerializer


class MeetingSerializer(ApiModelSerializer):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "held_at",
            "minutes_published_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActionOwnerSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["professional", "family_member", "network"])
    name = serializers.CharField()
    agency = AgencyRefSerializer(allow_null=True)


class ActionSerializer(ApiModelSerializer):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "description",
            "status",
            "start_on",
            "due_on",
            "completed_at",
            "owner",
            "meeting",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ActionOwnerSerializer)
    def get_owner(self, action: Action) -> dict[str, Any]:
        agency = action.owner_agency
        if action.owner_professional is not None:
            kind, name = "professional", action.owner_professional.full_name
        elif action.owner_family_member is not None:
            kind, name = "family_member", action.owner_family_member.full_name
        else:
            kind, name = "network", action.owner_name
        return {
            "kind": kind,
            "name": name,
            "agency": {"id": agency.pk, "name": agency.name} if agency else None,
        }


@extend_schema(summary="The case's TAC meetings")
class CaseMeetingList(CaseScopedListView):
    """The case's TAC meetings."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()

    def get_queryset(self) -> QuerySet[Meeting]:
        return Meeting.objects.filter(case=self.case)


@extend_schema(
    summary="The case's plan actions",
    description="With additional information shared, every action of the plan; with basic "
    "information only, the actions your own agency owns.",
)
class CaseActionList(CaseScopedListView):
    """The case's plan actions."""

    serializer_class = ActionSerializer
    queryset = Action.objects.none()

    def get_queryset(self) -> QuerySet[Action]:
        actions = Action.objects.filter(case=self.case).select_related(
            "owner_professional", "owner_family_member", "owner_agency"
        )
        if self.level != ADDITIONAL:
            actions = actions.filter(owner_agency_id=self.viewer.agency_id)
        return actions
