"""Information governance's access report: one row per access, readable names, filters
by person, case, date and kind, and an injection-safe CSV of the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Team, User
from audit.reports import ROUTE_LABELS, readable_route
from cases.models import Case, Child
from cases.services.teams import add_professional_to_team
from tests import personas
from tests.helpers import client_for

REPORT = "audit:access_report"


@pytest.fixture
def two_children_case(
    make_child: Callable[..., Child], make_family: Callable[..., object], lead: User, member: User
) -> Case:
    first = make_child()
    second = make_child(first.family, given_names="Robin")
    case = personas.open_case([first, second], by=lead, interim_lead=lead)
    add_professional_to_team(case, professional=member, by=lead)
    return case


def _csv(client: Client, **params: str) -> list[list[str]]:
    response = client.get(reverse("audit:access_report_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_one_request_showing_two_children_is_one_row(
    two_children_case: Case, member_client: Client, auditor_client: Client
) -> None:
    member_client.get(reverse("cases:detail", args=[two_children_case.pk]))
    rows = _csv(auditor_client, case_reference=two_children_case.reference)
    assert rows[0][:5] == ["When", "Who", "Role and agency", "Case", "What was opened"]
    assert len(rows) == 2
    assert rows[1][1] == "Sam School"
    assert rows[1][4] == "Case page"
    assert rows[1][6] == "2"


def test_what_was_opened_is_named_in_words(
    case: Case, member_client: Client, auditor_client: Client
) -> None:
    member_client.get(reverse("cases:detail", args=[case.pk]))
    member_client.get(reverse("cases:my_cases"))
    body = auditor_client.get(reverse(REPORT)).content.decode()
    assert "Case page" in body
    assert "My work (list of cases)" in body
    assert "cases:detail" not in body
    assert "cases:my_cases" not in body


def test_unknown_routes_are_spelt_out_never_raw() -> None:
    assert readable_route("meetings:detail") == "Meeting"
    assert readable_route("meetings:written_update") == "Meetings: written update"
    assert ":" not in readable_route("something")
    assert all(":" not in label for label in ROUTE_LABELS.values())


def test_it_filters_by_person_case_kind_and_date(
    case: Case,
    make_child: Callable[..., Child],
    lead: User,
    member: User,
    member_client: Client,
    lead_client: Client,
    auditor_client: Client,
) -> None:
    other = personas.case_with_tac(lead, member, make_child())
    member_client.get(reverse("cases:detail", args=[case.pk]))
    member_client.get(reverse("cases:detail", args=[other.pk]))
    lead_client.get(reverse("cases:detail", args=[case.pk]))
    lead_client.get(reverse("cases:my_cases"))

    def whos(**params: str) -> list[tuple[str, str, str]]:
        return [(r[1], r[3], r[5]) for r in _csv(auditor_client, **params)[1:]]

    assert {w for w, _, _ in whos(person="sam")} == {"Sam School"}
    assert {c for _, c, _ in whos(case_reference=case.reference.lower())} == {case.reference}
    # The member's and the lead's case pages, and the lead's list (a row per case on it).
    assert len(whos(case_reference=case.reference)) == 3
    assert {k for _, _, k in whos(kind="case_list")} == {"Case list"}
    today = timezone.localdate()
    assert len(whos(**_date("date_from", today), **_date("date_to", today))) == 5
    tomorrow = today + dt.timedelta(days=1)
    assert whos(**_date("date_from", today - dt.timedelta(days=3)), **_date("date_to", today))
    assert not whos(**_date("date_to", today - dt.timedelta(days=1)))
    assert len(whos(**_date("date_to", tomorrow))) == 5

    page = auditor_client.get(reverse(REPORT), {"person": "sam"}).content.decode()
    assert "Accesses matching your filters" in page
    assert "Lena Lead" not in page.split("Accesses matching your filters")[1]
    assert 'value="sam"' in page  # the filters are kept


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def test_wrong_filters_are_explained_and_not_exported(case: Case, auditor_client: Client) -> None:
    today = timezone.localdate()
    params = {**_date("date_from", today), **_date("date_to", today - dt.timedelta(days=2))}
    response = auditor_client.get(reverse(REPORT), params)
    body = response.content.decode()
    assert "<title>Error: Access report" in body
    assert "The last day must be the same as or after the first day" in body
    assert 'href="#id_date_to_day"' in body or 'href="#id_date_to"' in body
    bad_kind = auditor_client.get(reverse(REPORT), {"kind": "nonsense"}).content.decode()
    assert "Select a kind of access from the list" in bad_kind
    export = auditor_client.get(reverse("audit:access_report_csv"), params)
    assert export.status_code == 302


def test_the_csv_is_safe_to_open_in_a_spreadsheet(
    case: Case, early_help_team: Team, auditor_client: Client
) -> None:
    hostile = User.objects.create_user(
        "hostile@demo-la.example",
        "x-Unused-password-123",
        full_name='=HYPERLINK("http://evil.example","Click")',
        agency=early_help_team.agency,
        team=early_help_team,
    )
    case.lead_assignments.update(professional=hostile)
    client_for(hostile).get(reverse("cases:detail", args=[case.pk]))
    rows = _csv(auditor_client, case_reference=case.reference)
    assert rows[1][1] == "'" + hostile.full_name


def test_the_download_link_keeps_the_filters(
    case: Case, member_client: Client, auditor_client: Client
) -> None:
    member_client.get(reverse("cases:detail", args=[case.pk]))
    body = auditor_client.get(reverse(REPORT), {"person": "Sam"}).content.decode()
    assert f"{reverse('audit:access_report_csv')}?person=Sam" in body


def test_each_row_links_to_the_case_and_person_reports(
    case: Case, member: User, member_client: Client, auditor_client: Client
) -> None:
    member_client.get(reverse("cases:detail", args=[case.pk]))
    body = auditor_client.get(reverse(REPORT)).content.decode()
    case_report = reverse("audit:case_access", args=[case.pk])
    person_report = reverse("audit:professional_access", args=[member.pk])
    assert case_report in body
    assert person_report in body
    assert auditor_client.get(case_report).status_code == 200
    assert auditor_client.get(person_report).status_code == 200
