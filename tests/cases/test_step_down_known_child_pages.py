"""The step-down page's duplicate check through HTTP: matches shown, answered, logged."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Team, User
from cases.models import (
    Case,
    Child,
    ChildRecordCheck,
    Family,
    FamilyMember,
    RecordAccess,
    StepDownIn,
)
from tests.cases import step_down as shared
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

URL = reverse("cases:step_down_in")
DOB = shared.DOB


def body(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def known_child(
    make_family: Callable[..., Family],
    make_child: Callable[..., Child],
    make_case: Callable[..., Case],
    lead: User,
) -> Child:
    return shared.known_child(
        make_family,
        make_child,
        make_case,
        lead,
        mothers_responsibility=FamilyMember.ParentalResponsibility.YES,
    )


@pytest.fixture
def other_manager_client(police_team: Team) -> Client:
    return client_for(shared.police_manager(police_team))


def form_data(lead: User) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "family_name": "The Rivers family",
        "address": "4 Mill Lane\nDemoton",
        "postcode": "DT3 3AA",
        "child1_given_names": "Robin",
        "child1_family_name": "Rivers",
        "child1_dob_day": str(DOB.day),
        "child1_dob_month": str(DOB.month),
        "child1_dob_year": str(DOB.year),
        "child1_sex": "male",
        "parent_given_names": "Rae",
        "parent_family_name": "Rivers",
        "parent_relationship": "mother",
        "agreement_day": str(today.day),
        "agreement_month": str(today.month),
        "agreement_year": str(today.year),
        "lead": str(lead.pk),
        "summary": "CIN plan met.",
    }


def seen(response: Any) -> str:
    found = re.search(r'name="seen_matches" value="([^"]+)"', body(response))
    assert found is not None
    return found[1]


def test_it_shows_the_known_child_before_opening_anything(
    known_child: Child, lead: User, coordinator_client: Client
) -> None:
    families = Family.objects.count()
    response = coordinator_client.post(URL, form_data(lead))

    assert response.status_code == 200
    page = body(response)
    assert "may already be known to early help" in page
    assert f'value="{known_child.pk}"' in page
    assert "No, this is a different child" in page
    assert not StepDownIn.objects.exists()
    assert Family.objects.count() == families
    # Showing a child is a read of their record, logged as the search page logs it.
    assert RecordAccess.objects.filter(
        child=known_child, route="cases:step_down_in", user__email__startswith="cora"
    ).exists()


def test_choosing_the_known_child_opens_the_case_without_new_records(
    known_child: Child, lead: User, coordinator_client: Client
) -> None:
    data = form_data(lead)
    first = coordinator_client.post(URL, data)
    families, children, members = (
        Family.objects.count(),
        Child.objects.count(),
        FamilyMember.objects.count(),
    )

    response = coordinator_client.post(
        URL, data | {"seen_matches": seen(first), "child1_record": str(known_child.pk)}
    )

    assert response.status_code == 302
    case = StepDownIn.objects.get().case
    assert list(case.children.all()) == [known_child]
    assert case.family_id == known_child.family_id
    assert case.is_re_referral
    assert (Family.objects.count(), Child.objects.count(), FamilyMember.objects.count()) == (
        families,
        children,
        members,
    )


def test_an_answer_is_needed_once_the_matches_are_shown(
    known_child: Child, lead: User, coordinator_client: Client
) -> None:
    data = form_data(lead)
    data["seen_matches"] = seen(coordinator_client.post(URL, data))

    response = coordinator_client.post(URL, data)
    assert response.status_code == 200
    assert "Choose whether the child is one of the children shown" in body(response)

    response = coordinator_client.post(URL, data | {"child1_record": "new"})
    assert response.status_code == 200
    assert "Explain why none of the possible matches is the child" in body(response)
    assert 'value="new" checked' in body(response)
    assert not StepDownIn.objects.exists()

    response = coordinator_client.post(
        URL,
        data | {"child1_record": "new", "child1_duplicate_reason": "Different Robin: new baby."},
    )
    assert response.status_code == 302
    child = StepDownIn.objects.get().case.children.get()
    assert child != known_child
    check = ChildRecordCheck.objects.get(child=child)
    assert check.possible_matches == [known_child.pk]
    assert check.reason == "Different Robin: new baby."


def test_an_answer_given_before_the_matches_were_shown_does_not_count(
    known_child: Child, lead: User, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        URL, form_data(lead) | {"child1_record": str(known_child.pk), "seen_matches": "stale"}
    )
    assert response.status_code == 200
    assert not StepDownIn.objects.exists()


def test_a_forged_choice_of_a_child_the_user_may_not_see_is_refused(
    known_child: Child, lead: User, other_manager_client: Client
) -> None:
    data = form_data(lead)
    first = other_manager_client.post(URL, data)
    page = body(first)
    # Pia may not see Robin: he is neither named nor offered, only a hint that records exist.
    assert first.status_code == 200
    assert f'value="{known_child.pk}"' not in page
    assert "Mill Lane" in page  # what she typed is kept
    assert "records that match which you cannot see" in page
    assert not RecordAccess.objects.filter(child=known_child, route="cases:step_down_in").exists()

    families = Family.objects.count()
    response = other_manager_client.post(
        URL, data | {"seen_matches": seen(first), "child1_record": str(known_child.pk)}
    )
    assert response.status_code == 200
    assert "Choose one of the children shown for the child" in body(response)
    assert Family.objects.count() == families
    assert not StepDownIn.objects.exists()

    # Saying it is a different child needs a reason, and keeps the unseen match on the check.
    data |= {"seen_matches": seen(first), "child1_record": "new"}
    response = other_manager_client.post(URL, data)
    assert "Explain why none of the possible matches is the child" in body(response)
    response = other_manager_client.post(URL, data | {"child1_duplicate_reason": "Not known."})
    assert response.status_code == 302
    child = StepDownIn.objects.get().case.children.get()
    assert ChildRecordCheck.objects.get(child=child).possible_matches == [known_child.pk]


def test_a_family_with_no_likely_match_is_opened_straight_away(
    known_child: Child, lead: User, coordinator_client: Client
) -> None:
    data = form_data(lead) | {
        "child1_given_names": "Zebedee",
        "child1_family_name": "Quartermaine",
        "postcode": "DT9 9ZZ",
    }
    response = coordinator_client.post(URL, data)
    assert response.status_code == 302
    child = StepDownIn.objects.get().case.children.get()
    assert ChildRecordCheck.objects.get(child=child).possible_matches == []


def test_a_refusal_about_a_later_child_is_shown_on_that_child(
    known_child: Child,
    make_child: Callable[..., Child],
    make_case: Callable[..., Case],
    lead: User,
    coordinator_client: Client,
) -> None:
    # Jamie is in an open case; the form's child 2 is left blank and Jamie typed as child 3.
    jamie = make_child()
    make_case(children=[jamie])
    data = form_data(lead) | {
        "child3_given_names": "Jamie",
        "child3_family_name": "Fairweather",
        "child3_dob_day": "17",
        "child3_dob_month": "5",
        "child3_dob_year": "2016",
        "child3_sex": "female",
    }
    data["seen_matches"] = seen(coordinator_client.post(URL, data))

    response = coordinator_client.post(
        URL, data | {"child1_record": str(known_child.pk), "child3_record": str(jamie.pk)}
    )

    assert response.status_code == 200
    page = body(response)
    assert (
        '<a href="#id_child3_record">Jamie Fairweather already has an open early help case' in page
    )
    assert not StepDownIn.objects.exists()
