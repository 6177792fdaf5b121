"""An adult's relationship, parental responsibility and home, child by child: a parent of
one child may be the step-parent of another (DOMAIN §2.2 D)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case, CaseEvent, Child, ChildRelationship, DetailChange, FamilyMember
from cases.services.children import add_existing_child_to_case
from cases.services.common import CaseError
from cases.services.family import set_relationship_to_child
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def stepdad(case: Case) -> FamilyMember:
    return FamilyMember.objects.create(
        family=case.family,
        given_names="Dale",
        family_name="Fairweather",
        relationship=FamilyMember.Relationship.FATHER,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )


@pytest.fixture
def sibling(case: Case, lead: User, make_child: Callable[..., Child]) -> Child:
    return add_existing_child_to_case(
        case, make_child(given_names="Noah", family=case.family), by=lead
    )


def test_it_records_a_different_relationship_to_one_child_with_history(
    case: Case, lead: User, stepdad: FamilyMember, sibling: Child
) -> None:
    first = case.children.exclude(pk=sibling.pk).get()
    link = set_relationship_to_child(
        stepdad,
        case=case,
        child=first,
        relationship=FamilyMember.Relationship.STEP_PARENT,
        parental_responsibility=FamilyMember.ParentalResponsibility.NO,
        lives_with_child=True,
        reason="Dale is the father of Noah only",
        by=lead,
    )
    assert (link.relationship, link.parental_responsibility) == ("step_parent", "no")
    change = DetailChange.objects.get(field_name="relationship_to_child")
    assert change.family_member == stepdad
    assert change.new_value.startswith("Step-parent")
    assert change.reason == "Dale is the father of Noah only"
    assert CaseEvent.objects.filter(case=case, code="family.relationship_to_child").exists()

    # The same again changes nothing; a change is recorded once more.
    set_relationship_to_child(
        stepdad,
        case=case,
        child=first,
        relationship="step_parent",
        parental_responsibility="no",
        lives_with_child=True,
        by=lead,
    )
    assert DetailChange.objects.filter(field_name="relationship_to_child").count() == 1
    set_relationship_to_child(
        stepdad,
        case=case,
        child=first,
        relationship="step_parent",
        parental_responsibility="yes",
        lives_with_child=True,
        reason="Court order seen",
        by=lead,
    )
    assert ChildRelationship.objects.get().parental_responsibility == "yes"
    assert DetailChange.objects.filter(field_name="relationship_to_child").count() == 2


def test_it_refuses_a_child_outside_the_case_and_people_who_do_not_keep_the_record(
    case: Case,
    lead: User,
    outsider: User,
    stepdad: FamilyMember,
    make_child: Callable[..., Child],
) -> None:
    stranger = make_child(given_names="Other")
    with pytest.raises(CaseError):
        set_relationship_to_child(
            stepdad,
            case=case,
            child=stranger,
            relationship="father",
            parental_responsibility="yes",
            lives_with_child=True,
            by=lead,
        )
    with pytest.raises(PermissionDenied):
        set_relationship_to_child(
            stepdad,
            case=case,
            child=case.children.get(),
            relationship="father",
            parental_responsibility="yes",
            lives_with_child=True,
            by=outsider,
        )
    assert not ChildRelationship.objects.exists()


def test_the_case_page_offers_it_when_there_are_several_children(
    case: Case, lead_client: Client, stepdad: FamilyMember, make_child: Callable[..., Child]
) -> None:
    url = reverse("cases:relationship_to_child", args=[case.pk, stepdad.pk])
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url not in page
    noah = add_existing_child_to_case(
        case,
        make_child(given_names="Noah", family=case.family),
        by=case.lead_assignment.professional,  # type: ignore[union-attr]
    )
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in page

    refused = lead_client.post(url, {"child": str(noah.pk), "relationship": ""})
    assert refused.status_code == 200
    assert "Choose their relationship to the child" in refused.content.decode()
    assert "Say whether they live with the child" in refused.content.decode()

    response = lead_client.post(
        url,
        {
            "child": str(noah.pk),
            "relationship": "father",
            "parental_responsibility": "yes",
            "lives_with_child": "no",
            "reason": "",
        },
    )
    assert response.status_code == 302
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "To Noah" in page
    assert "Father; parental responsibility: yes; lives elsewhere" in page


def test_outsiders_do_not_reach_it_and_the_tac_keeps_it(
    case: Case, outsider: User, member: User, stepdad: FamilyMember
) -> None:
    url = reverse("cases:relationship_to_child", args=[case.pk, stepdad.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    # The TAC's members keep the family's details, as they do the adults' own.
    assert client_for(member).get(url).status_code == 200
    other = reverse("cases:relationship_to_child", args=[case.pk, 999_999])
    assert client_for(member).get(other).status_code == 404
