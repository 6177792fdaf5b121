"""The episode step pages through HTTP: what is shown, what is kept, who may act."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseClosure, Family, RecordAccess, StepDownIn, StepUpReferral
from cases.services import step_up as step_up_services
from cases.services.handover import hand_over_lead
from cases.services.lifecycle import change_status
from cases.services.step_up import record_step_up_decision

pytestmark = pytest.mark.django_db


def body(response: Any) -> str:
    return str(response.content.decode())


def today_parts(prefix: str, day: dt.date | None = None) -> dict[str, str]:
    day = day or timezone.localdate()
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def request_step_up(case: Case, lead: User) -> StepUpReferral:
    return step_up_services.request_step_up(
        case,
        by=lead,
        referred_at=timezone.now() - dt.timedelta(hours=1),
        referred_by=lead,
        reason="Escalating concerns.",
        family_informed=True,
    )


# --- The case page panel -------------------------------------------------------


def test_the_case_page_offers_the_lead_the_episode_steps(case: Case, lead_client: Client) -> None:
    page = body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert reverse("cases:lead_handover", args=[case.pk]) in page
    assert reverse("cases:step_up_request", args=[case.pk]) in page
    assert reverse("cases:closure", args=[case.pk]) in page
    assert reverse("cases:step_up_decision", args=[case.pk]) not in page


def test_the_case_page_offers_a_tac_member_no_steps(case: Case, member_client: Client) -> None:
    page = body(member_client.get(reverse("cases:detail", args=[case.pk])))
    assert "Lead professional, step-up and closure" in page
    assert reverse("cases:closure", args=[case.pk]) not in page
    assert reverse("cases:lead_handover", args=[case.pk]) not in page


def test_the_case_page_offers_the_decision_while_a_step_up_waits(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(case, lead)
    page = body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert reverse("cases:step_up_decision", args=[case.pk]) in page
    assert reverse("cases:closure", args=[case.pk]) not in page
    assert "Waiting for social care&#x27;s decision" in page


def test_the_case_page_panel_runs_a_fixed_number_of_queries(
    case: Case, lead: User, member: User, lead_client: Client
) -> None:
    url = reverse("cases:detail", args=[case.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(url).status_code == 200
        return len(queries)

    request_step_up(case, lead)
    record_step_up_decision(
        case, by=lead, accepted=False, decided_at=timezone.now(), decline_outcome="RC8"
    )
    small = count()
    for _ in range(3):
        request_step_up(case, lead)
        record_step_up_decision(
            case, by=lead, accepted=False, decided_at=timezone.now(), decline_outcome="RC8"
        )
    assert count() == small


def test_the_case_page_prompts_for_a_review_after_a_declined_step_up(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(case, lead)
    record_step_up_decision(
        case, by=lead, accepted=False, decided_at=timezone.now(), decline_outcome="RC9"
    )
    page = body(lead_client.get(reverse("cases:detail", args=[case.pk])))
    assert "did not accept the step-up. Hold a TAF review by" in page


# --- Handover ---------------------------------------------------------------------


def test_the_handover_form_lists_the_team_but_not_the_lead(case: Case, lead_client: Client) -> None:
    response = lead_client.get(reverse("cases:lead_handover", args=[case.pk]))
    assert response.status_code == 200
    page = body(response)
    assert "Sam School" in page
    assert 'value="' + str(case.lead_assignment.pk if case.lead_assignment else "") in page
    assert "Lena Lead, Family support worker" not in page.split("novalidate>")[1]
    assert RecordAccess.objects.filter(case=case, route="cases:lead_handover").exists()


def test_the_lead_hands_over_through_the_form(
    case: Case, member: User, lead_client: Client
) -> None:
    current = case.lead_assignment
    assert current is not None
    response = lead_client.post(
        reverse("cases:lead_handover", args=[case.pk]),
        {
            "expected_assignment": current.pk,
            "to": member.pk,
            "basis": "AGREED_AT_TAC",
            "reason": "STANDARD_TRANSFER",
            "note": "Handover note text.",
            "family_consulted": "yes",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.lead_assignments.active().get().professional == member
    page = body(lead_client.get(response["Location"]))
    assert "Sam School is now the lead professional" in page
    assert "Handover note text." in page


def test_a_bad_handover_keeps_what_was_typed(
    case: Case, member: User, lead: User, lead_client: Client
) -> None:
    response = lead_client.post(
        reverse("cases:lead_handover", args=[case.pk]),
        {
            "to": member.pk,
            "basis": "AGREED_AT_TAC",
            "reason": "OTHER",
            "note": "A long note I would hate to lose.",
            "family_consulted": "no",
        },
    )
    assert response.status_code == 200
    page = body(response)
    assert "There is a problem" in page
    assert "Describe the reason when you choose &#x27;Other&#x27;." in page
    assert "Say why the family was not consulted." in page
    assert 'href="#id_family_note"' in page
    assert "A long note I would hate to lose." in page
    assert case.lead_assignments.active().get().professional == lead


def test_the_handover_form_reports_missing_choices_against_their_fields(
    case: Case, lead_client: Client
) -> None:
    response = lead_client.post(reverse("cases:lead_handover", args=[case.pk]), {})
    page = body(response)
    assert response.status_code == 200
    assert "Choose the new lead professional" in page
    assert 'href="#id_to"' in page
    assert 'id="id_to"' in page
    assert "Write a handover note for the new lead professional" in page


# --- Step-up ----------------------------------------------------------------------


def test_the_lead_records_a_step_up_through_the_form(
    case: Case, lead: User, lead_client: Client
) -> None:
    response = lead_client.post(
        reverse("cases:step_up_request", args=[case.pk]),
        {
            **today_parts("referred"),
            "referred_time": "00:01",
            "referred_by": lead.pk,
            "reason": "Escalating concerns.",
            "family_informed": "yes",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.STEP_UP_REQUESTED
    referral = StepUpReferral.objects.get()
    assert timezone.localtime(referral.referred_at).time() == dt.time(0, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"referred_day": "31", "referred_month": "2", "referred_year": "2025"}, "real date"),
        ({"referred_day": "3", "referred_month": "", "referred_year": "2025"}, "include a month"),
        ({"referred_time": "25:00"}, "Enter the time like 14:30"),
        ({"family_informed": "no"}, "Say why the family was not told."),
    ],
)
def test_a_bad_step_up_keeps_what_was_typed(
    case: Case, lead: User, lead_client: Client, fields: dict[str, str], message: str
) -> None:
    data = {
        **today_parts("referred"),
        "referred_time": "09:15",
        "referred_by": str(lead.pk),
        "reason": "Concerns I typed carefully.",
        "family_informed": "yes",
        **fields,
    }
    response = lead_client.post(reverse("cases:step_up_request", args=[case.pk]), data)
    assert response.status_code == 200
    page = body(response)
    assert message in page
    assert "Concerns I typed carefully." in page
    assert f'value="{data["referred_time"]}"' in page
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE


def test_the_lead_records_social_care_accepting(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(case, lead)
    response = lead_client.post(
        reverse("cases:step_up_decision", args=[case.pk]),
        {
            "decision": "accepted",
            **today_parts("decided"),
            "social_worker_name": "Sasha Social",
            "social_worker_agency": "Assessment team 2",
        },
    )
    # The lead role has ended, but the lead is still on the TAC and sees the case.
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED_STEPPED_UP
    page = body(lead_client.get(response["Location"]))
    assert "Closed: stepped up" in page
    assert "Sasha Social" in page


def test_the_lead_records_social_care_declining(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(case, lead)
    response = lead_client.post(
        reverse("cases:step_up_decision", args=[case.pk]),
        {"decision": "declined", **today_parts("decided"), "decline_outcome": "NOT_ACCEPTED"},
        follow=True,
    )
    assert response.status_code == 200
    assert "The case is active again. Hold a TAF review by" in body(response)
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE


def test_a_decision_without_a_social_worker_keeps_what_was_typed(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(case, lead)
    response = lead_client.post(
        reverse("cases:step_up_decision", args=[case.pk]),
        {
            "decision": "accepted",
            **today_parts("decided"),
            "social_worker_agency": "Assessment team 2",
            "note": "Strategy meeting booked.",
        },
    )
    assert response.status_code == 200
    page = body(response)
    assert "Enter the name of the allocated social worker." in page
    assert 'value="Assessment team 2"' in page
    assert "Strategy meeting booked." in page


def test_the_decision_page_says_when_nothing_is_waiting(case: Case, lead_client: Client) -> None:
    response = lead_client.get(reverse("cases:step_up_decision", args=[case.pk]))
    assert response.status_code == 200
    assert "There is no step-up waiting" in body(response)


# --- Closure ----------------------------------------------------------------------

CLOSURE = {
    "reason": "NEEDS_MET",
    "progress_summary": "Attendance is up to 96%.",
    "outcomes_achieved": "SOME",
    "outcomes_detail": "Sleep routine not yet settled: the family moved house.",
    "child_views": "Jamie is glad.",
    "family_views": "Mum is confident.",
    "continuing_support": "School pastoral team.",
}


def test_the_lead_closes_the_case_through_the_form(case: Case, lead_client: Client) -> None:
    response = lead_client.post(reverse("cases:closure", args=[case.pk]), CLOSURE, follow=True)
    assert response.status_code == 200
    page = body(response)
    assert "The case is closed." in page
    assert "Sleep routine not yet settled" in page
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert CaseClosure.objects.get().outcomes_achieved == "SOME"


def test_a_bad_closure_keeps_what_was_typed(case: Case, lead_client: Client) -> None:
    response = lead_client.post(
        reverse("cases:closure", args=[case.pk]),
        {**CLOSURE, "reason": "OTHER", "child_views": ""},
    )
    assert response.status_code == 200
    page = body(response)
    assert "Record the child&#x27;s views on closure" in page
    assert "Sleep routine not yet settled" in page
    assert 'value="OTHER" checked' in page
    case.refresh_from_db()
    assert case.is_open


def test_the_closure_form_explains_a_case_waiting_for_social_care(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(case, lead)
    response = lead_client.post(reverse("cases:closure", args=[case.pk]), CLOSURE)
    assert response.status_code == 200
    assert "Record the decision first." in body(response)
    assert "Sleep routine not yet settled" in body(response)


def test_a_tac_member_may_not_close_and_an_outsider_sees_nothing(
    case: Case, member_client: Client, outsider_client: Client
) -> None:
    url = reverse("cases:closure", args=[case.pk])
    assert member_client.post(url, CLOSURE).status_code == 403
    assert outsider_client.post(url, CLOSURE).status_code == 404
    case.refresh_from_db()
    assert case.is_open
    assert not RecordAccess.objects.filter(route="cases:closure").exists()


def test_the_leads_manager_may_close(case: Case, manager_client: Client) -> None:
    response = manager_client.post(reverse("cases:closure", args=[case.pk]), CLOSURE)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


# --- Step-down in -----------------------------------------------------------------


def step_down_data(lead: User) -> dict[str, str]:
    return {
        "family_name": "The Rivers family",
        "address": "4 Mill Lane\nDemoton",
        "postcode": "DT3 3AA",
        "child1_given_names": "Robin",
        "child1_family_name": "Rivers",
        **today_parts("child1_dob", dt.date(2014, 2, 3)),
        "child1_sex": "male",
        "parent_given_names": "Rae",
        "parent_family_name": "Rivers",
        "parent_relationship": "mother",
        **today_parts("agreement"),
        "lead": str(lead.pk),
        "summary": "CIN plan met.",
        "outstanding_actions": "Finish the parenting course.",
        "social_worker_name": "Stevie Social",
    }


def test_the_coordinator_opens_a_stepped_down_case(lead: User, coordinator_client: Client) -> None:
    assert "stepped down" in body(coordinator_client.get(reverse("cases:my_cases")))
    response = coordinator_client.post(reverse("cases:step_down_in"), step_down_data(lead))
    record = StepDownIn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[record.case.pk])
    page = body(coordinator_client.get(response["Location"]))
    assert "Stepped down from social care" in page
    assert "Finish the parenting course." in page
    assert record.case.lead_assignments.active().get().professional == lead


def test_a_manager_who_cannot_see_the_new_case_is_sent_to_their_cases(
    member: User, manager_client: Client
) -> None:
    # The agreed lead is in another team: the manager opened the case but has no sight of it.
    response = manager_client.post(reverse("cases:step_down_in"), step_down_data(member))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_cases")
    assert StepDownIn.objects.count() == 1


def test_a_bad_step_down_keeps_what_was_typed_and_writes_nothing(
    lead: User, coordinator_client: Client
) -> None:
    data = step_down_data(lead) | {"child1_dob_year": "", "summary": ""}
    response = coordinator_client.post(reverse("cases:step_down_in"), data)
    assert response.status_code == 200
    page = body(response)
    assert "The date of birth of the child must include a year" in page
    assert "Enter the social care handover summary" in page
    assert 'value="Robin"' in page
    assert "Finish the parenting course." in page
    assert not Family.objects.exists()


def test_a_practitioner_may_not_open_a_stepped_down_case(lead: User, lead_client: Client) -> None:
    assert lead_client.get(reverse("cases:step_down_in")).status_code == 403
    assert lead_client.post(reverse("cases:step_down_in"), step_down_data(lead)).status_code == 403
    assert "stepped down" not in body(lead_client.get(reverse("cases:my_cases")))
    assert not Family.objects.exists()


def test_a_closed_case_offers_no_steps(case: Case, lead: User, coordinator_client: Client) -> None:
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    page = body(coordinator_client.get(reverse("cases:detail", args=[case.pk])))
    assert reverse("cases:closure", args=[case.pk]) not in page
    assert reverse("cases:lead_handover", args=[case.pk]) not in page


def test_the_handover_page_says_when_no_one_else_is_on_the_team(
    make_case: Any, lead_client: Client
) -> None:
    alone = make_case()
    page = body(lead_client.get(reverse("cases:lead_handover", args=[alone.pk])))
    assert "No one else is on the team around the child" in page
    assert "Hand over</button>" not in page


def test_a_lead_replaced_while_typing_a_closure_is_refused(
    case: Case, lead: User, member: User, coordinator: User, lead_client: Client
) -> None:
    url = reverse("cases:closure", args=[case.pk])
    assert lead_client.get(url).status_code == 200
    # While Lena types, the coordinator hands the lead role to Sam.
    hand_over_lead(
        case,
        to=member,
        by=coordinator,
        expected_assignment_id=None,
        basis="MANAGER_ALLOCATED",
        reason="ABSENCE_COVER",
        note="Covering leave.",
        family_consulted=True,
    )
    # Lena is still on the TAC but no longer runs the case.
    assert lead_client.post(url, CLOSURE).status_code == 403
    case.refresh_from_db()
    assert case.is_open


def test_a_step_down_may_bring_brothers_and_sisters(lead: User, coordinator_client: Client) -> None:
    data = step_down_data(lead) | {
        "child2_given_names": "Wren",
        "child2_family_name": "Rivers",
        **today_parts("child2_dob", dt.date(2017, 9, 1)),
        "child2_sex": "female",
    }
    response = coordinator_client.post(reverse("cases:step_down_in"), data)
    assert response.status_code == 302
    record = StepDownIn.objects.get()
    names = sorted(record.case.children.values_list("given_names", flat=True))
    assert names == ["Robin", "Wren"]
    assert record.agreement.subject_children.count() == 2


def test_a_half_filled_second_child_is_reported_and_kept(
    lead: User, coordinator_client: Client
) -> None:
    data = step_down_data(lead) | {"child2_given_names": "Wren"}
    response = coordinator_client.post(reverse("cases:step_down_in"), data)
    assert response.status_code == 200
    page = body(response)
    assert "Enter the family name of child 2" in page
    assert "Enter the date of birth of child 2" in page
    assert "Choose the sex of child 2" in page
    assert 'value="Wren"' in page
    assert not Family.objects.exists()
