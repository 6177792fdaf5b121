"""Partner API: children, cases, TAC teams and case reference data (/api/v1/).

Cases come only from ``Viewer.visible_cases()`` (``cases.api.base``): the access policy
for a professional, the agency's relationships for a partner client. What is shown of
each is narrowed by ``cases.sharing``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Exists,
    FilteredRelation,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.access import agency_relationship_filter, cases_visible_to_agency
from cases.api.base import (
    CASES_READ,
    CaseDataView,
    CaseScopedListView,
)
from cases.masking import MASK, is_field_restricted, restricted_fields
from cases.models import (
    Case,
    CaseSubject,
    Child,
    ClosureReason,
    DisabilityStatus,
    Ethnicity,
    LevelOfNeed,
    RestrictionTarget,
    SenStatus,
    TeamMembership,
)
from cases.services.merging import final_record
from cases.sharing import (
    ADDITIONAL,
    BASIC,
    PREFERENCE_COLUMNS,
    combined_level,
    granted_level,
    information_levels,
    sharing_preferences,
)
from tac_portal.api.compiled import CompiledQuery
from tac_portal.api.pagination import KeysetPagination, _parse_updated_since
from tac_portal.api.problems import NOT_FOUND_DETAIL
from tac_portal.api.serializers import ApiModelSerializer, UtcDateTimeField
from tac_portal.api.views import (
    ApiDetailView,
    ApiListView,
    ReferenceListView,
    etag_matches,
    get_object_or_404,
)

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


#: The statutory facts under ``additional`` that a restriction can cover, and what a
#: partner system sees instead: "Restricted" for a value, null for a yes or no.
MASKABLE_NEEDS_FIELDS: dict[str, str | None] = {
    "ethnicity": MASK,
    "first_language": MASK,
    "interpreter_required": None,
    "has_disability": None,
    "disability_status": MASK,
    "disability_details": MASK,
    "has_sen": None,
    "sen_status": MASK,
    "sen_details": MASK,
}


def _or_restricted(choices: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*choices, (MASK, "Restricted: a named person may see it in the portal")]


class ChildNeedsSerializer(ApiModelSerializer):
    """Additional information: shown only where the family's sharing preferences allow.
    A restricted fact reads "Restricted" (a yes or no reads null)."""

    ethnicity = serializers.ChoiceField(choices=_or_restricted(Ethnicity.choices))
    disability_status = serializers.ChoiceField(choices=_or_restricted(DisabilityStatus.choices))
    sen_status = serializers.ChoiceField(choices=_or_restricted(SenStatus.choices))
    interpreter_required = serializers.BooleanField(allow_null=True)
    has_disability = serializers.BooleanField(allow_null=True)
    has_sen = serializers.BooleanField(allow_null=True)

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
            "disability_status",
            "disability_details",
            "has_sen",
            "sen_status",
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
    "school_urn": MASK,
    "upn": MASK,
    "nhs_number": MASK,
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
            "school_urn",
            "upn",
            "information_level",
            "additional",
            "merged_into",
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
        if not fields:
            return data
        for name, masked_value in MASKABLE_CHILD_FIELDS.items():
            if name in data and is_field_restricted(fields, name):
                data[name] = masked_value
        needs = data.get("additional")
        if needs:
            for name, masked_need in MASKABLE_NEEDS_FIELDS.items():
                if name in needs and is_field_restricted(fields, name):
                    needs[name] = masked_need
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


class CaseLevelsMixin(CaseDataView):
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


# --- Cases: one row per case, SQL compiled once --------------------------------------
# The case list and one case are what partner systems call all day. Each reads a case,
# its level of need, its lead and its subject children (as one JSON array) in one
# statement, as rows rather than model instances, and a partner client's statement is
# compiled once per process (``tac_portal.api.compiled``): only the SQL is kept, so
# what the agency may see is decided afresh by the database on every request.

_CASE_COLUMNS = (
    "id",
    "reference",
    "status",
    "opened_at",
    "closed_at",
    "closure_reason",
    "is_re_referral",
    "next_review_due",
    "updated_at",
    "current_level__code",
    "current_level__ordinal",
    "current_level__label",
    "active_lead__professional__full_name",
    "active_lead__professional__job_title",
    "active_lead__agency_id",
    "active_lead__agency__name",
    "active_lead__started_at",
    "subject_children",
)
_CHILD_KEYS = (
    "id",
    "given_names",
    "family_name",
    "sex",
    "date_of_birth",
    "is_unborn",
    "expected_date_of_delivery",
)
#: Ids are bigint; anything larger is no case (a 404, never a database error).
_MAX_ID = 2**63 - 1


def case_rows(cases: QuerySet[Case], agency_id: int | None, now: dt.datetime) -> QuerySet[Any]:
    """``cases`` as the API shows them: ``_CASE_COLUMNS``, one row per case, and last
    what each active sharing preference says of ``agency_id`` (``cases.sharing``)."""
    sharing: Any = Value(None, output_field=JSONField())
    if agency_id is not None:
        sharing = ArraySubquery(
            sharing_preferences(agency_id, now)
            .filter(case=OuterRef("pk"))
            .order_by()
            .values(preference=JSONObject(**{c: c for c in PREFERENCE_COLUMNS}))
        )
    children = (
        CaseSubject.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(
            children=JSONBAgg(
                JSONObject(**{key: f"child__{key}" for key in _CHILD_KEYS}), order_by="child_id"
            )
        )
        .values("children")
    )
    return cases.annotate(
        # At most one active lead per case (``one_active_lead_per_case``).
        active_lead=FilteredRelation(
            "lead_assignments", condition=Q(lead_assignments__ended_at__isnull=True)
        ),
        subject_children=Subquery(children),
        sharing=sharing,
    ).values_list(*_CASE_COLUMNS, "sharing")


def _partner_cases(key: tuple[Any, ...], **values: Any) -> QuerySet[Any]:
    """A partner client's statement for ``key``: a page of its list, or one case."""
    agency, now = values["agency"], values["now"]
    if key[0] == "one":
        one = Case.objects.filter(agency_relationship_filter(agency), pk=values["pk"])
        return case_rows(one, agency, now)
    _page, size, _since, _cursor = key
    return _page_of_cases(cases_visible_to_agency(agency), size, **values)


