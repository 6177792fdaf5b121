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
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.api_writes import (
    IDEMPOTENCY_KEY_PARAMETER,
    IF_MATCH_PARAMETER,
    expected_version,
    history_context,
    idempotent,
    stale_problem,
    validation_problem,
    version_etag,
)
from agencies.models import User
from cases.access import agency_members_on_team, ensure_can_contribute, partner_may_act_for
from cases.api.base import CASES_READ, CaseDataDetailView, CaseDataView, CaseScopedListView
from cases.api.resources import AgencyRefSerializer
from cases.models import Case, CaseSubject
from cases.sharing import ADDITIONAL, information_levels
from meetings.models import Action, Contribution, Invitation, Meeting
from meetings.services.common import can_run_meeting
from meetings.services.contributions import add_contribution
from meetings.services.plan import can_update_action, update_action
from meetings.services.scheduling import record_response
from tac_portal.api.problems import NOT_FOUND_DETAIL
from tac_portal.api.serializers import (
    ApiModelSerializer,
    StrictInputSerializer,
    UtcDateTimeField,
)
from tac_portal.api.views import get_object_or_404
from tac_portal.concurrency import StaleEdit
from tac_portal.forms import FREE_TEXT_MAX_LENGTH

ACTIONS_WRITE = "actions:write"
CONTRIBUTIONS_WRITE = "contributions:write"
MEETINGS_WRITE = "meetings:write"

MSG_NOT_UPDATING = "Only the action's owner or the lead professional can update it."
MSG_NOT_REPLYING = "Only the person invited, or whoever runs the meeting, can reply."


class StaffInvitationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="For GET and PATCH invitations/{id}/.")
    name = serializers.CharField()
    response = serializers.ChoiceField(choices=Invitation.Response.choices)
    attendance = serializers.ChoiceField(choices=Invitation.Attendance.choices)


class MeetingSerializer(ApiModelSerializer):
    invitations = serializers.SerializerMethodField(
        help_text="The invitations of your own agency's staff (their replies)."
    )

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
            "invitations",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(StaffInvitationSerializer(many=True))
    def get_invitations(self, meeting: Meeting) -> list[dict[str, Any]]:
        return [
            {"id": i.pk, "name": i.name, "response": i.response, "attendance": i.attendance}
            for i in getattr(meeting, "staff_invitations", [])
        ]


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
        agency_id = self.viewer.agency_id
        staff = (
            Invitation.objects.filter(professional__agency_id=agency_id)
            if agency_id is not None
            else Invitation.objects.none()
        )
        return Meeting.objects.filter(case=self.case).prefetch_related(
            Prefetch("invitations", queryset=staff, to_attr="staff_invitations")
        )


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

    def etag_of(self, obj: Action, data: Any) -> str:
        return version_etag(obj.version)

    def acting_professional(self, action: Action) -> User:
        """Who the update is recorded as: the caller, or for a partner system the
        professional of its agency who owns the action."""
        viewer = self.viewer
        if viewer.user is not None:
            # As on the action's page: refused before anything is read from the body.
            if not can_update_action(viewer.user, action):
                raise PermissionDenied(MSG_NOT_UPDATING)
            return viewer.user
        owner = action.owner_professional
        if viewer.client is None or owner is None or not partner_may_act_for(viewer.client, owner):
            raise NotFound(NOT_FOUND_DETAIL)
        return owner

    @extend_schema(
        summary="Record progress on an action your agency owns",
        description="A new `status`, a `progress_note` (added to the action's updates), or "
        "both. Send the `ETag` you read as `If-Match` (required): if the action changed "
        "since, the answer is 412, naming its current version, and nothing is saved. Send "
        "an `Idempotency-Key` so that a retry after a lost answer adds no second note.",
        request=ActionUpdateInputSerializer,
        responses={200: ActionSerializer},
        parameters=[IF_MATCH_PARAMETER, IDEMPOTENCY_KEY_PARAMETER],
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
        by = self.acting_professional(action)
        return idempotent(request, lambda: self.update(action, by))

    def update(self, action: Action, by: User) -> Response:
        serializer = ActionUpdateInputSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        expected = expected_version(self.request, action.version)
        with history_context(self.request):
            try:
                updated = update_action(
                    action,
                    by=by,
                    status=data.get("status"),
                    progress_note=data["progress_note"],
                    expected_version=expected,
                )
            except StaleEdit:
                raise stale_problem(Action.objects.get(pk=action.pk).version) from None
            except DjangoValidationError as exc:
                raise validation_problem(exc) from None
        fresh = self._actions().get(pk=updated.pk)
        body = ActionSerializer(fresh).data
        self.log_access([fresh])
        response = Response(body)
        response["ETag"] = version_etag(fresh.version)
        return response


# --- Meeting invitations: attending or apologies ------------------------------------------


class InvitationSerializer(ApiModelSerializer):
    responded_at = UtcDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "meeting", "name", "agency", "response", "responded_at", "attendance"]
        read_only_fields = fields
        extra_kwargs = {
            "name": {"help_text": "The professional invited, as invited."},
            "agency": {"help_text": "Their role and agency, as invited."},
            "attendance": {"help_text": "Recorded at the meeting by whoever runs it."},
        }


