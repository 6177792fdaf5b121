"""The case page's "What happens next" and the step pages it leads to, through HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from assessments.definition import default_definition
from assessments.models import AssessmentTemplate
from assessments.services.starting import start_assessment
from cases.models import Case, CaseClosure
from cases.services.step_up import request_step_up
from meetings.models import Meeting
from meetings.services.scheduling import schedule_meeting

pytestmark = pytest.mark.django_db

S = Case.Status


def body(response: Any) -> str:
    return str(response.content.decode())


def panel(client: Client, case: Case) -> str:
    page = body(client.get(reverse("cases:detail", args=[case.pk])))
    start = page.index('id="next-steps"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def template(db: None) -> AssessmentTemplate:
    template, _ = AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={
            "name": "Early help assessment",
            "definition": default_definition(),
            "is_default": True,
        },
    )
    return template


CLOSURE_BEFORE_PLAN = {
    "reason": "CONSENT_WITHDRAWN",
    "progress_summary": "We explained early help; the family would rather manage alone.",
    "child_views": "Too young to ask.",
    "family_views": "Mum said no thank you.",
    "continuing_support": "Universal services only.",
}


# --- The panel at each stage ---------------------------------------------------------


def test_a_new_case_offers_asking_the_family_and_starting_the_assessment(
    make_case: Callable[..., Case], lead_client: Client, template: AssessmentTemplate
) -> None:
    case = make_case(status=S.IDENTIFIED)
    shown = panel(lead_client, case)
    assert "Need identified" in shown
    assert reverse("cases:stage", args=[case.pk, S.CONSENT_PENDING]) in shown
    child = case.children.get()
    assert reverse("assessments:start", args=[case.pk, child.pk]) in shown
    assert "Close the case, or no further action" in shown
    # Step-up is for stages after triage.
    assert reverse("cases:step_up_request", args=[case.pk]) not in shown


def test_while_assessing_it_offers_to_continue_the_assessment(
    make_case: Callable[..., Case], lead: User, lead_client: Client, template: AssessmentTemplate
) -> None:
    case = make_case(status=S.CONSENT_PENDING)
    assessment = start_assessment(case, child=case.children.get(), by=lead)
    case.refresh_from_db()
    assert case.status == S.ASSESSING  # starting it moved the case on
    shown = panel(lead_client, case)
    assert reverse("assessments:detail", args=[assessment.pk]) in shown
    assert reverse("cases:step_up_request", args=[case.pk]) in shown


def test_planning_offers_the_first_tac_then_running_it(
    make_case: Callable[..., Case], lead: User, lead_client: Client
) -> None:
    case = make_case(status=S.PLANNING)
    assert reverse("meetings:schedule", args=[case.pk]) in panel(lead_client, case)
    meeting = schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.INITIAL,
        starts_at=timezone.now() + dt.timedelta(days=1),
    )
    shown = panel(lead_client, case)
    assert "Run the first TAC meeting" in shown
    assert reverse("meetings:run", args=[meeting.pk]) in shown


def test_an_active_plan_offers_reviews_closure_and_step_up(case: Case, lead_client: Client) -> None:
    shown = panel(lead_client, case)
    assert reverse("meetings:schedule", args=[case.pk]) in shown
    assert reverse("meetings:review", args=[case.pk]) in shown
    assert reverse("cases:stage", args=[case.pk, S.CLOSING]) in shown
    assert reverse("cases:closure", args=[case.pk]) in shown
    assert reverse("cases:step_up_request", args=[case.pk]) in shown


def test_a_pending_step_up_offers_only_the_decision(
    case: Case, lead: User, lead_client: Client
) -> None:
    request_step_up(
        case,
        by=lead,
        referred_at=timezone.now(),
        referred_by=lead,
        reason="Bruising",
        family_informed=True,
    )
    shown = panel(lead_client, case)
    assert reverse("cases:step_up_decision", args=[case.pk]) in shown
    assert reverse("cases:closure", args=[case.pk]) not in shown


def test_a_tac_member_is_shown_the_stage_but_no_steps_that_run_the_case(
    case: Case, member_client: Client
) -> None:
    shown = panel(member_client, case)
    assert "Active plan" in shown
    assert reverse("cases:closure", args=[case.pk]) not in shown
    assert reverse("cases:stage", args=[case.pk, S.CLOSING]) not in shown
    assert reverse("meetings:schedule", args=[case.pk]) not in shown


# --- The stage page --------------------------------------------------------------------


def test_agreeing_to_close_moves_the_case_to_closing_then_the_closure_is_offered(
    case: Case, lead_client: Client
) -> None:
    url = reverse("cases:stage", args=[case.pk, S.CLOSING])
    assert "Agree that the case should close" in body(lead_client.get(url))
    response = lead_client.post(url, {"note": "Agreed at the final review."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.CLOSING
    event = case.events.filter(code="case.status_changed").last()
    assert event is not None
    assert event.data["note"] == "Agreed at the final review."
    assert "Record the closure" in panel(lead_client, case)


def test_the_stage_page_refuses_those_who_do_not_run_the_case(
    case: Case, member_client: Client, outsider_client: Client, lead_client: Client
) -> None:
    url = reverse("cases:stage", args=[case.pk, S.CLOSING])
    assert member_client.post(url).status_code == 403
    assert outsider_client.post(url).status_code == 404
    assert lead_client.get(reverse("cases:stage", args=[case.pk, "CLOSED"])).status_code == 404
    case.refresh_from_db()
    assert case.status == S.ACTIVE


def test_a_step_no_longer_open_at_this_stage_goes_back_to_the_case(
    make_case: Callable[..., Case], lead_client: Client
) -> None:
    case = make_case(status=S.PLANNING)
    response = lead_client.post(reverse("cases:stage", args=[case.pk, S.CLOSING]))
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == S.PLANNING


def test_asking_the_family_moves_a_new_case_to_awaiting_agreement(
    make_case: Callable[..., Case], lead_client: Client
) -> None:
    case = make_case(status=S.IDENTIFIED)
    lead_client.post(reverse("cases:stage", args=[case.pk, S.CONSENT_PENDING]))
    case.refresh_from_db()
    assert case.status == S.CONSENT_PENDING


# --- Closure and step-up from early stages -----------------------------------------------


def test_the_closure_page_before_a_plan_offers_the_stage_reasons_and_no_outcomes(
    make_case: Callable[..., Case], lead_client: Client
) -> None:
    case = make_case(status=S.CONSENT_PENDING)
    url = reverse("cases:closure", args=[case.pk])
    page = body(lead_client.get(url))
    assert "The family declined early help" in page
    assert "No further action: advice or signposting only" in page
    assert "Were the plan&#x27;s outcomes achieved?" not in page
    # Family first: the child's and the family's views open the form, before the reason,
    # on the page and in the error summary alike.
    assert page.index('id="id_child_views"') < page.index('id="id_family_views"')
    assert page.index('id="id_family_views"') < page.index('name="reason"')
    refused = body(lead_client.post(url, {}))
    assert refused.index('href="#id_child_views"') < refused.index('href="#id_reason')
    response = lead_client.post(url, CLOSURE_BEFORE_PLAN)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.CLOSED_DECLINED
    assert CaseClosure.objects.get(case=case).outcomes_achieved == "NOPL"


def test_a_reason_from_another_stage_is_refused_on_the_field(
    make_case: Callable[..., Case], lead_client: Client
) -> None:
    case = make_case(status=S.IDENTIFIED)
    response = lead_client.post(
        reverse("cases:closure", args=[case.pk]), {**CLOSURE_BEFORE_PLAN, "reason": "NEEDS_MET"}
    )
    assert response.status_code == 200
    assert "govuk-error-message" in body(response)
    case.refresh_from_db()
    assert case.is_open


def test_a_step_up_is_recorded_from_planning(
    make_case: Callable[..., Case], lead: User, lead_client: Client
) -> None:
    case = make_case(status=S.PLANNING)
    today = timezone.localdate()
    response = lead_client.post(
        reverse("cases:step_up_request", args=[case.pk]),
        {
            "referred_day": str(today.day),
            "referred_month": str(today.month),
            "referred_year": str(today.year),
            "referred_time": "00:01",
            "referred_by": str(lead.pk),
            "reason": "Disclosure at school.",
            "family_informed": "yes",
        },
    )
    assert response.status_code == 302, body(response)
    case.refresh_from_db()
    assert case.status == S.STEP_UP_REQUESTED


# --- Reopening -------------------------------------------------------------------------


def test_a_closed_case_offers_a_re_referral_that_starts_a_linked_case(
    make_case: Callable[..., Case], lead_client: Client
) -> None:
    case = make_case(status=S.CONSENT_PENDING)
    lead_client.post(reverse("cases:closure", args=[case.pk]), CLOSURE_BEFORE_PLAN)
    shown = panel(lead_client, case)
    child = case.children.get()
    assert "(re-referral)" in shown
    response = lead_client.post(reverse("cases:start_case"), {"child": str(child.pk)})
    assert response.status_code == 302
    new = Case.objects.get(subjects__child=child, subjects__is_open=True)
    assert new.is_re_referral
    assert new.previous_case == case


# --- Safeguarding, one click away --------------------------------------------------------


def test_the_concern_link_is_on_reviews_and_assessments(
    case: Case, lead: User, lead_client: Client, template: AssessmentTemplate
) -> None:
    concern = reverse("cases:raise_concern", args=[case.pk])
    assert concern in body(lead_client.get(reverse("meetings:review", args=[case.pk])))
    case.status = S.CONSENT_PENDING
    case.save(update_fields=["status"])
    assessment = start_assessment(case, child=case.children.get(), by=lead)
    assert concern in body(lead_client.get(reverse("assessments:detail", args=[assessment.pk])))
    section = reverse("assessments:section", args=[assessment.pk, "story"])
    assert concern in body(lead_client.get(section))