def _page_of_cases(
    cases: QuerySet[Case],
    size: int,
    *,
    agency: int | None,
    now: dt.datetime,
    since: dt.datetime | None = None,
    at: dt.datetime | None = None,
    after: int | None = None,
) -> QuerySet[Any]:
    if since is not None:
        cases = cases.filter(updated_at__gte=since)
    position = (at, after) if at is not None and after is not None else None
    return KeysetPagination.page_of(case_rows(cases, agency, now), "updated_at", size, position)


_PARTNER_CASES = CompiledQuery(_partner_cases)


def _case_data(columns: tuple[Any, ...]) -> dict[str, Any]:
    """One row of ``case_rows`` as ``CaseSerializer`` describes it."""
    *row, sharing = columns
    preferences = [json.loads(p) if isinstance(p, str) else p for p in sharing or ()]
    level = combined_level(granted_level(*(p[c] for c in PREFERENCE_COLUMNS)) for p in preferences)
    (
        pk,
        reference,
        status,
        opened_at,
        closed_at,
        closure_reason,
        is_re_referral,
        next_review_due,
        updated_at,
        level_code,
        level_ordinal,
        level_label,
        lead_name,
        lead_job_title,
        lead_agency_id,
        lead_agency_name,
        lead_since,
        children,
    ) = row
    if isinstance(children, str):
        children = json.loads(children)
    return {
        "id": pk,
        "reference": reference,
        "status": status,
        "opened_at": _utc(opened_at),
        "closed_at": _utc(closed_at),
        "closure_reason": closure_reason,
        "is_re_referral": is_re_referral,
        "next_review_due": _iso_date(next_review_due),
        "information_level": level,
        # A judgement about needs: additional information.
        "level_of_need": (
            {"code": level_code, "ordinal": level_ordinal, "label": level_label}
            if level_code is not None and level == ADDITIONAL
            else None
        ),
        "subject_children": [{key: c[key] for key in _CHILD_KEYS} for c in children or ()],
        "lead_professional": (
            {
                "name": lead_name,
                "job_title": lead_job_title,
                "agency": (
                    {"id": lead_agency_id, "name": lead_agency_name}
                    if lead_agency_id is not None
                    else None
                ),
                "since": _utc(lead_since),
            }
            if lead_name is not None
            else None
        ),
        "updated_at": _utc(updated_at),
    }


