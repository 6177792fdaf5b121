"""A child's own agreement by their age on the day, and a parent's named (DOMAIN §6.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, Child, ConsentRecord, FamilyMember
from cases.services.common import CaseError
from cases.services.consent import record_consent

pytestmark = pytest.mark.django_db

BASIS = ConsentRecord.CapacityBasis


def _aged(case: Case, years: int) -> Child:
    child = case.children.get()
    today = timezone.localdate()
    child.date_of_birth = today.replace(year=today.year - years) - dt.timedelta(days=1)
    child.save()
    return child


def _record(case: Case, by: User, **kwargs: Any) -> ConsentRecord:
    defaults: dict[str, Any] = {
        "kind": ConsentRecord.Kind.AGREEMENT_TO_SERVICE,
        "given_by": None,
        "given_by_child": None,
        "subject_children": list(case.children.all()),
        "capacity_basis": BASIS.ADULT,
        "method": ConsentRecord.Method.VERBAL,
        "given_at": timezone.now(),
    }
    return record_consent(case, by=by, **(defaults | kwargs))


def test_a_young_childs_agreement_is_never_recorded(case: Case, lead: User) -> None:
    child = _aged(case, 5)
    for basis in BASIS.values:
        with pytest.raises(CaseError) as refused:
            _record(case, lead, given_by_child=child, capacity_basis=basis)
        assert "a child's own agreement is recorded from 12" in str(refused.value)
    assert not ConsentRecord.objects.exists()


@override_settings(TAC_CHILD_OWN_AGREEMENT_AGE=10)
def test_the_age_comes_from_configuration(case: Case, lead: User) -> None:
    child = _aged(case, 11)
    consent = _record(
        case,
        lead,
        given_by_child=child,
        capacity_basis=BASIS.GILLICK,
        capacity_note="Explained the plan; she told it back in her own words.",
    )
    assert consent.given_by_child == child


def test_under_16_only_as_gillick_competent_with_the_judgement_written(
    case: Case, lead: User
) -> None:
    child = _aged(case, 13)
    with pytest.raises(CaseError, match="competent"):
        _record(case, lead, given_by_child=child, capacity_basis=BASIS.ADULT)
    with pytest.raises(CaseError, match="how you judged"):
        _record(case, lead, given_by_child=child, capacity_basis=BASIS.GILLICK)
    consent = _record(
        case,
        lead,
        given_by_child=child,
        capacity_basis=BASIS.GILLICK,
        capacity_note="Understood what sharing means and who would see what.",
    )
    assert consent.capacity_basis == BASIS.GILLICK


def test_a_16_year_old_is_not_recorded_as_an_adult(case: Case, lead: User) -> None:
    child = _aged(case, 16)
    with pytest.raises(CaseError, match="Aged 16 or 17"):
        _record(case, lead, given_by_child=child, capacity_basis=BASIS.ADULT)
    assert _record(case, lead, given_by_child=child, capacity_basis=BASIS.AGE_16_17)


def test_the_age_is_taken_on_the_day_the_agreement_was_given(case: Case, lead: User) -> None:
    child = _aged(case, 12)  # 12 today, 11 a month ago
    with pytest.raises(CaseError, match="was 11 on that day"):
        _record(
            case,
            lead,
            given_by_child=child,
            capacity_basis=BASIS.GILLICK,
            capacity_note="Understood",
            given_at=timezone.now() - dt.timedelta(days=40),
        )


def test_a_parent_on_the_childs_behalf_needs_parental_responsibility(
    case: Case, lead: User
) -> None:
    stepdad = FamilyMember.objects.create(
        family=case.family,
        given_names="Lee",
        family_name="Stepp",
        relationship=FamilyMember.Relationship.STEP_PARENT,
        parental_responsibility=FamilyMember.ParentalResponsibility.NO,
    )
    with pytest.raises(CaseError, match="does not have parental responsibility"):
        _record(case, lead, given_by=stepdad, capacity_basis=BASIS.PARENT_ON_BEHALF)
    with pytest.raises(CaseError, match="young person"):
        _record(case, lead, given_by=stepdad, capacity_basis=BASIS.GILLICK)
    consent = _record(case, lead, given_by=stepdad, capacity_basis=BASIS.ADULT)
    assert consent.given_by == stepdad


def test_the_consent_page_explains_why(case: Case, lead_client: Client, lead: User) -> None:
    child = _aged(case, 6)
    today = timezone.localdate()
    response = lead_client.post(
        reverse("cases:consent_new", args=[case.pk]),
        {
            "kind": "agreement_to_service",
            "given_by": f"child:{child.pk}",
            "subject_children": [str(child.pk)],
            "capacity_basis": "adult",
            "method": "verbal",
            "given_on_day": str(today.day),
            "given_on_month": str(today.month),
            "given_on_year": str(today.year),
            "information_level": "basic",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "was 6 on that day" in body
    assert "Gillick" in body  # the prompt on the form
    assert not ConsentRecord.objects.exists()
