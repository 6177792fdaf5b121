"""What the assessments hold about one person, for a subject access request.

The collector for ``settings.TAC_DISCLOSURE_SOURCES`` (interface: ``tac_portal.disclosure``):
for a child, every assessment of that child; for an adult, every assessment on their
family's cases. One record per assessment, with its sections, the strengths and needs
of each element and the views given, in the template's order.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from assessments.models import Assessment
from tac_portal.disclosure import FoundRecord, Subject, record_fields


def collect(subject: Subject) -> Iterator[FoundRecord]:
    """One record per assessment about the subject (four queries)."""
    who = Q(child_id=subject.person_id) if subject.is_child else Q(case_id__in=subject.case_ids)
    assessments = (
        Assessment.objects.filter(who)
        .select_related("child", "template", "assessor", "case")
        .prefetch_related("sections", "elements", "views__family_member")
        .order_by("started_at", "pk")
    )
    for assessment in assessments:
        fields = record_fields(
            assessment,
            skip=("case", "previous_version", "consent_to_assessment", "consent_to_share"),
        )
        for section in assessment.sections.all():
            for name, value in sorted(section.data.items()):
                if value not in ("", None, [], {}):
                    fields.append((f"{section.key}: {name}".replace("_", " "), str(value)))
        for entry in assessment.elements.all():
            for label, text in record_fields(entry, skip=("assessment",)):
                fields.append((f"{entry.element_code.replace('_', ' ')}: {label}", text))
        for view in assessment.views.all():
            speaker = str(view.family_member or view.get_speaker_display())
            for label, text in record_fields(view, skip=("assessment", "family_member")):
                fields.append((f"Views of {speaker}: {label}", text))
        yield FoundRecord(
            source="assessments",
            key=f"assessments.assessment:{assessment.pk}",
            kind="Assessment",
            title=f"Early help assessment of {assessment.child.full_name}",
            at=assessment.started_at,
            case_id=assessment.case_id,
            fields=fields,
        )
