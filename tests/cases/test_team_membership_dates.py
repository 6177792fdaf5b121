"""A family or external TAC membership can be dated when it began, like a professional's."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent, FamilyMember
from cases.services.teams import add_external_contact_to_team, add_family_member_to_team


def test_it_dates_a_family_membership_and_its_event(
    case: Case, lead: User, family_member: FamilyMember
) -> None:
    began = timezone.now() - timedelta(days=40)

    membership = add_family_member_to_team(case, family_member=family_member, by=lead, at=began)

    assert membership.joined_at == began
    event = CaseEvent.objects.get(case=case, data__membership=membership.pk)
    assert event.code == "team.member_added"
    assert event.at == began


def test_it_dates_an_external_membership_and_its_event(case: Case, lead: User) -> None:
    began = timezone.now() - timedelta(days=40)

    membership = add_external_contact_to_team(
        case, name="Polish interpreter", agency="Interpreting service", email="", by=lead, at=began
    )

    assert membership.joined_at == began
    assert CaseEvent.objects.get(case=case, data__membership=membership.pk).at == began


def test_it_dates_a_membership_now_when_no_date_is_given(
    case: Case, lead: User, family_member: FamilyMember
) -> None:
    before = timezone.now()

    membership = add_family_member_to_team(case, family_member=family_member, by=lead)

    assert membership.joined_at >= before
    assert CaseEvent.objects.get(case=case, data__membership=membership.pk).at >= before
