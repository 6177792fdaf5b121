"""Access reports: who looked at a case, and what a professional looked at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import BreakGlassGrant, Case, RecordAccess
from tests.helpers import client_for


@pytest.fixture
def looked_at(case: Case, member_client: Client, outsider_client: Client) -> BreakGlassGrant:
    member_client.get(reverse("cases:detail", args=[case.pk]))
    outsider_client.post(
        reverse("audit:break_glass_request"),
        {
            "reference": case.reference,
            "reason_code": BreakGlassGrant.ReasonCode.OUT_OF_HOURS_DUTY,
            "justification": "Called to the address overnight.",
        },
    )
    outsider_client.get(reverse("cases:detail", args=[case.pk]))
    return BreakGlassGrant.objects.get()


PERSONA_FIXTURES = {
    "lead": "lead",
    "member": "member",
    "manager": "manager",
    "coordinator": "coordinator",
    "outsider": "outsider",
    "admin": "admin_user",
    "auditor": "auditor",
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 200),
        ("member", 404),
        ("manager", 200),
        ("coordinator", 404),
        ("outsider", 404),
        ("admin", 404),
        ("auditor", 200),
    ],
)
def test_who_may_read_a_cases_access_report(
    persona: str, status: int, case: Case, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(PERSONA_FIXTURES[persona]))
    response = client.get(reverse("audit:case_access", args=[case.pk]))
    assert response.status_code == status


def test_a_missing_case_report_is_a_404(auditor_client: Client) -> None:
    assert auditor_client.get(reverse("audit:case_access", args=[999_999])).status_code == 404


def test_the_case_report_shows_who_looked_and_emergency_access(
    case: Case, looked_at: BreakGlassGrant, lead_client: Client
) -> None:
    body = lead_client.get(reverse("audit:case_access", args=[case.pk])).content.decode()
    assert "Sam School" in body
    assert "Otto Outsider" in body
    assert "Out-of-hours duty" in body
    assert "Called to the address overnight." in body
    assert "Emergency access</strong>" in body
    assert "Case page" in body


def test_the_case_page_links_to_the_report_for_those_allowed(
    case: Case, lead_client: Client, member_client: Client
) -> None:
    url = reverse("cases:detail", args=[case.pk])
    link = reverse("audit:case_access", args=[case.pk])
    assert link in lead_client.get(url).content.decode()
    assert link not in member_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("lead", 404),
        ("member", 404),
        ("manager", 200),
        ("coordinator", 404),
        ("outsider", 404),
        ("admin", 404),
        ("auditor", 200),
    ],
)
def test_who_may_read_a_professionals_report(
    persona: str, status: int, lead: User, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(PERSONA_FIXTURES[persona]))
    response = client.get(reverse("audit:professional_access", args=[lead.pk]))
    assert response.status_code == status


def test_the_professional_report_lists_case_references_not_children(
    case: Case, looked_at: BreakGlassGrant, outsider: User, auditor_client: Client
) -> None:
    url = reverse("audit:professional_access", args=[outsider.pk])
    body = auditor_client.get(url).content.decode()
    assert case.reference in body
    assert "Emergency access</strong>" in body
    assert case.children.get().family_name not in body


def test_only_information_governance_sees_the_grant_list(
    looked_at: BreakGlassGrant, auditor_client: Client, manager_client: Client
) -> None:
    url = reverse("audit:break_glass_list")
    assert manager_client.get(url).status_code == 404
    body = auditor_client.get(url).content.decode()
    assert "Otto Outsider" in body
    assert "Not reviewed" in body


def _rows(case: Case, user: User, n: int) -> None:
    child = case.children.get()
    RecordAccess.objects.bulk_create(
        [RecordAccess(user=user, child=child, case=case, route="cases:detail") for _ in range(n)]
    )


def _grants(case: Case, user: User, n: int) -> None:
    now = timezone.now()
    BreakGlassGrant.objects.bulk_create(
        [
            BreakGlassGrant(
                user=user,
                case=case,
                reason_code="OTHER",
                justification="j",
                granted_at=now,
                expires_at=now + dt.timedelta(hours=1),
            )
            for _ in range(n)
        ]
    )


@pytest.mark.parametrize(
    ("route", "args"),
    [
        ("audit:case_access", lambda case, user: [case.pk]),
        ("audit:professional_access", lambda case, user: [user.pk]),
        ("audit:break_glass_list", lambda case, user: []),
    ],
)
def test_reports_run_a_fixed_number_of_queries_and_page_at_50(
    route: str,
    args: Callable[[Case, User], list[int]],
    case: Case,
    member: User,
    outsider: User,
    auditor_client: Client,
) -> None:
    url = reverse(route, args=args(case, member))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert auditor_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _rows(case, member, 1)
    _grants(case, outsider, 1)
    few = count()
    _rows(case, member, 60)
    _grants(case, outsider, 60)
    assert count() == few
    second = auditor_client.get(url, {"page": 2})
    assert second.status_code == 200
    # Opening a case's report is itself a read of the case: the auditor's three looks
    # are on it too.
    own_looks = 3 if route == "audit:case_access" else 0
    assert len(second.context["page"].object_list) - own_looks in {11, 12}
