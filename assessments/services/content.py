"""Saving an assessment's content field by field, with a version check per field."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.definition import (
    MAX_STRING_LENGTH,
    MAX_TEXT_LENGTH,
    Definition,
)
from assessments.models import (
    Assessment,
    AssessmentSection,
    ElementEntry,
    Source,
    ViewRecord,
)
from assessments.services.common import (
    AssessmentError,
    ensure_can_edit,
    ensure_open,
    lock_assessment,
)
from cases.models import FamilyMember
from tac_portal.validators import text_problem

if TYPE_CHECKING:
    from agencies.models import User


def fingerprint(value: str) -> str:
    """A short hash of a field's text, so a form can say "I did not change this"."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def version_stamp(version: int, by: User) -> dict[str, Any]:
    return {"v": version, "by": by.full_name, "at": timezone.now().isoformat()}


@dataclass(frozen=True)
class Base:
    """What the person saving saw: the field's version and a fingerprint of its text."""

    version: int
    fingerprint: str = ""


@dataclass(frozen=True)
class Conflict:
    field: str
    label: str
    theirs: str
    yours: str
    their_version: int
    changed_by: str
    changed_at: str

    @property
    def their_fingerprint(self) -> str:
        return fingerprint(self.theirs)


@dataclass
class SaveResult:
    saved: dict[str, int] = field(default_factory=dict)  # field -> new version
    conflicts: list[Conflict] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)  # every field's current version
    values: dict[str, str] = field(default_factory=dict)  # every field's current text

    @property
    def ok(self) -> bool:
        return not self.conflicts


ELEMENT_FIELDS = {
    "strengths": ("Strengths", "text"),
    "needs": ("Needs", "text"),
    "not_discussed": ("Not discussed", "yes_no"),
    "not_discussed_reason": ("Why it was not discussed", "text"),
    "sources": ("Where the information came from", "choices"),
    "source_detail": ("More about where it came from", "string"),
}


VIEW_FIELDS = {
    "own_words": ("In their own words", "text"),
    "disagreement": ("Anything they disagree with in the assessment (optional)", "text"),
    "scribed_by": ("Written down by", "string"),
    "communication_method": ("How they gave their views", "method"),
    "not_obtained_reason": ("Why their views could not be given", "text"),
}


def _clean(value: str, kind: str, label: str, name: str) -> str:
    value = value.replace("\r\n", "\n")
    if (problem := text_problem(value)) is not None:
        # PostgreSQL's jsonb cannot hold a NUL; other controls are never typed.
        raise AssessmentError(
            {name: f"{label}: {problem[:1].lower()}{problem[1:]}."}, code="control"
        )
    if kind == "text" and len(value) > MAX_TEXT_LENGTH:
        raise AssessmentError(
            {name: f"{label} must be {MAX_TEXT_LENGTH:,} characters or fewer."}, code="too_long"
        )
    if kind == "string" and len(value) > MAX_STRING_LENGTH:
        raise AssessmentError(
            {name: f"{label} must be {MAX_STRING_LENGTH} characters or fewer."}, code="too_long"
        )
    if kind == "yes_no" and value not in ("", "yes", "no"):
        raise AssessmentError({name: f"{label}: choose yes or no."}, code="invalid")
    if kind == "date" and value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise AssessmentError(
                {name: f"{label} must be a real date, like 2026-11-23."}, code="invalid"
            ) from None
    if kind == "choices":
        chosen = [v for v in value.split(",") if v]
        if any(v not in Source.values for v in chosen):
            raise AssessmentError({name: f"{label}: choose from the list."}, code="invalid")
        value = ",".join(sorted(set(chosen)))
    if kind == "method" and value and value not in ViewRecord.Method.values:
        raise AssessmentError({name: f"{label}: choose from the list."}, code="invalid")
    return value


def field_value(record: Any, name: str) -> str:
    if isinstance(record, AssessmentSection):
        return str(record.data.get(name, ""))
    value = getattr(record, name)
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        return ",".join(sorted(value))
    return str(value)


def set_field_value(record: Any, name: str, value: str) -> None:
    if isinstance(record, AssessmentSection):
        record.data[name] = value
    elif name == "not_discussed":
        record.not_discussed = value == "yes"
    elif name == "sources":
        record.sources = [v for v in value.split(",") if v]
    else:
        setattr(record, name, value)


