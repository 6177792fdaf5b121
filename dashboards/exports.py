"""CSV exports: dashboard tables, drill-down lists and the Ofsted Annex A extract (M17).

Every text cell is neutralised against spreadsheet formula injection by the project's
one CSV writer, ``tac_portal.csv_export``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Set
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessments.models import Assessment
from cases.masking import MASK, is_field_restricted, restricted_fields
from cases.models import DisabilityStatus, RestrictionTarget, SenStatus, Sex

# One home for the neutralising CSV writer; these names stay importable from here.
from tac_portal.csv_export import FORMULA_TRIGGERS as FORMULA_TRIGGERS
from tac_portal.csv_export import csv_lines as csv_lines
from tac_portal.csv_export import neutralise as neutralise

# --- Annex A List 2: early help assessments (DOMAIN §7.1 M17) ---------------------------------

ANNEX_A_COLUMNS = [
    "Child unique ID",
    "Gender",
    "Ethnicity",
    "Date of birth",
    "Age of child (years)",
    "Assessment start date",
    "Assessment completion date",
    "Organisation completing assessment",
    "Team completing assessment",
    # After the list's own columns, the equality facts the portal records (M16).
    "Disability",
    "Special educational needs",
]
ANNEX_A_GENDER: dict[str, str] = {
    Sex.MALE: "a) Male",
    Sex.FEMALE: "b) Female",
    Sex.UNKNOWN: "c) Not stated/recorded",
    Sex.NOT_SAID: "c) Not stated/recorded",
}
ANNEX_A_DISABILITY: dict[str, str] = {
    DisabilityStatus.YES: "a) Yes",
    DisabilityStatus.NO: "b) No",
    DisabilityStatus.NOT_OBTAINED: "c) Not stated/recorded",
    DisabilityStatus.DECLINED: "d) Declined",
}
ANNEX_A_SEN: dict[str, str] = {
    SenStatus.NONE: "a) No special educational needs",
    SenStatus.SEN_SUPPORT: "b) SEN support",
    SenStatus.EHC_PLAN: "c) EHC plan",
    SenStatus.NOT_OBTAINED: "d) Not stated/recorded",
    SenStatus.DECLINED: "e) Declined",
}
ANNEX_A_MONTHS = 6
#: Columns a restriction on the child's record can cover, and the field each shows.
ANNEX_A_MASKABLE: dict[int, str] = {2: "ethnicity", 9: "disability_status", 10: "sen_status"}


@dataclass(frozen=True)
class AnnexAWindow:
    start: dt.date
    end: dt.date

    @classmethod
    def ending(cls, end: dt.date) -> AnnexAWindow:
        index = end.year * 12 + end.month - 1 - ANNEX_A_MONTHS
        year, month = index // 12, index % 12 + 1
        day = min(end.day, calendar.monthrange(year, month)[1])
        return cls(start=dt.date(year, month, day) + dt.timedelta(days=1), end=end)


def _as_datetime(day: dt.date, *, end: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    return timezone.make_aware(moment)


def annex_a_assessments(window: AnnexAWindow) -> QuerySet[Assessment]:
    """Early help assessments in progress at any time in the window, or completed in it.

    Abandoned assessments and revisions of a completed one are left out: the
    list counts each child's assessment once.
    """
    start, end = _as_datetime(window.start), _as_datetime(window.end, end=True)
    return (
        Assessment.objects.filter(started_at__lte=end, previous_version__isnull=True)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=start))
        .exclude(status=Assessment.Status.ABANDONED)
        .exclude(Q(completed_at__isnull=True) & ~Q(status__in=_IN_PROGRESS))
        .select_related("child", "assessor__agency", "assessor__team")
        .order_by("started_at", "pk")
    )


_IN_PROGRESS = [
    Assessment.Status.DRAFT,
    Assessment.Status.AWAITING_CONSENT,
    Assessment.Status.IN_PROGRESS,
    Assessment.Status.SHARED_WITH_FAMILY,
]


def _dmy(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def annex_a_restrictions(assessments: Iterable[Assessment]) -> dict[int, set[str]]:
    """The restricted fields of the children in the list, by child (one query)."""
    return restricted_fields(RestrictionTarget.CHILD, [a.child_id for a in assessments])


def annex_a_row(
    assessment: Assessment, window: AnnexAWindow, *, restricted: Set[str] = frozenset()
) -> list[object]:
    """One child's line. A fact restricted on the child's record reads "Restricted", as
    it does everywhere else outside the portal (DOMAIN §6.2 rule 5)."""
    child = assessment.child
    age = child.age_on(window.end)
    assessor = assessment.assessor
    row: list[object] = [
        child.pk,
        ANNEX_A_GENDER.get(child.sex, "c) Not stated/recorded"),
        child.ethnicity,
        _dmy(child.date_of_birth),
        "" if age is None else age,
        _dmy(assessment.started_at),
        _dmy(assessment.completed_at),
        assessor.agency.name if assessor.agency else "",
        assessor.team.name if assessor.team else "",
        ANNEX_A_DISABILITY.get(child.disability_status, "c) Not stated/recorded"),
        ANNEX_A_SEN.get(child.sen_status, "d) Not stated/recorded"),
    ]
    if restricted:
        for column, field_name in ANNEX_A_MASKABLE.items():
            if is_field_restricted(set(restricted), field_name):
                row[column] = MASK
    return row
