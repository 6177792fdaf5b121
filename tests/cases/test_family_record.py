"""Keeping a family's record true: the services (a child's and the family's details with
their history, earlier names, the adults around the child, a sibling joining the case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import Agency, AgencyKind, User
from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    DetailChange,
    FamilyMember,
    KnownName,
    SenStatus,
)
from cases.search import ChildQuery, find_children
from cases.services.children import (
    NewChild,
    add_existing_child_to_case,
    add_sibling,
    change_child_details,
)
from cases.services.common import CaseError, ChildAlreadyInOpenCase
from cases.services.family import add_family_member, change_family_details, change_family_member
from tac_portal.concurrency import StaleEdit

pytestmark = pytest.mark.django_db

NEW_DOB = dt.date(2016, 7, 15)


def _child(case: Case) -> Child:
    return case.children.get()


# --- A child's details -----------------------------------------------------------------


def test_a_new_date_of_birth_is_kept_with_who_when_and_why(case: Case, lead: User) -> None:
    child = _child(case)
    result = change_child_details(
        child,
        case=case,
        changes={"date_of_birth": NEW_DOB},
        reason="Birth certificate seen",
        expected_version=child.version,
        by=lead,
    )
    child.refresh_from_db()
    assert result.fields == ["date_of_birth"]
    assert result.identity_changed
    assert child.date_of_birth == NEW_DOB
    assert child.version == 2
    change = DetailChange.objects.get(child=child)
    assert (change.label, change.old_value, change.new_value) == (
        "Date of birth",
        "17 May 2016",
        "15 July 2016",
    )
    assert change.reason == "Birth certificate seen"
    assert change.changed_by == lead
    event = CaseEvent.objects.get(case=case, code="child.details_changed")
    assert event.data == {"child": child.pk, "fields": ["date_of_birth"]}
    # The database's own change history has it too, with the row as it was.
    assert child.history.filter(pgh_label="update").count() == 1  # type: ignore[attr-defined]


def test_a_name_date_of_birth_or_address_change_needs_a_reason(case: Case, lead: User) -> None:
    child = _child(case)
    for changes in (
        {"date_of_birth": NEW_DOB},
        {"family_name": "Fairley"},
        {"address": "3 New Road"},
        {"postcode": "DT2 2BB"},
    ):
        with pytest.raises(CaseError) as refused:
            change_child_details(
                child,
                case=case,
                changes=changes,
                reason="  ",
                expected_version=child.version,
                by=lead,
            )
        assert "reason" in refused.value.error_dict
    assert not DetailChange.objects.exists()
    child.refresh_from_db()
    assert child.version == 1


def test_other_details_change_without_a_reason_and_keep_the_yes_no_flags_in_step(
    case: Case, lead: User
) -> None:
    child = _child(case)
    change_child_details(
        child,
        case=case,
        changes={"sen_status": SenStatus.EHC_PLAN, "ethnicity": "WBRI", "upn": "a123456789012"},
        reason="",
        expected_version=child.version,
        by=lead,
    )
    child.refresh_from_db()
    assert child.sen_status == SenStatus.EHC_PLAN
    assert child.has_sen is True
    assert child.upn == "A123456789012"
    assert DetailChange.objects.filter(child=child).count() == 3


def test_a_school_urn_links_the_school_it_names(case: Case, lead: User) -> None:
    school = Agency.objects.create(
        name="Demoton Primary", kind=AgencyKind.SCHOOL, school_urn="123456"
    )
    child = _child(case)
    change_child_details(
        child,
        case=case,
        changes={"school_urn": "123456"},
        reason="",
        expected_version=child.version,
        by=lead,
    )
    child.refresh_from_db()
    assert child.school == school


def test_an_edit_based_on_an_old_version_is_refused_and_writes_nothing(
    case: Case, lead: User, member: User
) -> None:
    child = _child(case)
    seen = child.version
    change_child_details(
        child, case=case, changes={"sex": "male"}, reason="", expected_version=seen, by=member
    )
    with pytest.raises(StaleEdit):
        change_child_details(
            child,
            case=case,
            changes={"date_of_birth": NEW_DOB},
            reason="Typo",
            expected_version=seen,
            by=lead,
        )
    child.refresh_from_db()
    assert child.date_of_birth == dt.date(2016, 5, 17)
    assert DetailChange.objects.count() == 1


def test_the_earlier_name_is_kept_and_found_by_the_search(case: Case, lead: User) -> None:
    child = _child(case)
    change_child_details(
        child,
        case=case,
        changes={"family_name": "Okonkwo"},
        reason="Adopted her stepfather's name",
        expected_version=child.version,
        by=lead,
    )
    assert list(KnownName.objects.filter(child=child).values_list("family_name", flat=True)) == [
        "Fairweather"
    ]
    found = find_children(ChildQuery(given_names="Jamie", family_name="Fairweather"))
    assert [m.child.pk for m in found] == [child.pk]
    assert any("earlier name" in reason for reason in found[0].reasons)
    # With the date of birth, and by the new name too.
    found = find_children(ChildQuery(family_name="Fairweather", date_of_birth=child.date_of_birth))
    assert [m.child.pk for m in found] == [child.pk]
    found = find_children(ChildQuery(given_names="Jamie", family_name="Okonkwo"))
    assert [m.child.pk for m in found] == [child.pk]


def test_who_may_change_the_details(
    case: Case, outsider: User, member_manager: User, manager: User, member: User
) -> None:
    child = _child(case)
    for user in (outsider, member_manager):
        with pytest.raises(PermissionDenied):
            change_child_details(
                child,
                case=case,
                changes={"sex": "male"},
                reason="",
                expected_version=None,
                by=user,
            )
    for user in (manager, member):
        change_child_details(
            child, case=case, changes={"sex": "male"}, reason="", expected_version=None, by=user
        )


def test_only_a_child_of_the_case_is_changed_through_it(
    case: Case, lead: User, make_child: Callable[..., Child]
) -> None:
    other = make_child(given_names="Someone", family_name="Else")
    with pytest.raises(CaseError):
        change_child_details(
            other, case=case, changes={"sex": "male"}, reason="", expected_version=None, by=lead
        )


def test_a_future_date_of_birth_is_refused(case: Case, lead: User) -> None:
    child = _child(case)
    with pytest.raises(CaseError) as refused:
        change_child_details(
            child,
            case=case,
            changes={"date_of_birth": timezone.localdate() + dt.timedelta(days=2)},
            reason="Typo",
            expected_version=None,
            by=lead,
        )
    assert "date_of_birth" in refused.value.error_dict


# --- The family's details and its adults ----------------------------------------------


def test_a_new_family_address_needs_a_reason_and_is_kept(case: Case, lead: User) -> None:
    family = case.family
    with pytest.raises(CaseError):
        change_family_details(
            family,
            case=case,
            changes={"address": "9 Elm Road"},
            reason="",
            expected_version=family.version,
            by=lead,
        )
    change_family_details(
        family,
        case=case,
        changes={"address": "9 Elm Road", "postcode": "dt2 2bb"},
        reason="They moved",
        expected_version=family.version,
        by=lead,
    )
    family.refresh_from_db()
    assert (family.address, family.postcode, family.version) == ("9 Elm Road", "DT2 2BB", 2)
    assert set(DetailChange.objects.filter(family=family).values_list("label", flat=True)) == {
        "Address",
        "Postcode",
    }
    assert CaseEvent.objects.filter(case=case, code="family.details_changed").exists()


def test_a_second_carer_with_parental_responsibility(case: Case, lead: User) -> None:
    details = {
        "given_names": "Sam",
        "family_name": "Fairweather",
        "relationship": FamilyMember.Relationship.FATHER,
        "parental_responsibility": FamilyMember.ParentalResponsibility.YES,
        "lives_with_children": False,
        "phone": "07700 900123",
        "preferred_contact_method": FamilyMember.ContactMethod.TEXT,
        "language": "Polish",
        "interpreter_required": True,
    }
    first = add_family_member(case, details={**details, "given_names": "Alex"}, by=lead)
    second = add_family_member(case, details=details, by=lead)
    assert set(case.family.members.all()) == {first, second}
    assert second.parental_responsibility == "yes"
    assert second.lives_with_children is False
    assert CaseEvent.objects.filter(case=case, code="family.member_added").count() == 2

    change_family_member(
        second,
        case=case,
        changes={"lives_with_children": True},
        reason="",
        expected_version=second.version,
        by=lead,
    )
    second.refresh_from_db()
    assert second.lives_with_children is True
    assert second.version == 2
    with pytest.raises(StaleEdit):
        change_family_member(
            second,
            case=case,
            changes={"phone": "07700 900999"},
            reason="",
            expected_version=1,
            by=lead,
        )


def test_an_adult_needs_a_relationship_and_a_name(case: Case, lead: User) -> None:
    with pytest.raises(CaseError):
        add_family_member(case, details={"given_names": "X", "date_of_death": None}, by=lead)
    with pytest.raises(ValidationError):  # the model's own validation
        add_family_member(
            case, details={"given_names": "", "family_name": "", "relationship": ""}, by=lead
        )
    assert not FamilyMember.objects.exists()


# --- A sibling joins the case ----------------------------------------------------------


SIBLING = NewChild(
    given_names="Robin",
    family_name="Fairweather",
    date_of_birth=dt.date(2019, 2, 3),
    sex="male",
    postcode="",
)


def test_a_new_sibling_shares_the_family_and_joins_the_case(case: Case, member: User) -> None:
    sibling = add_sibling(case, SIBLING, by=member, possible_matches=[])
    assert sibling.family_id == case.family_id
    assert CaseSubject.objects.filter(case=case, child=sibling, is_open=True).exists()
    assert case.children.count() == 2
    assert CaseEvent.objects.filter(case=case, code="case.child_added").exists()
    assert sibling.record_check.possible_matches == []  # type: ignore[attr-defined]


def test_adding_a_sibling_despite_matches_needs_a_reason(case: Case, lead: User) -> None:
    with pytest.raises(CaseError):
        add_sibling(case, SIBLING, by=lead, possible_matches=[999], reason="")
    assert case.children.count() == 1


def test_a_known_child_from_another_household_moves_into_the_family(
    case: Case, lead: User, make_child: Callable[..., Child]
) -> None:
    known = make_child(given_names="Robin", family_name="Fairweather")
    old_family = known.family
    add_existing_child_to_case(case, known, by=lead)
    known.refresh_from_db()
    assert known.family_id == case.family_id
    assert case.children.filter(pk=known.pk).exists()
    move = DetailChange.objects.get(child=known, field_name="family")
    assert move.old_value == old_family.name


def test_a_child_in_another_open_case_cannot_join(
    case: Case, lead: User, make_case: Callable[..., Case]
) -> None:
    elsewhere = make_case()
    other = elsewhere.children.get()
    with pytest.raises(ChildAlreadyInOpenCase):
        add_existing_child_to_case(case, other, by=lead)
    assert not case.children.filter(pk=other.pk).exists()


def test_one_open_case_per_child_still_holds_in_the_database(
    case: Case, make_case: Callable[..., Case]
) -> None:
    other = make_case().children.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseSubject.objects.create(case=case, child=other, is_open=True)


def test_no_child_joins_a_closed_case(case: Case, lead: User) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    CaseSubject.objects.filter(case=case).update(is_open=False)
    case.refresh_from_db()
    with pytest.raises(CaseError):
        add_sibling(case, SIBLING, by=lead, possible_matches=[])


def test_an_alias_is_found_by_the_search(case: Case, lead: User) -> None:
    child = _child(case)
    change_child_details(
        child,
        case=case,
        changes={"also_known_as": "JJ, Jamie Brookes"},
        reason="",
        expected_version=child.version,
        by=lead,
    )
    assert set(KnownName.objects.values_list("given_names", "family_name")) == {
        ("JJ", "Fairweather"),
        ("Jamie", "Brookes"),
    }
    found = find_children(ChildQuery(given_names="Jamie", family_name="Brookes"))
    assert [m.child.pk for m in found] == [child.pk]
