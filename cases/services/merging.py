"""Merging two records of one child (managers only), and undoing a merge within the window.

Everything that pointed at the duplicate moves to the record kept: its cases, its
assessments, its consent and request records, its known names and its detail history.
The duplicate itself stays, marked ``merged_into`` the record kept, so that its old
identifier answers with where the record went. What moved is listed on the
``ChildMerge``, so that an undo moves exactly those rows back. The audit trail (who read
which record, and the database's change history) is never rewritten.

Restricted records are merged only by a manager the restrictions name, and every
restriction on either record goes on covering the record kept, in each of its cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pghistory.models
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from cases.access import can_merge_restricted_records, ensure_can_merge_children
from cases.models import (
    Case,
    CaseSubject,
    Child,
    ChildMerge,
    ChildRecordCheck,
    DetailChange,
    KnownName,
    Restriction,
    RestrictionTarget,
)
from cases.services.common import CaseError, record_event
from tac_portal.concurrency import bump, ensure_current

if TYPE_CHECKING:
    from agencies.models import User

MSG_REASON = "Say why these two records are the same child"
MSG_SAME = "Choose two different records."
MSG_ALREADY_MERGED = "This record has already been merged into another."
MSG_UNDO_REASON = "Say why the merge is being undone"
#: Rows that tell how a record was made, or who read it, stay with the record they name.
NOT_MOVED = (Child, ChildMerge, ChildRecordCheck)
CREATED_KNOWN_NAMES = "created_known_names"
RETARGETED_RESTRICTIONS = "restrictions_on_the_duplicate"
COPIED_RESTRICTIONS = "restrictions_copied_to_cases"


@dataclass(frozen=True)
class Relation:
    """A table whose rows point at a child: its model (or an M2M's through model) and
    the field that holds the child."""

    key: str
    model: type[models.Model]
    field: str


def relations() -> Iterator[Relation]:
    """Every relation to ``Child`` a merge moves, found from the models so that a new one
    (in any app) moves too."""
    for rel in Child._meta.related_objects:
        model = rel.related_model
        assert isinstance(model, type)  # noqa: S101 - a concrete model, never a string
        if issubclass(model, NOT_MOVED) or issubclass(model, pghistory.models.Event):
            continue
        if rel.many_to_many:
            through = getattr(model, rel.field.name).through
            if not through._meta.auto_created:
                continue  # an explicit through model is itself a relation (CaseSubject)
            m2m: Any = rel.field
            field = m2m.m2m_reverse_field_name()
            yield Relation(f"{through._meta.label_lower}.{field}", through, field)
        else:
            field = rel.field.name
            yield Relation(f"{model._meta.label_lower}.{field}", model, field)


def _open_case(child_id: int) -> Case | None:
    subject = CaseSubject.objects.filter(child_id=child_id, is_open=True).select_related("case")
    found = subject.first()
    return found.case if found else None


def _refuse_what_would_break(kept: Child, merged: Child) -> None:
    if kept.pk == merged.pk:
        raise CaseError(MSG_SAME, code="same_record")
    if kept.merged_into_id or merged.merged_into_id:
        raise CaseError(MSG_ALREADY_MERGED, code="already_merged")
    open_kept, open_merged = _open_case(kept.pk), _open_case(merged.pk)
    if open_kept and open_merged and open_kept.pk != open_merged.pk:
        raise CaseError(
            f"Both records have an open case ({open_kept.reference} and "
            f"{open_merged.reference}). A child has one open case at a time: close one of "
            "them before merging the records.",
            code="two_open_cases",
        )
    shared = CaseSubject.objects.filter(child=kept, case__subjects__child=merged).first()
    if shared is not None:
        raise CaseError(
            "Both records are children in the same case. Ask the lead professional to "
            "correct the case's children before merging the records.",
            code="same_case",
        )


def _restrictions_on(*children: Child) -> list[Restriction]:
    return list(
        Restriction.objects.in_force()
        .filter(target=RestrictionTarget.CHILD, target_id__in=[c.pk for c in children])
        .select_related("set_by")
        .prefetch_related("named_users")
        .order_by("pk")
    )


def _refuse_restricted(restrictions: list[Restriction], *, by: User) -> None:
    if can_merge_restricted_records(by, restrictions):
        return
    hidden = [r for r in restrictions if not can_merge_restricted_records(by, [r])]
    setters = sorted({str(r.set_by) for r in hidden})
    raise CaseError(
        "One of these records has restricted details, and you are not named on the "
        f"restriction. Ask {' or '.join(setters)} to merge the records, or to name you on it.",
        code="restricted",
    )


def _carry_restrictions(
    restrictions: list[Restriction], *, kept: Child, merged: Child
) -> dict[str, list[int]]:
    """Every restriction on either record covers the record kept, in each of its cases.

    A restriction on the duplicate now names the record kept. A restriction belongs to
    one case, so each case of the record kept that lacks one gets a copy (same reason,
    setter, named people and review date); the original's review stands for its copies.
    Returns what an undo puts back.
    """
    retargeted = [r.pk for r in restrictions if r.target_id == merged.pk]
    Restriction.objects.filter(pk__in=retargeted).update(target_id=kept.pk)
    copied: list[int] = []
    in_force = {
        (r.case_id, r.field_name)
        for r in Restriction.objects.in_force().filter(
            target=RestrictionTarget.CHILD, target_id=kept.pk
        )
    }
    for case in _cases_of(kept):
        for restriction in restrictions:
            if (case.pk, restriction.field_name) in in_force:
                continue
            copy = Restriction.objects.create(
                case=case,
                target=RestrictionTarget.CHILD,
                target_id=kept.pk,
                field_name=restriction.field_name,
                reason=restriction.reason,
                set_by=restriction.set_by,
                set_at=timezone.now(),
                review_due=restriction.review_due,
            )
            copy.named_users.set(restriction.named_users.all())
            in_force.add((case.pk, restriction.field_name))
            copied.append(copy.pk)
    carried = {}
    if retargeted:
        carried[RETARGETED_RESTRICTIONS] = retargeted
    if copied:
        carried[COPIED_RESTRICTIONS] = copied
    return carried


def _put_restrictions_back(moved: dict[str, list[int]], *, merged: Child, by: User) -> None:
    """Undo ``_carry_restrictions``: the copies are lifted (an unmasking may name them),
    and restrictions made on the duplicate name it again."""
    Restriction.objects.filter(pk__in=moved.get(RETARGETED_RESTRICTIONS, [])).update(
        target_id=merged.pk
    )
    Restriction.objects.filter(
        pk__in=moved.get(COPIED_RESTRICTIONS, []), lifted_at__isnull=True
    ).update(lifted_at=timezone.now(), lifted_by=by, lift_reason="The merge was undone.")


def _cases_of(child: Child) -> list[Case]:
    return list(Case.objects.filter(subjects__child=child).distinct().order_by("pk"))


def _move(relation: Relation, *, ids: list[int] | None, source: int, target: int) -> list[int]:
    """Point rows of ``relation`` at ``target`` instead of ``source`` (only ``ids``, when
    given). A many-to-many row whose record already names ``target`` is left alone."""
    rows: Any = relation.model._default_manager.filter(**{f"{relation.field}_id": source})
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    if not relation.model._meta.auto_created:
        moving = list(rows.values_list("pk", flat=True))
    else:
        other = next(
            f.name
            for f in relation.model._meta.fields
            if f.is_relation and f.name not in {relation.field, "id"}
        )
        taken = relation.model._default_manager.filter(**{f"{relation.field}_id": target}).values(
            f"{other}_id"
        )
        moving = list(rows.exclude(**{f"{other}_id__in": taken}).values_list("pk", flat=True))
    relation.model._default_manager.filter(pk__in=moving).update(**{f"{relation.field}_id": target})
    return moving


@transaction.atomic
def merge_children(*, kept: Child, merged: Child, reason: str, by: User) -> ChildMerge:
    """Make two records of one child one: ``merged``'s cases, assessments, consent and
    request records, known names and history move to ``kept``; ``merged`` stays,
    ``merged_into`` ``kept``. At most one open case per child still holds: two records
    with different open cases are not merged."""
    ensure_can_merge_children(by, [kept.pk, merged.pk])
    if not reason.strip():
        raise CaseError({"reason": MSG_REASON}, code="reason_required")
    locked = {
        c.pk: c
        for c in Child.objects.select_for_update()
        .filter(pk__in=[kept.pk, merged.pk])
        .order_by("pk")
    }
    kept, merged = locked[kept.pk], locked[merged.pk]
    _refuse_what_would_break(kept, merged)
    restrictions = _restrictions_on(kept, merged)
    _refuse_restricted(restrictions, by=by)
    cases_before = {c.pk: c for c in [*_cases_of(kept), *_cases_of(merged)]}
    for case in sorted(cases_before.values(), key=lambda c: c.pk):
        Case.objects.select_for_update().filter(pk=case.pk).first()
    now = timezone.now()
    moved: dict[str, list[int]] = {}
    try:
        with transaction.atomic():
            for relation in relations():
                ids = _move(relation, ids=None, source=merged.pk, target=kept.pk)
                if ids:
                    moved[relation.key] = ids
    except IntegrityError:
        raise CaseError(
            "These records cannot be merged as they are: a child has one open case at a time.",
            code="two_open_cases",
        ) from None
    created, was_created = KnownName.objects.get_or_create(
        child=kept,
        given_names=merged.given_names,
        family_name=merged.family_name,
        defaults={"recorded_by": by, "recorded_at": now},
    )
    if was_created:
        moved[CREATED_KNOWN_NAMES] = [created.pk]
    moved.update(_carry_restrictions(restrictions, kept=kept, merged=merged))
    merge = ChildMerge.objects.create(
        kept=kept,
        merged=merged,
        reason=reason.strip(),
        moved=moved,
        merged_by=by,
        merged_at=now,
        undo_until=now + timedelta(days=settings.TAC_MERGE_UNDO_DAYS),
    )
    DetailChange.objects.create(
        subject=DetailChange.Subject.CHILD,
        child=kept,
        family_id=kept.family_id,
        field_name="merged",
        label="Record merged",
        old_value=f"Record {merged.pk}",
        new_value=f"Record {kept.pk}",
        reason=reason.strip(),
        changed_by=by,
        changed_at=now,
    )
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at", *bump(merged)])
    kept.save(update_fields=["updated_at", *bump(kept)])
    for case in cases_before.values():
        record_event(
            case,
            "child.merged",
            by=by,
            at=now,
            summary="Two records of the same child were merged into one",
            data={"kept": kept.pk, "merged": merged.pk, "merge": merge.pk},
        )
    return merge


def undoable_merges(child: Child) -> list[ChildMerge]:
    """The merges into ``child`` that can still be undone."""
    return list(
        ChildMerge.objects.filter(
            kept=child, undone_at__isnull=True, undo_until__gt=timezone.now()
        ).select_related("merged")
    )


@transaction.atomic
def undo_merge(merge: ChildMerge, *, reason: str, expected_version: int | None, by: User) -> None:
    """Move back exactly what the merge moved, within the window; the duplicate becomes a
    record of its own again. ``expected_version`` is the kept record's version the
    manager saw."""
    locked = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    ensure_can_merge_children(by, [locked.kept_id])
    if not reason.strip():
        raise CaseError({"reason": MSG_UNDO_REASON}, code="reason_required")
    if locked.undone_at is not None:
        raise CaseError("This merge has already been undone.", code="already_undone")
    now = timezone.now()
    if now >= locked.undo_until:
        raise CaseError(
            f"A merge can be undone for {settings.TAC_MERGE_UNDO_DAYS} days. This one "
            "can no longer be undone.",
            code="undo_window_passed",
        )
    children = {
        c.pk: c
        for c in Child.objects.select_for_update()
        .filter(pk__in=[locked.kept_id, locked.merged_id])
        .order_by("pk")
    }
    kept, merged = children[locked.kept_id], children[locked.merged_id]
    ensure_current(kept, expected_version)
    cases_before = _cases_of(kept)
    by_key = {r.key: r for r in relations()}
    try:
        with transaction.atomic():
            for key, ids in locked.moved.items():
                if key == CREATED_KNOWN_NAMES:
                    KnownName.objects.filter(pk__in=ids, child=kept).delete()
                elif key in (RETARGETED_RESTRICTIONS, COPIED_RESTRICTIONS):
                    continue
                elif key in by_key:
                    _move(by_key[key], ids=ids, source=kept.pk, target=merged.pk)
    except IntegrityError:
        raise CaseError(
            "The merge cannot be undone: both records would have an open case.",
            code="two_open_cases",
        ) from None
    _put_restrictions_back(locked.moved, merged=merged, by=by)
    locked.undone_at, locked.undone_by, locked.undo_reason = now, by, reason.strip()
    locked.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    DetailChange.objects.create(
        subject=DetailChange.Subject.CHILD,
        child=kept,
        family_id=kept.family_id,
        field_name="merged",
        label="Merge undone",
        old_value=f"Record {kept.pk}",
        new_value=f"Record {merged.pk}",
        reason=reason.strip(),
        changed_by=by,
        changed_at=now,
    )
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at", *bump(merged)])
    kept.save(update_fields=["updated_at", *bump(kept)])
    for case in cases_before:
        record_event(
            case,
            "child.merge_undone",
            by=by,
            at=now,
            summary="A merge of two records of one child was undone",
            data={"kept": kept.pk, "merged": merged.pk, "merge": locked.pk},
        )


def final_record(child: Child) -> Child:
    """Where a merged record went (following merges of merges); the record itself if it
    was never merged."""
    seen = {child.pk}
    while child.merged_into_id is not None:
        child = Child.objects.get(pk=child.merged_into_id)
        if child.pk in seen:  # pragma: no cover - a merge never makes a loop
            break
        seen.add(child.pk)
    return child
