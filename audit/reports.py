"""The access report for information governance: every access to a child's record.

The log (``cases.models.RecordAccess``) has a row per child shown per request; the
report has a row per access: one request that showed a case's three children is one
access. Each access is named readably ("Meeting", "Case page"), never by its route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Count, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils import timezone

from agencies.models import PartnerClient, User
from cases.models import AccessPurpose, Case, RecordAccess

#: What each route that logs a read showed, as a person would say it.
ROUTE_LABELS: dict[str, str] = {
    "cases:my_cases": "My work (list of cases)",
    "cases:detail": "Case page",
    "cases:history": "Change history",
    "cases:find_child": "Find a child (search results)",
    "cases:add_child": "Add a child (possible matches)",
    "cases:start_case": "Start early help",
    "cases:request_sent": "Request for support",
    "cases:triage_queue": "Requests waiting for triage",
    "cases:triage": "Triage of a request for support",
    "cases:consent_new": "Consent",
    "cases:consent_withdraw": "Withdrawal of consent",
    "cases:disclosures": "Information sharing decisions",
    "cases:raise_concern": "Safeguarding concern",
    "cases:concern": "Safeguarding concern",
    "cases:lead_handover": "Lead professional handover",
    "cases:step_up_request": "Step-up request",
    "cases:step_up_decision": "Step-up decision",
    "cases:closure": "Closure",
    "cases:step_down_in": "Step-down from social care",
    "cases:review_date": "Next review date",
    "audit:case_access": "Access report for a case",
    "audit:case_restrictions": "Restricted items",
    "audit:restriction_review": "Review of a restriction",
    "audit:unmask": "A restricted item, shown",
    "audit:break_glass_request": "Emergency access",
    "assessments:detail": "Assessment",
    "assessments:section": "Assessment section",
    "assessments:family_copy": "Assessment, family's copy",
    "meetings:detail": "Meeting",
    "meetings:run": "Meeting, while it was held",
    "meetings:family_copy": "Meeting, family's copy",
    "meetings:discussion": "Case discussion",
    "meetings:review": "Review",
    "dashboards:drilldown": "Dashboard list",
    "dashboards:drilldown_csv": "Dashboard list, downloaded",
    "dashboards:annex_a_export": "Ofsted extract, downloaded",
}

#: Words for the parts of a route name no label covers yet.
_APP_NAMES = {
    "cases": "Case",
    "meetings": "Meetings",
    "assessments": "Assessment",
    "audit": "Governance",
    "dashboards": "Dashboard",
    "api": "Partner system",
}


def readable_route(route: str) -> str:
    """What a route showed, in words; an unknown route is spelt out, never shown raw."""
    if route in ROUTE_LABELS:
        return ROUTE_LABELS[route]
    app, _, name = route.partition(":")
    if not name:
        return "Page"
    if app == "api":
        return "Partner system: " + name.replace("-", " ")
    return f"{_APP_NAMES.get(app, app.capitalize())}: {name.replace('_', ' ')}"


@dataclass(frozen=True)
class AccessFilters:
    person: str = ""
    case_reference: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""

    def as_q(self) -> Q:
        q = Q()
        if self.person:
            q &= Q(user__full_name__icontains=self.person) | Q(user__email__icontains=self.person)
        if self.case_reference:
            q &= Q(case__reference__iexact=self.case_reference.strip())
        if self.date_from:
            q &= Q(at__gte=_start_of(self.date_from))
        if self.date_to:
            q &= Q(at__lt=_start_of(self.date_to + dt.timedelta(days=1)))
        if self.kind:
            q &= Q(purpose=self.kind)
        return q


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Access:
    """One access: one request that showed one case's (or a search's) children."""

    at: dt.datetime
    user_id: int | None
    case_id: int | None
    who: str
    role_and_agency: str
    case_reference: str
    what: str
    kind: str
    children: int
    emergency: bool


def accesses(filters: AccessFilters, *, up_to_id: int | None = None) -> QuerySet[Any, Any]:
    """The accesses matching ``filters``, newest first, one row per access.

    ``up_to_id`` leaves out rows logged after it (an export reads a fixed set).
    """
    # Rows of one request share its id; a row without one stands alone.
    one_access = Coalesce(
        NullIf("request_id", Value("")),
        Concat(Value("row-"), Cast("id", output_field=CharField())),
        output_field=CharField(),
    )
    return (
        RecordAccess.objects.filter(filters.as_q())
        .filter(Q() if up_to_id is None else Q(id__lte=up_to_id))
        .annotate(access=one_access)
        .values("access", "user_id", "client_id", "case_id", "route", "purpose")
        .annotate(
            first_at=Min("at"),
            children=Count("child_id", distinct=True),
            grant=Max("break_glass_grant_id"),
            last_id=Max("id"),
        )
        .order_by("-first_at", "-last_id")
    )


def describe(rows: Sequence[dict[str, Any]]) -> list[Access]:
    """The rows of a page of ``accesses``, with names (three queries whatever the size)."""
    users = User.objects.select_related("agency").in_bulk({r["user_id"] for r in rows} - {None})
    references = dict(
        Case.objects.filter(pk__in={r["case_id"] for r in rows} - {None}).values_list(
            "pk", "reference"
        )
    )
    client_ids = {r["client_id"] for r in rows if r["client_id"]}
    partners = {
        p.client_id: p
        for p in PartnerClient.objects.filter(application__client_id__in=client_ids).select_related(
            "application", "agency"
        )
    }
    kinds = dict(AccessPurpose.choices)
    described = []
    for row in rows:
        user = users.get(row["user_id"]) if row["user_id"] else None
        partner = partners.get(row["client_id"])
        if user is not None:
            who, role = user.full_name, user.role_and_agency
        elif partner is not None:
            who, role = f"Partner system {partner.application.name}", str(partner.agency)
        else:
            who, role = "Partner system", row["client_id"] or ""
        described.append(
            Access(
                at=row["first_at"],
                user_id=row["user_id"],
                case_id=row["case_id"] if row["case_id"] in references else None,
                who=who,
                role_and_agency=role,
                case_reference=references.get(row["case_id"], ""),
                what=readable_route(row["route"]),
                kind=kinds.get(row["purpose"], "Not recorded"),
                children=row["children"],
                emergency=row["grant"] is not None,
            )
        )
    return described


CSV_HEADER = (
    "When",
    "Who",
    "Role and agency",
    "Case",
    "What was opened",
    "Kind",
    "Children shown",
    "Access",
)

CSV_BATCH = 500


def csv_rows(filters: AccessFilters) -> Iterator[Sequence[object]]:
    """Every matching access, as CSV rows, read in batches.

    Rows logged while the export runs (the export's own page among them) are left out,
    so that no access is written twice or skipped.
    """
    up_to_id = RecordAccess.objects.aggregate(last=Max("id"))["last"] or 0
    rows = accesses(filters, up_to_id=up_to_id)
    start = 0
    while True:
        batch = list(rows[start : start + CSV_BATCH])
        if not batch:
            return
        for access in describe(batch):
            yield (
                timezone.localtime(access.at).strftime("%Y-%m-%d %H:%M:%S"),
                access.who,
                access.role_and_agency,
                access.case_reference,
                access.what,
                access.kind,
                access.children,
                "Emergency access" if access.emergency else "Relationship",
            )
        start += CSV_BATCH
