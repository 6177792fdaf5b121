"""Every write to an assessment goes through these functions (ARCHITECTURE §4).

The lifecycle follows DOMAIN §2.3::

    draft ⇄ awaiting consent → abandoned
    draft → in progress → shared with the family → completed → superseded
    (any state being written) → safeguarding escalated → in progress

Escalation is never blocked. Each step writes a chronology ``CaseEvent``.

Content is saved field by field. Each field carries the version it was based
on; a field somebody else changed since is a conflict: nothing is written and
both texts go back to the person saving (``SaveResult.conflicts``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from assessments.definition import (
    MAX_STRING_LENGTH,
    MAX_TEXT_LENGTH,
    Definition,
    validate_definition,
)
from assessments.models import (
    OPEN_STATUSES,
    Assessment,
    AssessmentSection,
    AssessmentTemplate,
    ElementEntry,
    Source,
    ViewRecord,
)
from cases import access
from cases.access import can_see_case
from cases.models import Case, CaseSubject, Child, ConsentRecord, FamilyMember, InformationLevel
from cases.services.common import record_event
from notifications.models import SUBJECT_ASSESSMENT_DRAFT, SUBJECT_FIRST_TAC, Audience
from notifications.services import schedule_reminders

if TYPE_CHECKING:
    from agencies.models import User

S = Assessment.Status


class AssessmentError(ValidationError):
    """An assessment rule was broken; the message says which, and nothing was written."""


# --- Templates ---------------------------------------------------------------


def default_template() -> AssessmentTemplate:
    template = AssessmentTemplate.objects.filter(is_default=True).first()
    if template is None:
        raise AssessmentError(
            "No assessment template is published as the default. Ask your system "
            "administrator to publish one.",
            code="no_template",
        )
    return template


@transaction.atomic
def publish_template(
    *, code: str, name: str, definition: Any, make_default: bool = True
) -> AssessmentTemplate:
    """Publish ``definition`` as the next version of template ``code``.

    Raises ``ValidationError`` (one message per problem) for an invalid
    definition. Existing assessments keep the version they started on.
    """
    validate_definition(definition)
    latest = (
        AssessmentTemplate.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    if make_default:
        AssessmentTemplate.objects.filter(is_default=True).update(is_default=False)
    return AssessmentTemplate.objects.create(
        code=code,
        version=(latest.version + 1) if latest else 1,
        name=name,
        definition=definition,
        published_at=timezone.now(),
        is_default=make_default,
    )


# --- Who may do what ---------------------------------------------------------


def can_edit(user: User, assessment: Assessment) -> bool:
    """``cases.access.can_edit_assessment`` for this assessment."""
    return access.can_edit_assessment(user, assessment.case, assessor_id=assessment.assessor_id)


def ensure_can_edit(user: User, assessment: Assessment) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may change ``assessment``."""
    if not can_edit(user, assessment):
        raise PermissionDenied("Only the assessor or the lead professional can change this.")


def can_start(user: User, case: Case) -> bool:
    """``cases.access.can_start_assessment``."""
    return access.can_start_assessment(user, case)


def _ensure_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise AssessmentError(
            f"This assessment is {assessment.get_status_display().lower()} and can no longer "
            "be changed. Revise it to start a new version.",
            code="read_only",
        )


def _locked(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update()
        .select_related("case", "template")
        .get(pk=assessment.pk)
    )
    # Keep the caller's object in step with what we are about to write.
    assessment.status = locked.status
    return locked


def _reschedule_draft_reminder(assessment: Assessment) -> None:
    due = timezone.localdate(assessment.started_at) if assessment.is_drafting else None
    schedule_reminders(
        SUBJECT_ASSESSMENT_DRAFT,
        assessment.pk,
        case=assessment.case,
        due_on=due,
        audiences={Audience.OWNER: [assessment.assessor]} if due else {},
    )


