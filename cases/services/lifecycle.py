"""Opening a case, moving it through its states, and its level of need (DOMAIN §3.1, §3.7, §4.1)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.access import ensure_can_judge_level_of_need, ensure_can_move_stage
from cases.models import (
    Case,
    CaseSubject,
    Child,
    ChildRecordCheck,
    ClosureReason,
    Family,
    LeadProfessionalAssignment,
    LevelOfNeed,
    LevelOfNeedJudgement,
)
from cases.services.common import (
    CaseError,
    ChildAlreadyInOpenCase,
    TransitionNotAllowed,
    ensure_works_on_cases,
    lock_case,
    record_event,
)
from cases.services.teams import assign_lead_professional
from notifications.services import cancel_reminders_for

if TYPE_CHECKING:
    from agencies.models import User


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_reference_seq')")
        (number,) = cursor.fetchone()
    return f"EH-{number:06d}"


def _existing_open_case(child: Child) -> Case | None:
    subject = CaseSubject.objects.filter(child=child, is_open=True).select_related("case").first()
    return subject.case if subject else None


@transaction.atomic
def open_case(
    family: Family,
    *,
    children: Sequence[Child],
    by: User,
    status: str = Case.Status.IDENTIFIED,
    interim_lead: User | None = None,
    previous_case: Case | None = None,
    opened_at: datetime | None = None,
) -> Case:
    """Open an early help case for ``children`` of ``family``.

    Raises ``ChildAlreadyInOpenCase`` (naming the existing case) when any child is
    already the subject of an open case; nothing is written in that case, even
    when two requests race (the database's partial unique index decides).
    ``interim_lead`` holds the lead professional role until one is agreed
    (DOMAIN §5.4).
    """
    if not children:
        raise CaseError("Choose at least one child for the case.", code="no_children")
    if status not in Case.OPEN_STATUSES:
        raise CaseError("A new case must start in an open status.", code="closed_status")
    for child in children:
        if child.family_id != family.pk:
            raise CaseError(
                f"{child.full_name} is not in {family.name}.", code="child_not_in_family"
            )
        existing = _existing_open_case(child)
        if existing is not None:
            raise ChildAlreadyInOpenCase(child, existing)

    now = opened_at or timezone.now()
    case = Case.objects.create(
        reference=_next_reference(),
        family=family,
        status=status,
        opened_at=now,
        opened_by=by,
        previous_case=previous_case,
        is_re_referral=previous_case is not None,
    )
    for child in children:
        try:
            with transaction.atomic():
                CaseSubject.objects.create(case=case, child=child, is_open=True)
        except IntegrityError:
            # Another transaction opened a case for this child after our check.
            existing = _existing_open_case(child)
            if existing is None:  # pragma: no cover - the constraint named another row
                raise
            raise ChildAlreadyInOpenCase(child, existing) from None

    record_event(
        case,
        "case.opened",
        by=by,
        at=now,
        summary=f"Case opened for {len(children)} child(ren)",
        data={"children": [c.pk for c in children], "status": status},
    )
    if previous_case is not None:
        record_event(
            case,
            "case.re_referral",
            by=by,
            at=now,
            data={"previous_case": previous_case.reference},
        )
    if interim_lead is not None:
        assign_lead_professional(
            case,
            professional=interim_lead,
            by=by,
            basis=LeadProfessionalAssignment.Basis.INTERIM_INITIATOR,
            at=now,
        )
    return case


def _end_lead_assignment(case: Case, *, reason: str, at: datetime) -> None:
    case.lead_assignments.active().update(ended_at=at, end_reason=reason)


@transaction.atomic
def change_status(
    case: Case,
    *,
    to: str,
    by: User,
    closure_reason: str = "",
    closure_reason_detail: str = "",
    note: str = "",
    at: datetime | None = None,
) -> Case:
    """Move a case along one transition of the state machine (DOMAIN §3.1).

    Raises ``TransitionNotAllowed`` for any move not drawn there. Moving into a
    terminal status closes the case: it frees its children for a new case and
    ends the lead professional assignment.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to not in Case.Status.values or not locked.can_move_to(to):
        raise TransitionNotAllowed(locked, to)
    now = at or timezone.now()
    previous = locked.status
    locked.status = to
    fields = ["status", "updated_at"]

    if to in Case.TERMINAL_STATUSES:
        reason = closure_reason or Case.DEFAULT_CLOSURE_REASONS.get(to, "")
        if not reason:
            raise CaseError("Choose the reason the case is closing.", code="closure_reason")
        if reason not in ClosureReason.values:
            raise CaseError("Choose a closure reason from the list.", code="closure_reason")
        if reason == ClosureReason.OTHER and not closure_reason_detail.strip():
            raise CaseError("Describe the reason when you choose 'Other'.", code="closure_detail")
        locked.closure_reason = reason
        locked.closure_reason_detail = closure_reason_detail
        locked.closed_at = now
        locked.next_review_due = None
        fields += ["closure_reason", "closure_reason_detail", "closed_at", "next_review_due"]
        locked.subjects.update(is_open=False)
        end_reason = (
            LeadProfessionalAssignment.EndReason.CSC_LEAD
            if reason == ClosureReason.STEPPED_UP
            else LeadProfessionalAssignment.EndReason.CASE_CLOSED
        )
        _end_lead_assignment(locked, reason=end_reason, at=now)

    locked.save(update_fields=fields)
    if to in Case.TERMINAL_STATUSES:
        cancel_reminders_for(locked)
    record_event(
        locked,
        "case.closed" if to in Case.TERMINAL_STATUSES else "case.status_changed",
        by=by,
        at=now,
        summary=f"{Case.Status(previous).label} → {Case.Status(to).label}",
        data={"from": previous, "to": to, "note": note, "closure_reason": locked.closure_reason},
    )
    case.refresh_from_db()
    return locked


@transaction.atomic
def record_level_of_need(
    case: Case,
    *,
    level: LevelOfNeed,
    rationale: str,
    by: User,
    family_informed: bool = False,
    at: datetime | None = None,
) -> LevelOfNeedJudgement:
    """Record a named professional's judgement of the level of need.

    The rationale is required: levels are never computed (DOMAIN §4.1).
    """
    if not rationale.strip():
        raise CaseError(
            {"rationale": "Explain why you judge the need to be at this level."},
            code="rationale_required",
        )
    now = at or timezone.now()
    judgement = LevelOfNeedJudgement.objects.create(
        case=case,
        level=level,
        rationale=rationale.strip(),
        family_informed=family_informed,
        judged_by=by,
        judged_at=now,
    )
    case.current_level = level
    case.save(update_fields=["current_level", "updated_at"])
    record_event(
        case,
        "level.judged",
        by=by,
        at=now,
        summary=str(level),
        data={"judgement": judgement.pk, "level": level.code},
    )
    return judgement


MSG_LEVEL_CHANGED = (
    "Someone judged the level of need while you were writing. Read their judgement, "
    "then judge again."
)


@transaction.atomic
def judge_level_of_need_again(
    case: Case,
    *,
    by: User,
    level: LevelOfNeed,
    rationale: str,
    family_informed: bool,
    expected_judgement_id: int | None,
) -> LevelOfNeedJudgement:
    """A later judgement of the level of need, by a named professional with a reason
    (DOMAIN §4.1: never scored automatically). Every judgement stays in the history.

    ``expected_judgement_id`` is the latest judgement the professional saw: a newer one
    made meanwhile refuses the change rather than silently overriding it.
    """
    locked = lock_case(case)
    ensure_can_judge_level_of_need(by, locked)
    latest = locked.level_judgements.order_by("-judged_at", "-id").values_list("pk", flat=True)
    if latest.first() != expected_judgement_id:
        raise CaseError(MSG_LEVEL_CHANGED, code="stale")
    if not level.is_active:
        raise CaseError({"level": "Choose a level of need from the list."}, code="level")
    return record_level_of_need(
        locked, level=level, rationale=rationale, by=by, family_informed=family_informed
    )


def open_cases_for(children: Iterable[Child]) -> dict[int, Case]:
    """The open case of each child that has one, keyed by child id."""
    subjects = CaseSubject.objects.filter(child__in=list(children), is_open=True).select_related(
        "case"
    )
    return {s.child_id: s.case for s in subjects}


#: A new request within this many days of a case closing is a re-referral (DOMAIN §3.7).
RE_REFERRAL_DAYS = 365


def recent_closed_case(children: Sequence[Child], *, at: datetime | None = None) -> Case | None:
    """The most recently closed case of any of ``children`` closed within 12 months."""
    since = (at or timezone.now()) - timedelta(days=RE_REFERRAL_DAYS)
    return (
        Case.objects.closed()
        .filter(subjects__child__in=list(children), closed_at__gte=since)
        .order_by("-closed_at", "-id")
        .first()
    )


@transaction.atomic
def start_case_for_child(
    children: Sequence[Child],
    *,
    by: User,
    level: LevelOfNeed | None = None,
    rationale: str = "",
) -> Case:
    """A practitioner starts early help themselves: they become interim lead (DOMAIN §5.4).

    A child whose case closed in the last 12 months starts a re-referral.
    """
    ensure_works_on_cases(by)
    if not children:
        raise CaseError("Choose at least one child.", code="no_children")
    previous = recent_closed_case(children)
    case = open_case(
        children[0].family,
        children=children,
        by=by,
        status=Case.Status.IDENTIFIED,
        interim_lead=by,
        previous_case=previous,
    )
    for check in ChildRecordCheck.objects.filter(child__in=children).exclude(reason=""):
        record_event(
            case,
            "child.added_despite_matches",
            by=by,
            summary="Child record added although possible matches were shown",
            data={"child": check.child_id, "possible_matches": check.possible_matches},
        )
    if level is not None:
        record_level_of_need(case, level=level, rationale=rationale, by=by)
    return case


# --- Moves that follow from work done elsewhere ------------------------------------------
# Each automatic move of the state machine is written here once; the services that do
# the work (starting or completing an assessment, holding the first TAC) call these in
# their own transaction, so a case never waits for someone to remember to move it.

S = Case.Status

#: Starting an assessment: the family's agreement → assessing; an active plan → reassessing.
_AFTER_ASSESSMENT_STARTED: dict[str, tuple[str, ...]] = {
    S.IDENTIFIED: (S.CONSENT_PENDING, S.ASSESSING),
    S.TRIAGED: (S.CONSENT_PENDING, S.ASSESSING),
    S.CONSENT_PENDING: (S.ASSESSING,),
    S.ACTIVE: (S.REASSESSING,),
}
#: Completing it: assessing → planning (a TAC is needed); reassessing → the plan again.
_AFTER_ASSESSMENT_COMPLETED: dict[str, tuple[str, ...]] = {
    S.ASSESSING: (S.PLANNING,),
    S.REASSESSING: (S.ACTIVE,),
}
#: The first TAC agreeing the plan: planning → active plan.
_AFTER_FIRST_TAC: dict[str, tuple[str, ...]] = {S.PLANNING: (S.ACTIVE,)}


def _follow(case: Case, path: dict[str, tuple[str, ...]], *, by: User, note: str) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    for to in path.get(locked.status, ()):
        locked = change_status(locked, to=to, by=by, note=note)
    case.refresh_from_db()
    return locked


@transaction.atomic
def follow_assessment_started(case: Case, *, by: User) -> Case:
    """An assessment was started on ``case``: move the case to the stage that follows."""
    return _follow(case, _AFTER_ASSESSMENT_STARTED, by=by, note="Assessment started")


@transaction.atomic
def follow_assessment_completed(case: Case, *, by: User) -> Case:
    """An assessment of ``case`` was completed: move the case to the stage that follows."""
    return _follow(case, _AFTER_ASSESSMENT_COMPLETED, by=by, note="Assessment completed")


@transaction.atomic
def follow_first_tac_held(case: Case, *, by: User) -> Case:
    """A TAC meeting was held: the first one agrees the plan (planning → active plan)."""
    return _follow(case, _AFTER_FIRST_TAC, by=by, note="First TAC held: plan agreed")


#: Moves a person makes by choosing them on the case page, with no other record to
#: write: asking the family's agreement, and agreeing at a review that the case should
#: close (the closure record comes next).
MANUAL_STEPS: frozenset[tuple[str, str]] = frozenset(
    {(S.IDENTIFIED, S.CONSENT_PENDING), (S.ACTIVE, S.CLOSING), (S.REASSESSING, S.ACTIVE)}
)


@transaction.atomic
def move_to_stage(case: Case, *, to: str, by: User, note: str = "") -> Case:
    """Move ``case`` to the next stage chosen on the case page (one of ``MANUAL_STEPS``)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    ensure_can_move_stage(by, locked, to=to)
    if (locked.status, to) not in MANUAL_STEPS:
        raise TransitionNotAllowed(locked, to)
    locked = change_status(locked, to=to, by=by, note=note.strip())
    case.refresh_from_db()
    return locked