#: What a reply may say (the meeting page's choices): not "awaiting".
REPLY_CHOICES = [
    (Invitation.Response.ATTENDING.value, "Attending"),
    (Invitation.Response.APOLOGIES.value, "Sending apologies"),
]


class InvitationUpdateInputSerializer(StrictInputSerializer):
    """A reply to a meeting invitation for one of your agency's staff."""

    id = serializers.IntegerField(read_only=True)
    meeting = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    agency = serializers.CharField(read_only=True)
    responded_at = serializers.DateTimeField(read_only=True)
    attendance = serializers.CharField(read_only=True)
    response = serializers.ChoiceField(choices=REPLY_CHOICES)


INVITATION_EXAMPLE = {
    "id": 1207,
    "meeting": 55,
    "name": "Sam School",
    "agency": "Attendance lead, Riverside Primary",
    "response": "apologies",
    "responded_at": "2026-03-03T08:02:11Z",
    "attendance": "unknown",
}


@extend_schema(
    summary="A meeting invitation of one of your agency's staff",
    description="The ids come from the case's meetings (`GET cases/{id}/meetings/`, "
    "`invitations`). Only your own agency's staff's invitations are here.",
    examples=[OpenApiExample("An invitation", value=INVITATION_EXAMPLE, response_only=True)],
)
class InvitationDetail(CaseDataDetailView):
    """A meeting invitation of one of your agency's staff; ``PATCH`` records the reply."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()
    required_scopes = [CASES_READ]
    method_scopes = {"PATCH": [MEETINGS_WRITE]}

    def _invitations(self) -> QuerySet[Invitation]:
        viewer = self.viewer
        if viewer.agency_id is None:
            return Invitation.objects.none()
        return Invitation.objects.filter(
            meeting__case__in=viewer.reachable_cases(),
            professional__agency_id=viewer.agency_id,
        ).select_related("meeting__case", "professional__agency")

    def get_object(self) -> Invitation:
        invitation: Invitation = get_object_or_404(self._invitations(), pk=self.kwargs["pk"])
        return invitation

    def etag_of(self, obj: Invitation, data: Any) -> str:
        return version_etag(obj.version)

    def shown_records(self, objects: Sequence[Invitation]) -> Iterable[tuple[int, int | None]]:
        case_ids = {i.meeting.case_id for i in objects}
        return list(
            CaseSubject.objects.filter(case_id__in=case_ids)
            .order_by("child_id")
            .values_list("child_id", "case_id")
        )

    def acting_professional(self, invitation: Invitation) -> User:
        viewer = self.viewer
        if viewer.user is not None:
            if invitation.professional_id != viewer.user.pk and not can_run_meeting(
                viewer.user, invitation.meeting
            ):
                raise PermissionDenied(MSG_NOT_REPLYING)
            return viewer.user
        invited = invitation.professional
        if viewer.client is None or not partner_may_act_for(viewer.client, invited):
            raise NotFound(NOT_FOUND_DETAIL)
        assert invited is not None  # noqa: S101  (partner_may_act_for refuses None)
        return invited

    @extend_schema(
        summary="Record that one of your agency's staff is attending or sends apologies",
        description="`response` is `attending` or `apologies`, recorded as the reply of the "
        "professional invited. Send the `ETag` you read as `If-Match` (required): a reply "
        "recorded since answers 412, naming the current version. Send an `Idempotency-Key` "
        "so that a retry is answered, not repeated.",
        request=InvitationUpdateInputSerializer,
        responses={200: InvitationSerializer},
        parameters=[IF_MATCH_PARAMETER, IDEMPOTENCY_KEY_PARAMETER],
        examples=[
            OpenApiExample("Apologies", value={"response": "apologies"}, request_only=True),
            OpenApiExample("The reply recorded", value=INVITATION_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invitation = self.get_object()
        by = self.acting_professional(invitation)
        return idempotent(request, lambda: self.reply(invitation, by))

    def reply(self, invitation: Invitation, by: User) -> Response:
        serializer = InvitationUpdateInputSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        expected = expected_version(self.request, invitation.version)
        with history_context(self.request):
            try:
                record_response(
                    invitation,
                    by=by,
                    response=serializer.validated_data["response"],
                    expected_version=expected,
                )
            except StaleEdit:
                raise stale_problem(Invitation.objects.get(pk=invitation.pk).version) from None
            except DjangoValidationError as exc:
                raise validation_problem(exc) from None
        fresh = self._invitations().get(pk=invitation.pk)
        body = InvitationSerializer(fresh).data
        self.log_access([fresh])
        response = Response(body)
        response["ETag"] = version_etag(fresh.version)
        return response


# --- Contributions ------------------------------------------------------------------------


class ContributionInputSerializer(StrictInputSerializer):
    """A contribution to the case's contribution stream (DOMAIN §9.2 C)."""

    id = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    author = serializers.JSONField(read_only=True)
    body = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH)
    team_member = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="Who from your agency wrote it: their id in GET cases/{id}/team/. Needed "
        "when more than one person from your agency is on the team.",
    )
    meeting = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="A meeting of this case (GET cases/{id}/meetings/): a written update "
        "for it, read out with equal weight.",
    )


class ContributionAuthorSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    role = serializers.CharField(help_text="As it was when written.")
    agency = serializers.CharField(help_text="As it was when written.")


class ContributionSerializer(ApiModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = ["id", "case", "meeting", "author", "body", "created_at"]
        read_only_fields = fields

    @extend_schema_field(ContributionAuthorSerializer)
    def get_author(self, contribution: Contribution) -> dict[str, Any]:
        return {
            "name": contribution.author.full_name,
            "role": contribution.author_role,
            "agency": contribution.author_agency,
        }


CONTRIBUTION_EXAMPLE = {
    "id": 3071,
    "case": 4211,
    "meeting": None,
    "author": {
        "name": "Sam School",
        "role": "Attendance lead",
        "agency": "Riverside Primary",
    },
    "body": "Jamie has been on time every day this week and joined the breakfast club.",
    "created_at": "2026-03-04T15:20:00Z",
}


def _field_problem(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


@extend_schema(
    summary="Add a contribution to a case your agency is on the team of",
    description="Added to the case's contribution stream as written by a professional of "
    "your agency on the team (`team_member`), attributed by their role and agency; the "
    "change history names your client. Send an `Idempotency-Key` so that a retry after a "
    "lost answer adds nothing twice.",
    request=ContributionInputSerializer,
    responses={201: ContributionSerializer},
    parameters=[IDEMPOTENCY_KEY_PARAMETER],
    examples=[
        OpenApiExample(
            "A contribution",
            value={
                "body": "Jamie has been on time every day this week and joined the breakfast club.",
                "team_member": 88,
            },
            request_only=True,
        ),
        OpenApiExample(
            "Added", value=CONTRIBUTION_EXAMPLE, response_only=True, status_codes=["201"]
        ),
    ],
)
class CaseContributionCreate(CaseDataView):
    """Add to a case's contribution stream."""

    serializer_class = ContributionInputSerializer
    queryset = Contribution.objects.none()
    required_scopes = [CONTRIBUTIONS_WRITE]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case: Case = get_object_or_404(self.viewer.reachable_cases(), pk=self.kwargs["case_pk"])
        return idempotent(request, lambda: self.contribute(case))

    def author(self, case: Case, team_member: int | None) -> User:
        viewer = self.viewer
        if viewer.user is not None:
            ensure_can_contribute(viewer.user, case)
            if team_member is not None:
                raise _field_problem(
                    "team_member", "A professional contributes as themselves: leave it out."
                )
            return viewer.user
        assert viewer.client is not None  # noqa: S101  (a viewer is one or the other)
        members = [
            m
            for m in agency_members_on_team(case, viewer.client.agency_id)
            if partner_may_act_for(viewer.client, m.professional)
        ]
        if team_member is not None:
            chosen = [m for m in members if m.pk == team_member]
            if not chosen:
                raise _field_problem(
                    "team_member",
                    "Give the id of someone from your agency on this case's team "
                    "(GET cases/{id}/team/).",
                )
            members = chosen
        if len(members) > 1:
            raise _field_problem(
                "team_member",
                "More than one person from your agency is on this team: say who wrote it.",
            )
        if not members:
            raise _field_problem(
                "team_member", "No one from your agency is an active member of this team."
            )
        professional = members[0].professional
        assert professional is not None  # noqa: S101  (partner_may_act_for refuses None)
        return professional

    def contribute(self, case: Case) -> Response:
        serializer = ContributionInputSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        by = self.author(case, data.get("team_member"))
        meeting = None
        if "meeting" in data:
            meeting = Meeting.objects.filter(case=case, pk=data["meeting"]).first()
            if meeting is None:
                raise _field_problem(
                    "meeting", "Give the id of a meeting of this case (GET cases/{id}/meetings/)."
                )
        with history_context(self.request):
            try:
                contribution = add_contribution(case, by=by, body=data["body"], meeting=meeting)
            except DjangoValidationError as exc:
                raise validation_problem(exc) from None
        return Response(ContributionSerializer(contribution).data, status=201)
