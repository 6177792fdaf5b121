"""Restricted details reach no partner system: masked in every API response."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from agencies.models import User
from audit import services
from cases.masking import MASK
from cases.models import Case, Child, DisabilityStatus, RestrictionTarget, SenStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted_address(case: Case, lead: User, member: User) -> Case:
    child = case.children.get()
    child.address = "7 Hidden Lane\nSafeton"
    child.postcode = "SF1 2AB"
    child.save()
    # Sam from the school is named, and still sees it masked through the API.
    services.set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.CHILD,
        target_id=child.pk,
        field_name="address",
        reason="The new address must not reach the father.",
        named_users=[member],
    )
    return case


def test_the_child_list_and_detail_mask_a_restricted_address(
    restricted_address: Case, school_api: Client
) -> None:
    child = restricted_address.children.get()

    listed = school_api.get("/api/v1/children/")
    assert listed.status_code == 200
    assert "Hidden Lane" not in listed.content.decode()
    assert "SF1 2AB" not in listed.content.decode()
    [row] = [r for r in listed.json()["results"] if r["id"] == child.pk]
    assert (row["address"], row["postcode"]) == (MASK, MASK)

    detail = school_api.get(f"/api/v1/children/{child.pk}/").json()
    assert (detail["address"], detail["postcode"]) == (MASK, MASK)
    assert detail["family_name"] == child.family_name  # only the restricted detail is masked


def test_unrestricted_children_are_shown_in_full(case: Case, school_api: Client) -> None:
    child = case.children.get()
    detail = school_api.get(f"/api/v1/children/{child.pk}/").json()
    assert detail["address"] == child.address
    assert detail["postcode"] == child.postcode


def test_a_step_on_the_case_moves_it_into_the_next_sync(
    case: Case, lead: User, school_api: Client
) -> None:
    import datetime as dt

    from cases.services.teams import add_external_contact_to_team

    before = Case.objects.get(pk=case.pk).updated_at
    since = (before + dt.timedelta(microseconds=1)).isoformat()
    assert case.pk not in {
        r["id"]
        for r in school_api.get("/api/v1/cases/", {"updated_since": since}).json()["results"]
    }

    add_external_contact_to_team(case, name="Dana Doctor", agency="Demo Surgery", email="", by=lead)

    synced = school_api.get("/api/v1/cases/", {"updated_since": since}).json()["results"]
    assert case.pk in {r["id"] for r in synced}


def test_a_restricted_school_masks_the_urn_and_upn_too(
    case: Case, lead: User, member: User, school_api: Client
) -> None:
    child = case.children.get()
    child.school_urn, child.upn = "100000", "A123456789012"
    child.save()
    detail = school_api.get(f"/api/v1/children/{child.pk}/").json()
    assert (detail["school_urn"], detail["upn"]) == ("100000", "A123456789012")
    services.set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.CHILD,
        target_id=child.pk,
        field_name="school",
        reason="The school must not be known to the father.",
        named_users=[member],
    )
    detail = school_api.get(f"/api/v1/children/{child.pk}/").json()
    assert (detail["school"], detail["school_urn"], detail["upn"]) == (None, MASK, MASK)


def _restrict(case: Case, lead: User, member: User, child_id: int, field_name: str) -> None:
    services.set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.CHILD,
        target_id=child_id,
        field_name=field_name,
        reason="Only the named people may know this.",
        named_users=[member],
    )


def test_restricted_statutory_facts_are_masked_in_the_childs_needs(
    case: Case,
    lead: User,
    member: User,
    school_api: Client,
    share: Callable[..., object],
) -> None:
    share("additional")
    child = case.children.get()
    Child.objects.filter(pk=child.pk).update(
        nhs_number="9434765919",
        ethnicity="WROM",
        first_language="Romanian",
        interpreter_required=True,
        disability_status=DisabilityStatus.YES,
        has_disability=True,
        disability_details="Uses a wheelchair",
        sen_status=SenStatus.EHC_PLAN,
        has_sen=True,
        sen_details="EHC plan since 2022",
    )
    detail = school_api.get(f"/api/v1/children/{child.pk}/").json()
    needs = detail["additional"]
    assert detail["nhs_number"] == "9434765919"
    assert (needs["ethnicity"], needs["sen_status"]) == ("WROM", "ehc_plan")

    for field_name in ("nhs_number", "ethnicity", "disability_status", "sen_status"):
        _restrict(case, lead, member, child.pk, field_name)
    _restrict(case, lead, member, child.pk, "first_language")

    response = school_api.get(f"/api/v1/children/{child.pk}/")
    body = response.content.decode()
    for secret in ("9434765919", "WROM", "Romanian", "wheelchair", "EHC plan since"):
        assert secret not in body
    detail = response.json()
    needs = detail["additional"]
    assert detail["nhs_number"] == MASK
    assert needs["ethnicity"] == MASK
    assert needs["first_language"] == MASK
    assert needs["interpreter_required"] is None
    assert (needs["disability_status"], needs["has_disability"]) == (MASK, None)
    assert needs["disability_details"] == MASK
    assert (needs["sen_status"], needs["has_sen"], needs["sen_details"]) == (MASK, None, MASK)
    # Facts nobody restricted are shown as before.
    assert needs["religion"] == Child.objects.get(pk=child.pk).religion

    listed = school_api.get("/api/v1/children/").json()["results"]
    [row] = [r for r in listed if r["id"] == child.pk]
    assert row["additional"]["ethnicity"] == MASK
    assert row["nhs_number"] == MASK


def test_a_restricted_fact_under_basic_information_stays_absent(
    case: Case, lead: User, member: User, school_api: Client
) -> None:
    child = case.children.get()
    _restrict(case, lead, member, child.pk, "ethnicity")
    detail = school_api.get(f"/api/v1/children/{child.pk}/").json()
    assert detail["additional"] is None
