"""Where an imported case and its children came from, on the case page (cases/panels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from cases.models import Case
from cases.panels import CasePanel
from imports.models import ImportedRecord

if TYPE_CHECKING:
    from agencies.models import User


def provenance(case: Case, user: User) -> Mapping[str, Any]:
    """The import rows behind the case and its subject children (one query)."""
    records = list(
        ImportedRecord.objects.filter(Q(case=case) | Q(child__case_subjects__case=case))
        .select_related("batch", "child")
        .order_by("kind", "row")
    )
    return {
        "case_record": next((r for r in records if r.case_id == case.pk), None),
        "child_records": [r for r in records if r.child_id is not None],
    }


PROVENANCE = CasePanel(
    key="provenance", template="imports/panels/provenance.html", context=provenance
)