def _move(
    assessment: Assessment,
    to: str,
    *,
    by: User,
    code: str,
    summary: str,
    note: str = "",
    **extra: Any,
) -> None:
    previous = assessment.status
    assessment.status = to
    assessment.lock_version += 1
    fields = ["status", "lock_version", "updated_at", *extra]
    for name, value in extra.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=fields)
    record_event(
        assessment.case,
        code,
        by=by,
        summary=summary,
        data={"assessment": assessment.pk, "from": previous, "to": to}
        | ({"note": note} if note else {}),
    )
    _reschedule_draft_reminder(assessment)


# --- Starting ----------------------------------------------------------------


@transaction.atomic
def start_assessment(
    case: Case,
    *,
    child: Child,
    by: User,
    copy_from: Assessment | None = None,
    template: AssessmentTemplate | None = None,
    previous_version: Assessment | None = None,
) -> Assessment:
    """Start an assessment of ``child`` in ``case``, with ``by`` as assessor.

    ``copy_from`` (a sibling's assessment in the same case) copies its parents
    and carers and family and environment sections (DOMAIN §11.2). Raises
    ``AssessmentError`` when the child already has an assessment being written.
    Schedules the "still in draft" reminder for the assessor.
    """
    if not case.is_open:
        raise AssessmentError("Assessments can only be started on an open case.", code="closed")
    if not CaseSubject.objects.filter(case=case, child=child).exists():
        raise AssessmentError("That child is not a subject of this case.", code="not_subject")
    if previous_version is None and not can_start(by, case):
        raise PermissionDenied("Only the lead professional or a TAC member can start one.")
    if copy_from is not None and (copy_from.case_id != case.pk or copy_from.child_id == child.pk):
        raise AssessmentError(
            "Copy only from a brother's or sister's assessment in this case.",
            code="bad_sibling",
        )
    template = template or (previous_version.template if previous_version else default_template())
    now = timezone.now()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                case=case,
                child=child,
                template=template,
                assessor=by,
                started_at=now,
                previous_version=previous_version,
            )
    except IntegrityError:
        raise AssessmentError(
            f"{child.full_name} already has an assessment being written. Continue that one.",
            code="already_open",
        ) from None

    definition = Definition(template.definition)
    if copy_from is not None:
        _copy_content(
            copy_from,
            assessment,
            sections=definition.shared_section_keys(),
            elements=definition.shared_element_codes(),
            by=by,
        )
    if previous_version is not None:
        _copy_content(
            previous_version,
            assessment,
            sections={s["key"] for s in definition.sections},
            elements=set(definition.elements),
            by=by,
        )
    summary = "Assessment started" + (" (revision)" if previous_version else "")
    if copy_from is not None:
        summary += " from a sibling's family sections"
    record_event(
        case,
        "assessment.started",
        by=by,
        at=now,
        summary=summary,
        data={
            "assessment": assessment.pk,
            "child": child.pk,
            "template": template.pk,
            "copied_from": copy_from.pk if copy_from else None,
            "previous_version": previous_version.pk if previous_version else None,
        },
    )
    _reschedule_draft_reminder(assessment)
    return assessment


def _copy_content(
    source: Assessment, target: Assessment, *, sections: set[str], elements: set[str], by: User
) -> None:
    def fresh_versions(values: Iterable[str]) -> dict[str, Any]:
        return {name: _stamp(1, by) for name in values}

    AssessmentSection.objects.bulk_create(
        [
            AssessmentSection(
                assessment=target,
                key=s.key,
                data=dict(s.data),
                versions=fresh_versions(s.data),
                updated_by=by,
            )
            for s in source.sections.filter(key__in=sections)
        ]
    )
    ElementEntry.objects.bulk_create(
        [
            ElementEntry(
                assessment=target,
                element_code=e.element_code,
                strengths=e.strengths,
                needs=e.needs,
                not_discussed=e.not_discussed,
                not_discussed_reason=e.not_discussed_reason,
                sources=list(e.sources),
                source_detail=e.source_detail,
                versions=fresh_versions(ELEMENT_FIELDS),
                updated_by=by,
            )
            for e in source.elements.filter(element_code__in=elements)
        ]
    )


