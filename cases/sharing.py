"""How much of a case an agency may see under the family's sharing preferences (DOMAIN §6.1).

Basic information is the identifying details (names, date of birth, sex, address,
school, GP, parents); additional information is about needs, including sensitive
data (assessments, level of need, the plan). Access itself (``cases.access``) decides
whether a case is seen at all; this module only narrows what is seen of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import ConsentRecord, InformationLevel

BASIC: str = InformationLevel.BASIC.value
ADDITIONAL: str = InformationLevel.ADDITIONAL.value


def information_levels(case_ids: Iterable[int], agency_id: int | None) -> dict[int, str]:
    """Per case id, the information level ``agency_id`` may see; one query for any number.

    From the case's active sharing preferences (kind ``sharing_preference``, not
    withdrawn, not expired, already given):

    - the agency is in ``agencies_excluded`` → basic;
    - ``agencies_allowed`` is empty or names the agency → that record's level;
    - ``agencies_allowed`` names other agencies only → basic;
    - no active record → basic.

    With several active records the most restrictive wins, so widening what an
    agency sees means withdrawing the narrower record. A viewer with no agency
    sees basic information only.
    """
    wanted = sorted(set(case_ids))
    levels: dict[int, str] = dict.fromkeys(wanted, BASIC)
    if not wanted or agency_id is None:
        return levels
    records = (
        sharing_preferences(agency_id, timezone.now())
        .filter(case_id__in=wanted)
        .values_list("case_id", *PREFERENCE_COLUMNS)
    )
    seen: dict[int, list[str]] = {}
    for case_id, *preference in records:
        seen.setdefault(case_id, []).append(granted_level(*preference))
    for case_id, granted_levels in seen.items():
        levels[case_id] = combined_level(granted_levels)
    return levels


#: What ``granted_level`` reads of each record of ``sharing_preferences``.
PREFERENCE_COLUMNS = ("information_level", "is_excluded", "allows_any", "allows_agency")


def sharing_preferences(agency_id: int, now: dt.datetime) -> QuerySet[ConsentRecord]:
    """A case's active sharing preferences at ``now``, each annotated with what it says
    of ``agency_id`` (``PREFERENCE_COLUMNS``). ``information_levels`` for a list of
    cases; a query that reads cases may instead read these per case (as a sub-select)
    and decide with ``granted_level`` and ``combined_level``."""
    allowed = ConsentRecord.agencies_allowed.through.objects.filter(consentrecord=OuterRef("pk"))
    excluded = ConsentRecord.agencies_excluded.through.objects.filter(
        consentrecord=OuterRef("pk"), agency_id=agency_id
    )
    return (
        ConsentRecord.objects.filter(
            kind=ConsentRecord.Kind.SHARING_PREFERENCE,
            withdrawn_at__isnull=True,
            given_at__lte=now,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .annotate(
            is_excluded=Exists(excluded),
            allows_any=Exists(allowed),
            allows_agency=Exists(allowed.filter(agency_id=agency_id)),
        )
    )


def granted_level(level: str, is_excluded: bool, allows_any: bool, allows_agency: bool) -> str:
    """What one active sharing preference grants the agency."""
    if is_excluded:
        return BASIC
    if not allows_any or allows_agency:
        return level
    return BASIC


def combined_level(granted_levels: Iterable[str]) -> str:
    """The most restrictive of a case's grants; basic when there is none."""
    granted = list(granted_levels)
    return ADDITIONAL if granted and all(g == ADDITIONAL for g in granted) else BASIC
