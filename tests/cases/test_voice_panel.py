""" "In their own words": the child's and family's latest views, first on the case page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment, AssessmentTemplate, ViewRecord
from assessments.panels import family_voice as assessment_voice
from audit.services import set_restriction
from cases.models import Case, Child, FamilyMember, RestrictionTarget
from meetings.models import Meeting, Review
from meetings.panels import family_voice as meeting_voice
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _page(client: Client, case: Case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def _voice(page: str) -> str:
    """The "In their own words" part of the case page."""
    start = page.index("In their own words")
    return page[start : page.index('data-module="govuk-tabs"', start)]


@pytest.fixture
def template() -> AssessmentTemplate:
    return AssessmentTemplate.objects.create(code="caf", version=1, name="CAF", definition={})


def _review(case: Case, by: User, days_ago: int, child: str, parent: str) -> Review:
    return Review.objects.create(
        case=case,
        reviewed_at=timezone.now() - dt.timedelta(days=days_ago),
        child_views=child,
        parent_views=parent,
        recorded_by=by,
    )


def _meeting(case: Case, by: User, days_ago: int, family: str, child: str = "") -> Meeting:
    at = timezone.now() - dt.timedelta(days=days_ago)
    return Meeting.objects.create(
        case=case,
        kind=Meeting.Kind.INITIAL,
        status=Meeting.Status.HELD,
        starts_at=at,
        held_at=at,
        created_by=by,
        note_taker=by,
        family_views=family,
        child_views=child,
    )


def _assessment(
    case: Case,
    child: Child,
    template: AssessmentTemplate,
    by: User,
    *,
    status: str = Assessment.Status.COMPLETED,
    days_ago: int = 10,
) -> Assessment:
    started = timezone.now() - dt.timedelta(days=days_ago)
    return Assessment.objects.create(
        case=case,
        child=child,
        template=template,
        assessor=by,
        status=status,
        started_at=started,
        completed_at=started + dt.timedelta(days=1) if status == "completed" else None,
    )


def _views(
    assessment: Assessment, by: User, parent: FamilyMember | None, child_words: str, words: str
) -> None:
    ViewRecord.objects.create(
        assessment=assessment,
        speaker=ViewRecord.Speaker.CHILD,
        own_words=child_words,
        scribed_by="Sam Scribe",
        communication_method=ViewRecord.Method.DRAWING,
        updated_by=by,
    )
    if parent is not None:
        ViewRecord.objects.create(
            assessment=assessment,
            speaker=ViewRecord.Speaker.PARENT_CARER,
            family_member=parent,
            own_words=words,
            updated_by=by,
        )


def test_the_empty_state_says_how_to_record_the_views(case: Case, member_client: Client) -> None:
    voice = _voice(_page(member_client, case))
    assert "No views of the child or family have been recorded yet" in voice
    assert "in each child's assessment" in voice
    assert "at a TAC meeting" in voice
    assert 'href="#meetings"' in voice


def test_a_view_not_obtained_says_why(
    case: Case, lead: User, lead_client: Client, template: AssessmentTemplate
) -> None:
    assessment = _assessment(case, case.children.get(), template, lead)
    ViewRecord.objects.create(
        assessment=assessment,
        speaker=ViewRecord.Speaker.CHILD,
        not_obtained_reason="Too young to give views; observed at play.",
        updated_by=lead,
    )
    voice = _voice(_page(lead_client, case))
    assert "Not obtained: Too young to give views; observed at play." in voice
    assert "No views of the child or family have been recorded yet" not in voice


def test_the_latest_views_of_each_source_come_first_and_are_attributed(
    case: Case,
    lead: User,
    member: User,
    member_client: Client,
    family_member: FamilyMember,
    template: AssessmentTemplate,
) -> None:
    _review(case, lead, 40, "An old review: school was hard.", "An old review: we were tired.")
    review = _review(case, lead, 3, "I like my new class.", "Mornings are calmer now.")
    _meeting(case, lead, 60, "We want help with bedtimes.", "I want my own room.")
    child = case.children.get()
    older = _assessment(case, child, template, lead, days_ago=200)
    _views(older, lead, None, "Old assessment words.", "")
    latest = _assessment(case, child, template, lead, days_ago=30)
    _views(latest, lead, family_member, "I drew my family at the park.", "We need a break.")
    abandoned = _assessment(case, child, template, lead, status="abandoned", days_ago=1)
    _views(abandoned, lead, None, "Abandoned words.", "")

    page = _page(member_client, case)
    voice = _voice(page)
    # Newest review only, with who recorded it and when.
    assert "I like my new class." in voice
    assert "Mornings are calmer now." in voice
    assert "An old review" not in page
    assert review.reviewed_at.strftime("%-d %B %Y") in voice
    assert lead.full_name in voice
    # The first TAC's views, attributed to the note-taker.
    assert "We want help with bedtimes." in voice
    assert "I want my own room." in voice
    assert "(note-taker)" in voice
    # The latest completed assessment's views: whose words, scribed by whom.
    assert "I drew my family at the park." in voice
    assert "We need a break." in voice
    assert "Pat Parent" in voice
    assert "(mother)" in voice
    assert "scribed by Sam Scribe" in voice
    assert "drawing" in voice
    assert reverse("assessments:detail", args=[latest.pk]) in voice
    assert "Old assessment words." not in page
    assert "Abandoned words." not in page
    # The family's words come before every professional section (the case's summary
    # and "What happens next" are above them).
    assert page.index("I like my new class.") < page.index('data-module="govuk-tabs"')


def test_an_assessment_in_progress_is_shown_with_its_status(
    case: Case, lead: User, lead_client: Client, template: AssessmentTemplate
) -> None:
    child = case.children.get()
    _views(
        _assessment(case, child, template, lead, days_ago=200), lead, None, "Completed words.", ""
    )
    in_progress = _assessment(case, child, template, lead, status="in_progress", days_ago=2)
    _views(in_progress, lead, None, "Words from this week.", "")
    voice = _voice(_page(lead_client, case))
    assert "Words from this week." in voice
    assert "(in progress, started" in voice
    assert "Completed words." not in voice


def test_a_restricted_family_members_name_is_not_shown(
    case: Case,
    lead: User,
    member: User,
    family_member: FamilyMember,
    template: AssessmentTemplate,
) -> None:
    assessment = _assessment(case, case.children.get(), template, lead)
    _views(assessment, lead, family_member, "Child words.", "My words, as the informant.")
    set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.FAMILY_MEMBER,
        target_id=family_member.pk,
        field_name="",
        reason="An informant: not to be named.",
    )
    voice = _voice(_page(client_for(member), case))
    assert "My words, as the informant." in voice
    assert "Pat Parent" not in voice
    assert "Restricted" in voice


def _fill(case: Case, lead: User, template: AssessmentTemplate, size: int) -> None:
    for n in range(size):
        _review(case, lead, 10 + n, f"Child {n}", f"Parent {n}")
        _meeting(case, lead, 20 + n, f"Family {n}", f"Child at meeting {n}")
        child = Child.objects.create(
            family=case.family,
            given_names=f"Sibling{n}",
            family_name="Test",
            sex="male",
            date_of_birth=dt.date(2018, 1, 1 + n),
        )
        case.subjects.create(child=child)
        parent = FamilyMember.objects.create(
            family=case.family, given_names=f"Carer{n}", family_name="Test", relationship="other"
        )
        for age in (300, 30):
            _views(_assessment(case, child, template, lead, days_ago=age), lead, parent, "c", "p")
    set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.FAMILY_MEMBER,
        target_id=parent.pk,
        field_name="",
        reason="Not to be named.",
    )


@pytest.mark.parametrize("size", [1, 6])
def test_the_panel_runs_a_fixed_number_of_queries(
    size: int,
    case: Case,
    lead: User,
    template: AssessmentTemplate,
    django_assert_max_num_queries: Any,
) -> None:
    _fill(case, lead, template, size)
    with CaptureQueriesContext(connection) as queries:
        meetings = meeting_voice(case, lead)
        assessments = assessment_voice(case, lead)
        html = render_to_string("meetings/panels/voice.html", {"panel": meetings})
        html += render_to_string("assessments/panels/voice.html", {"panel": assessments})
    assert len(assessments["assessment_views"]) == size
    assert html.count("Restricted") >= 1
    # Review, meeting, the assessments' views; masks: restrictions, named users, break-glass.
    assert len(queries) <= 7
    client = client_for(lead)
    # The case page shows the family's adults (with their relationships to each child) and
    # the history of their details too; "What happens next" asks the access policy and the
    # assessments and meetings once; one says where imported records came from; the
    # documents section takes three; the summary counts the plan's actions, and the
    # history asks who may read changes.
    with django_assert_max_num_queries(42):
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
