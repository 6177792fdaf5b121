"""Partner API: a case's TAC meetings and plan actions.

Reached only through a visible case. ``PATCH actions/{id}/`` records progress on
an action through ``meetings.services.update_action``: a partner client may
update the actions a professional of its agency owns (as that professional, the
change history naming the client); a professional's session, what the service
lets them update (their own actions, or any as the lead professional).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.api_writes import check_if_match, history_context, validation_problem
from cases.api.base import CASES_READ, CaseDataDetailView, CaseScopedListView
from cases.api.resources import AgencyRefSerializer
from cases.models import CaseSubject
from cases.sharing import ADDITIONAL, information_levels
from meetings.models import Action, Meeting
from meetings.services.plan import update_action
from tac_portal.api.problems import NOT_FOUND_DETAIL
from tac_portal.api.serializers import ApiModelSerializer, StrictInputSerializer
from tac_portal.api.views import _etag, get_object_or_404

ACTIONS_WRITE = "actions:write"


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
            "child",
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


class ActionUpdateInputSerializer(StrictInputSerializer):
    """Progress on an action: a new status, a progress note, or both."""

    id = serializers.IntegerField(read_only=True)
    description = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    owner = serializers.JSONField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    status = serializers.ChoiceField(choices=Action.Status.choices, required=False)
    progress_note = serializers.CharField(
        max_length=5000, allow_blank=True, default="", help_text="Added to the action's updates."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "status" not in attrs and not attrs["progress_note"].strip():
            raise serializers.ValidationError(
                {"progress_note": ["Write a progress note, or give a new status."]}
            )
        return attrs


ACTION_EXAMPLE = {
    "id": 812,
    "description": "Daily check-in at the school gate for the first half-term",
    "status": "in_progress",
    "start_on": "2026-02-10",
    "due_on": "2026-04-01",
    "completed_at": None,
    "owner": {
        "kind": "professional",
        "name": "Sam School",
        "agency": {"id": 7, "name": "Riverside Primary"},
    },
    "meeting": 55,
    "created_at": "2026-02-09T15:30:00Z",
    "updated_at": "2026-03-02T08:45:10.201000Z",
}


@extend_schema(
    summary="One plan action",
    examples=[OpenApiExample("An action", value=ACTION_EXAMPLE, response_only=True)],
)
class ActionDetail(CaseDataDetailView):
    """One plan action; ``PATCH`` records progress on it."""

    serializer_class = ActionSerializer
    queryset = Action.objects.none()
    required_scopes = [CASES_READ]
    method_scopes = {"PATCH": [ACTIONS_WRITE]}

    def _actions(self) -> QuerySet[Action]:
        viewer = self.viewer
        actions = Action.objects.filter(case__in=viewer.reachable_cases()).select_related(
            "owner_professional", "owner_family_member", "owner_agency", "case"
        )
        if viewer.client is not None and self.request.method == "PATCH":
            # A partner system updates only what its own agency's professionals own.
            return actions.filter(owner_professional__agency_id=viewer.client.agency_id)
        return actions

    def get_object(self) -> Action:
        action: Action = get_object_or_404(self._actions(), pk=self.kwargs["pk"])
        if self.request.method == "GET":
            # As in the case's action list: others' actions need additional information.
            level = information_levels([action.case_id], self.viewer.agency_id)[action.case_id]
            if level != ADDITIONAL and action.owner_agency_id != self.viewer.agency_id:
                raise NotFound(NOT_FOUND_DETAIL)
        return action

    def shown_records(self, objects: Sequence[Action]) -> Iterable[tuple[int, int | None]]:
        case_ids = {a.case_id for a in objects}
        return list(
            CaseSubject.objects.filter(case_id__in=case_ids)
            .order_by("child_id")
            .values_list("child_id", "case_id")
        )

    @extend_schema(
        summary="Record progress on an action your agency owns",
        description="A new `status`, a `progress_note` (added to the action's updates), or "
        "both. Send the `ETag` you read as `If-Match`: if the action changed since, the "
        "answer is 412 and nothing is saved.",
        request=ActionUpdateInputSerializer,
        responses={200: ActionSerializer},
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The ETag of the version you read.",
            )
        ],
        examples=[
            OpenApiExample(
                "Done, with a note",
                value={"status": "done", "progress_note": "Attendance back to 96%."},
                request_only=True,
            ),
            OpenApiExample("The updated action", value=ACTION_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action = self.get_object()
        serializer = ActionUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        viewer = self.viewer
        # A partner client acts as the owning professional; the history names the client.
        by = viewer.user if viewer.user is not None else action.owner_professional
        assert by is not None  # noqa: S101  (_actions() keeps only professionals' actions)
        with transaction.atomic(), history_context(request):
            # Locked, then compared: no one can change it between the check and the write.
            Action.objects.select_for_update().filter(pk=action.pk).exists()
            action = self._actions().get(pk=action.pk)
            check_if_match(request, _etag(JSONRenderer().render(ActionSerializer(action).data)))
            try:
                updated = update_action(
                    action, by=by, status=data.get("status"), progress_note=data["progress_note"]
                )
            except DjangoValidationError as exc:
                raise validation_problem(exc) from None
        fresh = self._actions().get(pk=updated.pk)
        body = ActionSerializer(fresh).data
        self.log_access([fresh])
        response = Response(body)
        response["ETag"] = _etag(JSONRenderer().render(body))
        return response
