"""Partner writes sent at the same moment, in threads with their own database connections:
edits based on one version make one change (the others 412), and one Idempotency-Key
makes one write whoever sends it first."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from agencies.models import Agency, User
from cases.models import Case
from meetings.models import Action, ActionUpdate, Contribution, Invitation, Meeting
from tests.api.conftest import Partner, client_with_token
from tests.reliability.test_double_submits import _at_once

pytestmark = pytest.mark.django_db(transaction=True)

AT_ONCE = 5


def _clients(partner: Partner) -> list[Client]:
    """One client per thread (each thread pops its own): a test client is not shared."""
    return [client_with_token(partner) for _ in range(AT_ONCE)]


def test_edits_of_one_version_make_one_change(
    case: Case, member: User, school_agency: Agency, school_partner: Partner
) -> None:
    action = Action.objects.create(
        case=case,
        description="Attendance plan",
        owner_professional=member,
        owner_agency=school_agency,
        due_on=dt.date(2026, 12, 1),
        created_by=case.opened_by,
    )
    clients = _clients(school_partner)

    def send() -> int:
        api = clients.pop()
        return api.patch(
            f"/api/v1/actions/{action.pk}/",
            json.dumps({"progress_note": "Checked in at the gate."}),
            content_type="application/json",
            HTTP_IF_MATCH='"v1"',
        ).status_code

    codes = _at_once(AT_ONCE, send)
    assert sorted(codes) == [200] + [412] * (AT_ONCE - 1)
    assert ActionUpdate.objects.count() == 1
    action.refresh_from_db()
    assert action.version == 2


def test_one_key_makes_one_contribution(case: Case, school_partner: Partner) -> None:
    clients = _clients(school_partner)

    def send() -> int:
        api = clients.pop()
        return api.post(
            f"/api/v1/cases/{case.pk}/contributions/",
            json.dumps({"body": "Jamie joined the breakfast club."}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="race-1",
        ).status_code

    codes = _at_once(AT_ONCE, send)
    assert codes == [201] * AT_ONCE
    assert Contribution.objects.count() == 1


def test_one_key_records_one_reply(
    case: Case, lead: User, member: User, school_partner: Partner
) -> None:
    meeting = Meeting.objects.create(
        case=case, kind="review", starts_at=timezone.now(), created_by=lead
    )
    invitation = Invitation.objects.create(
        meeting=meeting,
        kind=Invitation.Kind.PROFESSIONAL,
        professional=member,
        name=member.full_name,
        agency=member.role_and_agency,
        invited_at=timezone.now(),
    )
    clients = _clients(school_partner)

    def send() -> int:
        api = clients.pop()
        return api.patch(
            f"/api/v1/invitations/{invitation.pk}/",
            json.dumps({"response": "apologies"}),
            content_type="application/json",
            HTTP_IF_MATCH='"v1"',
            HTTP_IDEMPOTENCY_KEY="race-2",
        ).status_code

    codes = _at_once(AT_ONCE, send)
    # The first is made; the others wait for its lock and answer its answer (not 412).
    assert codes == [200] * AT_ONCE
    invitation.refresh_from_db()
    assert (invitation.response, invitation.version) == ("apologies", 2)
