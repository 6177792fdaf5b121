"""Property-based checks of the live API against its own OpenAPI schema (schemathesis).

A demo-like world (a school on two TACs, one family sharing additional
information, actions, meetings and an assessment) and a partner client of the
school. Every operation gets generated requests through real HTTP: no 5xx, and
every response (status, headers, content type, body) matches the schema.

The writes (POST referrals/, PATCH actions/{id}/, POST cases/{id}/contributions/,
PATCH invitations/{id}/) run too, with every check but "schema-valid data is
accepted": a valid referral needs the id of a child the client can see, a
contribution the id of a case it is on the team of, and an edit the object's current
ETag, which generated data cannot know (their successes are tested in test_writes.py
and test_partner_writes.py). What is checked for them is that nothing answers 5xx and
every answer matches the schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import requests
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import positive_data_acceptance

from agencies.models import Agency, User
from assessments.models import Assessment, AssessmentTemplate
from cases.models import Case
from cases.services.teams import add_professional_to_team
from meetings.models import Action, Invitation, Meeting
from tests.api.conftest import Partner

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def demo_world(
    case: Case,
    make_case: Callable[..., Case],
    lead: User,
    member: User,
    school_agency: Agency,
    share: Callable[..., object],
) -> Case:
    share("additional")
    other = make_case()
    add_professional_to_team(other, professional=member, by=lead)
    now = timezone.now()
    meeting = Meeting.objects.create(case=case, kind="initial", starts_at=now, created_by=lead)
    Action.objects.create(
        case=case,
        meeting=meeting,
        description="Attendance plan",
        owner_professional=member,
        owner_agency=school_agency,
        due_on=dt.date(2026, 12, 1),
        created_by=lead,
    )
    Invitation.objects.create(
        meeting=meeting,
        kind=Invitation.Kind.PROFESSIONAL,
        professional=member,
        name=member.full_name,
        agency=member.role_and_agency,
        invited_at=now,
    )
    template = AssessmentTemplate.objects.create(code="caf", version=1, name="CAF", definition={})
    Assessment.objects.create(
        case=case, child=case.children.get(), template=template, assessor=lead, started_at=now
    )
    return case


def test_the_live_api_matches_its_schema(
    demo_world: Case, school_partner: Partner, live_server: Any, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/min"},
    }
    token = requests.post(
        f"{live_server.url}/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(school_partner.client_id, school_partner.secret),
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    raw = requests.get(
        f"{live_server.url}/api/v1/schema/", headers={"Accept": "application/json"}, timeout=10
    ).json()
    # A cursor is opaque: only the server's own next links are valid, so any other
    # string is rightly a 400 (tested in test_protocol.py), not data to generate.
    for path_item in raw["paths"].values():
        for operation in path_item.values():
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("name") != "cursor"
            ]
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.update(base_url=live_server.url)

    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 15
    session = requests.Session()
    writes = {"POST", "PATCH"}
    assert {o.method.upper() for o in operations} >= writes
    paths = {o.path for o in operations}
    assert {"/api/v1/cases/{case_pk}/contributions/", "/api/v1/invitations/{id}/"} <= paths
    for operation in operations:
        excluded = [positive_data_acceptance] if operation.method.upper() in writes else []

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), _=st.none())
        def check(case: Any, _: None) -> None:
            case.call_and_validate(
                session=session,
                headers=headers,
                excluded_checks=excluded,  # noqa: B023  (called within this iteration)
            )

        check()
