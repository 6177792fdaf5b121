"""Partner API: requests for support (``POST referrals/``).

A referral goes through ``cases.services.requests.refer_children``, with the same
duplicate check as the portal's own form; the referrer learns only that it was received
(and, later, triaged), never the case it may join.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.api_writes import (
    IDEMPOTENCY_KEY_PARAMETER,
    history_context,
    idempotent,
    validation_problem,
)
from cases.access import requests_sent_by, requests_sent_by_partner
from cases.api.base import CaseDataDetailView, CaseDataView
from cases.models import (
    FamilyMember,
    ReferralSource,
    RequestForSupport,
    Sex,
)
from cases.services.children import NewChild
from cases.services.requests import PossibleDuplicates, ReferredNewChild, refer_children
from tac_portal.api.problems import ApiProblem
from tac_portal.api.serializers import ApiModelSerializer, StrictInputSerializer, UtcDateTimeField
from tac_portal.api.views import get_object_or_404
from tac_portal.validators import validate_date_of_birth, validate_person_name

# --- Writes: requests for support ---------------------------------------------------------

REFERRALS_WRITE = "referrals:write"


class NewChildInputSerializer(StrictInputSerializer):
    """A child not yet known to the portal; the duplicate check runs before it is added."""

    given_names = serializers.CharField(max_length=100, validators=[validate_person_name])
    family_name = serializers.CharField(max_length=100, validators=[validate_person_name])
    date_of_birth = serializers.DateField(validators=[validate_date_of_birth])
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    postcode = serializers.CharField(max_length=10, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, allow_blank=True, default="")
    nhs_number = serializers.CharField(max_length=12, allow_blank=True, default="")
    carer_given_names = serializers.CharField(
        max_length=100, allow_blank=True, default="", validators=[validate_person_name]
    )
    carer_family_name = serializers.CharField(
        max_length=100, allow_blank=True, default="", validators=[validate_person_name]
    )
    carer_relationship = serializers.ChoiceField(
        choices=FamilyMember.Relationship.choices, allow_blank=True, default=""
    )
    duplicate_reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Needed when likely matches exist: why none of them is this child.",
    )


class ReferralInputSerializer(StrictInputSerializer):
    """A request for support into the early help hub (DOMAIN §3.2)."""

    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    received_at = UtcDateTimeField(read_only=True)
    source_code = serializers.ChoiceField(
        choices=ReferralSource.choices,
        required=False,
        help_text="CIN referral source; defaults to your agency's code.",
    )
    summary_of_need = serializers.CharField(max_length=10000)
    family_aware = serializers.BooleanField()
    consent_obtained = serializers.BooleanField()
    requester_name = serializers.CharField(
        max_length=100,
        allow_blank=True,
        default="",
        help_text="Who at your agency asks.",
        validators=[validate_person_name],
    )
    child_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=10,
        default=list,
        help_text="Children you can already see (GET /children/).",
    )
    new_children = NewChildInputSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("child_ids") and not attrs.get("new_children"):
            raise serializers.ValidationError(
                {"child_ids": ["Give at least one child: an id you can see, or new_children."]}
            )
        return attrs


class ReferralSerializer(ApiModelSerializer):
    """What the referrer learns: the request was received. Not the case it may join."""

    received_at = UtcDateTimeField(read_only=True)

    class Meta:
        model = RequestForSupport
        fields = ["id", "status", "received_at"]
        read_only_fields = fields


REFERRAL_REQUEST_EXAMPLE = {
    "source_code": "2A",
    "summary_of_need": "Attendance has fallen to 70% since January; mum asks for help "
    "with mornings and a younger sibling's sleep.",
    "family_aware": True,
    "consent_obtained": True,
    "requester_name": "Sam School (attendance lead)",
    "child_ids": [9182],
}
REFERRAL_EXAMPLE = {"id": 311, "status": "received", "received_at": "2026-03-02T09:12:44Z"}


def _duplicate_problem(found: list[tuple[int, int, list[int]]]) -> ApiProblem:
    errors = []
    for index, count, visible in found:
        detail = (
            f"{count} child record(s) already look like this child. Give duplicate_reason "
            "if none of them is this child"
        )
        if visible:
            detail += "; children you can see that match: " + ", ".join(map(str, visible))
            detail += " (refer them by child_ids instead)"
        errors.append(
            {
                "pointer": f"#/new_children/{index}",
                "detail": detail + ".",
                "code": "possible_duplicate",
            }
        )
    return ApiProblem(
        409,
        kind="urn:tac-portal:problem:possible-duplicate",
        title="The child may already be known",
        detail="Likely matches exist for a new child; nothing was saved.",
        errors=errors,
    )


@extend_schema(
    summary="Send a request for support to the early help hub",
    description="Refer children you can see (`child_ids`) or children new to the portal "
    "(`new_children`, checked for duplicates like the portal's own form). The answer says "
    "the request was received; it does not let you see the case it may lead to. Send an "
    "`Idempotency-Key` header so that a retry never creates a second request.",
    request=ReferralInputSerializer,
    responses={201: ReferralSerializer},
    parameters=[IDEMPOTENCY_KEY_PARAMETER],
    examples=[
        OpenApiExample("A child you can see", value=REFERRAL_REQUEST_EXAMPLE, request_only=True),
        OpenApiExample(
            "A child new to the portal",
            value={
                **REFERRAL_REQUEST_EXAMPLE,
                "child_ids": [],
                "new_children": [
                    {
                        "given_names": "Robin",
                        "family_name": "Ashdown",
                        "date_of_birth": "2017-09-03",
                        "sex": "male",
                        "postcode": "AB1 2CD",
                    }
                ],
            },
            request_only=True,
        ),
        OpenApiExample(
            "Received", value=REFERRAL_EXAMPLE, response_only=True, status_codes=["201"]
        ),
    ],
)
class ReferralCreate(CaseDataView):
    """Send a request for support to the early help hub."""

    serializer_class = ReferralInputSerializer
    queryset = RequestForSupport.objects.none()
    required_scopes = [REFERRALS_WRITE]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, self.submit)

    def submit(self) -> Response:
        serializer = ReferralInputSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        viewer = self.viewer
        new_children = [
            ReferredNewChild(
                details=NewChild(
                    given_names=d["given_names"],
                    family_name=d["family_name"],
                    date_of_birth=d["date_of_birth"],
                    sex=d["sex"],
                    postcode=d["postcode"],
                    address=d["address"],
                    nhs_number=d["nhs_number"],
                    carer_given_names=d["carer_given_names"],
                    carer_family_name=d["carer_family_name"],
                    carer_relationship=d["carer_relationship"],
                ),
                duplicate_reason=d["duplicate_reason"],
            )
            for d in data.get("new_children") or []
        ]
        with history_context(self.request):
            try:
                referral = refer_children(
                    by=viewer.user,
                    partner=viewer.client,
                    visible_cases=viewer.reachable_cases(),
                    child_ids=data["child_ids"],
                    new_children=new_children,
                    source_code=data.get("source_code"),
                    summary_of_need=data["summary_of_need"],
                    family_aware=data["family_aware"],
                    consent_obtained=data["consent_obtained"],
                    requester_name=data["requester_name"],
                )
            except PossibleDuplicates as exc:
                raise _duplicate_problem(exc.found) from None
            except DjangoValidationError as exc:
                raise validation_problem(exc) from None
        response = Response(ReferralSerializer(referral).data, status=201)
        response["Location"] = self.request.build_absolute_uri(
            reverse("api:referral-detail", args=[referral.pk])
        )
        return response


@extend_schema(summary="A request for support you sent: received, or triaged")
class ReferralDetail(CaseDataDetailView):
    """A request for support you sent (only its status: not the case it led to)."""

    serializer_class = ReferralSerializer
    queryset = RequestForSupport.objects.none()
    required_scopes = [REFERRALS_WRITE]

    def get_object(self) -> RequestForSupport:
        viewer = self.viewer
        if viewer.client is not None:
            requests = requests_sent_by_partner(viewer.client)
        elif viewer.user is not None:
            requests = requests_sent_by(viewer.user)
        else:
            requests = RequestForSupport.objects.none()
        referral: RequestForSupport = get_object_or_404(requests, pk=self.kwargs["pk"])
        return referral