# --- Saving content, field by field -----------------------------------------


def fingerprint(value: str) -> str:
    """A short hash of a field's text, so a form can say "I did not change this"."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _stamp(version: int, by: User) -> dict[str, Any]:
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
    "scribed_by": ("Written down by", "string"),
    "communication_method": ("How they gave their views", "method"),
    "not_obtained_reason": ("Why their views could not be given", "text"),
}


def _clean(value: str, kind: str, label: str, name: str) -> str:
    value = value.replace("\r\n", "\n")
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


def _get(record: Any, name: str) -> str:
    if isinstance(record, AssessmentSection):
        return str(record.data.get(name, ""))
    value = getattr(record, name)
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        return ",".join(sorted(value))
    return str(value)


def _set(record: Any, name: str, value: str) -> None:
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
        current = _get(record, name)
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
            _set(record, name, value)
            new_version = int(record.versions.get(name, {}).get("v", 0)) + 1
            record.versions[name] = _stamp(new_version, by)
            result.saved[name] = new_version
        record.updated_by = by
        record.save()
        assessment.lock_version += 1
        assessment.save(update_fields=["lock_version", "updated_at"])
    result.versions = {n: int(record.versions.get(n, {}).get("v", 0)) for n in spec}
    result.values = {n: _get(record, n) for n in spec}
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
    locked = _locked(assessment)
    _ensure_open(locked)
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
    locked = _locked(assessment)
    _ensure_open(locked)
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
    locked = _locked(assessment)
    _ensure_open(locked)
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


# --- Consent (section K) -----------------------------------------------------


@transaction.atomic
def record_consent(
    assessment: Assessment,
    *,
    stage: str,
    given_by: FamilyMember | None,
    given_by_child: bool,
    method: str,
    capacity_basis: str,
    given_on: dt.date,
    information_level: str = InformationLevel.BASIC,
    note: str = "",
    by: User,
) -> ConsentRecord:
    """Record the family's consent statement: ``stage`` "start" (to the assessment) or
    "completion" (to storing and sharing it). Writes a ``ConsentRecord`` for the child.

    Consent to the assessment moves an assessment awaiting consent back to draft.
    """
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _ensure_open(locked)
    if stage not in ("start", "completion"):
        raise AssessmentError("Unknown consent stage.", code="stage")
    if given_by is None and not given_by_child:
        raise AssessmentError({"given_by": "Choose who gave consent."}, code="no_giver")
    if given_by is not None and given_by.family_id != locked.child.family_id:
        raise AssessmentError({"given_by": "That person is not in the child's family."})
    if given_on > timezone.localdate():
        raise AssessmentError({"given_on": "The date consent was given must not be in the future."})
    already = locked.consent_to_assessment_id if stage == "start" else locked.consent_to_share_id
    if already:
        raise AssessmentError("This consent statement is already recorded.", code="recorded")
    kind = (
        ConsentRecord.Kind.AGREEMENT_TO_ASSESSMENT
        if stage == "start"
        else ConsentRecord.Kind.SHARING_PREFERENCE
    )
    at = dt.datetime.combine(given_on, dt.time(12, 0), tzinfo=timezone.get_current_timezone())
    consent = ConsentRecord.objects.create(
        case=locked.case,
        kind=kind,
        given_by=given_by,
        given_by_child=locked.child if given_by is None else None,
        capacity_basis=capacity_basis,
        capacity_note=note,
        information_level=information_level,
        method=method,
        given_at=at,
        recorded_by=by,
    )
    consent.subject_children.add(locked.child)
    update = ["lock_version", "updated_at"]
    if stage == "start":
        locked.consent_to_assessment = consent
        update.append("consent_to_assessment")
    else:
        locked.consent_to_share = consent
        update.append("consent_to_share")
    locked.lock_version += 1
    locked.save(update_fields=update)
    record_event(
        locked.case,
        "assessment.consent_recorded",
        by=by,
        summary="Consent to the assessment recorded"
        if stage == "start"
        else "Consent to store and share the assessment recorded",
        data={"assessment": locked.pk, "consent": consent.pk, "stage": stage},
    )
    if stage == "start" and locked.status == S.AWAITING_CONSENT:
        _move(locked, S.DRAFT, by=by, code="assessment.consent_given", summary="Consent given")
    return consent


# --- Lifecycle ---------------------------------------------------------------


def _expect(assessment: Assessment, *statuses: str, action: str) -> None:
    if assessment.status not in statuses:
        raise AssessmentError(
            f"You cannot {action} an assessment that is {assessment.get_status_display().lower()}.",
            code="transition_not_allowed",
        )


@transaction.atomic
def mark_awaiting_consent(assessment: Assessment, *, by: User) -> Assessment:
    """The family has not yet agreed to the assessment."""
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.DRAFT, action="wait for consent on")
    if locked.consent_to_assessment_id:
        raise AssessmentError("Consent to the assessment is already recorded.", code="consented")
    _move(
        locked,
        S.AWAITING_CONSENT,
        by=by,
        code="assessment.awaiting_consent",
        summary="Assessment waiting for the family's consent",
    )
    return locked


@transaction.atomic
def begin_assessment(assessment: Assessment, *, by: User) -> Assessment:
    """The first conversation with the family has been held: draft → in progress."""
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.DRAFT, action="begin")
    if not locked.consent_to_assessment_id:
        raise AssessmentError(
            "Record the family's consent to the assessment first (section K).",
            code="no_consent",
        )
    _move(
        locked,
        S.IN_PROGRESS,
        by=by,
        code="assessment.in_progress",
        summary="First conversation with the family held",
    )
    return locked


@transaction.atomic
def share_with_family(assessment: Assessment, *, by: User) -> Assessment:
    """The draft has been read back to the family or a copy given: in progress → shared."""
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.IN_PROGRESS, action="share")
    _move(
        locked,
        S.SHARED_WITH_FAMILY,
        by=by,
        code="assessment.shared_with_family",
        summary="Draft assessment shared with the family",
        shared_with_family_at=timezone.now(),
    )
    return locked


def completion_problems(assessment: Assessment) -> list[str]:
    """What still stops ``assessment`` being completed, in plain words (empty when none)."""
    definition = Definition(assessment.template.definition)
    answers = {s.key: s.data for s in assessment.sections.all()}
    problems = []
    for section in definition.sections:
        for f in section.get("fields", []):
            if (
                f.get("required")
                and not str(answers.get(section["key"], {}).get(f["key"], "")).strip()
            ):
                problems.append(f"{section['title']}: answer “{f['label']}”.")
    views = list(assessment.views.all())
    child_view = next((v for v in views if v.speaker == ViewRecord.Speaker.CHILD), None)
    if child_view is None or not (child_view.is_given or child_view.not_obtained_reason.strip()):
        problems.append(
            "Views: record the child's views in their own words, or why they could not be given."
        )
    if not any(v.is_given for v in views if v.speaker == ViewRecord.Speaker.PARENT_CARER):
        problems.append("Views: record at least one parent's or carer's views in their own words.")
    if not assessment.consent_to_share_id:
        problems.append("Consent: record what the family agreed can be stored and shared.")
    return problems


@transaction.atomic
def complete_assessment(assessment: Assessment, *, by: User) -> Assessment:
    """Complete an assessment shared with the family; it becomes read-only.

    Requires the family's views, the conclusions and the sharing consent
    (``completion_problems``). A revision supersedes the version it revised.
    Schedules the "first TAC not held" reminder for the lead professional.
    """
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.SHARED_WITH_FAMILY, action="complete")
    problems = completion_problems(locked)
    if problems:
        raise AssessmentError(problems, code="incomplete")
    now = timezone.now()
    _move(
        locked,
        S.COMPLETED,
        by=by,
        code="assessment.completed",
        summary="Assessment completed",
        completed_at=now,
    )
    previous = locked.previous_version
    if previous is not None and previous.status == S.COMPLETED:
        previous.status = S.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        record_event(
            locked.case,
            "assessment.superseded",
            by=by,
            summary="Earlier assessment superseded by its revision",
            data={"assessment": previous.pk, "by_assessment": locked.pk},
        )
    lead = locked.case.lead_assignment
    schedule_reminders(
        SUBJECT_FIRST_TAC,
        locked.case_id,
        case=locked.case,
        due_on=timezone.localdate(now),
        audiences={Audience.LEAD: [lead.professional] if lead else []},
    )
    return locked


@transaction.atomic
def abandon_assessment(assessment: Assessment, *, reason: str, by: User) -> Assessment:
    """The family declined or the assessment stopped; the reason is kept."""
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.DRAFT, S.AWAITING_CONSENT, S.IN_PROGRESS, action="abandon")
    if not reason.strip():
        raise AssessmentError({"reason": "Say why the assessment is being stopped."})
    _move(
        locked,
        S.ABANDONED,
        by=by,
        code="assessment.abandoned",
        summary="Assessment stopped",
        abandoned_reason=reason.strip(),
    )
    return locked


@transaction.atomic
def escalate_safeguarding(assessment: Assessment, *, note: str, by: User) -> Assessment:
    """Record that a safeguarding concern was referred under local procedures.

    Never blocked by the form's state: anyone who can see the case may record
    it. An assessment being written pauses (and resumes later); a finished one
    keeps its status and the chronology records the escalation.
    """
    if not can_see_case(by, assessment.case):
        raise PermissionDenied("You cannot see this case.")
    locked = _locked(assessment)
    if locked.is_open and locked.status != S.SAFEGUARDING_ESCALATED:
        _move(
            locked,
            S.SAFEGUARDING_ESCALATED,
            by=by,
            code="assessment.safeguarding_escalated",
            summary="Safeguarding concern referred; assessment paused",
            status_before_escalation=locked.status,
            note=note.strip(),
        )
    else:
        record_event(
            locked.case,
            "assessment.safeguarding_escalated",
            by=by,
            summary="Safeguarding concern referred",
            data={"assessment": locked.pk, "note": note.strip()},
        )
    return locked


@transaction.atomic
def resume_after_escalation(assessment: Assessment, *, by: User) -> Assessment:
    """Children's social care decided early help is right: carry on (→ in progress)."""
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.SAFEGUARDING_ESCALATED, action="resume")
    _move(
        locked,
        S.IN_PROGRESS,
        by=by,
        code="assessment.resumed",
        summary="Assessment resumed after the safeguarding decision",
        status_before_escalation="",
    )
    return locked


