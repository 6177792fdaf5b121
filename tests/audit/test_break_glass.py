"""Break-glass: time-limited emergency access to a case, notified and reviewed."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Team, User
from cases.access import break_glass_grant_in_use
from cases.models import BreakGlassGrant, Case, RecordAccess
from cases.services.teams import add_professional_to_team
from meetings.services.scheduling import schedule_meeting
from notifications.models import Notification
from tests import personas
from tests.helpers import client_for

URL = reverse("audit:break_glass_request")


def _ask(client: Client, reference: str, **overrides: str) -> Any:
    data = {
        "reference": reference,
        "reason_code": BreakGlassGrant.ReasonCode.SAFEGUARDING_CONCERN,
        "justification": "Child reported missing overnight; checking known contacts.",
    }
    data.update(overrides)
    return client.post(URL, data)


@pytest.fixture
def police_manager(police_team: Team) -> User:
    user = User.objects.create_user(
        "pam.police@police.example",
        "x",
        full_name="Pam Police",
        agency=police_team.agency,
        role=User.Role.TEAM_MANAGER,
    )
    police_team.managers.add(user)
    return user


def test_an_outsider_gets_emergency_access_and_their_managers_are_told(
    case: Case,
    outsider: User,
    outsider_client: Client,
    police_manager: User,
    auditor: User,
    manager: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    detail = reverse("cases:detail", args=[case.pk])
    assert outsider_client.get(detail).status_code == 404

    with caplog.at_level(logging.INFO, logger="tac.security"):
        response = _ask(outsider_client, case.reference.lower())
    assert response.status_code == 302
    assert response["Location"] == detail

    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.case) == (outsider, case)
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=4)

    recipients = set(Notification.objects.values_list("recipient", flat=True))
    assert recipients == {police_manager.pk, auditor.pk}  # not the lead's manager
    titles = " ".join(Notification.objects.values_list("title", flat=True))
    assert case.reference not in titles
    assert case.family.name not in titles

    [record] = [r for r in caplog.records if r.getMessage() == "break-glass granted"]
    assert record.grant == grant.pk  # type: ignore[attr-defined]
    assert case.family.name not in record.getMessage()

    page = outsider_client.get(detail)
    assert page.status_code == 200
    body = page.content.decode()
    local_expiry = timezone.localtime(grant.expires_at).strftime("%H:%M")
    assert f"You have emergency access until {local_expiry}; this is being reviewed" in body
    assert "See who has looked at this case" not in body
    rows = RecordAccess.objects.filter(user=outsider)
    assert rows.count() == 1
    assert {r.break_glass_grant_id for r in rows} == {grant.pk}


def test_every_page_seen_by_emergency_access_logs_the_grant(
    case: Case, make_case: Any, outsider: User, outsider_client: Client, lead: User
) -> None:
    """Lists and meeting pages carry the grant too, not only the case page."""
    _ask(outsider_client, case.reference)
    grant = BreakGlassGrant.objects.get()
    own = make_case()
    add_professional_to_team(own, professional=outsider, by=lead)
    meeting = schedule_meeting(
        case,
        by=lead,
        kind="initial",
        starts_at=timezone.now() + dt.timedelta(days=3),
        members=list(case.memberships.active()),
    )

    assert outsider_client.get(reverse("cases:my_cases")).status_code == 200
    assert outsider_client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200

    listed = RecordAccess.objects.filter(user=outsider, route="cases:my_cases")
    assert {r.case_id: r.break_glass_grant_id for r in listed} == {
        case.pk: grant.pk,
        own.pk: None,
    }
    meeting_rows = RecordAccess.objects.filter(user=outsider, route="meetings:detail")
    assert {r.break_glass_grant_id for r in meeting_rows} == {grant.pk}


def test_the_hours_are_configurable(case: Case, outsider_client: Client, settings: object) -> None:
    settings.TAC_BREAK_GLASS_HOURS = 1  # type: ignore[attr-defined]
    _ask(outsider_client, case.reference)
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.granted_at == dt.timedelta(hours=1)


def test_access_ends_when_the_grant_expires(case: Case, outsider_client: Client) -> None:
    # The rule compares with the database clock, so the grant is made in the past.
    with time_machine.travel(timezone.now() - dt.timedelta(hours=5), tick=False):
        _ask(outsider_client, case.reference)
    assert BreakGlassGrant.objects.get().expires_at < timezone.now()
    assert outsider_client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_reason_and_justification_are_required(case: Case, outsider_client: Client) -> None:
    response = _ask(outsider_client, case.reference, reason_code="", justification="   ")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select why you need emergency access" in body
    assert "Enter why you need to see this case now" in body
    assert "govuk-error-summary" in body
    assert not BreakGlassGrant.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("reference", ["EH-999999", "closed"])
def test_missing_and_closed_cases_get_the_same_answer(
    reference: str, case: Case, outsider_client: Client
) -> None:
    if reference == "closed":
        Case.objects.filter(pk=case.pk).update(
            status=Case.Status.CLOSED_NEEDS_MET,
            closed_at=timezone.now(),
            closure_reason="NEEDS_MET",
        )
        reference = case.reference
    response = _ask(outsider_client, reference)
    assert response.status_code == 200
    assert "No open case matches what you entered" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def _main(response: Any) -> str:
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


@pytest.mark.parametrize("by", ["reference", "name"])
def test_until_the_reason_is_given_a_match_and_no_match_get_the_same_answer(
    by: str, case: Case, outsider_client: Client
) -> None:
    if by == "reference":
        search = {"reference": case.reference}
    else:
        search = {
            "family_name": "Fairweather",
            "date_of_birth_day": "17",
            "date_of_birth_month": "5",
            "date_of_birth_year": "2016",
        }
    reference = search.pop("reference", "")
    no_reason = {"reason_code": "", "justification": "", **search}
    with_a_match = _main(_ask(outsider_client, reference, **no_reason))
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED_NEEDS_MET, closed_at=timezone.now(), closure_reason="NEEDS_MET"
    )
    without = _main(_ask(outsider_client, reference, **no_reason))
    assert with_a_match == without
    assert "Select why you need emergency access" in with_a_match
    assert not BreakGlassGrant.objects.exists()


def test_a_search_by_name_and_date_of_birth_finds_the_case_to_choose(
    case: Case, outsider: User, outsider_client: Client
) -> None:
    criteria = {
        "family_name": "Fairwether",  # misspelt, as "Find a child" allows
        "given_names": "Jamie",
        "date_of_birth_day": "17",
        "date_of_birth_month": "5",
        "date_of_birth_year": "2016",
    }
    response = _ask(outsider_client, "", **criteria)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the case you need" in page
    assert case.reference in page
    assert not BreakGlassGrant.objects.exists()

    chosen = _ask(outsider_client, "", case=str(case.pk), **criteria)
    assert chosen.status_code == 302
    assert chosen["Location"] == reverse("cases:detail", args=[case.pk])
    assert BreakGlassGrant.objects.get().user == outsider


def test_a_case_not_among_the_matches_cannot_be_chosen(
    case: Case, make_case: Callable[..., Case], outsider_client: Client
) -> None:
    other = make_case()
    criteria = {"family_name": "Nobody", "given_names": "Alex"}
    response = _ask(outsider_client, "", case=str(other.pk), **criteria)
    assert response.status_code == 200
    assert "No open case matches what you entered" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_the_administrator_cannot_use_break_glass(case: Case, admin_client_: Client) -> None:
    assert admin_client_.get(URL).status_code == 403
    assert _ask(admin_client_, case.reference).status_code == 403
    assert not BreakGlassGrant.objects.exists()
    assert admin_client_.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_someone_who_can_already_see_the_case_gets_no_grant(
    case: Case, member: User, member_client: Client
) -> None:
    response = _ask(member_client, case.reference)
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert not BreakGlassGrant.objects.exists()
    assert break_glass_grant_in_use(member, case) is None
    member_client.get(response["Location"])
    assert RecordAccess.objects.get().break_glass_grant_id is None


def test_it_grants_only_the_case_asked_for(
    case: Case, make_case: object, outsider_client: Client
) -> None:
    other = make_case()  # type: ignore[operator]
    _ask(outsider_client, case.reference)
    assert outsider_client.get(reverse("cases:detail", args=[other.pk])).status_code == 404
    assert outsider_client.get(reverse("cases:my_cases")).status_code == 200


def test_only_information_governance_reviews_a_grant(
    case: Case,
    outsider_client: Client,
    auditor: User,
    auditor_client: Client,
    manager_client: Client,
) -> None:
    _ask(outsider_client, case.reference)
    grant = BreakGlassGrant.objects.get()
    url = reverse("audit:break_glass_review", args=[grant.pk])
    data = {"review_outcome": "NEEDS_FOLLOW_UP", "review_note": "Spoke to the officer."}
    assert manager_client.post(url, data).status_code == 404
    grant.refresh_from_db()
    assert grant.review_outcome == ""

    missing = auditor_client.post(url, {"review_note": "x"})
    assert "Select the outcome of your review" in missing.content.decode()

    assert auditor_client.post(url, data).status_code == 302
    grant.refresh_from_db()
    assert grant.review_outcome == BreakGlassGrant.ReviewOutcome.NEEDS_FOLLOW_UP
    assert grant.reviewed_by == auditor
    assert grant.reviewed_at is not None
    assert (
        "Needs follow-up" in auditor_client.get(reverse("audit:break_glass_list")).content.decode()
    )


def test_two_reviewers_never_overwrite_each_other(
    case: Case, outsider_client: Client, auditor_client: Client
) -> None:
    _ask(outsider_client, case.reference)
    grant = BreakGlassGrant.objects.get()
    url = reverse("audit:break_glass_review", args=[grant.pk])
    colleague = client_for(
        personas._user(
            "ivo.governance@demo-la.example",
            "Ivo Governance",
            role=User.Role.INFORMATION_GOVERNANCE,
        )
    )
    assert 'name="seen"' in auditor_client.get(url).content.decode()
    theirs = {"seen": "", "review_outcome": "APPROPRIATE", "review_note": "Fine."}
    assert colleague.post(url, theirs).status_code == 302

    mine = {"seen": "", "review_outcome": "NEEDS_FOLLOW_UP", "review_note": "Ask why."}
    refused = auditor_client.post(url, mine)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone reviewed this emergency access since you opened it" in page
    assert "Ask why." in page  # what was typed is kept
    grant.refresh_from_db()
    assert grant.review_outcome == BreakGlassGrant.ReviewOutcome.APPROPRIATE

    seen = grant.reviewed_at.isoformat() if grant.reviewed_at else ""
    assert f'name="seen" value="{seen}"' in page
    assert auditor_client.post(url, {**mine, "seen": seen}).status_code == 302
    grant.refresh_from_db()
    assert grant.review_outcome == BreakGlassGrant.ReviewOutcome.NEEDS_FOLLOW_UP
