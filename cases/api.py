"""Partner API: children, cases, TAC teams and case reference data (/api/v1/).

Cases come only from ``Viewer.visible_cases()`` (the access policy for a
professional, ``cases.api_access`` for a partner client); what is shown of each
is narrowed by ``cases.sharing``. ``POST referrals/`` sends a request for support
through ``cases.services.submit_request_for_support``; the referrer learns only
that it was received (and, later, triaged), never the case it may join.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import requests_sent_by, requests_sent_by_partner
from cases.masking import MASK, is_field_restricted, restricted_fields
from cases.models import (
    Case,
    CaseSubject,
    Child,
    ClosureReason,
    Ethnicity,
    FamilyMember,
    LevelOfNeed,
    ReferralSource,
    RequestForSupport,
    RestrictionTarget,
    Sex,
    TeamMembership,
)
from cases.services.children import NewChild
from cases.services.requests import PossibleDuplicates, ReferredNewChild, refer_children
from cases.sharing import ADDITIONAL, BASIC, information_levels
from tac_portal.api.base import (
    ApiDetailView,
    ApiListView,
    ApiModelSerializer,
    ApiProblem,
    ApiView,
    ReferenceListView,
    StrictInputSerializer,
    UtcDateTimeField,
    get_object_or_404,
)
from tac_portal.api.writes import history_context, idempotent, validation_problem

CASES_READ = "cases:read"
REFERENCE_READ = "reference:read"


# --- Serializers ----------------------------------------------------------------------

_UTC = UtcDateTimeField()


def _iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class AgencyRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ChildSummarySerializer(ApiModelSerializer):
    """Identifying details only (basic information)."""

    class Meta:
        model = Child
        fields = [
            "id",
            "given_names",
            "family_name",
            "sex",
            "date_of_birth",
            "is_unborn",
            "expected_date_of_delivery",
        ]
        read_only_fields = fields


class ChildNeedsSerializer(ApiModelSerializer):
    """Additional information: shown only where the family's sharing preferences allow."""

    class Meta:
        model = Child
        fields = [
            "ethnicity",
            "religion",
            "first_language",
            "parent_first_language",
            "interpreter_required",
            "immigration_status",
            "has_disability",
            "disability_details",
            "has_sen",
            "sen_details",
            "special_requirements",
            "is_young_carer",
            "risk_of_exclusion",
        ]
        read_only_fields = fields


#: Child fields a restriction can cover, and what a partner system sees instead.
MASKABLE_CHILD_FIELDS = {
    "address": MASK,
    "postcode": MASK,
    "contact_phone": MASK,
    "email": MASK,
    "school": None,
}


class ChildListSerializer(serializers.ListSerializer):  # type: ignore[type-arg]
    """Looks up the restrictions of the whole page in one query."""

    def to_representation(self, data: Any) -> list[Any]:
        items = list(data.all() if hasattr(data, "all") else data)
        context = self.context  # shared with each child serializer
        assert isinstance(context, dict)  # noqa: S101
        context["restricted"] = restricted_fields(RestrictionTarget.CHILD, [c.pk for c in items])
        return super().to_representation(items)


class ChildSerializer(ApiModelSerializer):
    """A child; restricted details (DOMAIN §6.2 rule 5) read "Restricted" (school: null)."""

    school = serializers.SerializerMethodField()
    information_level = serializers.SerializerMethodField()
    additional = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = [
            "id",
            "given_names",
            "family_name",
            "also_known_as",
            "sex",
            "date_of_birth",
            "is_unborn",
            "expected_date_of_delivery",
            "address",
            "postcode",
            "nhs_number",
            "school",
            "information_level",
            "additional",
            "updated_at",
        ]
        read_only_fields = fields
        list_serializer_class = ChildListSerializer

    def to_representation(self, instance: Child) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        restricted = self.context.get("restricted")
        if restricted is None:
            restricted = restricted_fields(RestrictionTarget.CHILD, [instance.pk])
        fields = restricted.get(instance.pk, set())
        for name, masked_value in MASKABLE_CHILD_FIELDS.items():
            if fields and name in data and is_field_restricted(fields, name):
                data[name] = masked_value
        return data

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_school(self, child: Child) -> dict[str, Any] | None:
        if child.school is None:
            return None
        return {"id": child.school.pk, "name": child.school.name}

    @extend_schema_field(serializers.ChoiceField(choices=[BASIC, ADDITIONAL]))
    def get_information_level(self, child: Child) -> str:
        levels: dict[int, str] = self.context["levels"]
        return levels.get(child.pk, BASIC)

    @extend_schema_field(ChildNeedsSerializer(allow_null=True))
    def get_additional(self, child: Child) -> dict[str, Any] | None:
        if self.get_information_level(child) != ADDITIONAL:
            return None
        return dict(ChildNeedsSerializer(child).data)


class LevelRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    ordinal = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"


class LeadProfessionalSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    job_title = serializers.CharField()
    agency = AgencyRefSerializer(allow_null=True)
    since = UtcDateTimeField()


class CaseSerializer(ApiModelSerializer):
    information_level = serializers.SerializerMethodField()
    level_of_need = serializers.SerializerMethodField()
    subject_children = serializers.SerializerMethodField()
    lead_professional = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "status",
            "opened_at",
            "closed_at",
            "closure_reason",
            "is_re_referral",
            "next_review_due",
            "information_level",
            "level_of_need",
            "subject_children",
            "lead_professional",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[BASIC, ADDITIONAL]))
    def get_information_level(self, case: Case) -> str:
        levels: dict[int, str] = self.context["levels"]
        return levels.get(case.pk, BASIC)

    @extend_schema_field(LevelRefSerializer(allow_null=True))
    def get_level_of_need(self, case: Case) -> dict[str, Any] | None:
        # A judgement about needs: additional information.
        level = case.current_level
        if level is None or self.get_information_level(case) != ADDITIONAL:
            return None
        return {"code": level.code, "ordinal": level.ordinal, "label": level.label}

    @extend_schema_field(ChildSummarySerializer(many=True))
    def get_subject_children(self, case: Case) -> list[dict[str, Any]]:
        # Built by hand (a nested serializer per case costs more than the query).
        return [
            {
                "id": c.pk,
                "given_names": c.given_names,
                "family_name": c.family_name,
                "sex": c.sex,
                "date_of_birth": _iso_date(c.date_of_birth),
                "is_unborn": c.is_unborn,
                "expected_date_of_delivery": _iso_date(c.expected_date_of_delivery),
            }
            for c in (s.child for s in case.subjects.all())
        ]

    @extend_schema_field(LeadProfessionalSerializer(allow_null=True))
    def get_lead_professional(self, case: Case) -> dict[str, Any] | None:
        assignment = case.lead_assignment
        if assignment is None:
            return None
        agency = assignment.agency
        return {
            "name": assignment.professional.full_name,
            "job_title": assignment.professional.job_title,
            "agency": {"id": agency.pk, "name": agency.name} if agency else None,
            "since": _UTC.to_representation(assignment.started_at),
        }


class TeamMemberSerializer(ApiModelSerializer):
    name = serializers.CharField(source="display_name")
    job_title = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    agency_name = serializers.CharField()
    changed_at = UtcDateTimeField(help_text="When the member joined, or left if they have.")

    class Meta:
        model = TeamMembership
        fields = [
            "id",
            "kind",
            "role",
            "name",
            "job_title",
            "agency",
            "agency_name",
            "joined_at",
            "left_at",
            "changed_at",
        ]
        read_only_fields = fields

    def get_job_title(self, member: TeamMembership) -> str:
        return member.professional.job_title if member.professional else ""

    @extend_schema_field(AgencyRefSerializer(allow_null=True))
    def get_agency(self, member: TeamMembership) -> dict[str, Any] | None:
        agency = member.professional.agency if member.professional else None
        return {"id": agency.pk, "name": agency.name} if agency else None


class CodeSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"


class LevelOfNeedSerializer(ApiModelSerializer):
    response_guidance_url = serializers.CharField(read_only=True, help_text="Empty when none.")

    class Meta:
        model = LevelOfNeed
        fields = ["code", "ordinal", "label", "description", "response_guidance_url", "is_active"]
        read_only_fields = fields


# --- Views ------------------------------------------------------------------------------


class CaseLevelsMixin(ApiView):
    """Sharing levels for the cases on the page, in one query (``prepare``)."""

    levels: dict[int, str]

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["levels"] = getattr(self, "levels", {})
        return context


