"""The assessment's consent statements follow the same rule on a child's own agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment
from assessments.services.common import AssessmentError
from assessments.services.consent import record_consent
from cases.models import ConsentRecord

pytestmark = pytest.mark.django_db


def test_a_five_year_olds_consent_is_not_recorded_as_an_adults(
    assessment: Assessment, lead: User
) -> None:
    child = assessment.child
    today = timezone.localdate()
    child.date_of_birth = today.replace(year=today.year - 5) - dt.timedelta(days=1)
    child.save()
    with pytest.raises(AssessmentError, match="was 5 on that day"):
        record_consent(
            assessment,
            stage="start",
            given_by=None,
            given_by_child=True,
            method=ConsentRecord.Method.VERBAL,
            capacity_basis=ConsentRecord.CapacityBasis.ADULT,
            given_on=today,
            by=lead,
        )
    assert not ConsentRecord.objects.exists()
