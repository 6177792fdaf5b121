"""The plan: outcomes and SMART actions, their changes and progress (DOMAIN §3.5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases import access
from cases.access import ensure_can_run_case
from cases.models import (
    Case,
    CaseSubject,
    Child,
    JoinRequest,
    LeadProfessionalAssignment,
    TeamMembership,
)
from cases.services.common import record_event
from cases.services.leavers import check_successor
from cases.services.reviews import LateReasonError, clean_late_reason
from cases.services.teams import add_professional_to_team
from meetings.models import (
    OUTCOME_TAGS,
    Action,
    ActionUpdate,
    Meeting,
    Outcome,
)
from meetings.services.common import NOTE_MAX, MeetingError, ensure_can_run_meeting, lock_meeting
from notifications.models import SUBJECT_ACTION_DUE, Audience
from notifications.services import notify, schedule_reminders
from tac_portal.concurrency import StaleEdit, ensure_current

if TYPE_CHECKING:
    from agencies.models import User


MSG_CHILD_NOT_IN_CASE = "Choose one of this case's children, or all of them."


def _child_error(case: Case, child: Child | None) -> str | None:
    """An outcome or action is for one of the case's children, or (``None``) all of them."""
    if child is None or CaseSubject.objects.filter(case=case, child=child).exists():
        return None
    return MSG_CHILD_NOT_IN_CASE


def _ensure_can_edit_plan(user: User, case: Case, meeting: Meeting | None) -> None:
    if meeting is not None:
        ensure_can_run_meeting(user, meeting)
    else:
        ensure_can_run_case(user, case)


@transaction.atomic
def add_outcome(
    case: Case,
    *,
    by: User,
    statement: str,
    meeting: Meeting | None = None,
    framework_tags: Iterable[str] = (),
    how_we_will_know: str = "",
    baseline_scale: int | None = None,
    target_scale: int | None = None,
    child: Child | None = None,
) -> Outcome:
    """Add an outcome in the family's words to the plan: for one of the case's children
    (``child``), or for all of them."""
    if meeting is not None:
        meeting = lock_meeting(meeting)
    _ensure_can_edit_plan(by, case, meeting)
    if not statement.strip():
        raise MeetingError(
            {"statement": "Write what will be different, in the family's words."}, code="text"
        )
    tags = list(dict.fromkeys(framework_tags))
    known = {code for code, _ in OUTCOME_TAGS}
    if any(t not in known for t in tags):
        raise MeetingError({"framework_tags": "Choose tags from the list."}, code="tags")
    for name, value in (("baseline_scale", baseline_scale), ("target_scale", target_scale)):
        if value is not None and not 0 <= value <= 10:
            raise MeetingError({name: "Use a number from 0 to 10."}, code="scale")
    if message := _child_error(case, child):
        raise MeetingError({"child": message}, code="child")
    outcome = Outcome.objects.create(
        case=case,
        child=child,
        meeting=meeting,
        statement=statement.strip(),
        framework_tags=tags,
        how_we_will_know=how_we_will_know.strip(),
        baseline_scale=baseline_scale,
        target_scale=target_scale,
        created_by=by,
    )
    record_event(
        case,
        "plan.outcome_added",
        by=by,
        summary="Outcome added to the plan",
        data={"outcome": outcome.pk, "child": child.pk if child else None},
    )
    return outcome


