"""Step-down in for a child already known to early help: the duplicate check's answers.

Robin Rivers had an early help case (led by Lena, in Mo's team) that closed when
social care took the lead. Now social care steps the family down again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import Team, User
from cases.models import (
    Case,
    CaseEvent,
    Child,
    ChildRecordCheck,
    Family,
    FamilyMember,
    StepDownIn,
)
from cases.services.step_down import StepDownChild, open_stepped_down_case
from tests.cases import step_down as shared

pytestmark = pytest.mark.django_db

DOB = shared.DOB


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
        mothers_responsibility=FamilyMember.ParentalResponsibility.UNKNOWN,
    )


@pytest.fixture
def other_manager(police_team: Team) -> User:
    return shared.police_manager(police_team)


def typed_child(**overrides: Any) -> Child:
    fields: dict[str, Any] = {
        "given_names": "Robin",
        "family_name": "Rivers",
        "date_of_birth": DOB,
        "sex": "male",
    }
    fields.update(overrides)
    return Child(**fields)


def typed_parent(**overrides: Any) -> FamilyMember:
    fields: dict[str, Any] = {
        "given_names": "Rae",
        "family_name": "Rivers",
        "relationship": "mother",
        "parental_responsibility": FamilyMember.ParentalResponsibility.YES,
    }
    fields.update(overrides)
    return FamilyMember(**fields)


def step_down(by: User, lead: User, children: list[Any], **overrides: Any) -> StepDownIn:
    fields: dict[str, Any] = {
        "children": children,
        "agreement_given_by": typed_parent(),
        "agreement_given_on": timezone.localdate() - dt.timedelta(days=2),
        "lead": lead,
        "by": by,
        "summary": "CIN plan met; mum engaging with parenting support.",
    }
    fields.update(overrides)
    family = Family(name="The Rivers family", address="4 Mill Lane\nDemoton", postcode="DT3 3AA")
    return open_stepped_down_case(family, **fields)


def counts() -> tuple[int, int, int, int, int]:
    return (
        Family.objects.count(),
        Child.objects.count(),
        FamilyMember.objects.count(),
        Case.objects.count(),
        ChildRecordCheck.objects.count(),
    )


def test_it_opens_the_case_for_the_known_child_in_their_family(
    known_child: Child, coordinator: User, lead: User
) -> None:
    previous = Case.objects.get(subjects__child=known_child)
    families, children, members, cases, checks = counts()

    record = step_down(
        coordinator,
        lead,
        [
            StepDownChild(
                typed_child(), existing_id=known_child.pk, possible_matches=[known_child.pk]
            )
        ],
    )

    case = record.case
    assert counts() == (families, children, members, cases + 1, checks)
    assert case.family_id == known_child.family_id
    assert list(case.children.all()) == [known_child]
    # The same child id across episodes: the earlier case is the previous episode (M12).
    assert case.previous_case == previous
    assert case.is_re_referral
    # Rae was already recorded: she gave the agreement, now known to have parental responsibility.
    rae = FamilyMember.objects.get(family=known_child.family, given_names="Rae")
    assert record.agreement.given_by == rae
    assert rae.parental_responsibility == FamilyMember.ParentalResponsibility.YES
    assert case.memberships.filter(family_member=rae).count() == 1


def test_it_adds_a_parent_not_yet_recorded_to_the_known_family(
    known_child: Child, coordinator: User, lead: User
) -> None:
    record = step_down(
        coordinator,
        lead,
        [StepDownChild(typed_child(), existing_id=known_child.pk)],
        agreement_given_by=typed_parent(given_names="Ray", relationship="father"),
    )

    ray = record.agreement.given_by
    assert ray is not None
    assert ray.family_id == known_child.family_id
    assert FamilyMember.objects.filter(family=known_child.family).count() == 2


def test_a_recorded_parent_without_parental_responsibility_cannot_agree(
    known_child: Child, coordinator: User, lead: User
) -> None:
    FamilyMember.objects.filter(given_names="Rae").update(
        parental_responsibility=FamilyMember.ParentalResponsibility.NO
    )
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        step_down(coordinator, lead, [StepDownChild(typed_child(), existing_id=known_child.pk)])
    assert set(excinfo.value.message_dict) == {"parent_given_names"}
    assert counts() == before


def test_a_new_brother_joins_the_known_child_s_family(
    known_child: Child, coordinator: User, lead: User
) -> None:
    families = Family.objects.count()
    brother = typed_child(given_names="Rowan", date_of_birth=dt.date(2017, 6, 1))

    record = step_down(
        coordinator,
        lead,
        [StepDownChild(typed_child(), existing_id=known_child.pk), StepDownChild(brother)],
    )

    assert Family.objects.count() == families
    assert brother.family_id == known_child.family_id
    assert set(record.case.children.all()) == {known_child, brother}
    assert ChildRecordCheck.objects.get(child=brother).possible_matches == []


def test_a_different_child_needs_a_reason(
    known_child: Child, coordinator: User, lead: User
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        step_down(
            coordinator,
            lead,
            [StepDownChild(typed_child(), possible_matches=[known_child.pk], reason="  ")],
        )
    assert set(excinfo.value.message_dict) == {"child1_duplicate_reason"}
    assert counts() == before


def test_a_different_child_is_added_with_the_check_recorded(
    known_child: Child, coordinator: User, lead: User
) -> None:
    families = Family.objects.count()
    record = step_down(
        coordinator,
        lead,
        [
            StepDownChild(
                typed_child(),
                possible_matches=[known_child.pk],
                reason="A different Robin: social worker confirmed the birth certificate.",
            )
        ],
    )

    child = record.case.children.get()
    assert child != known_child
    assert Family.objects.count() == families + 1
    check = ChildRecordCheck.objects.get(child=child)
    assert check.possible_matches == [known_child.pk]
    assert check.reason.startswith("A different Robin")
    assert check.added_by == coordinator
    assert CaseEvent.objects.filter(case=record.case, code="child.added_despite_matches").exists()
    assert not record.case.is_re_referral


@pytest.mark.parametrize("as_plain_child", [False, True])
def test_it_refuses_a_child_the_user_may_not_see(
    known_child: Child, other_manager: User, coordinator: User, lead: User, as_plain_child: bool
) -> None:
    before = counts()
    chosen: Any = (
        known_child if as_plain_child else StepDownChild(typed_child(), existing_id=known_child.pk)
    )
    with pytest.raises(ValidationError) as excinfo:
        step_down(other_manager, lead, [chosen])
    assert set(excinfo.value.message_dict) == {"child1_record"}
    assert counts() == before

    # The same step-down by the coordinator, who may see Robin, goes through.
    record = step_down(coordinator, lead, [chosen])
    assert record.case.children.get() == known_child


def test_it_refuses_a_child_with_an_open_case(
    make_case: Callable[..., Case], make_child: Callable[..., Child], coordinator: User, lead: User
) -> None:
    child = make_child()
    make_case(children=[child])
    before = counts()
    with pytest.raises(ValidationError, match="already has an open early help case") as excinfo:
        step_down(coordinator, lead, [StepDownChild(typed_child(), existing_id=child.pk)])
    assert set(excinfo.value.message_dict) == {"child1_record"}
    assert counts() == before


def test_children_of_two_families_cannot_share_a_case(
    known_child: Child, make_child: Callable[..., Child], coordinator: User, lead: User
) -> None:
    other = make_child(given_names="Rowan")
    before = counts()
    with pytest.raises(ValidationError) as excinfo:
        step_down(
            coordinator,
            lead,
            [
                StepDownChild(typed_child(), existing_id=known_child.pk),
                StepDownChild(typed_child(given_names="Rowan"), existing_id=other.pk),
            ],
        )
    assert set(excinfo.value.message_dict) == {"child2_record"}
    assert counts() == before


def test_a_manager_who_sees_the_known_child_may_choose_them(
    known_child: Child, manager: User, lead: User
) -> None:
    # Lena (in Mo's team) led the closed case: Mo still sees it, so he may choose Robin.
    record = step_down(manager, lead, [StepDownChild(typed_child(), existing_id=known_child.pk)])
    assert record.case.children.get() == known_child
