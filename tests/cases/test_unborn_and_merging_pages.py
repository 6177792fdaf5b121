"""Unborn children, the birth and merging duplicate records: the pages and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseSubject, Child, ChildMerge, ClosureReason, FamilyMember
from cases.services.merging import merge_children
from cases.services.unborn import NewUnbornChild, add_unborn_child_to_case
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


def _body(response: Any) -> str:
    return str(response.content.decode())


def edd(days: int = 60) -> dt.date:
    return timezone.localdate() + timedelta(days=days)


# --- Unborn children ---------------------------------------------------------------------


def test_add_a_child_offers_an_unborn_child_and_starts_early_help(
    lead_client: Client, lead: User
) -> None:
    assert reverse("cases:add_unborn") in _body(lead_client.get(reverse("cases:add_child")))
    response = lead_client.post(
        reverse("cases:add_unborn"),
        {
            "submission_token": "u" * 32,
            **date_fields("expected_date_of_delivery", edd()),
            "mother_given_names": "Rosa",
            "mother_family_name": "Lindqvist",
            "address": "2 Quay Row",
            "postcode": "AB1 2CD",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(family_name="Lindqvist")
    assert child.is_unborn
    case = Case.objects.get(subjects__child=child)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    page = _body(lead_client.get(response["Location"]))
    assert "Unborn baby Lindqvist" in page
    assert reverse("cases:record_birth", args=[case.pk, child.pk]) in page


def test_an_unborn_child_needs_a_date_and_the_mother(lead_client: Client) -> None:
    response = lead_client.post(
        reverse("cases:add_unborn"), {"submission_token": "v" * 32, "postcode": "AB1 2CD"}
    )
    body = _body(response)
    assert response.status_code == 200
    assert "Enter the expected date of delivery" in body
    assert "Enter the expectant mother&#x27;s given names" in body
    assert not Child.objects.filter(is_unborn=True).exists()


def test_an_unborn_sibling_is_added_from_the_case_against_a_recorded_mother(
    lead_client: Client, case: Case, family_member: FamilyMember
) -> None:
    page = _body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    url = reverse("cases:add_unborn_to_case", args=[case.pk])
    assert url in page
    response = lead_client.post(
        url,
        {
            "submission_token": "w" * 32,
            **date_fields("expected_date_of_delivery", edd()),
            "mother": str(family_member.pk),
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(is_unborn=True)
    assert child.expectant_mother == family_member
    assert CaseSubject.objects.filter(case=case, child=child).exists()


def test_the_same_baby_twice_is_questioned_and_a_twin_confirmed(
    lead_client: Client, case: Case, family_member: FamilyMember
) -> None:
    url = reverse("cases:add_unborn_to_case", args=[case.pk])
    data = {
        **date_fields("expected_date_of_delivery", edd()),
        "mother": str(family_member.pk),
    }
    assert lead_client.post(url, {**data, "submission_token": "x" * 32}).status_code == 302
    again = lead_client.post(url, {**data, "submission_token": "y" * 32})
    assert again.status_code == 200
    assert "already recorded against this mother" in _body(again)
    assert 'name="another_baby"' in _body(again)
    twin = lead_client.post(url, {**data, "another_baby": "on", "submission_token": "z" * 32})
    assert twin.status_code == 302
    assert Child.objects.filter(is_unborn=True, expectant_mother=family_member).count() == 2


def test_the_birth_is_recorded_from_the_case_page(
    lead_client: Client, case: Case, lead: User, family_member: FamilyMember
) -> None:
    child = add_unborn_child_to_case(
        case, NewUnbornChild(expected_date_of_delivery=edd(3)), mother=family_member, by=lead
    )
    url = reverse("cases:record_birth", args=[case.pk, child.pk])
    refused = lead_client.post(url, {"version": str(child.version), "given_names": "Ada"})
    assert refused.status_code == 200
    assert "Select the child&#x27;s sex" in _body(refused)
    response = lead_client.post(
        url,
        {
            "version": str(child.version),
            **date_fields("date_of_birth", timezone.localdate()),
            "given_names": "Ada",
            "family_name": "Fairweather",
            "sex": "female",
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert not child.is_unborn
    assert child.full_name == "Ada Fairweather"
    again = lead_client.get(url)
    assert again.status_code == 302  # already born: back to the case


def test_outsiders_do_not_reach_the_unborn_pages(
    outsider_client: Client, case: Case, family_member: FamilyMember, lead: User
) -> None:
    child = add_unborn_child_to_case(
        case, NewUnbornChild(expected_date_of_delivery=edd()), mother=family_member, by=lead
    )
    assert (
        outsider_client.get(reverse("cases:add_unborn_to_case", args=[case.pk])).status_code == 404
    )
    assert (
        outsider_client.get(reverse("cases:record_birth", args=[case.pk, child.pk])).status_code
        == 404
    )


# --- Merging -----------------------------------------------------------------------------


@pytest.fixture
def duplicates(
    make_child: Callable[..., Child], make_case: Callable[..., Case]
) -> tuple[Child, Child, Case, Case]:
    kept = make_child(given_names="Milo", family_name="Okafor")
    other = make_child(given_names="Milo", family_name="Okafor")
    open_case = make_case(children=[kept])
    closed_case = make_case(children=[other])
    Case.objects.filter(pk=closed_case.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now(), closure_reason=ClosureReason.NEEDS_MET
    )
    CaseSubject.objects.filter(case=closed_case).update(is_open=False)
    return kept, other, open_case, closed_case


def test_a_manager_merges_from_the_case_page(
    manager_client: Client, lead_client: Client, duplicates: tuple[Child, Child, Case, Case]
) -> None:
    kept, other, open_case, _ = duplicates
    url = reverse("cases:merge_child", args=[open_case.pk, kept.pk])
    assert url in _body(manager_client.get(reverse("cases:detail", args=[open_case.pk])))
    assert url not in _body(lead_client.get(reverse("cases:detail", args=[open_case.pk])))
    assert lead_client.get(url).status_code == 403
    page = manager_client.get(url)
    assert page.status_code == 200
    assert f'value="{other.pk}"' in _body(page)
    missing = manager_client.post(url, {"version": str(kept.version), "other": str(other.pk)})
    assert "Say why these two records are the same child" in _body(missing)
    response = manager_client.post(
        url,
        {
            "version": str(kept.version),
            "other": str(other.pk),
            "keep": "this",
            "reason": "Same NHS number",
        },
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == kept
    # The old identifier answers with where the record went.
    old = reverse("cases:child_details", args=[open_case.pk, other.pk])
    moved = lead_client.get(old)
    assert moved.status_code == 302
    assert moved["Location"] == reverse("cases:child_details", args=[open_case.pk, kept.pk])
    # The manager can undo it from the case page.
    merge = ChildMerge.objects.get()
    case_page = _body(manager_client.get(reverse("cases:detail", args=[open_case.pk])))
    assert reverse("cases:merge_undo", args=[open_case.pk, merge.pk]) in case_page


def test_a_manager_not_named_on_a_restriction_is_told_whom_to_ask(
    manager_client: Client,
    manager: User,
    lead: User,
    duplicates: tuple[Child, Child, Case, Case],
) -> None:
    from cases.models import Restriction, RestrictionTarget

    kept, other, open_case, closed_case = duplicates
    restriction = Restriction.objects.create(
        case=closed_case,
        target=RestrictionTarget.CHILD,
        target_id=other.pk,
        field_name="address",
        reason="Fled domestic abuse",
        set_by=lead,
        set_at=timezone.now(),
        review_due=timezone.localdate() + timedelta(days=90),
    )
    url = reverse("cases:merge_child", args=[open_case.pk, kept.pk])
    form = {"version": str(kept.version), "other": str(other.pk), "keep": "this", "reason": "Same"}
    refused = manager_client.post(url, form)
    assert refused.status_code in (200, 400)
    assert "you are not named on the restriction" in _body(refused)
    assert str(lead) in _body(refused)
    assert not ChildMerge.objects.exists()

    restriction.named_users.add(manager)
    assert manager_client.post(url, form).status_code == 302
    other.refresh_from_db()
    assert other.merged_into == kept


def test_a_manager_undoes_a_merge_with_a_reason(
    manager_client: Client, manager: User, duplicates: tuple[Child, Child, Case, Case]
) -> None:
    kept, other, open_case, closed_case = duplicates
    merge = merge_children(kept=kept, merged=other, reason="Same", by=manager)
    kept.refresh_from_db()
    url = reverse("cases:merge_undo", args=[open_case.pk, merge.pk])
    manager_client.post(url, {"version": str(kept.version), "reason": ""})
    other.refresh_from_db()
    assert other.merged_into == kept
    response = manager_client.post(url, {"version": str(kept.version), "reason": "Twins"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.merged_into is None
    assert CaseSubject.objects.filter(child=other, case=closed_case).exists()


def test_the_duplicate_warning_offers_a_manager_the_merge(
    manager_client: Client, duplicates: tuple[Child, Child, Case, Case]
) -> None:
    kept, other, open_case, _ = duplicates
    Child.objects.filter(pk=other.pk).update(given_names="Miles")
    response = manager_client.post(
        reverse("cases:child_details", args=[open_case.pk, kept.pk]),
        {
            "version": str(kept.version),
            "given_names": "Miles",
            "family_name": kept.family_name,
            "also_known_as": "",
            **date_fields("date_of_birth", kept.date_of_birth or dt.date(2016, 5, 17)),
            "sex": kept.sex,
            "address": kept.address,
            "postcode": kept.postcode,
            "nhs_number": "",
            "ethnicity": kept.ethnicity,
            "disability_status": kept.disability_status,
            "sen_status": kept.sen_status,
            "first_language": "",
            "school_urn": "",
            "upn": "",
            "reason": "Birth certificate seen",
        },
    )
    body = _body(response)
    assert 'id="possible-duplicate"' in body
    assert reverse("cases:merge_child", args=[open_case.pk, kept.pk]) in body