@transaction.atomic
def review_outcome(
    outcome: Outcome,
    *,
    by: User,
    status: str,
    current_scale: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Outcome:
    """At a review: how far the family has come towards an outcome, and whether it is met.

    The change history keeps every earlier status, scale and note; the chronology
    says what changed. With ``expected_version``, a review saved since the editor
    loaded it is refused rather than overwritten.
    """
    locked = Outcome.objects.select_for_update().select_related("case").get(pk=outcome.pk)
    _ensure_can_edit_plan(by, locked.case, None)
    if not locked.case.is_open:
        raise MeetingError("This case is closed: its plan is no longer reviewed.", code="closed")
    ensure_current(
        locked,
        expected_version,
        message=(
            "Someone reviewed this outcome since you opened it. Check what they recorded "
            "below, then save yours again if it still stands."
        ),
    )
    errors: dict[str, str] = {}
    if len(note.strip()) > NOTE_MAX:
        errors["note"] = f"Keep the note to {NOTE_MAX:,} characters or fewer."
    if status not in Outcome.Status.values:
        errors["status"] = "Choose where this outcome stands."
    if current_scale is not None and not 0 <= current_scale <= 10:
        errors["current_scale"] = "Use a number from 0 to 10."
    if errors:
        raise MeetingError(errors, code="invalid")
    previous = (locked.status, locked.current_scale)
    locked.status = status
    locked.current_scale = current_scale
    locked.review_note = note.strip()
    locked.reviewed_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["status", "current_scale", "review_note", "reviewed_at", "version"])
    record_event(
        locked.case,
        "plan.outcome_reviewed",
        by=by,
        summary=f"Outcome reviewed: {locked.get_status_display().lower()}",
        data={
            "outcome": locked.pk,
            "from": {"status": previous[0], "scale": previous[1]},
            "to": {"status": status, "scale": current_scale},
        },
    )
    return locked


def _action_audiences(action: Action) -> dict[str, list[User]]:
    audiences: dict[str, list[User]] = {}
    if action.owner_professional is not None and action.owner_professional.is_active:
        audiences[Audience.OWNER] = [action.owner_professional]
    lead = action.case.lead_assignments.active().select_related("professional").first()
    if lead is not None:
        audiences[Audience.LEAD] = [lead.professional]
    return audiences


def schedule_action_reminders(action: Action) -> int:
    """Bring an action's reminders in line with its due date, owner and status.

    Owners get the due-soon, due and overdue reminders; the lead only the
    overdue copy (the rules say which audience each goes to). Done and
    cancelled actions have none, and neither has any action of a closed case
    (closing cancelled them; a later change to the action must not bring them back).
    """
    case_open = Case.objects.filter(pk=action.case_id, closed_at__isnull=True).exists()
    due = action.due_on if action.is_open and case_open else None
    return schedule_reminders(
        SUBJECT_ACTION_DUE,
        action.pk,
        case=action.case,
        due_on=due,
        audiences=_action_audiences(action) if due is not None else {},
    )


def schedule_case_action_reminders(case: Case) -> int:
    """Re-address the reminders of every open action of ``case`` (its lead changed).

    The action rows are locked, so a concurrent change to one of them either
    finishes first (and is read here) or waits and then sees the new lead.
    """
    actions = (
        Action.objects.select_for_update(of=("self",))
        .filter(case_id=case.pk, status__in=Action.OPEN_STATUSES)
        .select_related("case", "owner_professional")
        .order_by("id")
    )
    return sum(schedule_action_reminders(action) for action in actions)


@dataclass(frozen=True)
class Owner:
    """Who owns an action: a TAC member, or a family network member named here."""

    membership: TeamMembership | None = None
    network_name: str = ""


@transaction.atomic
def add_action(
    case: Case,
    *,
    by: User,
    description: str,
    owner: Owner,
    due_on: dt.date,
    meeting: Meeting | None = None,
    start_on: dt.date | None = None,
    outcomes: Sequence[Outcome] = (),
    child: Child | None = None,
) -> Action:
    """Add a SMART action owned by one TAC member (professional, family or network member),
    for one of the case's children (``child``) or for all of them."""
    if meeting is not None:
        meeting = lock_meeting(meeting)
    _ensure_can_edit_plan(by, case, meeting)
    if not Case.objects.get(pk=case.pk).is_open:
        raise MeetingError("This case is closed: its plan no longer changes.", code="case_closed")
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Describe what will be done."
    if start_on is not None and due_on < start_on:
        errors["due_on"] = "The due date must be on or after the start date."
    membership = owner.membership
    if membership is not None and (membership.case_id != case.pk or membership.left_at):
        errors["owner"] = "Choose a current member of the TAC."
    if membership is None and not owner.network_name.strip():
        errors["owner"] = "Choose who owns the action."
    if any(o.case_id != case.pk for o in outcomes):
        errors["outcomes"] = "Choose outcomes from this plan."
    if message := _child_error(case, child):
        errors["child"] = message
    if errors:
        raise MeetingError(errors, code="invalid")
    action = Action(
        case=case,
        child=child,
        meeting=meeting,
        description=description.strip(),
        start_on=start_on,
        due_on=due_on,
        created_by=by,
    )
    if membership is not None and membership.professional is not None:
        action.owner_professional = membership.professional
        action.owner_agency = membership.professional.agency
    elif membership is not None and membership.family_member is not None:
        action.owner_family_member = membership.family_member
    elif membership is not None:
        action.owner_name = membership.external_name
    else:
        action.owner_name = owner.network_name.strip()
    action.save()
    action.outcomes.set(outcomes)
    schedule_action_reminders(action)
    record_event(
        case,
        "plan.action_added",
        by=by,
        summary=f"Action for {action.owner_role_and_agency} due {due_on:%d %B %Y}",
        data={"action": action.pk, "child": child.pk if child else None},
    )
    return action


