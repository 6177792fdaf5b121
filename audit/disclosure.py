"""What the audit trail holds about one person, for a subject access request.

The collector for ``settings.TAC_DISCLOSURE_SOURCES`` (interface: ``tac_portal.disclosure``):
who looked at the person's record (the record-access log: for a child, their own rows;
for an adult, the rows of their family's cases) and each emergency access to their
cases with its justification. A person is entitled to know who their information was
shown to; the professionals are named as they act for their agencies.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from cases.models import BreakGlassGrant, RecordAccess
from tac_portal.disclosure import FoundRecord, Subject, record_fields


def collect(subject: Subject) -> Iterator[FoundRecord]:
    """One record for the access log, one per emergency access (two queries)."""
    who = Q(child_id=subject.person_id) if subject.is_child else Q(case_id__in=subject.case_ids)
    accesses = RecordAccess.objects.filter(who).select_related("user__agency").order_by("at", "pk")
    fields = [
        (
            f"{timezone.localtime(access.at):%Y-%m-%d %H:%M}",
            f"{access.user or access.client_id or 'Unknown'}"
            f"{f' ({access.user.agency})' if access.user and access.user.agency else ''}: "
            f"{access.get_purpose_display() or access.route}",
        )
        for access in accesses
    ]
    if fields:
        yield FoundRecord(
            source="audit",
            key=f"audit.record_access:{subject.kind}:{subject.person_id}",
            kind="Who looked at the record",
            title="Record of who looked at the record",
            fields=fields,
        )
    grants = BreakGlassGrant.objects.filter(case_id__in=subject.case_ids).select_related(
        "user", "reviewed_by"
    )
    for grant in grants.order_by("granted_at", "pk"):
        yield FoundRecord(
            source="audit",
            key=f"audit.breakglassgrant:{grant.pk}",
            kind="Emergency access",
            title=f"Emergency access by {grant.user}",
            at=grant.granted_at,
            case_id=grant.case_id,
            fields=record_fields(grant, skip=("case",)),
        )
