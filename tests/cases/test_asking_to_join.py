"""Asking to join a case's team after "find a child" said the child is known to early
help, and the lead's decision."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import User
from cases.models import Case, CaseEvent, JoinRequest, TACRole
from cases.services import joining
from cases.services.common import CaseError
from cases.views.team import OFFER_SEALED_AS
from notifications.models import Notification
from tac_portal import sealing
from tac_portal.concurrency import StaleEdit

pytestmark = pytest.mark.django_db

SEARCH = {"given_names": "Jamie", "family_name": "Fairweather", "postcode": ""}


def _offer(client: Client) -> str:
    page = client.post(reverse("cases:find_child"), SEARCH).content.decode()
    assert "Known to early help" in page
    found = re.search(r'name="offer" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_professional_who_found_the_child_asks_and_the_lead_approves(
    case: Case, outsider: User, outsider_client: Client, lead: User, lead_client: Client
) -> None:
    offer = _offer(outsider_client)
    page = outsider_client.post(reverse("cases:ask_to_join"), {"offer": offer})
    assert page.status_code == 200
    body = page.content.decode()
    assert case.reference not in body
    assert str(case.pk) not in re.findall(r"/cases/(\d+)/", body)
    token = page.context["form"]["submission_token"].value()
    empty = outsider_client.post(
        reverse("cases:ask_to_join"),
        {"step": "send", "offer": offer, "reason": "", "submission_token": token},
    )
    assert "Enter why you need to work with this family" in empty.content.decode()
    data = {
        "step": "send",
        "offer": offer,
        "reason": "I am the family's police community support officer",
        "submission_token": token,
    }
    sent = outsider_client.post(reverse("cases:ask_to_join"), data)
    assert sent.status_code == 302
    assert sent["Location"] == reverse("cases:my_cases")
    assert outsider_client.post(reverse("cases:ask_to_join"), data).status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.requester == outsider
    assert Notification.objects.filter(recipient=lead).count() == 1
    # Still nothing to see until the lead agrees.
    assert outsider_client.get(reverse("cases:detail", args=[case.pk])).status_code == 404

    team_page = lead_client.get(reverse("cases:team", args=[case.pk])).content.decode()
    decision_url = reverse("cases:team_join_decision", args=[case.pk, join_request.pk])
    assert decision_url in team_page
    decided = lead_client.post(
        decision_url,
        {
            "version": str(join_request.version),
            "decision": "approve",
            "role": TACRole.PRACTITIONER,
            "involvement": "core",
        },
    )
    assert decided.status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.membership is not None
    assert outsider_client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert Notification.objects.filter(recipient=outsider).count() == 1
    codes = set(CaseEvent.objects.filter(case=case).values_list("code", flat=True))
    assert {"team.join_requested", "team.join_approved", "team.member_added"} <= codes


def test_an_offer_made_for_someone_else_leads_nowhere(
    case: Case, outsider_client: Client, member_manager_client: Client
) -> None:
    offer = _offer(outsider_client)
    response = member_manager_client.post(reverse("cases:ask_to_join"), {"offer": offer})
    assert response.status_code == 404
    assert (
        outsider_client.post(reverse("cases:ask_to_join"), {"offer": "made-up"}).status_code == 404
    )


def test_an_offer_hides_the_case_and_lasts_as_long_as_a_session(
    case: Case, outsider: User, outsider_client: Client, settings: Any
) -> None:
    offer = _offer(outsider_client)
    # Sealed: the case's id is in no readable form on the page.
    assert offer.startswith("gAAAAA")
    opened = sealing.unseal(offer, purpose=OFFER_SEALED_AS).decode()
    assert opened == f"{outsider.pk}:{case.pk}"
    tampered = offer[:-6] + ("A" if offer[-6] != "A" else "B") + offer[-5:]
    assert (
        outsider_client.post(reverse("cases:ask_to_join"), {"offer": tampered}).status_code == 404
    )
    later = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(later, tick=False), pytest.raises(sealing.Unreadable):
        sealing.unseal(offer, purpose=OFFER_SEALED_AS, max_age=settings.SESSION_COOKIE_AGE)


def test_finding_a_child_known_elsewhere_writes_nothing_to_the_session(
    case: Case, outsider_client: Client
) -> None:
    _offer(outsider_client)  # the session is saved once, as any first request saves it
    with CaptureQueriesContext(connection) as queries:
        _offer(outsider_client)
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))
    ]
    assert not [sql for sql in writes if "django_session" in sql]


def test_a_member_sees_the_child_and_is_offered_nothing(case: Case, member_client: Client) -> None:
    page = member_client.post(reverse("cases:find_child"), SEARCH).content.decode()
    assert 'name="offer"' not in page


def test_asking_twice_keeps_one_request(case: Case, outsider: User) -> None:
    first = joining.ask_to_join(case, by=outsider, reason="Community officer")
    again = joining.ask_to_join(case, by=outsider, reason="Community officer")
    assert first.pk == again.pk


def test_a_member_has_nothing_to_ask(case: Case, member: User) -> None:
    with pytest.raises(PermissionDenied):
        joining.ask_to_join(case, by=member, reason="Already here")


def test_a_declined_request_tells_the_requester_and_cannot_be_decided_twice(
    case: Case, outsider: User, lead: User, member: User
) -> None:
    join_request = joining.ask_to_join(case, by=outsider, reason="Community officer")
    with pytest.raises(PermissionDenied):
        joining.decide_join_request(join_request, approve=True, by=member, expected_version=None)
    with pytest.raises(StaleEdit):
        joining.decide_join_request(
            join_request, approve=False, by=lead, expected_version=join_request.version + 1
        )
    declined = joining.decide_join_request(
        join_request, approve=False, by=lead, expected_version=join_request.version
    )
    assert declined.status == JoinRequest.Status.DECLINED
    assert Notification.objects.filter(recipient=outsider).count() == 1
    assert not Case.objects.visible_to(outsider).filter(pk=case.pk).exists()
    with pytest.raises(CaseError, match="already been decided"):
        joining.decide_join_request(join_request, approve=True, by=lead, expected_version=None)
