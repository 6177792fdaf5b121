"""Generated hostile input, posted to the main create forms (and, in
tests/api/test_hostile_input.py, to the API's writes) never
makes the portal fail: every answer is a page with field messages, a redirect, or a
problem (4xx), never a 5xx and never an exception.

Strings mix anything hypothesis makes with known troublemakers (NUL, other controls,
bidirectional overrides, zero-width characters, markup, formulas, very long text), and
dates with years like 0001 and 9999. The Django test client raises a view's exception
rather than answering 500, so any failure at all fails the test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import User
from assessments.definition import default_definition
from assessments.models import AssessmentTemplate
from assessments.services.starting import start_assessment
from cases.models import Case
from meetings.models import Meeting
from meetings.services.scheduling import schedule_meeting

pytestmark = pytest.mark.django_db

TROUBLE = [
    "\x00",
    "Ro\x00wan",
    "\x07\x1b[31m",
    "\u202egnp.exe",
    "Ro\u200bwan",
    "\ufeff",
    "\u2028",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x.example","click")',
    "+44 123",
    "@SUM(1)",
    "'; DROP TABLE cases_child; --",
    "x" * 20_000,
    "\ud7ff\ue000\U0010ffff",
    "",
    " ",
]
hostile = st.one_of(st.sampled_from(TROUBLE), st.text(max_size=300))
year = st.one_of(
    st.sampled_from(
        ["0001", "0000", "1899", "1900", "9999", "99999", "-1", "", "\uff12\uff10\uff12\uff10"]
    ),
    st.integers(min_value=0, max_value=9999).map(lambda y: f"{y:04d}"),
    st.text(max_size=6),
)
day_or_month = st.one_of(
    st.sampled_from(["0", "1", "12", "31", "32", "-1", ""]), st.text(max_size=4)
)
iso_date = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2017-02-30", "", "today"]),
    st.dates().map(dt.date.isoformat),
    st.text(max_size=12),
)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def ok(response: Any) -> None:
    assert response.status_code < 500, response.status_code


def _date(name: str, parts: tuple[str, str, str]) -> dict[str, str]:
    return {f"{name}_day": parts[0], f"{name}_month": parts[1], f"{name}_year": parts[2]}


dates = st.tuples(day_or_month, day_or_month, year)


@SETTINGS
@given(given_names=hostile, family_name=hostile, text=hostile, born=dates)
def test_add_a_child(
    member_client: Client, given_names: str, family_name: str, text: str, born: tuple[str, ...]
) -> None:
    data = {
        "given_names": given_names,
        "family_name": family_name,
        **_date("date_of_birth", born),  # type: ignore[arg-type]
        "sex": "male",
        "address": text,
        "postcode": text[:12],
        "nhs_number": text[:14],
        "carer_given_names": text[:100],
        "carer_family_name": family_name,
        "next_step": "request_support",
        "summary_of_need": text,
        "duplicate_reason": text,
    }
    ok(member_client.post(reverse("cases:add_child"), data))


@SETTINGS
@given(body=hostile)
def test_add_a_contribution(case: Case, member_client: Client, body: str) -> None:
    ok(member_client.post(reverse("meetings:contribute", args=[case.pk]), {"body": body}))


@pytest.fixture
def meeting(case: Case, lead: User) -> Meeting:
    day = timezone.localdate() + dt.timedelta(days=3)
    zone = timezone.get_current_timezone()
    return schedule_meeting(
        case,
        by=lead,
        kind=Meeting.Kind.INITIAL,
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=zone),
        ends_at=dt.datetime.combine(day, dt.time(11), tzinfo=zone),
        location="Riverside Primary School, room 2",
        members=list(case.memberships.active()),
    )


@SETTINGS
@given(description=hostile, name=hostile, start=dates, due=dates)
def test_add_an_action(
    meeting: Meeting,
    lead_client: Client,
    description: str,
    name: str,
    start: tuple[str, ...],
    due: tuple[str, ...],
) -> None:
    data = {
        "description": description,
        "owner": "network",
        "network_name": name,
        **_date("start_on", start),  # type: ignore[arg-type]
        **_date("due_on", due),  # type: ignore[arg-type]
    }
    url = reverse("meetings:add_action", args=[meeting.pk])
    ok(lead_client.post(url, data, headers={"HX-Request": "true"}))


@SETTINGS
@given(location=hostile, externals=hostile, day=dates)
def test_schedule_a_meeting(
    case: Case, lead_client: Client, location: str, externals: str, day: tuple[str, ...]
) -> None:
    data = {
        "kind": "initial",
        **_date("day", day),  # type: ignore[arg-type]
        "starts": "10:00",
        "ends": "11:00",
        "mode": "in_person",
        "location": location,
        "externals": externals,
    }
    ok(lead_client.post(reverse("meetings:schedule", args=[case.pk]), data))


@SETTINGS
@given(text=hostile, key=st.sampled_from(["f_narrative", "f_\x00", "fields"]))
def test_save_an_assessment_section(
    case: Case, lead: User, lead_client: Client, text: str, key: str
) -> None:
    AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={"name": "Early help assessment", "definition": default_definition()},
    )
    assessment = case.assessments.first() or start_assessment(
        case, child=case.children.get(), by=lead
    )
    data = {"fields": "narrative", "f_narrative": "", "v_narrative": "0", "h_narrative": ""}
    data[key] = text
    ok(lead_client.post(reverse("assessments:save_section", args=[assessment.pk, "story"]), data))


# --- The rest of the plan and meeting forms, and the emergency access request ------------

OTHER_FORMS = [
    ("meetings:add_outcome", "meeting", ["statement", "how_we_will_know"]),
    ("meetings:add_decision", "meeting", ["text", "rationale"]),
    ("meetings:cancel", "meeting", ["reason"]),
    ("meetings:new_discussion", "case", ["question", "hypotheses", "learning", "next_steps"]),
    ("meetings:review", "case", ["child_views", "parent_views", "summary"]),
    ("audit:break_glass_request", "", ["reference", "justification"]),
]


@SETTINGS
@given(
    target=st.sampled_from(OTHER_FORMS),
    texts=st.lists(hostile, min_size=4, max_size=4),
    day=dates,
)
def test_other_forms(
    meeting: Meeting,
    lead_client: Client,
    target: tuple[str, str, list[str]],
    texts: list[str],
    day: tuple[str, ...],
) -> None:
    name, about, fields = target
    args = {"meeting": [meeting.pk], "case": [meeting.case_id], "": []}[about]
    data: dict[str, str] = dict(zip(fields, texts, strict=False))
    data |= _date("held_on", day) | _date("next_review_on", day)  # type: ignore[arg-type]
    data["reason_code"] = "immediate_risk"
    headers = {"HX-Request": "true"} if about == "meeting" else {}
    ok(lead_client.post(reverse(name, args=args), data, headers=headers))
