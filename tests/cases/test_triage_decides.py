"""Triage that decides: the lead professional allocated from any agency with the
family's preference recorded, and the level of need judged again with a reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, User
from cases.models import (
    Case,
    Child,
    LeadProfessionalAssignment,
    LevelOfNeed,
    ReferralSource,
    RequestForSupport,
    TriageDecision,
)
from cases.services.common import CaseError
from cases.services.lifecycle import judge_level_of_need_again, record_level_of_need
from cases.services.requests import submit_request_for_support, triage_request
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_for(make_child: Callable[..., Child], member: User) -> RequestForSupport:
    child = make_child()
    return submit_request_for_support(
        by=member,
        source_code=ReferralSource.SCHOOLS,
        summary_of_need="Attendance has fallen; mum is struggling.",
        subjects=[child],
        family=child.family,
        family_aware=True,
        consent_obtained=True,
    )


@pytest.fixture
def level_early_help(db: None) -> LevelOfNeed:
    level, _ = LevelOfNeed.objects.get_or_create(
        code="EARLY_HELP", defaults={"ordinal": 2, "label": "Early help"}
    )
    return level


def test_triage_allocates_a_lead_from_any_agency_with_the_familys_preference(
    request_for: RequestForSupport,
    coordinator: User,
    member: User,
    outsider: User,
    level_targeted: LevelOfNeed,
) -> None:
    triaged = triage_request(
        request_for,
        by=coordinator,
        decision=TriageDecision.EARLY_HELP_ASSESSMENT,
        level=level_targeted,
        rationale="Needs at home and school.",
        lead=outsider,
        family_preference="Mum asked for the officer who helped last winter.",
    )
    case = triaged.case
    assert case is not None
    lead = case.lead_assignments.active().get()
    assert lead.professional == outsider
    assert lead.basis == LeadProfessionalAssignment.Basis.MANAGER_ALLOCATED
    assert lead.family_consulted
    assert "last winter" in lead.family_preference
    # The requester stays on the team; the new lead is told.
    assert case.memberships.active().filter(professional=member).exists()
    assert Notification.objects.filter(recipient=outsider, case_id=case.pk).exists()


def test_a_lead_only_with_an_offer_of_early_help(
    request_for: RequestForSupport, coordinator: User, outsider: User, admin_user: User
) -> None:
    with pytest.raises(CaseError) as error:
        triage_request(
            request_for,
            by=coordinator,
            decision=TriageDecision.ADVICE_SIGNPOST,
            level=None,
            rationale="Signposted to the school nurse.",
            lead=outsider,
        )
    assert "lead" in error.value.error_dict
    with pytest.raises(CaseError) as error:
        triage_request(
            request_for,
            by=coordinator,
            decision=TriageDecision.EARLY_HELP_ASSESSMENT,
            level=None,
            rationale="x",
            lead=admin_user,
        )
    assert "lead" in error.value.error_dict
    request_for.refresh_from_db()
    assert request_for.status == RequestForSupport.Status.RECEIVED


def test_the_triage_page_allocates_the_lead(
    request_for: RequestForSupport,
    coordinator_client: Client,
    outsider: User,
    level_targeted: LevelOfNeed,
) -> None:
    url = reverse("cases:triage", args=[request_for.pk])
    assert "Who will be the lead professional?" in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(
        url,
        {
            "decision": "early_help_assessment",
            "level": level_targeted.pk,
            "rationale": "Agreed.",
            "lead": outsider.pk,
            "family_preference": "",
        },
    )
    request_for.refresh_from_db()
    assert request_for.case is not None
    assert response["Location"] == reverse("cases:detail", args=[request_for.case.pk])
    assert request_for.case.lead_assignments.active().get().professional == outsider


def test_the_level_of_need_is_judged_again_with_a_reason_and_a_history(
    case: Case,
    lead: User,
    member: User,
    level_targeted: LevelOfNeed,
    level_early_help: LevelOfNeed,
) -> None:
    first = record_level_of_need(case, level=level_targeted, rationale="At triage.", by=lead)
    with pytest.raises(CaseError):
        judge_level_of_need_again(
            case,
            by=lead,
            level=level_early_help,
            rationale=" ",
            family_informed=True,
            expected_judgement_id=first.pk,
        )
    with pytest.raises(PermissionDenied):
        judge_level_of_need_again(
            case,
            by=member,
            level=level_early_help,
            rationale="Improving",
            family_informed=True,
            expected_judgement_id=first.pk,
        )
    judge_level_of_need_again(
        case,
        by=lead,
        level=level_early_help,
        rationale="Attendance is back to 95%.",
        family_informed=True,
        expected_judgement_id=first.pk,
    )
    case.refresh_from_db()
    assert case.current_level == level_early_help
    assert [j.level for j in case.level_judgements.all()] == [
        level_early_help,
        level_targeted,
    ]
    # A judgement made meanwhile is not silently overridden.
    with pytest.raises(CaseError):
        judge_level_of_need_again(
            case,
            by=lead,
            level=level_targeted,
            rationale="Worse again",
            family_informed=False,
            expected_judgement_id=first.pk,
        )


def test_the_level_of_need_page(
    case: Case,
    lead_client: Client,
    member_client: Client,
    level_targeted: LevelOfNeed,
) -> None:
    url = reverse("cases:level_of_need", args=[case.pk])
    assert url in lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert member_client.get(url).status_code == 403
    refused = lead_client.post(url, {"level": level_targeted.pk, "rationale": ""})
    assert "Explain why you judge the need to be at this level" in refused.content.decode()
    response = lead_client.post(
        url,
        {
            "level": level_targeted.pk,
            "rationale": "Needs rising at home.",
            "family_informed": "yes",
            "expected_judgement": "",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.current_level == level_targeted


def _phoned_in(**overrides: str) -> dict[str, str]:
    data = {
        "given_names": "Rowan",
        "family_name": "Ashdown",
        "date_of_birth_day": "12",
        "date_of_birth_month": "9",
        "date_of_birth_year": "2017",
        "sex": "male",
        "nhs_number": "",
        "address": "4 Willow Lane\nDemoton",
        "postcode": "dt1 2bb",
        "carer_given_names": "",
        "carer_family_name": "",
        "carer_relationship": "",
        "next_step": "log_request",
        "source_code": ReferralSource.INDIVIDUAL_FAMILY,
        "summary_of_need": "Mum rang: Rowan will not go to school and she is exhausted.",
        "requester_name": "Alex Ashdown (mother)",
        "requester_agency": "",
        "family_aware": "on",
        "consent_obtained": "on",
    }
    data.update(overrides)
    return data


def test_triage_staff_log_a_self_referral_taken_by_phone(
    coordinator_client: Client, coordinator: User
) -> None:
    assert "Log a request that came by phone" in (
        coordinator_client.get(reverse("cases:add_child")).content.decode()
    )
    response = coordinator_client.post(reverse("cases:add_child"), _phoned_in())
    logged = RequestForSupport.objects.get()
    assert response["Location"] == reverse("cases:triage", args=[logged.pk])
    assert logged.requester is None
    assert logged.requester_name == "Alex Ashdown (mother)"
    assert logged.requester_agency is None
    assert logged.source_code == ReferralSource.INDIVIDUAL_FAMILY
    assert logged.status == RequestForSupport.Status.RECEIVED


def test_a_phone_call_from_a_professional_names_their_organisation(
    coordinator_client: Client, school_agency: Agency
) -> None:
    coordinator_client.post(
        reverse("cases:add_child"),
        _phoned_in(
            source_code=ReferralSource.SCHOOLS,
            requester_name="Mrs Okafor, head of year",
            requester_agency=str(school_agency.pk),
        ),
    )
    assert RequestForSupport.objects.get().requester_agency == school_agency


def test_logging_needs_who_asked_and_is_for_triage_staff_only(
    coordinator_client: Client, member_client: Client
) -> None:
    refused = coordinator_client.post(reverse("cases:add_child"), _phoned_in(requester_name=""))
    assert "Enter who asked for support" in refused.content.decode()
    assert "Log a request that came by phone" not in (
        member_client.get(reverse("cases:add_child")).content.decode()
    )
    member_client.post(reverse("cases:add_child"), _phoned_in())
    assert not RequestForSupport.objects.exists()
