"""A child's record over its life: an unborn child recorded against the expectant mother,
the birth recorded on the same record (nothing lost), and two records of one child
merged by a manager (both histories kept, one open case per child) and the merge undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment, AssessmentTemplate
from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    ChildMerge,
    ClosureReason,
    ConsentRecord,
    DetailChange,
    FamilyMember,
    KnownName,
    Restriction,
    RestrictionTarget,
)
from cases.search import ChildQuery, find_children
from cases.services.children import change_child_details
from cases.services.common import CaseError
from cases.services.merging import final_record, merge_children, undo_merge, undoable_merges
from cases.services.unborn import (
    NewUnbornChild,
    add_unborn_child,
    add_unborn_child_to_case,
    record_birth,
)
from tac_portal.concurrency import StaleEdit

pytestmark = pytest.mark.django_db


def edd(days: int = 60) -> dt.date:
    return timezone.localdate() + timedelta(days=days)


def events(case: Case, kind: str) -> int:
    return CaseEvent.objects.filter(case=case, code=kind).count()


# --- Unborn children ---------------------------------------------------------------------


def test_an_unborn_child_is_recorded_against_the_expectant_mother(lead: User) -> None:
    child = add_unborn_child(
        NewUnbornChild(
            expected_date_of_delivery=edd(),
            mother_given_names="Rosa",
            mother_family_name="Lindqvist",
            address="2 Quay Row",
            postcode="ab1 2cd",
        ),
        by=lead,
    )
    assert child.is_unborn
    assert child.date_of_birth is None
    assert child.expected_date_of_delivery == edd()
    mother = child.expectant_mother
    assert mother is not None
    assert mother.family_id == child.family_id
    assert (mother.full_name, mother.relationship) == ("Rosa Lindqvist", "mother")
    assert child.full_name == "Unborn baby Lindqvist"
    assert child.postcode == "AB1 2CD"


def test_an_unborn_sibling_joins_the_case_against_a_mother_already_recorded(
    case: Case, lead: User, family_member: FamilyMember
) -> None:
    child = add_unborn_child_to_case(
        case, NewUnbornChild(expected_date_of_delivery=edd()), mother=family_member, by=lead
    )
    assert CaseSubject.objects.filter(case=case, child=child, is_open=True).exists()
    assert child.expectant_mother == family_member
    assert events(case, "case.child_added") == 1


def test_a_second_unborn_child_of_the_same_mother_due_at_the_same_time_needs_confirming(
    case: Case, lead: User, family_member: FamilyMember
) -> None:
    add_unborn_child_to_case(
        case, NewUnbornChild(expected_date_of_delivery=edd()), mother=family_member, by=lead
    )
    with pytest.raises(CaseError) as refused:
        add_unborn_child_to_case(
            case,
            NewUnbornChild(expected_date_of_delivery=edd(10)),
            mother=family_member,
            by=lead,
        )
    assert "another_baby" in refused.value.message_dict
    twin = add_unborn_child_to_case(
        case,
        NewUnbornChild(expected_date_of_delivery=edd(), another_baby=True),
        mother=family_member,
        by=lead,
    )
    assert twin.is_unborn
    # A new household: the same mother's names, due about the same time.
    details = NewUnbornChild(
        expected_date_of_delivery=edd(),
        mother_given_names=family_member.given_names,
        mother_family_name=family_member.family_name.upper(),
    )
    with pytest.raises(CaseError):
        add_unborn_child(details, by=lead)


def test_an_expected_date_too_far_ahead_is_refused_and_nothing_is_written(
    case: Case, lead: User
) -> None:
    children = Child.objects.count()
    with pytest.raises(CaseError) as refused:
        add_unborn_child_to_case(
            case,
            NewUnbornChild(
                expected_date_of_delivery=edd(400),
                mother_given_names="Rosa",
                mother_family_name="Lindqvist",
            ),
            mother=None,
            by=lead,
        )
    assert "expected_date_of_delivery" in refused.value.message_dict
    assert Child.objects.count() == children


def test_only_those_who_keep_the_familys_details_add_an_unborn_child(
    case: Case, outsider: User
) -> None:
    with pytest.raises(PermissionDenied):
        add_unborn_child_to_case(
            case,
            NewUnbornChild(
                expected_date_of_delivery=edd(), mother_given_names="A", mother_family_name="B"
            ),
            mother=None,
            by=outsider,
        )


@pytest.fixture
def unborn_case(case: Case, lead: User, family_member: FamilyMember) -> tuple[Case, Child]:
    child = add_unborn_child_to_case(
        case, NewUnbornChild(expected_date_of_delivery=edd(5)), mother=family_member, by=lead
    )
    return case, child


def test_recording_the_birth_turns_the_record_into_the_childs_and_loses_nothing(
    unborn_case: tuple[Case, Child], lead: User, family_member: FamilyMember
) -> None:
    case, child = unborn_case
    change_child_details(
        child,
        case=case,
        changes={"ethnicity": "WBRI", "sen_status": "none"},
        reason="",
        expected_version=child.version,
        by=lead,
    )
    consent = ConsentRecord.objects.create(
        case=case,
        kind=ConsentRecord.Kind.AGREEMENT_TO_SERVICE,
        given_by=family_member,
        capacity_basis=ConsentRecord.CapacityBasis.PARENT_ON_BEHALF,
        method=ConsentRecord.Method.WRITTEN,
        recorded_by=lead,
        given_at=timezone.now(),
    )
    consent.subject_children.add(child)
    before: dict[str, list[Any]] = {
        "subjects": list(CaseSubject.objects.filter(child=child).values_list("pk", "case_id")),
        "changes": list(DetailChange.objects.filter(child=child).values_list("pk", flat=True)),
        "events": list(CaseEvent.objects.filter(case=case).values_list("pk", flat=True)),
        "consents": list(child.consents.values_list("pk", flat=True)),
    }

    born = record_birth(
        child,
        case=case,
        date_of_birth=timezone.localdate(),
        given_names="Ada",
        family_name="Fairweather",
        sex="female",
        expected_version=child.version,
        by=lead,
    )

    assert born.pk == child.pk
    assert not born.is_unborn
    assert born.date_of_birth == timezone.localdate()
    assert born.expected_date_of_delivery == edd(5)  # kept
    assert (born.full_name, born.sex, born.ethnicity) == ("Ada Fairweather", "female", "WBRI")
    assert born.expectant_mother == family_member
    after_subjects = list(CaseSubject.objects.filter(child=child).values_list("pk", "case_id"))
    assert after_subjects == before["subjects"]
    kept_changes = set(DetailChange.objects.filter(child=child).values_list("pk", flat=True))
    assert set(before["changes"]) <= kept_changes
    assert set(before["events"]) <= set(
        CaseEvent.objects.filter(case=case).values_list("pk", flat=True)
    )
    assert (
        set(before["consents"]) == {consent.pk} == set(child.consents.values_list("pk", flat=True))
    )
    assert events(case, "child.born") == 1
    born_row = DetailChange.objects.get(child=child, field_name="is_unborn")
    assert (born_row.old_value, born_row.new_value) == ("Not yet born", "Born")


def test_the_birth_is_recorded_once_on_the_version_seen_and_not_in_the_future(
    unborn_case: tuple[Case, Child], lead: User
) -> None:
    case, child = unborn_case
    birth: dict[str, Any] = {
        "case": case,
        "given_names": "Ada",
        "family_name": "Fairweather",
        "sex": "female",
        "by": lead,
    }
    with pytest.raises(CaseError):
        record_birth(
            child,
            date_of_birth=timezone.localdate() + timedelta(days=1),
            expected_version=child.version,
            **birth,
        )
    with pytest.raises(StaleEdit):
        record_birth(
            child,
            date_of_birth=timezone.localdate(),
            expected_version=child.version - 1,
            **birth,
        )
    record_birth(child, date_of_birth=timezone.localdate(), expected_version=child.version, **birth)
    with pytest.raises(CaseError):
        record_birth(
            child, date_of_birth=timezone.localdate(), expected_version=child.version, **birth
        )


# --- Merging two records of one child ----------------------------------------------------


@pytest.fixture
def duplicates(
    make_child: Callable[..., Child], make_case: Callable[..., Case], lead: User
) -> tuple[Child, Child, Case, Case]:
    """Two records of one child: one in an open case, one in a closed case."""
    kept = make_child(given_names="Milo", family_name="Okafor", nhs_number="")
    other = make_child(given_names="Milo", family_name="Okafor", nhs_number="")
    open_case = make_case(children=[kept])
    closed_case = make_case(children=[other])
    Case.objects.filter(pk=closed_case.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now(), closure_reason=ClosureReason.NEEDS_MET
    )
    CaseSubject.objects.filter(case=closed_case).update(is_open=False)
    DetailChange.objects.create(
        subject=DetailChange.Subject.CHILD,
        child=other,
        family_id=other.family_id,
        field_name="address",
        label="Address",
        old_value="1 Old Road",
        new_value="2 New Road",
        reason="Moved",
        changed_by=lead,
    )
    return kept, other, open_case, closed_case


def test_a_manager_merges_two_records_keeping_both_histories_and_cases(
    duplicates: tuple[Child, Child, Case, Case], manager: User
) -> None:
    kept, other, open_case, closed_case = duplicates
    other_changes = set(DetailChange.objects.filter(child=other).values_list("pk", flat=True))

    merge = merge_children(kept=kept, merged=other, reason="Same NHS number", by=manager)

    other.refresh_from_db()
    assert other.merged_into == kept
    assert final_record(other) == kept
    assert set(CaseSubject.objects.filter(child=kept).values_list("case_id", flat=True)) == {
        open_case.pk,
        closed_case.pk,
    }
    assert not CaseSubject.objects.filter(child=other).exists()
    assert CaseSubject.objects.filter(child=kept, is_open=True).count() == 1
    assert other_changes <= set(
        DetailChange.objects.filter(child=kept).values_list("pk", flat=True)
    )
    assert events(open_case, "child.merged") == 1
    assert events(closed_case, "child.merged") == 1
    assert merge.moved["cases.casesubject.child"]
    # The duplicate's names are found through the record kept.
    assert KnownName.objects.filter(child=kept, given_names="Milo").exists()
    found = find_children(ChildQuery(given_names="Milo", family_name="Okafor"))
    assert other.pk not in [m.child.pk for m in found]
    assert kept.pk in [m.child.pk for m in found]


def test_two_records_with_different_open_cases_are_not_merged(
    make_child: Callable[..., Child], make_case: Callable[..., Case], manager: User
) -> None:
    one, two = make_child(), make_child()
    make_case(children=[one])
    make_case(children=[two])
    with pytest.raises(CaseError) as refused:
        merge_children(kept=one, merged=two, reason="Same child", by=manager)
    assert "open case" in refused.value.messages[0]
    assert not ChildMerge.objects.exists()
    two.refresh_from_db()
    assert two.merged_into is None


def test_only_a_manager_or_the_coordinator_merges_and_a_reason_is_needed(
    duplicates: tuple[Child, Child, Case, Case],
    lead: User,
    outsider: User,
    manager: User,
    coordinator: User,
) -> None:
    kept, other, _, _ = duplicates
    for who in (lead, outsider):
        with pytest.raises(PermissionDenied):
            merge_children(kept=kept, merged=other, reason="Same", by=who)
    with pytest.raises(CaseError):
        merge_children(kept=kept, merged=other, reason=" ", by=manager)
    with pytest.raises(CaseError):
        merge_children(kept=kept, merged=kept, reason="Same", by=coordinator)
    merge_children(kept=kept, merged=other, reason="Same", by=coordinator)
    with pytest.raises((CaseError, PermissionDenied)):
        merge_children(kept=kept, merged=other, reason="Again", by=coordinator)


def test_a_merge_is_undone_within_the_window_moving_back_what_moved(
    duplicates: tuple[Child, Child, Case, Case], manager: User, lead: User
) -> None:
    kept, other, open_case, closed_case = duplicates
    other_changes = set(DetailChange.objects.filter(child=other).values_list("pk", flat=True))
    template = AssessmentTemplate.objects.create(
        code="caf-merge", version=1, name="Test CAF", definition={}
    )
    assessment = Assessment.objects.create(
        case=closed_case, child=other, template=template, assessor=lead, started_at=timezone.now()
    )
    merge = merge_children(kept=kept, merged=other, reason="Same", by=manager)
    assessment.refresh_from_db()
    assert assessment.child_id == kept.pk  # an app above cases moves too
    kept.refresh_from_db()
    assert undoable_merges(kept) == [merge]

    with pytest.raises(CaseError):
        undo_merge(merge, reason="", expected_version=kept.version, by=manager)
    undo_merge(merge, reason="Not the same child", expected_version=kept.version, by=manager)

    other.refresh_from_db()
    assert other.merged_into is None
    assert list(CaseSubject.objects.filter(child=other).values_list("case_id", flat=True)) == [
        closed_case.pk
    ]
    assert list(CaseSubject.objects.filter(child=kept).values_list("case_id", flat=True)) == [
        open_case.pk
    ]
    assert other_changes == set(
        DetailChange.objects.filter(child=other).values_list("pk", flat=True)
    )
    assert not KnownName.objects.filter(child=kept, given_names="Milo").exists()
    assessment.refresh_from_db()
    assert assessment.child_id == other.pk
    assert events(open_case, "child.merge_undone") == 1
    merge.refresh_from_db()
    assert merge.undone_at is not None
    assert merge.undone_by == manager
    with pytest.raises(CaseError):
        undo_merge(merge, reason="Again", expected_version=None, by=manager)


def test_a_merge_cannot_be_undone_after_the_window(
    duplicates: tuple[Child, Child, Case, Case], manager: User
) -> None:
    kept, other, _, _ = duplicates
    merge = merge_children(kept=kept, merged=other, reason="Same", by=manager)
    ChildMerge.objects.filter(pk=merge.pk).update(undo_until=timezone.now() - timedelta(hours=1))
    kept.refresh_from_db()
    assert undoable_merges(kept) == []
    with pytest.raises(CaseError) as refused:
        undo_merge(merge, reason="Late", expected_version=None, by=manager)
    assert "no longer" in refused.value.messages[0]
    other.refresh_from_db()
    assert other.merged_into == kept


def _restrict_other(case: Case, other: Child, *, by: User, named: list[User]) -> Restriction:
    restriction = Restriction.objects.create(
        case=case,
        target=RestrictionTarget.CHILD,
        target_id=other.pk,
        field_name="address",
        reason="Fled domestic abuse",
        set_by=by,
        set_at=timezone.now(),
        review_due=timezone.localdate() + timedelta(days=90),
    )
    restriction.named_users.set(named)
    return restriction


def test_restricted_records_are_merged_only_by_a_manager_the_restriction_names(
    duplicates: tuple[Child, Child, Case, Case], manager: User, lead: User
) -> None:
    kept, other, _, closed_case = duplicates
    restriction = _restrict_other(closed_case, other, by=lead, named=[])
    with pytest.raises(CaseError) as refused:
        merge_children(kept=kept, merged=other, reason="Same", by=manager)
    assert "restricted" in refused.value.messages[0]
    assert str(lead) in refused.value.messages[0]  # who to ask
    assert not ChildMerge.objects.exists()

    restriction.named_users.add(manager)
    merge_children(kept=kept, merged=other, reason="Same", by=manager)
    other.refresh_from_db()
    assert other.merged_into == kept


def test_a_restriction_survives_the_merge_in_every_case_of_the_record_kept(
    duplicates: tuple[Child, Child, Case, Case], manager: User, lead: User
) -> None:
    from cases.masking import masks_for

    kept, other, open_case, closed_case = duplicates
    Child.objects.filter(pk=other.pk).update(address="7 Hidden Lane")
    original = _restrict_other(closed_case, other, by=lead, named=[manager])

    merge = merge_children(kept=kept, merged=other, reason="Same", by=manager)

    original.refresh_from_db()
    assert original.target_id == kept.pk  # the restriction follows the child
    assert original.lifted_at is None
    copy = Restriction.objects.in_force().get(case=open_case)
    assert (copy.target_id, copy.field_name, copy.reason) == (kept.pk, "address", original.reason)
    assert set(copy.named_users.all()) == {manager}
    kept.refresh_from_db()
    for case in (open_case, closed_case):
        assert masks_for(case, lead).is_masked(kept, "address")

    undo_merge(merge, reason="Not the same child", expected_version=None, by=manager)
    original.refresh_from_db()
    copy.refresh_from_db()
    assert original.target_id == other.pk
    assert copy.lifted_at is not None
    assert not Restriction.objects.in_force().filter(target_id=kept.pk).exists()