@transaction.atomic
def revise_assessment(assessment: Assessment, *, by: User) -> Assessment:
    """Start a new version of a completed assessment, copying its content.

    The completed one stays as it is until the revision completes, when it is
    superseded. Views and consent are asked for again.
    """
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    _expect(locked, S.COMPLETED, action="revise")
    if locked.next_versions.filter(status__in=OPEN_STATUSES).exists():
        raise AssessmentError("A revision of this assessment is already being written.")
    return start_assessment(locked.case, child=locked.child, by=by, previous_version=locked)


@transaction.atomic
def record_family_copy_given(assessment: Assessment, *, given_on: dt.date, by: User) -> Assessment:
    """Record the day the family was given its own copy (DOMAIN §2.2 J)."""
    ensure_can_edit(by, assessment)
    locked = _locked(assessment)
    if given_on > timezone.localdate():
        raise AssessmentError({"given_on": "The date must be today or in the past."})
    if given_on < timezone.localdate(locked.started_at):
        raise AssessmentError({"given_on": "The date must be after the assessment started."})
    locked.family_copy_given_on = given_on
    locked.save(update_fields=["family_copy_given_on", "updated_at"])
    record_event(
        locked.case,
        "assessment.family_copy_given",
        by=by,
        summary="Family given its copy of the assessment",
        data={"assessment": locked.pk, "given_on": given_on.isoformat()},
    )
    return locked