def _utc(value: dt.datetime | None) -> str | None:
    return None if value is None else _UTC.to_representation(value)


class CaseRowsMixin(CaseDataView):
    """Cases read as rows (``case_rows``); the access log from the rows' children."""

    def case_data(self, rows: Sequence[tuple[Any, ...]]) -> list[dict[str, Any]]:
        return [_case_data(row) for row in rows]

    def shown_records(self, objects: Sequence[Any]) -> Iterable[tuple[int, int | None]]:
        return [(child["id"], case["id"]) for case in objects for child in case["subject_children"]]


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
class CaseList(CaseRowsMixin, ApiListView):
    """Cases your agency works on."""

    serializer_class = CaseSerializer
    queryset = Case.objects.none()
    required_scopes = [CASES_READ]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator = self.paginator
        assert isinstance(paginator, KeysetPagination)  # noqa: S101
        size, position = paginator.page_request(request)
        values: dict[str, Any] = {}
        raw_since = request.query_params.get("updated_since")
        if raw_since is not None:
            values["since"] = _parse_updated_since(raw_since)
        if position is not None:
            values["at"], values["after"] = position
        viewer = self.viewer
        values["now"] = timezone.now()
        if viewer.client is not None:
            key = ("page", size, "since" in values, position is not None)
            rows = _PARTNER_CASES.rows(key, agency=viewer.client.agency_id, **values)
        else:
            cases = viewer.visible_cases()
            rows = list(_page_of_cases(cases, size, agency=viewer.agency_id, **values))
        page = paginator.keep_page(rows, size, lambda row: (row[8], row[0]))
        data = self.case_data(page)
        self.log_access(data)
        return paginator.get_paginated_response(data)


@extend_schema(
    summary="One case",
    examples=[OpenApiExample("A case", value=CASE_EXAMPLE, response_only=True)],
)
class CaseDetail(CaseRowsMixin, ApiDetailView):
    """One case."""

    serializer_class = CaseSerializer
    queryset = Case.objects.none()
    required_scopes = [CASES_READ]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = self.kwargs["pk"]
        viewer = self.viewer
        rows: list[tuple[Any, ...]] = []
        now = timezone.now()
        if 0 < pk <= _MAX_ID:
            if viewer.client is not None:
                agency = viewer.client.agency_id
                rows = _PARTNER_CASES.rows(("one",), agency=agency, pk=pk, now=now)
            else:
                one = viewer.reachable_cases().filter(pk=pk)
                rows = list(case_rows(one, viewer.agency_id, now))
        if not rows:
            raise exceptions.NotFound(NOT_FOUND_DETAIL)
        data = self.case_data(rows)[0]
        self.log_access([data])
        etag = self.etag_of(None, data)
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = Response(status=304)
        else:
            response = Response(data)
        response["ETag"] = etag
        return response


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

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A record merged into another answers with where it went (``merged_into``),
        to a client that may see the record kept; anything else as before."""
        pk = _int_or_none(self.kwargs["pk"])
        old = (
            Child.objects.filter(pk=pk, merged_into__isnull=False).first()
            if pk is not None
            else None
        )
        if old is not None:
            kept = final_record(old)
            if self.visible_children(self.viewer.reachable_cases()).filter(pk=kept.pk).exists():
                return Response({"id": old.pk, "merged_into": kept.pk})
        return super().get(request, *args, **kwargs)


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


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
