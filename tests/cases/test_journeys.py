"""Adding a child without duplicates, starting early help, requests for support and triage."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import (
    Case,
    CaseEvent,
    Child,
    ChildRecordCheck,
    Family,
    LeadProfessionalAssignment,
    LevelOfNeed,
    ReferralSource,
    RequestForSupport,
    TriageDecision,
)
from cases.services.children import NewChild, add_child
from cases.services.common import CaseError
from cases.services.lifecycle import change_status, start_case_for_child
from cases.services.requests import submit_request_for_support, triage_request

ADD = "cases:add_child"


def _new_child(**overrides: str) -> dict[str, str]:
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
        "carer_given_names": "Alex",
        "carer_family_name": "Ashdown",
        "carer_relationship": "father",
        "carer_parental_responsibility": "yes",
        "next_step": "start_case",
        "source_code": "",
        "summary_of_need": "",
    }
    data.update(overrides)
    return data


def test_adding_a_child_with_no_match_starts_a_case_with_me_as_interim_lead(
    member: User, member_client: Client
) -> None:
    response = member_client.post(reverse(ADD), _new_child())
    child = Child.objects.get(family_name="Ashdown")
    case = child.cases.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert child.postcode == "DT1 2BB"
    assert child.family.members.get().parental_responsibility == "yes"
    lead = case.lead_assignments.get()
    assert lead.professional == member
    assert lead.basis == LeadProfessionalAssignment.Basis.INTERIM_INITIATOR
    check = ChildRecordCheck.objects.get(child=child)
    assert (check.possible_matches, check.reason) == ([], "")


@pytest.fixture
def existing(make_case: Callable[..., Case], make_child: Callable[..., Child]) -> Child:
    child = make_child(
        given_names="Rowan", family_name="Ashdown", date_of_birth=dt.date(2017, 9, 12)
    )
    make_case(children=[child])
    return child


def test_a_near_duplicate_is_shown_and_must_be_looked_at(
    existing: Child, lead_client: Client
) -> None:
    data = _new_child(given_names="Rowen", family_name="Ashdowne")
    first = lead_client.post(reverse(ADD), data)
    body = first.content.decode()
    assert first.status_code == 200
    assert "This child may already have a record" in body
    assert existing.cases.get().reference in body
    assert "There is a problem" not in body
    assert Child.objects.count() == 1

    signature = re.search(r'name="seen_matches" value="([0-9a-f]+)"', body)
    assert signature is not None
    data["seen_matches"] = signature.group(1)
    second = lead_client.post(reverse(ADD), data)
    body = second.content.decode()
    assert "Confirm you have looked at the possible matches" in body
    assert "Explain why you are adding a new record" in body
    assert 'value="Rowen"' in body
    assert Child.objects.count() == 1

    data |= {"matches_reviewed": "on", "duplicate_reason": "Different child: confirmed with school"}
    third = lead_client.post(reverse(ADD), data)
    assert third.status_code == 302
    added = Child.objects.get(given_names="Rowen")
    check = ChildRecordCheck.objects.get(child=added)
    assert check.possible_matches == [existing.pk]
    assert check.reason == "Different child: confirmed with school"
    event = CaseEvent.objects.get(case=added.cases.get(), code="child.added_despite_matches")
    assert event.data["possible_matches"] == [existing.pk]


def test_a_match_in_a_case_i_cannot_see_still_needs_a_reason(
    existing: Child, outsider_client: Client
) -> None:
    body = outsider_client.post(reverse(ADD), _new_child()).content.decode()
    assert "Known to early help: contact Northgate Family Hub" in body
    assert existing.cases.get().reference not in body
    assert Child.objects.count() == 1


def test_the_service_refuses_a_duplicate_without_a_reason(lead: User) -> None:
    details = NewChild(
        given_names="A", family_name="B", date_of_birth=dt.date(2018, 1, 1), sex="male",
        postcode="DT1 1AA",
    )  # fmt: skip
    with pytest.raises(CaseError):
        add_child(details, by=lead, possible_matches=[1], reason=" ")
    assert not Family.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_names": ""}, "Enter the child&#x27;s given names"),
        (
            {"date_of_birth_year": str(timezone.localdate().year + 1)},
            "must be today or in the past",
        ),
        ({"date_of_birth_day": ""}, "Date of birth must include a day"),
        ({"nhs_number": "1234567890"}, "check digit is wrong"),
        ({"postcode": ""}, "Enter the postcode"),
        ({"next_step": "request_support"}, "Describe what support is needed"),
        ({"sex": ""}, "Select the child&#x27;s sex"),
    ],
)
def test_bad_child_details_are_refused_and_kept(
    lead_client: Client, overrides: dict[str, str], message: str
) -> None:
    response = lead_client.post(reverse(ADD), _new_child(**overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert "4 Willow Lane" in body
    assert not Child.objects.exists()


def test_a_practitioner_can_send_a_request_for_support_instead(
    outsider: User, outsider_client: Client
) -> None:
    response = outsider_client.post(
        reverse(ADD),
        _new_child(
            next_step="request_support",
            source_code=ReferralSource.POLICE,
            summary_of_need="Repeated police call-outs; the family asked for help.",
            family_aware="on",
            consent_obtained="on",
        ),
    )
    request = RequestForSupport.objects.get()
    assert response["Location"] == reverse("cases:request_sent", args=[request.pk])
    assert request.requester == outsider
    assert request.status == RequestForSupport.Status.RECEIVED
    assert [c.family_name for c in request.subjects.all()] == ["Ashdown"]
    assert not Case.objects.exists()
    assert outsider_client.get(response["Location"]).status_code == 200


def test_start_early_help_again_for_a_child_whose_case_closed(
    case: Case, lead: User, lead_client: Client
) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    child = case.children.get()
    response = lead_client.post(reverse("cases:start_case"), {"child": child.pk})
    new = Case.objects.exclude(pk=case.pk).get()
    assert response["Location"] == reverse("cases:detail", args=[new.pk])
    assert (new.previous_case, new.is_re_referral) == (case, True)


def test_start_early_help_is_404_for_a_child_i_cannot_see(
    case: Case, outsider_client: Client
) -> None:
    child = case.children.get()
    assert outsider_client.post(reverse("cases:start_case"), {"child": child.pk}).status_code == 404


# --- Requests for support and triage -------------------------------------------------------


@pytest.fixture
def request_for(make_child: Callable[..., Child], member: User) -> Callable[..., RequestForSupport]:
    def make(child: Child | None = None, by: User | None = member) -> RequestForSupport:
        child = child or make_child()
        return submit_request_for_support(
            by=by,
            source_code=ReferralSource.SCHOOLS,
            summary_of_need="Attendance has fallen; mum is struggling.",
            subjects=[child],
            family=child.family,
            family_aware=True,
            consent_obtained=True,
            requester_name="" if by else "Mrs Example (phone)",
        )

    return make


def test_an_early_help_assessment_decision_opens_a_case(
    request_for: Callable[..., RequestForSupport],
    coordinator: User,
    member: User,
    level_targeted: LevelOfNeed,
) -> None:
    request = request_for()
    triaged = triage_request(
        request,
        by=coordinator,
        decision=TriageDecision.EARLY_HELP_ASSESSMENT,
        level=level_targeted,
        rationale="Needs across school and home; family agree.",
    )
    case = triaged.case
    assert case is not None
    assert case.status == Case.Status.CONSENT_PENDING
    assert case.current_level == level_targeted
    assert case.level_judgements.get().judged_by == coordinator
    assert case.lead_assignment is not None
    assert case.lead_assignment.professional == member  # the requester holds the baton
    assert triaged.status == RequestForSupport.Status.TRIAGED
    assert triaged.triaged_by == coordinator
    assert not case.is_re_referral


def test_a_request_within_12_months_of_closure_is_a_re_referral(
    request_for: Callable[..., RequestForSupport],
    case: Case,
    lead: User,
    manager: User,
    level_targeted: LevelOfNeed,
) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    request = request_for(case.children.get())
    triaged = triage_request(
        request,
        by=manager,
        decision=TriageDecision.EARLY_HELP_ASSESSMENT,
        level=level_targeted,
        rationale="Needs have returned.",
    )
    assert triaged.case is not None
    assert triaged.case.previous_case == case
    assert triaged.case.is_re_referral


def test_a_closure_over_12_months_ago_is_not_a_re_referral(
    request_for: Callable[..., RequestForSupport],
    case: Case,
    lead: User,
    coordinator: User,
    level_targeted: LevelOfNeed,
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=400)
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET", at=long_ago)
    triaged = triage_request(
        request_for(case.children.get()),
        by=coordinator,
        decision=TriageDecision.EARLY_HELP_ASSESSMENT,
        level=level_targeted,
        rationale="New needs.",
    )
    assert triaged.case is not None
    assert not triaged.case.is_re_referral


def test_a_request_for_a_child_in_an_open_case_joins_it(
    request_for: Callable[..., RequestForSupport],
    case: Case,
    coordinator: User,
    level_targeted: LevelOfNeed,
) -> None:
    request = request_for(case.children.get())
    assert request.existing_case == case
    triaged = triage_request(
        request,
        by=coordinator,
        decision=TriageDecision.LP_SUPPORT_EXISTING_PLAN,
        level=level_targeted,
        rationale="Support the existing plan.",
    )
    assert triaged.case == case
    assert Case.objects.count() == 1
    assert case.events.filter(code="request.linked").exists()


def test_advice_only_opens_no_case(
    request_for: Callable[..., RequestForSupport], coordinator: User
) -> None:
    triaged = triage_request(
        request_for(by=None),
        by=coordinator,
        decision=TriageDecision.ADVICE_SIGNPOST,
        level=None,
        rationale="Signposted to the parenting group.",
    )
    assert triaged.case is None
    assert triaged.requester is None
    assert triaged.requester_name == "Mrs Example (phone)"
    assert not Case.objects.exists()


def test_triage_needs_a_rationale_a_level_and_the_right_person(
    request_for: Callable[..., RequestForSupport], coordinator: User, member: User
) -> None:
    request = request_for()
    with pytest.raises(CaseError) as error:
        triage_request(
            request, by=coordinator, decision="early_help_assessment", level=None, rationale=""
        )
    assert set(error.value.message_dict) == {"rationale", "level"}
    with pytest.raises(PermissionDenied):
        triage_request(request, by=member, decision="advice_signpost", level=None, rationale="x")
    request.refresh_from_db()
    assert request.status == RequestForSupport.Status.RECEIVED
    assert not Case.objects.exists()


def test_submit_refuses_an_incomplete_request(coordinator: User, make_child: Any) -> None:
    with pytest.raises(CaseError) as error:
        submit_request_for_support(
            by=None, source_code="XX", summary_of_need=" ", subjects=[], family=None,
            family_aware=False, consent_obtained=False,
        )  # fmt: skip
    assert set(error.value.message_dict) == {
        "requester_name",
        "source_code",
        "summary_of_need",
        "subjects",
    }


def test_the_triage_pages(
    request_for: Callable[..., RequestForSupport],
    coordinator_client: Client,
    level_targeted: LevelOfNeed,
) -> None:
    request = request_for()
    queue = coordinator_client.get(reverse("cases:triage_queue")).content.decode()
    assert "Jamie Fairweather" in queue
    url = reverse("cases:triage", args=[request.pk])
    refused = coordinator_client.post(url, {"decision": "early_help_assessment", "rationale": ""})
    assert "Explain the decision and the level of need" in refused.content.decode()
    response = coordinator_client.post(
        url,
        {"decision": "early_help_assessment", "level": level_targeted.pk, "rationale": "Agreed."},
    )
    request.refresh_from_db()
    assert request.case is not None
    assert response["Location"] == reverse("cases:detail", args=[request.case.pk])
    queue = coordinator_client.get(reverse("cases:triage_queue")).content.decode()
    assert "No requests are waiting for triage" in queue


@pytest.mark.parametrize("size", [1, 6])
def test_the_triage_queue_runs_a_fixed_number_of_queries(
    size: int,
    request_for: Callable[..., RequestForSupport],
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(size):
        request_for()
    with django_assert_max_num_queries(9):
        body = coordinator_client.get(reverse("cases:triage_queue")).content.decode()
    assert body.count("Jamie Fairweather") == size


def test_start_early_help_never_names_an_open_case_i_cannot_see(
    case: Case, lead: User, member: User, lead_client: Client, school_team: Any
) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    child = case.children.get()
    other = start_case_for_child([child], by=member)  # the school starts a new one
    response = lead_client.post(reverse("cases:start_case"), {"child": child.pk}, follow=True)
    body = response.content.decode()
    assert "Known to early help: contact Riverside Primary School" in body
    assert other.reference not in body
    assert Case.objects.count() == 2
    search = lead_client.post(
        reverse("cases:find_child"),
        {"given_names": "Jamie", "family_name": "Fairweather", "postcode": ""},
    ).content.decode()
    assert "Known to early help: contact Riverside Primary School" in search
    assert other.reference not in search
    assert "Start early help" not in search
