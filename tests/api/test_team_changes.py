"""A change on the team page reaches the partner API at once: a school's system sees the
case from the moment the school's professional joins, and not after their place ends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case
from cases.services.teams import add_professional

pytestmark = pytest.mark.django_db


def test_the_schools_client_sees_the_case_while_its_professional_is_on_the_team(
    make_case: Callable[..., Case],
    lead: User,
    member: User,
    lead_client: Client,
    school_api: Client,
) -> None:
    case = make_case()
    assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 404

    membership = add_professional(case, professional=member, by=lead)
    assert school_api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    listed = school_api.get("/api/v1/cases/").json()["results"]
    assert [c["reference"] for c in listed] == [case.reference]

    ended = lead_client.post(
        reverse("cases:team_member_end", args=[case.pk, membership.pk]),
        {"version": str(membership.version), "reason": "The school's work has finished"},
    )
    assert ended.status_code == 302
    gone = school_api.get(f"/api/v1/cases/{case.pk}/")
    assert gone.status_code == 404
    assert gone["Content-Type"] == "application/problem+json"
    assert school_api.get(f"/api/v1/cases/{case.pk}/team/").status_code == 404
    assert school_api.get("/api/v1/cases/").json()["results"] == []