@transaction.atomic
def change_action(
    action: Action,
    *,
    by: User,
    due_on: dt.date | None = None,
    owner: Owner | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Action:
    """Move an action's due date or hand it to another owner (the lead or a manager).

    Its reminders follow in the same transaction: the new owner gets them, the
    old one no longer does. ``reason`` goes on the action's progress notes.
    With ``expected_version``, a change made since the editor loaded it is refused.
    """
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_can_run_case(by, locked.case)
    ensure_current(
        locked,
        expected_version,
        message=(
            "Someone changed this action since you opened it. Check it below, then "
            "make your change again."
        ),
    )
    if not locked.is_open:
        raise MeetingError("A finished action cannot be changed.", code="closed")
    if not locked.case.is_open:
        raise MeetingError("This case is closed: its plan no longer changes.", code="case_closed")
    changes: dict[str, object] = {}
    if due_on is not None and due_on != locked.due_on:
        if locked.start_on is not None and due_on < locked.start_on:
            raise MeetingError(
                {"due_on": "The due date must be on or after the start date."}, code="due"
            )
        changes["due_on"] = [locked.due_on.isoformat(), due_on.isoformat()]
        locked.due_on = due_on
    if owner is not None:
        membership = owner.membership
        if membership is not None and (
            membership.case_id != locked.case_id or membership.left_at is not None
        ):
            raise MeetingError({"owner": "Choose a current member of the TAC."}, code="owner")
        if membership is None and not owner.network_name.strip():
            raise MeetingError({"owner": "Choose who owns the action."}, code="owner")
        before = _owner_key(locked)
        locked.owner_professional = membership.professional if membership else None
        locked.owner_agency = (
            membership.professional.agency if membership and membership.professional else None
        )
        locked.owner_family_member = membership.family_member if membership else None
        locked.owner_name = membership.external_name if membership else owner.network_name.strip()
        if locked.owner_professional or locked.owner_family_member:
            locked.owner_name = ""
        if _owner_key(locked) != before:
            changes["owner"] = locked.owner_display
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    schedule_action_reminders(locked)
    if reason.strip():
        ActionUpdate.objects.create(
            action=locked, by=by, at=timezone.now(), text=f"Changed: {reason.strip()}"
        )
    record_event(
        locked.case,
        "plan.action_changed",
        by=by,
        summary="Action's due date or owner changed",
        data={"action": locked.pk, **changes},
    )
    action.refresh_from_db()
    return locked


def _owner_key(action: Action) -> tuple[int | None, int | None, str]:
    return (action.owner_professional_id, action.owner_family_member_id, action.owner_name)


@transaction.atomic
def cancel_action(
    action: Action, *, by: User, reason: str, expected_version: int | None = None
) -> Action:
    """The lead or a manager takes an action out of the plan, saying why.

    Its reminders are cancelled in the same transaction.
    """
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_can_run_case(by, locked.case)
    ensure_current(
        locked,
        expected_version,
        message=("Someone changed this action since you opened it. Check it below first."),
    )
    if not locked.is_open:
        raise MeetingError("This action is already finished.", code="closed")
    if not locked.case.is_open:
        raise MeetingError("This case is closed: its plan no longer changes.", code="case_closed")
    if not reason.strip():
        raise MeetingError({"reason": "Say why the action is no longer needed."}, code="reason")
    now = timezone.now()
    locked.status = Action.Status.CANCELLED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    ActionUpdate.objects.create(
        action=locked, by=by, at=now, text=f"No longer needed: {reason.strip()}"
    )
    schedule_action_reminders(locked)
    record_event(
        locked.case,
        "plan.action_cancelled",
        by=by,
        summary="Action taken out of the plan",
        data={"action": locked.pk},
    )
    return locked


def can_update_action(user: User, action: Action) -> bool:
    """``cases.access.can_update_action`` for this action."""
    return access.can_update_action(user, action.case, owner_id=action.owner_professional_id)


@transaction.atomic
def update_action(
    action: Action,
    *,
    by: User,
    status: str | None = None,
    progress_note: str = "",
    expected_version: int | None = None,
) -> Action:
    """The owner (or the lead professional) records progress on an action.

    ``status`` moves it (done, in progress, …); ``progress_note`` is added to its
    updates. Reminders stop when it is done or cancelled. Raises
    ``PermissionDenied`` for anyone else and ``MeetingError`` for bad input, or,
    with ``expected_version``, for an update made since the editor loaded it.
    """
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    if not can_update_action(by, locked):
        raise PermissionDenied("Only the action's owner or the lead professional can update it.")
    ensure_current(
        locked,
        expected_version,
        message=(
            "Someone updated this action since you opened it. Check its latest status "
            "below, then send your update again."
        ),
    )
    if status is not None and status not in Action.Status.values:
        raise MeetingError({"status": "Choose a status from the list."}, code="status")
    if status is None and not progress_note.strip():
        raise MeetingError({"progress_note": "Write a progress note."}, code="note")
    now = timezone.now()
    fields = ["version", "updated_at"]
    previous = locked.status
    if status is not None and status != locked.status:
        locked.status = status
        locked.completed_at = now if status == Action.Status.DONE else None
        fields += ["status", "completed_at"]
    locked.version += 1
    locked.save(update_fields=fields)
    if progress_note.strip():
        ActionUpdate.objects.create(action=locked, by=by, at=now, text=progress_note.strip())
    schedule_action_reminders(locked)
    if locked.status != previous:
        record_event(
            locked.case,
            "plan.action_updated",
            by=by,
            summary=f"Action marked {locked.get_status_display().lower()}",
            data={"action": locked.pk, "from": previous, "to": locked.status},
        )
    action.refresh_from_db()
    return locked


REVIEW_STATUSES = (
    Action.Status.DONE,
    Action.Status.IN_PROGRESS,
    Action.Status.CARRIED_FORWARD,
    Action.Status.CANCELLED,
)


@transaction.atomic
def review_action(
    action: Action,
    *,
    by: User,
    meeting: Meeting,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> Action:
    """At a review meeting: done, in progress, carried forward or cancelled, with a note.

    With ``expected_version``, an action changed since the page showed it (reviewed by
    someone else, updated by its owner) is refused and nothing is written.
    """
    locked_meeting = lock_meeting(meeting)
    ensure_can_run_meeting(by, locked_meeting)
    if action.case_id != locked_meeting.case_id:
        raise MeetingError("That action is not in this plan.", code="case")
    if status not in REVIEW_STATUSES:
        raise MeetingError({"status": "Choose what happened to the action."}, code="status")
    locked = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    ensure_current(
        locked,
        expected_version,
        message=(
            "Someone changed this action since you opened the meeting. Check it below, "
            "then record what happened again."
        ),
    )
    if not locked.is_open:
        raise MeetingError("This action is already finished.", code="closed")
    previous = locked.status
    now = timezone.now()
    locked.status = status
    locked.completed_at = now if status == Action.Status.DONE else None
    locked.version += 1
    locked.save(update_fields=["status", "completed_at", "version", "updated_at"])
    text = f"Reviewed at the meeting: {locked.get_status_display().lower()}"
    if note.strip():
        text = f"{text}. {note.strip()}"
    ActionUpdate.objects.create(action=locked, by=by, at=now, text=text)
    schedule_action_reminders(locked)
    record_event(
        locked.case,
        "plan.action_reviewed",
        by=by,
        summary=f"Action reviewed: {locked.get_status_display().lower()}",
        data={"action": locked.pk, "from": previous, "to": status, "meeting": meeting.pk},
    )
    return locked


@transaction.atomic
def record_action_late_reason(
    action: Action, *, by: User, reason: str, seen: str | None = None
) -> Action:
    """Say why an overdue action is late (an empty reason clears it).

    ``seen`` is the reason the editor's page showed: when someone has saved another
    since, nothing is written (``StaleEdit``). None: no editor's page.
    """
    ensure_can_run_case(by, action.case)
    reason = clean_late_reason(reason)
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.status not in Action.OPEN_STATUSES or action.due_on >= timezone.localdate():
        raise LateReasonError("This action is not overdue.", code="not_overdue")
    if seen is not None and seen != action.late_reason:
        raise StaleEdit(current=action, refreshed={"seen": action.late_reason})
    action.late_reason = reason
    action.save(update_fields=["late_reason", "updated_at"])
    record_event(
        action.case,
        "action.late_reason_recorded",
        by=by,
        summary=f"Why an action is late: {reason}" if reason else "Action late reason cleared",
        data={"action": action.pk, "due_on": action.due_on.isoformat()},
    )
    return action


TITLE_ACTIONS_HANDED = "Actions in a plan have been handed to you"


def open_actions_owned_by(professional: User) -> QuerySet[Action]:
    """The open actions ``professional`` owns on open cases (a leaver's caseload)."""
    return Action.objects.filter(
        owner_professional=professional,
        status__in=Action.OPEN_STATUSES,
        case__closed_at__isnull=True,
    )


def has_open_work(professional: str = "pk") -> Q:
    """Whether the professional (``professional`` names their id, as an ``OuterRef`` of
    the query it filters) still has a part in an open case: they lead it, are on its
    team, own an open action in its plan or are waiting to join it. The dashboard lists
    such leavers until their work is handed on; retention keeps their account until then.
    """
    leads = LeadProfessionalAssignment.objects.active().filter(
        professional=OuterRef(professional), case__closed_at__isnull=True
    )
    places = TeamMembership.objects.active().filter(
        professional=OuterRef(professional), case__closed_at__isnull=True
    )
    actions = Action.objects.filter(
        owner_professional=OuterRef(professional),
        status__in=Action.OPEN_STATUSES,
        case__closed_at__isnull=True,
    )
    joins = JoinRequest.objects.filter(
        requester=OuterRef(professional),
        status=JoinRequest.Status.PENDING,
        case__closed_at__isnull=True,
    )
    return Q(Exists(leads)) | Q(Exists(places)) | Q(Exists(actions)) | Q(Exists(joins))


@transaction.atomic
def hand_over_actions(case: Case, *, from_professional: User, to: User, by: User) -> int:
    """Give ``to`` every open action ``from_professional`` owns in ``case``'s plan.

    For a worker who leaves (``cases.services.leavers``): the coordinator or a manager
    of their team does it, whether or not they run the case. ``to`` joins the team if
    they are not on it; the reminders follow the new owner in the same transaction, the
    change goes on each action's progress notes, and ``to`` is told once. Returns how
    many actions moved.
    """
    access.ensure_can_reassign_caseload(by, from_professional)
    check_successor(from_professional, to)
    actions = list(
        open_actions_owned_by(from_professional)
        .filter(case=case)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not actions:
        return 0
    add_professional_to_team(case, professional=to, by=by)
    now = timezone.now()
    for action in actions:
        action.owner_professional = to
        action.owner_agency = to.agency
        action.owner_family_member = None
        action.owner_name = ""
        action.version += 1
        action.save()
        schedule_action_reminders(action)
        ActionUpdate.objects.create(
            action=action,
            by=by,
            at=now,
            text=f"Handed to {to}: {from_professional} left the role",
        )
        record_event(
            case,
            "plan.action_changed",
            by=by,
            at=now,
            summary="Action handed to a new owner: the previous owner left the role",
            data={"action": action.pk, "owner": str(to)},
        )
    notify(to, title=TITLE_ACTIONS_HANDED, link=reverse("cases:detail", args=[case.pk]), case=case)
    return len(actions)
