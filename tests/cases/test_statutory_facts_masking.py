"""The statutory facts (ethnicity, disability, special educational needs, first language,
school with its URN and the pupil number, NHS number) are restricted like any other
sensitive detail: masked on the case page, its history, the child's form and the
assessment, until a named person unmasks them with a reason (DOMAIN §6.2 rule 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from audit import services
from cases.masking import MASK
from cases.models import Case, Child, DisabilityStatus, RestrictionTarget, SenStatus
from cases.services.children import change_child_details
from tests.cases.test_family_record_pages import _child_form
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

FACTS = ("ethnicity", "disability_status", "sen_status", "first_language", "nhs_number")


@pytest.fixture
def child(case: Case) -> Child:
    child = case.children.get()
    Child.objects.filter(pk=child.pk).update(
        ethnicity="WROM",
        disability_status=DisabilityStatus.YES,
        sen_status=SenStatus.EHC_PLAN,
        first_language="Romanian",
        interpreter_required=True,
        nhs_number="9434765919",
        upn="A123456789012",
        school_urn="100000",
    )
    child.refresh_from_db()
    return child


def _restrict(case: Case, lead: User, member: User, child: Child, *fields: str) -> None:
    for field_name in fields:
        services.set_restriction(
            case,
            by=lead,
            target=RestrictionTarget.CHILD,
            target_id=child.pk,
            field_name=field_name,
            reason="Only the named people may know this.",
            named_users=[member],
        )


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_each_fact_can_be_restricted_and_is_masked_on_the_case_page(
    case: Case, child: Child, lead: User, member: User, manager: User
) -> None:
    url = reverse("cases:detail", args=[case.pk])
    before = _page(client_for(lead), url)
    for shown in ("Gypsy/Roma", "Romanian", "(EHC) plan", "9434765919", "A123456789012"):
        assert shown in before

    _restrict(case, lead, member, child, *FACTS, "school")

    for user in (lead, manager, member):
        page = _page(client_for(user), url)
        for secret in ("Gypsy/Roma", "Romanian", "interpreter", "9434765919", "A123456789012"):
            assert secret not in page, (user, secret)
        assert "Education, health and care" not in page
        assert page.count(MASK) >= 6


def test_a_named_person_unmasks_a_fact_with_a_reason(
    case: Case, child: Child, lead: User, member: User
) -> None:
    _restrict(case, lead, member, child, "ethnicity")
    from cases.models import Restriction

    restriction = Restriction.objects.get(field_name="ethnicity")
    client = client_for(member)
    url = reverse("cases:detail", args=[case.pk])
    assert "Gypsy/Roma" not in _page(client, url)
    response = client.post(
        reverse("audit:unmask", args=[restriction.pk]), {"reason": "Booking an interpreter"}
    )
    assert response.status_code == 302
    assert "Gypsy/Roma" in _page(client, url)


def test_the_childs_form_neither_shows_nor_changes_a_restricted_fact(
    case: Case, child: Child, lead: User, member: User
) -> None:
    _restrict(case, lead, member, child, "ethnicity", "nhs_number", "first_language")
    client = client_for(lead)
    url = reverse("cases:child_details", args=[case.pk, child.pk])
    page = _page(client, url)
    assert "9434765919" not in page
    assert "Romanian" not in page
    assert 'name="ethnicity"' not in page
    assert "Ethnicity is restricted" in page
    assert 'name="sen_status"' in page  # not restricted

    form: dict[str, Any] = _child_form(child, ethnicity="WBRI", nhs_number="", sen_status="none")
    form["first_language"] = "English"
    response = client.post(url, form)
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.ethnicity, child.nhs_number, child.first_language) == (
        "WROM",
        "9434765919",
        "Romanian",
    )
    assert child.sen_status == SenStatus.NONE


def test_the_history_of_a_restricted_fact_is_masked(
    case: Case, child: Child, lead: User, member: User
) -> None:
    change_child_details(
        child,
        case=case,
        changes={"ethnicity": "WIRT"},
        reason="Told at the home visit",
        expected_version=child.version,
        by=lead,
    )
    page = _page(client_for(lead), reverse("cases:detail", args=[case.pk]))
    assert "Traveller of Irish heritage" in page or "WIRT" in page
    _restrict(case, lead, member, child, "ethnicity")
    page = _page(client_for(lead), reverse("cases:detail", args=[case.pk]))
    assert "WIRT" not in page
    assert "WROM" not in page
    assert "Traveller of Irish heritage" not in page
