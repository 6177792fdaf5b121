"""Keeping a family's record true: the pages reached from the case page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import (
    Case,
    Child,
    DetailChange,
    FamilyMember,
    Restriction,
    RestrictionTarget,
)
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _body(response: Any) -> str:
    return str(response.content.decode())


def _child_url(case: Case) -> str:
    return reverse("cases:child_details", args=[case.pk, case.children.get().pk])


def _child_form(child: Child, **overrides: str) -> dict[str, str]:
    data = {
        "version": str(child.version),
        "given_names": child.given_names,
        "family_name": child.family_name,
        "also_known_as": child.also_known_as,
        "date_of_birth_day": str(child.date_of_birth.day) if child.date_of_birth else "",
        "date_of_birth_month": str(child.date_of_birth.month) if child.date_of_birth else "",
        "date_of_birth_year": str(child.date_of_birth.year) if child.date_of_birth else "",
        "sex": child.sex,
        "address": child.address,
        "postcode": child.postcode,
        "nhs_number": child.nhs_number,
        "ethnicity": child.ethnicity,
        "disability_status": child.disability_status,
        "sen_status": child.sen_status,
        "first_language": child.first_language,
        "school_urn": child.school_urn,
        "upn": child.upn,
        "reason": "",
    }
    data.update(overrides)
    return data


def test_the_case_page_offers_changes_to_those_who_keep_the_details(
    case: Case, lead_client: Client, member_client: Client, member_manager: User
) -> None:
    for client in (lead_client, member_client):
        body = _body(client.get(reverse("cases:detail", args=[case.pk])))
        assert _child_url(case) in body
        assert reverse("cases:add_adult", args=[case.pk]) in body
        assert reverse("cases:add_child_to_case", args=[case.pk]) in body
        assert reverse("cases:family_details", args=[case.pk]) in body
    body = _body(client_for(member_manager).get(reverse("cases:detail", args=[case.pk])))
    assert _child_url(case) not in body
    assert reverse("cases:add_adult", args=[case.pk]) not in body
    assert client_for(member_manager).get(_child_url(case)).status_code == 403


def test_correcting_a_date_of_birth_asks_why_and_shows_the_history(
    case: Case, lead_client: Client
) -> None:
    child = case.children.get()
    # The address comes back as a browser sends a textarea: lines ending "\r\n".
    data = _child_form(
        child,
        date_of_birth_day="15",
        date_of_birth_month="7",
        address=child.address.replace("\n", "\r\n"),
    )
    response = lead_client.post(_child_url(case), data)
    assert response.status_code == 200
    assert "Say why the name, date of birth or address is changing" in _body(response)
    child.refresh_from_db()
    assert child.date_of_birth == dt.date(2016, 5, 17)

    data["reason"] = "Birth certificate seen at the home visit"
    response = lead_client.post(_child_url(case), data)
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.date_of_birth == dt.date(2016, 7, 15)
    assert list(DetailChange.objects.values_list("field_name", flat=True)) == ["date_of_birth"]
    page = _body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert "Birth certificate seen at the home visit" in page
    assert "17 May 2016" in page
    assert "15 July 2016" in page


def test_a_stale_form_is_refused_with_a_clear_message(case: Case, lead_client: Client) -> None:
    child = case.children.get()
    stale = _child_form(child, sex="male")
    assert lead_client.post(_child_url(case), _child_form(child, sex="unknown")).status_code == 302
    response = lead_client.post(_child_url(case), stale)
    assert response.status_code == 200
    assert "Someone else changed this since you opened it" in _body(response)
    child.refresh_from_db()
    assert child.sex == "unknown"


def test_bad_statutory_facts_get_field_messages(case: Case, lead_client: Client) -> None:
    child = case.children.get()
    response = lead_client.post(
        _child_url(case),
        _child_form(child, nhs_number="4857773456", upn="12345", school_urn="12"),
    )
    body = _body(response)
    assert response.status_code == 200
    assert "check digit is wrong" in body
    assert "Enter a UPN of 13 characters" in body
    assert "Enter the school&#x27;s URN" in body


def test_the_statutory_facts_are_recorded(case: Case, lead_client: Client) -> None:
    child = case.children.get()
    response = lead_client.post(
        _child_url(case),
        _child_form(
            child,
            ethnicity="MWBC",
            disability_status="declined",
            sen_status="sen_support",
            first_language="Somali",
            nhs_number="485 777 3457",
            upn="A123456789012",
            school_urn="100000",
        ),
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.ethnicity, child.disability_status, child.sen_status) == (
        "MWBC",
        "declined",
        "sen_support",
    )
    assert (child.nhs_number, child.upn, child.school_urn) == (
        "4857773457",
        "A123456789012",
        "100000",
    )
    page = _body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert "SEN support" in page
    assert "Somali" in page


def test_a_new_name_that_matches_another_record_warns_and_links_to_it(
    case: Case, lead: User, lead_client: Client, make_case: Callable[..., Case]
) -> None:
    other_case = make_case()  # a child of another family, in a case the lead runs
    other = other_case.children.get()
    other.given_names, other.family_name = "Morgan", "Brightwater"
    other.save()
    child = case.children.get()
    response = lead_client.post(
        _child_url(case),
        _child_form(
            child,
            given_names="Morgan",
            family_name="Brightwater",
            reason="Known by her mother's name",
        ),
    )
    body = _body(response)
    assert response.status_code == 200
    assert "another record may be the same child" in body
    assert reverse("cases:detail", args=[other_case.pk]) in body


def test_a_restricted_address_is_neither_shown_nor_changed_on_the_form(
    case: Case, lead: User, lead_client: Client
) -> None:
    child = case.children.get()
    Restriction.objects.create(
        case=case,
        target=RestrictionTarget.CHILD,
        target_id=child.pk,
        field_name="address",
        reason="Fleeing domestic abuse",
        set_by=lead,
        set_at=timezone.now(),
        review_due=timezone.localdate() + dt.timedelta(days=90),
    )
    body = _body(lead_client.get(_child_url(case)))
    assert child.address.splitlines()[0] not in body
    assert 'name="address"' not in body
    response = lead_client.post(
        _child_url(case), _child_form(child, address="Somewhere else", reason="Moved")
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.address != "Somewhere else"


def test_the_family_address_changes_with_a_reason(case: Case, member_client: Client) -> None:
    url = reverse("cases:family_details", args=[case.pk])
    data = {
        "version": "1",
        "name": case.family.name,
        "address": "9 Elm Road",
        "postcode": "DT2 2BB",
        "reason": "",
    }
    assert "Say why the address is changing" in _body(member_client.post(url, data))
    data["reason"] = "They moved in March"
    assert member_client.post(url, data).status_code == 302
    case.family.refresh_from_db()
    assert case.family.address == "9 Elm Road"
    assert DetailChange.objects.filter(family=case.family, field_name="address").exists()


ADULT = {
    "given_names": "Sam",
    "family_name": "Fairweather",
    "relationship": "father",
    "parental_responsibility": "yes",
    "lives_with_children": "no",
    "phone": "07700 900123",
    "preferred_contact_method": "text",
    "language": "Polish",
    "interpreter_required": "on",
}


def test_adding_a_second_carer_saves_once(case: Case, lead_client: Client) -> None:
    url = reverse("cases:add_adult", args=[case.pk])
    FamilyMember.objects.create(
        family=case.family, given_names="Alex", family_name="Fairweather", relationship="mother"
    )
    data = {**ADULT, "submission_token": "a" * 32}
    assert lead_client.post(url, data).status_code == 302
    assert lead_client.post(url, data).status_code == 302  # sent twice: saved once
    sam = FamilyMember.objects.get(given_names="Sam")
    assert sam.parental_responsibility == "yes"
    assert sam.lives_with_children is False
    assert sam.interpreter_required is True
    assert case.family.members.count() == 2
    page = _body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert "Sam Fairweather" in page
    assert "Polish" in page


def test_an_adult_form_explains_what_is_missing(case: Case, lead_client: Client) -> None:
    url = reverse("cases:add_adult", args=[case.pk])
    body = _body(
        lead_client.post(url, {"preferred_contact_method": "email", "submission_token": "b" * 32})
    )
    for message in (
        "Enter their given names",
        "Choose their relationship to the child",
        "Say whether they have parental responsibility",
        "Say whether they live with the child",
    ):
        assert message in body
    assert not FamilyMember.objects.exists()


def test_changing_an_adult_keeps_the_history(
    case: Case, lead_client: Client, family_member: FamilyMember
) -> None:
    url = reverse("cases:change_adult", args=[case.pk, family_member.pk])
    data = {
        **ADULT,
        "given_names": "Pat",
        "family_name": "Parent",
        "relationship": "mother",
        "lives_with_children": "yes",
        "version": "1",
        "reason": "",
    }
    assert lead_client.post(url, data).status_code == 302
    family_member.refresh_from_db()
    assert family_member.phone == "07700 900123"
    assert family_member.version == 2
    assert DetailChange.objects.filter(family_member=family_member, field_name="phone").exists()


def test_an_adult_of_another_family_is_not_found(
    case: Case, lead_client: Client, make_family: Any
) -> None:
    stranger = FamilyMember.objects.create(
        family=make_family(), given_names="Kit", family_name="Other", relationship="mother"
    )
    url = reverse("cases:change_adult", args=[case.pk, stranger.pk])
    assert lead_client.get(url).status_code == 404


SIBLING = {
    "given_names": "Robin",
    "family_name": "Fairweather",
    "date_of_birth_day": "3",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2019",
    "sex": "male",
    "nhs_number": "",
}


def test_a_sibling_is_added_to_the_case_after_the_check(case: Case, lead_client: Client) -> None:
    url = reverse("cases:add_child_to_case", args=[case.pk])
    response = lead_client.post(url, {**SIBLING, "submission_token": "c" * 32})
    assert response.status_code == 302
    robin = Child.objects.get(given_names="Robin")
    assert robin.family_id == case.family_id
    assert case.children.filter(pk=robin.pk).exists()
    assert robin.address == case.family.address


def test_a_possible_match_is_shown_before_a_sibling_is_added(
    case: Case, lead_client: Client, make_child: Callable[..., Child], make_case: Any
) -> None:
    known = make_child(given_names="Robin", family_name="Fairweather", date_of_birth="2019-02-03")
    # Known to the lead through a closed case of their own.
    earlier = make_case(children=[known])
    Case.objects.filter(pk=earlier.pk).update(status=Case.Status.CLOSED)
    earlier.subjects.update(is_open=False)
    url = reverse("cases:add_child_to_case", args=[case.pk])
    response = lead_client.post(url, {**SIBLING, "submission_token": "d" * 32})
    body = _body(response)
    assert response.status_code == 200
    assert "This child may already have a record" in body
    assert "Add Robin Fairweather to this case" in body
    assert not case.children.filter(given_names="Robin").exists()

    response = lead_client.post(
        reverse("cases:add_known_child", args=[case.pk]),
        {"child": str(known.pk), "submission_token": "e" * 32},
    )
    assert response.status_code == 302
    assert case.children.filter(pk=known.pk).exists()
    assert Child.objects.filter(given_names="Robin").count() == 1


def test_a_child_the_user_cannot_see_cannot_be_added_by_id(
    case: Case, lead_client: Client, make_child: Callable[..., Child]
) -> None:
    unseen = make_child(given_names="Kim", family_name="Hidden")
    response = lead_client.post(
        reverse("cases:add_known_child", args=[case.pk]),
        {"child": str(unseen.pk), "submission_token": "f" * 32},
    )
    assert response.status_code == 404
    assert not case.children.filter(pk=unseen.pk).exists()


def test_a_restricted_adult_is_shown_restricted_and_not_offered_for_change(
    case: Case, lead: User, lead_client: Client, family_member: FamilyMember
) -> None:
    Restriction.objects.create(
        case=case,
        target=RestrictionTarget.FAMILY_MEMBER,
        target_id=family_member.pk,
        field_name="",
        reason="An informant",
        set_by=lead,
        set_at=timezone.now(),
        review_due=timezone.localdate() + dt.timedelta(days=90),
    )
    url = reverse("cases:change_adult", args=[case.pk, family_member.pk])
    page = _body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert "Pat Parent" not in page
    assert url not in page
    assert lead_client.get(url).status_code == 403
