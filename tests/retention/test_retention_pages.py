"""The retention pages: reached from the navigation by information governance, every
refusal a clear message on the form, holds placed once however often the form is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case
from retention import services, tasks
from retention.forms import MSG_CONFIRM, MSG_NO_CASE
from retention.models import DisposalItem, LegalHold
from tac_portal.concurrency import STALE_MESSAGE

pytestmark = pytest.mark.django_db

DUE_DAY = dt.datetime(2035, 3, 1, 3, 0, tzinfo=dt.UTC)


def _signed_in(user: User) -> Client:
    """A client signed in at the travelled-to time (a session from today has expired)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def due_case(closed_episode: Callable[..., Case]) -> Case:
    return closed_episode(given_names="Ottilie", born=dt.date(2010, 2, 1))


def test_the_navigation_offers_retention_to_information_governance_only(
    auditor_client: Client, coordinator_client: Client
) -> None:
    index = reverse("retention:index")
    assert f'href="{index}"' in auditor_client.get(reverse("retention:holds")).content.decode()
    page = coordinator_client.get(reverse("cases:my_cases"))
    assert f'href="{index}"' not in page.content.decode()
    assert coordinator_client.get(index).status_code == 404


def test_the_nightly_task_is_scheduled_and_lists_what_is_due(due_case: Case) -> None:
    assert "retention.tasks.list_due_records" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    with time_machine.travel(DUE_DAY):
        assert tasks.list_due_records() == 1
        assert tasks.list_due_records() == 0


def test_it_asks_for_the_confirmation_and_then_anonymises(
    due_case: Case, auditor: User, auditor_client: Client
) -> None:
    with time_machine.travel(DUE_DAY):
        client = _signed_in(auditor)
        services.list_due_records()
        item = DisposalItem.objects.due().get()
        page = client.get(reverse("retention:index"))
        assert due_case.reference in page.content.decode()
        url = reverse("retention:confirm", args=[item.pk])
        refused = client.post(url, {"version": item.version})
        assert refused.status_code == 200
        assert MSG_CONFIRM in refused.content.decode()
        done = client.post(url, {"version": item.version, "confirm": "on"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == DisposalItem.Status.DISPOSED
    register = auditor_client.get(reverse("retention:register")).content.decode()
    assert due_case.reference in register
    assert "Ottilie" not in register


def test_a_held_record_offers_no_confirmation_and_refuses_one(
    due_case: Case, auditor: User
) -> None:
    services.place_legal_hold(due_case, by=auditor, reason="Claim")
    with time_machine.travel(DUE_DAY):
        client = _signed_in(auditor)
        services.list_due_records()
        item = DisposalItem.objects.due().get()
        page = client.get(reverse("retention:item", args=[item.pk])).content.decode()
        assert "A legal hold covers this record" in page
        assert "Confirm disposal" not in page
        response = client.post(
            reverse("retention:confirm", args=[item.pk]), {"version": item.version, "confirm": "on"}
        )
    assert response.status_code == 200
    assert services.MSG_ON_HOLD in response.content.decode()
    item.refresh_from_db()
    assert item.status == DisposalItem.Status.DUE


def test_it_places_a_hold_once_and_names_a_wrong_reference(
    due_case: Case, auditor_client: Client
) -> None:
    url = reverse("retention:place_hold")
    form = auditor_client.get(url)
    token = form.context["form"]["submission_token"].value()
    wrong = auditor_client.post(
        url, {"submission_token": token, "reference": "EH-999999", "scope": "case", "reason": "X"}
    )
    assert MSG_NO_CASE in wrong.content.decode()
    missing = auditor_client.post(url, {"submission_token": token, "reference": due_case.reference})
    assert "Select what the hold covers" in missing.content.decode()
    assert "Enter why these records must be kept" in missing.content.decode()
    data = {
        "submission_token": token,
        "reference": due_case.reference,
        "scope": "case",
        "reason": "A claim against the council",
    }
    assert auditor_client.post(url, data).status_code == 302
    assert auditor_client.post(url, data).status_code == 302  # sent twice: saved once
    assert LegalHold.objects.filter(case=due_case).count() == 1


def test_lifting_a_hold_needs_a_reason_and_the_current_version(
    due_case: Case, auditor: User, auditor_client: Client
) -> None:
    (hold,) = services.place_legal_hold(due_case, by=auditor, reason="Claim")
    url = reverse("retention:lift_hold", args=[hold.pk])
    assert (
        "Enter why the hold can be lifted"
        in auditor_client.post(url, {"version": hold.version}).content.decode()
    )
    stale = auditor_client.post(url, {"version": hold.version + 1, "reason": "Settled"})
    assert STALE_MESSAGE in stale.content.decode().replace("&#x27;", "'")
    lifted = auditor_client.post(url, {"version": hold.version, "reason": "Settled"})
    assert lifted.status_code == 302
    hold.refresh_from_db()
    assert (hold.is_active, hold.lift_reason, hold.lifted_by) == (False, "Settled", auditor)


def test_an_anonymised_case_still_opens_for_those_who_see_it(
    due_case: Case, auditor: User, coordinator_client: Client
) -> None:
    with time_machine.travel(DUE_DAY):
        services.list_due_records()
        item = DisposalItem.objects.due().get()
        services.confirm_disposal(item, by=auditor, version=item.version)
    page = coordinator_client.get(reverse("cases:detail", args=[due_case.pk]))
    assert page.status_code == 200
    # The words written on the case have gone (the child's own record goes after it).
    for words in ("school feels better", "doing well", "upset on Tuesday", "dentist"):
        assert words not in page.content.decode()
    assessment = due_case.assessments.get()
    assert (
        coordinator_client.get(reverse("assessments:detail", args=[assessment.pk])).status_code
        == 200
    )