CASE_EXAMPLE = {
    "id": 4211,
    "reference": "EH-2026-004211",
    "status": "ACTIVE",
    "opened_at": "2026-02-03T10:15:00Z",
    "closed_at": None,
    "closure_reason": "",
    "is_re_referral": False,
    "next_review_due": "2026-05-12",
    "information_level": "additional",
    "level_of_need": {"code": "TARGETED", "ordinal": 3, "label": "Targeted"},
    "subject_children": [
        {
            "id": 9182,
            "given_names": "Jamie",
            "family_name": "Fairweather",
            "sex": "female",
            "date_of_birth": "2016-05-17",
            "is_unborn": False,
            "expected_date_of_delivery": None,
        }
    ],
    "lead_professional": {
        "name": "Lena Lead",
        "job_title": "Family support worker",
        "agency": {"id": 3, "name": "Northgate Family Hub"},
        "since": "2026-02-03T10:15:00Z",
    },
    "updated_at": "2026-03-01T16:40:12.120000Z",
}


@extend_schema(
    summary="Cases your agency works on",
    description="Cases where someone from your agency is an active TAC member or the lead "
    "professional, oldest change first. Follow `next` to the end, then sync with "
    "`updated_since`.",
    examples=[
        OpenApiExample(
            "A page of cases",
            value=CASE_EXAMPLE,
            response_only=True,
        )
    ],
)
class CaseList(CaseLevelsMixin, ApiListView):
    """Cases your agency works on."""

    serializer_class = CaseSerializer
    queryset = Case.objects.none()
    required_scopes = [CASES_READ]

    def get_queryset(self) -> QuerySet[Case]:
        return self.viewer.visible_cases().with_list_details()

    def prepare(self, objects: Sequence[Case]) -> None:
        self.levels = information_levels([c.pk for c in objects], self.viewer.agency_id)

    def shown_records(self, objects: Sequence[Case]) -> Iterable[tuple[int, int | None]]:
        return [(s.child_id, case.pk) for case in objects for s in case.subjects.all()]


@extend_schema(
    summary="One case",
    examples=[OpenApiExample("A case", value=CASE_EXAMPLE, response_only=True)],
)
class CaseDetail(CaseLevelsMixin, ApiDetailView):
    """One case."""

    serializer_class = CaseSerializer
    queryset = Case.objects.none()
    required_scopes = [CASES_READ]

    def get_object(self) -> Case:
        case: Case = get_object_or_404(
            self.viewer.reachable_cases().with_list_details(), pk=self.kwargs["pk"]
        )
        return case

    def prepare(self, objects: Sequence[Case]) -> None:
        self.levels = information_levels([c.pk for c in objects], self.viewer.agency_id)

    def shown_records(self, objects: Sequence[Case]) -> Iterable[tuple[int, int | None]]:
        return [(s.child_id, case.pk) for case in objects for s in case.subjects.all()]


class ChildViewMixin(CaseLevelsMixin):
    """Children who are subjects of a visible case; a child's level is its most restrictive."""

    pairs: list[tuple[int, int | None]]

    def visible_children(self, cases: QuerySet[Case]) -> QuerySet[Child]:
        subjects = CaseSubject.objects.filter(child=OuterRef("pk"), case__in=cases)
        return Child.objects.filter(Exists(subjects)).select_related("school")

    def prepare(self, objects: Sequence[Child]) -> None:
        cases = self.viewer.reachable_cases()
        self.pairs = list(
            CaseSubject.objects.filter(child__in=[c.pk for c in objects], case__in=cases)
            .order_by("child_id", "case_id")
            .values_list("child_id", "case_id")
        )
        case_ids = {case_id for _, case_id in self.pairs if case_id is not None}
        case_levels = information_levels(case_ids, self.viewer.agency_id)
        self.levels = {}
        for child_id, case_id in self.pairs:
            level = case_levels.get(case_id, BASIC) if case_id else BASIC
            if self.levels.get(child_id, ADDITIONAL) == ADDITIONAL:
                self.levels[child_id] = level

    def shown_records(self, objects: Sequence[Child]) -> Iterable[tuple[int, int | None]]:
        return self.pairs


