"""The API refuses hostile text and dates with a problem naming each field
(tac_portal.validators; the pages' side is tests/tac_portal/test_input_rules.py)."""

from __future__ import annotations

import json

from agencies.models import User
from cases.models import Child
from tests.api.conftest import Partner, client_with_token


def test_the_api_answers_hostile_names_and_dates_with_problems(
    school_partner: Partner, member: User
) -> None:
    api = client_with_token(school_partner, "referrals:write")
    child = {
        "given_names": "Ro\u202ewan",
        "family_name": "=HYPERLINK(1)",
        "date_of_birth": "0001-01-01",
        "carer_given_names": "<b>Alex</b>",
    }
    body = {
        "summary_of_need": "Needs\x00help",
        "family_aware": True,
        "consent_obtained": True,
        "new_children": [child],
    }
    response = api.post("/api/v1/referrals/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert {
        "#/summary_of_need",
        "#/new_children/0/given_names",
        "#/new_children/0/family_name",
        "#/new_children/0/date_of_birth",
        "#/new_children/0/carer_given_names",
    } <= pointers
    assert not Child.objects.exists()
