"""The family's sharing preferences narrow what an agency sees (DOMAIN §6.1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from agencies.models import Agency, User
from assessments.models import Assessment, AssessmentTemplate
from cases.models import Case, LevelOfNeed
from cases.services.lifecycle import record_level_of_need
from cases.sharing import information_levels
from meetings.models import Action


def _level(case: Case, agency: Agency) -> str:
    return information_levels([case.pk], agency.pk)[case.pk]


def test_no_sharing_preference_means_basic(case: Case, school_agency: Agency) -> None:
    assert _level(case, school_agency) == "basic"


def test_an_open_preference_gives_its_level_to_every_agency(
    case: Case, share: Callable[..., object], school_agency: Agency
) -> None:
    share("additional")
    assert _level(case, school_agency) == "additional"


def test_an_allowed_list_gives_its_level_only_to_the_agencies_named(
    case: Case, share: Callable[..., object], school_agency: Agency, police_agency: Agency
) -> None:
    share("additional", allowed=[school_agency])
    assert _level(case, school_agency) == "additional"
    assert _level(case, police_agency) == "basic"


def test_an_excluded_agency_gets_basic_at_most(
    case: Case, share: Callable[..., object], school_agency: Agency
) -> None:
    share("additional", excluded=[school_agency])
    assert _level(case, school_agency) == "basic"


def test_withdrawn_and_expired_preferences_do_not_count(
    case: Case, share: Callable[..., object], school_agency: Agency
) -> None:
    share("additional", withdrawn=True)
    share("additional", expired=True)
    assert _level(case, school_agency) == "basic"


def test_the_most_restrictive_active_preference_wins(
    case: Case, share: Callable[..., object], school_agency: Agency
) -> None:
    share("additional")
    share("basic")
    assert _level(case, school_agency) == "basic"


def test_a_viewer_without_an_agency_sees_basic(case: Case, share: Callable[..., object]) -> None:
    share("additional")
    assert information_levels([case.pk], None) == {case.pk: "basic"}


def test_it_computes_many_cases_in_one_query(
    case: Case,
    make_case: Callable[..., Case],
    share: Callable[..., object],
    school_agency: Agency,
    django_assert_num_queries: Any,
) -> None:
    other = make_case()
    share("additional")
    share("additional", on=other, excluded=[school_agency])
    with django_assert_num_queries(1):
        levels = information_levels([case.pk, other.pk, 999_999], school_agency.pk)
    assert levels == {case.pk: "additional", other.pk: "basic", 999_999: "basic"}


def _with_needs(case: Case, lead: User) -> Assessment:
    level, _ = LevelOfNeed.objects.get_or_create(
        code="TARGETED", defaults={"ordinal": 3, "label": "Targeted"}
    )
    record_level_of_need(case, level=level, rationale="Attendance falling", by=lead)
    child = case.children.get()
    child.has_sen = True
    child.save(update_fields=["has_sen"])
    template = AssessmentTemplate.objects.create(
        code="caf-test", version=1, name="Test CAF", definition={}
    )
    return Assessment.objects.create(
        case=case, child=child, template=template, assessor=lead, started_at=timezone.now()
    )


def test_basic_information_hides_needs_level_and_assessments(
    case: Case, lead: User, school_api: Client
) -> None:
    assessment = _with_needs(case, lead)
    detail = school_api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["information_level"] == "basic"
    assert detail["level_of_need"] is None
    child = school_api.get(f"/api/v1/children/{case.children.get().pk}/").json()
    assert child["information_level"] == "basic"
    assert child["additional"] is None
    assert school_api.get(f"/api/v1/assessments/{assessment.pk}/").status_code == 404
    assert school_api.get(f"/api/v1/cases/{case.pk}/assessments/").json()["results"] == []


def test_additional_information_shows_needs_level_and_assessments(
    case: Case, lead: User, school_api: Client, share: Callable[..., object]
) -> None:
    assessment = _with_needs(case, lead)
    share("additional")
    detail = school_api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["information_level"] == "additional"
    assert detail["level_of_need"]["code"] == "TARGETED"
    child = school_api.get(f"/api/v1/children/{case.children.get().pk}/").json()
    assert child["additional"]["has_sen"] is True
    shown = school_api.get(f"/api/v1/assessments/{assessment.pk}/")
    assert shown.status_code == 200
    assert set(shown.json()) == {
        "id",
        "case",
        "child",
        "template",
        "status",
        "started_at",
        "shared_with_family_at",
        "completed_at",
        "updated_at",
    }
    listed = school_api.get(f"/api/v1/cases/{case.pk}/assessments/").json()["results"]
    assert [a["id"] for a in listed] == [assessment.pk]


def test_basic_information_shows_only_the_agencys_own_actions(
    case: Case,
    lead: User,
    member: User,
    school_agency: Agency,
    early_help_agency: Agency,
    school_api: Client,
    share: Callable[..., object],
) -> None:
    for owner, agency in [(member, school_agency), (lead, early_help_agency)]:
        Action.objects.create(
            case=case,
            description=f"Action for {agency}",
            owner_professional=owner,
            owner_agency=agency,
            due_on=dt.date(2026, 12, 1),
            created_by=lead,
        )
    url = f"/api/v1/cases/{case.pk}/actions/"
    assert len(school_api.get(url).json()["results"]) == 1
    share("additional")
    assert len(school_api.get(url).json()["results"]) == 2
