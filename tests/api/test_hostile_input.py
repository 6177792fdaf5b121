"""Generated hostile input sent to the API's writes never makes it fail: every answer is
a result or a problem (4xx), never a 5xx (the strategies and the pages' side are in
tests/reliability/test_hostile_input.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from agencies.models import User
from cases.models import Case
from meetings.models import Action
from meetings.services.plan import Owner, add_action
from tests.api.conftest import Partner, client_with_token
from tests.reliability.test_hostile_input import SETTINGS, hostile, iso_date, ok

pytestmark = pytest.mark.django_db


@SETTINGS
@given(names=st.tuples(hostile, hostile), born=iso_date, summary=hostile, who=hostile)
def test_api_referral(
    school_partner: Partner,
    names: tuple[str, str],
    born: str,
    summary: str,
    who: str,
) -> None:
    api = client_with_token(school_partner, "referrals:write")
    body = {
        "summary_of_need": summary,
        "family_aware": True,
        "consent_obtained": True,
        "requester_name": who,
        "new_children": [{"given_names": names[0], "family_name": names[1], "date_of_birth": born}],
    }
    ok(api.post("/api/v1/referrals/", json.dumps(body), content_type="application/json"))


@SETTINGS
@given(note=hostile, status=st.one_of(st.sampled_from(["in_progress", "done"]), hostile))
def test_api_action_progress(
    case: Case, lead: User, member: User, school_partner: Partner, note: str, status: str
) -> None:
    action = Action.objects.first() or add_action(
        case,
        by=lead,
        description="Walk to school together",
        owner=Owner(membership=case.memberships.active().get(professional=member)),
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    api = client_with_token(school_partner, "actions:write")
    body = json.dumps({"progress_note": note, "status": status})
    # "*": any version, so that every generated body reaches the service.
    ok(
        api.patch(
            f"/api/v1/actions/{action.pk}/",
            body,
            content_type="application/json",
            HTTP_IF_MATCH="*",
        )
    )


@SETTINGS
@given(note=hostile, team_member=st.one_of(st.integers(), hostile), key=hostile)
def test_api_contribution(
    case: Case, school_partner: Partner, note: str, team_member: object, key: str
) -> None:
    api = client_with_token(school_partner, "contributions:write")
    body = json.dumps({"body": note, "team_member": team_member})
    headers = {"Idempotency-Key": key} if key.isascii() and key.isprintable() else {}
    ok(
        api.post(
            f"/api/v1/cases/{case.pk}/contributions/",
            body,
            content_type="application/json",
            headers=headers,
        )
    )
