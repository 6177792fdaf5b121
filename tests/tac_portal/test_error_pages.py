"""The error pages: in the portal's layout, saying what happened and what to do, and
never whether a case the person may not see exists."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tac_portal import views
from tests.matrix import Objects

SIGNED_IN = ("lead", "member", "manager", "member_manager", "coordinator", "outsider", "admin")


def _main(body: str) -> str:
    found = re.search(r"<main.*?</main>", body, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize("persona", [*SIGNED_IN, "auditor"])
def test_a_missing_page_is_styled_for_everyone(
    persona: str, persona_client: Callable[[str], Client], objects: Objects
) -> None:
    response = persona_client(persona).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<title>Page not found" in body
    assert "govuk-header" in body
    assert "check it is correct" in body


@pytest.mark.parametrize("persona", ["outsider", "admin", "auditor"])
def test_a_case_they_may_not_see_looks_like_a_case_that_does_not_exist(
    persona: str, persona_client: Callable[[str], Client], objects: Objects
) -> None:
    client = persona_client(persona)
    real = client.get(reverse("cases:detail", args=[objects.case.pk]))
    made_up = client.get(reverse("cases:detail", args=[objects.case.pk + 9999]))
    assert real.status_code == made_up.status_code == 404
    real_main = _main(real.content.decode())
    assert real_main == _main(made_up.content.decode())
    assert objects.case.reference not in real_main


def test_a_professional_is_told_to_ask_the_lead_to_add_them(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    body = persona_client("outsider").get(reverse("cases:detail", args=[objects.case.pk]))
    text = body.content.decode()
    assert "ask their lead professional to add you to the team" in text
    assert reverse("audit:break_glass_request") in text


def test_a_refusal_on_a_visible_case_names_the_lead_and_links_back(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    response = persona_client("member").get(reverse("cases:review_date", args=[objects.case.pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "<title>You cannot do this" in body
    lead = objects.case.lead_assignment
    assert lead is not None
    assert f"ask the lead professional, {lead.professional.full_name}" in body
    assert reverse("cases:detail", args=[objects.case.pk]) in body


def test_a_practitioner_stepping_a_case_down_is_told_who_can(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    response = persona_client("lead").get(reverse("cases:step_down_in"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Only a team manager or the coordinator can open a stepped-down case." in body
    assert "ask your team manager" in body
    assert "govuk-header" in body


def test_the_auditor_asking_for_emergency_access_is_told_why_not(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    response = persona_client("auditor").get(reverse("audit:break_glass_request"))
    assert response.status_code == 403
    assert "Your role does not work on cases." in response.content.decode()


def test_a_form_sent_without_its_security_token_gets_a_helpful_page(objects: Objects) -> None:
    lead = objects.case.lead_assignment
    assert lead is not None
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead.professional)
    url = reverse("cases:review_date", args=[objects.case.pk])
    response = client.post(url, {"reason": "Late"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "<title>Your form could not be sent" in body
    assert "Nothing has been saved" in body


def test_a_server_error_is_styled_and_gives_a_reference(
    rf: RequestFactory, objects: Objects
) -> None:
    request = rf.get("/")
    request.request_id = "abc123"  # type: ignore[attr-defined]
    response = views.server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "abc123" in body
    assert "govuk-header" in body
