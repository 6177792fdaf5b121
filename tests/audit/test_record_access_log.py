"""Every look at a child's record is logged, and the log cannot be changed."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case, RecordAccess


def test_it_logs_each_child_on_the_case_page(
    case: Case, member: User, member_client: Client
) -> None:
    response = member_client.get(reverse("cases:detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    [row] = RecordAccess.objects.all()
    assert row.user == member
    assert row.case == case
    assert row.child == case.children.get()
    assert row.route == "cases:detail"
    assert row.ip_address == "10.1.2.3"
    assert row.request_id == response["X-Request-ID"]


def test_it_logs_each_row_of_my_cases(case: Case, lead: User, lead_client: Client) -> None:
    lead_client.get(reverse("cases:my_cases"))
    assert list(RecordAccess.objects.values_list("route", "case", "user")) == [
        ("cases:my_cases", case.pk, lead.pk)
    ]


def test_it_logs_nothing_for_a_refused_request(case: Case, outsider_client: Client) -> None:
    assert outsider_client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not RecordAccess.objects.exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_recordaccess SET route = 'tampered'",
        "DELETE FROM audit_recordaccess",
    ],
)
def test_it_rejects_changes_to_the_log_in_the_database(
    statement: str, case: Case, member_client: Client
) -> None:
    member_client.get(reverse("cases:detail", args=[case.pk]))
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert RecordAccess.objects.filter(route="cases:detail").count() == 1
