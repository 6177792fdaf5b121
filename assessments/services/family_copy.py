"""The family's own copy of the assessment (DOMAIN §2.2 J, §6.3): what goes in it, and the
parts the assessor leaves out because they are about someone else.

The copy is built from parts: the story in the family's words, each person's views (with
anything they disagree with), and the conclusions. Before the copy is printed or given,
the assessor or the lead checks it: a part that names someone other than the child and
the adults who gave their views is flagged, and any part can be left out. What was left
out is kept on the assessment (by key, never the text) and in the case's chronology, and
the printed copy says that something was left out, without saying what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from assessments.definition import Definition
from assessments.models import Assessment
from assessments.services.common import AssessmentError, ensure_can_edit, lock_assessment
from cases.models import FamilyMember
from cases.services.common import record_event
from tac_portal.concurrency import StaleEdit

if TYPE_CHECKING:
    from agencies.models import User


@dataclass
class Part:
    """One part of the family's copy."""

    key: str
    heading: str
    text: str
    #: For a person's views: what they disagree with, in their own words.
    disagreement: str = ""
    #: Names of other people the part mentions: a prompt to check, never a decision.
    mentions: list[str] = field(default_factory=list)
    left_out: bool = False


def _speakers(assessment: Assessment) -> list[FamilyMember]:
    views = assessment.views.select_related("family_member")
    return [v.family_member for v in views if v.family_member is not None]


def _others(assessment: Assessment) -> list[str]:
    """Names of people other than the child and the adults who gave their views: the
    family record's other members and the team's professionals other than the assessor
    and the lead."""
    speakers = {m.pk for m in _speakers(assessment)}
    names: set[str] = set()
    family = FamilyMember.objects.filter(family_id=assessment.child.family_id)
    for member in family.exclude(pk__in=speakers):
        names.add(member.full_name)
        names.add(member.given_names.split(" ")[0])
    lead = assessment.case.lead_assignment
    own = {assessment.assessor_id, lead.professional_id if lead is not None else None}
    for membership in assessment.case.memberships.active().select_related("professional"):
        professional = membership.professional
        if professional is not None and professional.pk not in own:
            names.add(professional.full_name)
    for sibling in assessment.case.children.exclude(pk=assessment.child_id):
        names.add(sibling.full_name)
    return sorted(n for n in names if len(n) > 1)


def _mentions(text: str, names: Iterable[str]) -> list[str]:
    return [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)]


def parts_of(assessment: Assessment) -> list[Part]:
    """The parts of the family's copy, in the order it prints them."""
    definition = Definition(assessment.template.definition)
    answers = {s.key: s.data for s in assessment.sections.all()}
    parts: list[Part] = []
    first = definition.sections[0]
    for f in first.get("fields", []):
        if f["type"] == "text":
            text = str(answers.get(first["key"], {}).get(f["key"], "")).strip()
            if text:
                parts.append(Part(key=f"story.{f['key']}", heading=f["label"], text=text))
    for view in assessment.views.select_related("family_member").order_by("speaker", "pk"):
        if not view.is_given:
            continue
        who = view.family_member.full_name if view.family_member else assessment.child.full_name
        parts.append(
            Part(
                key=f"view.{view.family_member_id or 'child'}",
                heading=f"What {who} told us",
                text=view.own_words.strip(),
                disagreement=view.disagreement.strip(),
            )
        )
    conclusions = definition.section("conclusions") or {}
    for f in conclusions.get("fields", []):
        if f["type"] in ("text", "string"):
            text = str(answers.get("conclusions", {}).get(f["key"], "")).strip()
            if text:
                parts.append(Part(key=f"conclusions.{f['key']}", heading=f["label"], text=text))
    others = _others(assessment)
    left_out = set(assessment.family_copy_left_out or [])
    for part in parts:
        part.mentions = _mentions(f"{part.text}\n{part.disagreement}", others)
        part.left_out = part.key in left_out
    return parts


MSG_STALE = (
    "Someone else changed what is left out of the family's copy since you opened it. "
    "Check the parts again."
)


@transaction.atomic
def leave_out_of_family_copy(
    assessment: Assessment, *, keys: Iterable[str], by: User, expected_version: int | None
) -> Assessment:
    """Leave ``keys`` out of the family's copy (and put every other part back in)."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    if expected_version is not None and expected_version != locked.family_copy_version:
        raise StaleEdit(
            MSG_STALE, current=locked, refreshed={"version": locked.family_copy_version}
        )
    known = {p.key for p in parts_of(locked)}
    chosen = sorted(set(keys))
    if unknown := set(chosen) - known:
        raise AssessmentError(f"Unknown parts: {', '.join(sorted(unknown))}.", code="unknown")
    if chosen == sorted(locked.family_copy_left_out or []):
        return locked
    locked.family_copy_left_out = chosen
    locked.family_copy_version += 1
    locked.save(update_fields=["family_copy_left_out", "family_copy_version", "updated_at"])
    record_event(
        locked.case,
        "assessment.family_copy_checked",
        by=by,
        summary=(
            f"Family's copy of the assessment checked: {len(chosen)} part"
            f"{'' if len(chosen) == 1 else 's'} about someone else left out"
            if chosen
            else "Family's copy of the assessment checked: nothing left out"
        ),
        data={"assessment": locked.pk, "left_out": chosen},
    )
    return locked