@extend_schema(summary="Children who are subjects of cases your agency works on")
class ChildList(ChildViewMixin, ApiListView):
    """Children who are subjects of cases your agency works on."""

    serializer_class = ChildSerializer
    queryset = Child.objects.none()
    required_scopes = [CASES_READ]

    def get_queryset(self) -> QuerySet[Child]:
        return self.visible_children(self.viewer.visible_cases())


@extend_schema(summary="One child")
class ChildDetail(ChildViewMixin, ApiDetailView):
    """One child: identifying details, and needs where the family shares them."""

    serializer_class = ChildSerializer
    queryset = Child.objects.none()
    required_scopes = [CASES_READ]

    def get_object(self) -> Child:
        child: Child = get_object_or_404(
            self.visible_children(self.viewer.reachable_cases()), pk=self.kwargs["pk"]
        )
        return child


class CaseScopedListView(ApiListView):
    """A list belonging to one visible case (``case_pk`` in the URL); 404 otherwise."""

    required_scopes: ClassVar[Sequence[str]] = [CASES_READ]
    _case: Case | None = None
    _level: str | None = None

    @property
    def case(self) -> Case:
        if self._case is None:
            self._case = get_object_or_404(self.viewer.reachable_cases(), pk=self.kwargs["case_pk"])
        return self._case

    @property
    def level(self) -> str:
        """What the caller's agency may see of this case under the sharing preferences."""
        if self._level is None:
            self._level = information_levels([self.case.pk], self.viewer.agency_id)[self.case.pk]
        return self._level

    def shown_records(self, objects: Sequence[Any]) -> Iterable[tuple[int, int | None]]:
        children = CaseSubject.objects.filter(case=self.case).values_list("child_id", flat=True)
        return [(child_id, self.case.pk) for child_id in children]


@extend_schema(summary="The case's team around the child (past members too)")
class CaseTeamList(CaseScopedListView):
    """The case's team around the child (past members too)."""

    serializer_class = TeamMemberSerializer
    queryset = TeamMembership.objects.none()
    # Memberships change by joining and leaving; the later of the two is their change time.
    sync_field = "changed_at"

    def get_queryset(self) -> QuerySet[TeamMembership]:
        return (
            TeamMembership.objects.filter(case=self.case)
            .select_related("professional__agency", "family_member")
            .annotate(changed_at=Coalesce("left_at", "joined_at"))
        )


@extend_schema(summary="Levels of need on the local continuum")
class LevelOfNeedList(ReferenceListView):
    """Levels of need on the local continuum."""

    serializer_class = LevelOfNeedSerializer
    required_scopes = [REFERENCE_READ]

    def entries(self) -> list[Any]:
        return list(LevelOfNeed.objects.order_by("ordinal"))


@extend_schema(summary="Why a case closed")
class ClosureReasonList(ReferenceListView):
    """Why a case closed."""

    serializer_class = CodeSerializer
    required_scopes = [REFERENCE_READ]

    def entries(self) -> list[Any]:
        return [{"code": c.value, "label": c.label} for c in ClosureReason]


@extend_schema(summary="DfE ethnicity codes (Annex A, CIN census)")
class EthnicityCodeList(ReferenceListView):
    """DfE ethnicity codes (Annex A, CIN census)."""

    serializer_class = CodeSerializer
    required_scopes = [REFERENCE_READ]

    def entries(self) -> list[Any]:
        return [{"code": c.value, "label": c.label} for c in Ethnicity]


# --- Writes: requests for support ---------------------------------------------------------

REFERRALS_WRITE = "referrals:write"


class NewChildInputSerializer(StrictInputSerializer):
    """A child not yet known to the portal; the duplicate check runs before it is added."""

    given_names = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    postcode = serializers.CharField(max_length=10, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, allow_blank=True, default="")
    nhs_number = serializers.CharField(max_length=12, allow_blank=True, default="")
    carer_given_names = serializers.CharField(max_length=100, allow_blank=True, default="")
    carer_family_name = serializers.CharField(max_length=100, allow_blank=True, default="")
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
        max_length=100, allow_blank=True, default="", help_text="Who at your agency asks."
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
    parameters=[
        OpenApiParameter(
            "Idempotency-Key",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description="Any unique string (a UUID): a retry with the same key and body "
            "answers the first answer.",
        )
    ],
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
class ReferralCreate(ApiView):
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
class ReferralDetail(ApiDetailView):
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
