"""Pages and panels run a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import User
from assessments.models import Assessment
from assessments.services.content import save_element, save_view
from assessments.services.starting import start_assessment
from cases.models import Case, Child, FamilyMember
from tests.assessments.conftest import FRESH


def grow(case: Case, lead: User, n: int) -> Assessment:
    """``n`` children with assessments, parents, element entries and views."""
    first = None
    for i in range(n):
        child = Child.objects.create(
            family=case.family,
            given_names=f"Kid{i}",
            family_name="Fairweather",
            date_of_birth="2015-01-01",
        )
        case.subjects.create(child=child)
        FamilyMember.objects.create(
            family=case.family,
            given_names=f"Carer{i}",
            family_name="Fairweather",
            relationship="other_relative",
            parental_responsibility="yes",
        )
        a = start_assessment(case, child=child, by=lead)
        for code in ("learning", "wider_family", "health_general"):
            save_element(a, code, values={"strengths": "x"}, bases=FRESH, by=lead)
        save_view(a, family_member=None, values={"own_words": "hi"}, bases=FRESH, by=lead)
        first = first or a
    assert first is not None
    return first


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("assessments:detail", args=[a.pk]),
        lambda a: reverse("assessments:section", args=[a.pk, "development"]),
        lambda a: reverse("assessments:section", args=[a.pk, "views"]),
        lambda a: reverse("assessments:section", args=[a.pk, "consent"]),
        lambda a: reverse("assessments:family_copy", args=[a.pk]),
        lambda a: reverse("assessments:family_copy_print", args=[a.pk]),
        lambda a: reverse("cases:detail", args=[a.case_id]),
        lambda a: reverse("cases:my_cases"),
    ],
)
def test_pages_run_a_fixed_number_of_queries(
    url: Any,
    case: Case,
    lead: User,
    lead_client: Client,
    caf_template: object,
    django_assert_max_num_queries: Any,
) -> None:
    small = grow(case, lead, 1)
    with django_assert_max_num_queries(60) as small_run:
        assert lead_client.get(url(small)).status_code == 200
    grow(case, lead, 5)
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        assert lead_client.get(url(small)).status_code == 200