def _save_fields(
    assessment: Assessment,
    record: Any,
    spec: Mapping[str, tuple[str, str]],
    *,
    values: Mapping[str, str],
    bases: Mapping[str, Base],
    overwrite: Mapping[str, int],
    by: User,
) -> SaveResult:
    """Apply ``values`` to ``record`` unless a field changed since the person saw it.

    For each field: the same text as stored is a no-op; a field whose version is
    the one the person saw is written (its version goes up); a field they did
    not change (fingerprint of their text matches what they saw) keeps the
    other person's text; anything else is a conflict. ``overwrite`` names
    fields the person chose to replace after seeing the conflict, with the
    version they saw then. With any conflict nothing at all is written.
    """
    unknown = set(values) - set(spec)
    if unknown:
        raise AssessmentError(f"Unknown fields: {', '.join(sorted(unknown))}.", code="unknown")
    cleaned = {
        name: _clean(value, spec[name][1], spec[name][0], name) for name, value in values.items()
    }
    result = SaveResult()
    changes: dict[str, str] = {}
    for name, mine in cleaned.items():
        current = field_value(record, name)
        stamp = record.versions.get(name, {})
        version = int(stamp.get("v", 0))
        base = bases.get(name, Base(version=-1))
        if mine == current:
            continue
        if version == base.version or overwrite.get(name) == version:
            changes[name] = mine
        elif base.fingerprint and fingerprint(mine) == base.fingerprint:
            continue  # they did not touch it; someone else did: keep that
        else:
            result.conflicts.append(
                Conflict(
                    field=name,
                    label=spec[name][0],
                    theirs=current,
                    yours=mine,
                    their_version=version,
                    changed_by=str(stamp.get("by", "")),
                    changed_at=str(stamp.get("at", "")),
                )
            )
    if not result.conflicts and changes:
        for name, value in changes.items():
            set_field_value(record, name, value)
            new_version = int(record.versions.get(name, {}).get("v", 0)) + 1
            record.versions[name] = version_stamp(new_version, by)
            result.saved[name] = new_version
        record.updated_by = by
        record.save()
        assessment.lock_version += 1
        assessment.save(update_fields=["lock_version", "updated_at"])
    result.versions = {n: int(record.versions.get(n, {}).get("v", 0)) for n in spec}
    result.values = {n: field_value(record, n) for n in spec}
    return result


def _section_spec(assessment: Assessment, key: str) -> dict[str, tuple[str, str]]:
    definition = Definition(assessment.template.definition)
    section = definition.section(key)
    if section is None or section["kind"] not in ("fields", "child_details"):
        raise AssessmentError("There is no such section in this assessment.", code="no_section")
    return {f["key"]: (f["label"], f["type"]) for f in section.get("fields", [])}


@transaction.atomic
def save_section(
    assessment: Assessment,
    key: str,
    *,
    values: Mapping[str, str],
    bases: Mapping[str, Base],
    by: User,
    overwrite: Mapping[str, int] | None = None,
) -> SaveResult:
    """Save answers to one ``fields`` section. See ``_save_fields`` for conflicts."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    ensure_open(locked)
    spec = _section_spec(locked, key)
    record, _ = AssessmentSection.objects.get_or_create(assessment=locked, key=key)
    return _save_fields(
        locked, record, spec, values=values, bases=bases, overwrite=overwrite or {}, by=by
    )


@transaction.atomic
def save_element(
    assessment: Assessment,
    code: str,
    *,
    values: Mapping[str, str],
    bases: Mapping[str, Base],
    by: User,
    overwrite: Mapping[str, int] | None = None,
) -> SaveResult:
    """Save strengths, needs, "not discussed" and sources for one element."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    ensure_open(locked)
    if code not in Definition(locked.template.definition).elements:
        raise AssessmentError("There is no such element in this assessment.", code="no_element")
    record, _ = ElementEntry.objects.get_or_create(assessment=locked, element_code=code)
    result = _save_fields(
        locked, record, ELEMENT_FIELDS, values=values, bases=bases, overwrite=overwrite or {}, by=by
    )
    return result


def parents_and_carers(assessment: Assessment) -> list[FamilyMember]:
    """The adults whose views the assessment asks for: the child's family's parents and carers."""
    return list(
        FamilyMember.objects.filter(family_id=assessment.child.family_id)
        .filter(
            Q(parental_responsibility=FamilyMember.ParentalResponsibility.YES)
            | Q(lives_with_children=True)
        )
        .exclude(relationship=FamilyMember.Relationship.FAMILY_FRIEND)
        .order_by("id")
    )


@transaction.atomic
def save_view(
    assessment: Assessment,
    *,
    family_member: FamilyMember | None,
    values: Mapping[str, str],
    bases: Mapping[str, Base],
    by: User,
    overwrite: Mapping[str, int] | None = None,
) -> SaveResult:
    """Save the child's views (``family_member=None``) or one parent's or carer's views."""
    ensure_can_edit(by, assessment)
    locked = lock_assessment(assessment)
    ensure_open(locked)
    if family_member is None:
        record, _ = ViewRecord.objects.get_or_create(
            assessment=locked, speaker=ViewRecord.Speaker.CHILD
        )
    else:
        if family_member.family_id != locked.child.family_id:
            raise AssessmentError("That person is not in the child's family.", code="not_family")
        record, _ = ViewRecord.objects.get_or_create(
            assessment=locked,
            family_member=family_member,
            defaults={"speaker": ViewRecord.Speaker.PARENT_CARER},
        )
    return _save_fields(
        locked, record, VIEW_FIELDS, values=values, bases=bases, overwrite=overwrite or {}, by=by
    )
