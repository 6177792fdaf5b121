"""Change history: database triggers record every change with its context; information
governance reads it for any case, those who run a case for theirs."""

from __future__ import annotations

import datetime as dt

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import (
    Case,
    Child,
    Family,
    RecordAccess,
    Restriction,
    RestrictionTarget,
    TeamMembership,
)
from cases.services.teams import add_professional_to_team
from tests.helpers import client_for

ChildHistory = Child.history.rel.related_model  # type: ignore[attr-defined]
CaseHistory = Case.history.rel.related_model  # type: ignore[attr-defined]
TeamMembershipHistory = TeamMembership.history.rel.related_model  # type: ignore[attr-defined]


def test_a_service_change_records_the_acting_user_and_url(
    case: Case, lead: User, outsider: User
) -> None:
    with pghistory.context(user=lead.pk, url="/cases/team/add/"):
        membership = add_professional_to_team(case, professional=outsider, by=lead)
    event = TeamMembershipHistory.objects.select_related("pgh_context").get(
        pgh_obj_id=membership.pk, pgh_label="insert"
    )
    assert event.pgh_context.metadata["user"] == lead.pk
    assert event.pgh_context.metadata["url"] == "/cases/team/add/"
    assert event.professional_id == outsider.pk


def test_an_update_by_raw_sql_is_captured(case: Case) -> None:
    child = case.children.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_child SET given_names = %s WHERE id = %s", ["Jo", child.pk])
    event = ChildHistory.objects.filter(pgh_obj_id=child.pk).latest("pgh_id")
    assert event.pgh_label == "update"
    assert event.given_names == "Jo"


def test_a_delete_is_captured(case: Case, lead: User, outsider: User) -> None:
    membership = add_professional_to_team(case, professional=outsider, by=lead)
    TeamMembership.objects.filter(pk=membership.pk).delete()
    assert TeamMembershipHistory.objects.filter(pgh_obj_id=membership.pk, pgh_label="delete")


def test_history_rows_cannot_be_changed(case: Case) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseHistory.objects.filter(pgh_obj_id=case.pk).update(status="CLOSED")


def _review_changed(case: Case, lead: User, day: int) -> None:
    with pghistory.context(user=lead.pk, url=f"/cases/{case.pk}/"):
        Case.objects.filter(pk=case.pk).update(next_review_due=dt.date(2027, 1, day))


def test_information_governance_sees_the_changes(
    case: Case, lead: User, auditor_client: Client
) -> None:
    _review_changed(case, lead, 1)
    _review_changed(case, lead, 15)
    response = auditor_client.get(reverse("cases:history", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lena Lead" in body
    assert "Family support worker" in body
    assert "2027-01-01 → 2027-01-15" in body
    assert "Next review due" in body


def test_viewing_the_history_is_in_the_access_log(
    case: Case, auditor: User, auditor_client: Client
) -> None:
    auditor_client.get(reverse("cases:history", args=[case.pk]))
    logged = RecordAccess.objects.filter(user=auditor, route="cases:history", case_id=case.pk)
    assert {r.child_id for r in logged} == {case.children.get().pk}


@pytest.mark.parametrize("persona", ["lead", "manager", "coordinator"])
def test_those_who_run_the_case_read_its_history(
    case: Case, persona: str, request: pytest.FixtureRequest
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("cases:history", args=[case.pk])).status_code == 200
    assert RecordAccess.objects.filter(route="cases:history").count() == 1


def test_a_member_who_does_not_run_the_case_is_told_who_can(
    case: Case, member_client: Client
) -> None:
    response = member_client.get(reverse("cases:history", args=[case.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only the lead professional, their manager or the coordinator" in body
    assert "Lena Lead" in body  # the lead professional, named as the one to ask
    assert not RecordAccess.objects.filter(route="cases:history").exists()


@pytest.mark.parametrize("persona", ["outsider", "admin_user"])
def test_anyone_else_gets_404(case: Case, persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("cases:history", args=[case.pk])).status_code == 404
    assert not RecordAccess.objects.filter(route="cases:history").exists()


def test_the_lead_sees_restricted_items_masked_and_governance_sees_them(
    case: Case, lead: User, coordinator: User, lead_client: Client, auditor_client: Client
) -> None:
    family = case.family
    with pghistory.context(user=lead.pk):
        Family.objects.filter(pk=family.pk).update(address="1 Hidden Lane, Eastfield")
    Restriction.objects.create(
        case=case,
        target=RestrictionTarget.FAMILY,
        target_id=family.pk,
        field_name="address",
        reason="The family has fled violence",
        set_by=coordinator,
        set_at=timezone.now(),
        review_due=timezone.localdate() + dt.timedelta(days=90),
    )
    url = reverse("cases:history", args=[case.pk])
    lead_page = lead_client.get(url).content.decode()
    assert "Hidden Lane" not in lead_page
    assert "Restricted" in lead_page
    assert "Hidden Lane" in auditor_client.get(url).content.decode()


def test_a_missing_case_is_404(case: Case, auditor_client: Client) -> None:
    assert auditor_client.get(reverse("cases:history", args=[case.pk + 999])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(case: Case, client: Client) -> None:
    response = client.get(reverse("cases:history", args=[case.pk]))
    assert response.status_code == 302


def test_it_runs_a_fixed_number_of_queries(case: Case, lead: User, auditor_client: Client) -> None:
    url = reverse("cases:history", args=[case.pk])
    _review_changed(case, lead, 1)
    auditor_client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert auditor_client.get(url).status_code == 200
    for day in range(2, 28):
        _review_changed(case, lead, day)
    child = case.children.get()
    for n in range(30):
        Child.objects.filter(pk=child.pk).update(given_names=f"Name {n}")
    with CaptureQueriesContext(connection) as large:
        response = auditor_client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_lead_reaches_the_history_from_the_case_access_report(
    case: Case, lead_client: Client
) -> None:
    report = lead_client.get(reverse("audit:case_access", args=[case.pk])).content.decode()
    history = reverse("cases:history", args=[case.pk])
    assert history in report
    assert lead_client.get(history).status_code == 200
