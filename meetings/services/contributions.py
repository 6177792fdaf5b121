"""The contribution stream and reflective case discussions (DOMAIN §9.2 D1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cases import access
from cases.access import can_see_case
from cases.models import Case
from cases.services.common import record_event
from meetings.models import (
    CaseDiscussion,
    Contribution,
    Meeting,
)
from meetings.services.common import MeetingError, active_membership, lock_meeting

if TYPE_CHECKING:
    from agencies.models import User


@transaction.atomic
def add_contribution(
    case: Case, *, by: User, body: str, meeting: Meeting | None = None
) -> Contribution:
    """Add to the contribution stream. Any active TAC member can; it is attributed by role
    and agency as they are today."""
    access.ensure_can_contribute(by, case)
    membership = active_membership(by, case)
    if not body.strip():
        raise MeetingError({"body": "Write your contribution."}, code="body")
    if meeting is not None and meeting.case_id != case.pk:
        raise MeetingError("That meeting is not on this case.", code="meeting")
    if meeting is not None:
        meeting = lock_meeting(meeting)
    contribution = Contribution.objects.create(
        case=case,
        author=by,
        author_role=by.job_title or (membership.get_role_display() if membership else ""),
        author_agency=by.agency.name if by.agency else "",
        meeting=meeting,
        body=body.strip(),
        created_at=timezone.now(),
    )
    record_event(
        case,
        "contribution.added",
        by=by,
        summary=f"Contribution from {by.role_and_agency}",
        data={"contribution": contribution.pk},
    )
    return contribution


@transaction.atomic
def record_case_discussion(
    case: Case,
    *,
    by: User,
    held_on: dt.date,
    question: str,
    hypotheses: str = "",
    learning: str = "",
    next_steps: str = "",
    participants: Sequence[User] = (),
) -> CaseDiscussion:
    """A reflective case discussion, seen only by its participants (and whoever recorded it).

    Deliberately not in the chronology (DOMAIN §9.2 D1).
    """
    if not access.can_discuss(by, case):
        raise PermissionDenied("Only the team around the child can record a discussion.")
    if not question.strip():
        raise MeetingError({"question": "Write the question the discussion explored."}, code="q")
    if held_on > timezone.localdate():
        raise MeetingError({"held_on": "The discussion date must be today or earlier."}, code="d")
    people = {p.pk: p for p in participants}
    people[by.pk] = by
    for person in people.values():
        if not can_see_case(person, case):
            raise MeetingError(
                {"participants": f"{person} cannot see this case."}, code="participant"
            )
    discussion = CaseDiscussion.objects.create(
        case=case,
        held_on=held_on,
        question=question.strip(),
        hypotheses=hypotheses.strip(),
        learning=learning.strip(),
        next_steps=next_steps.strip(),
        created_by=by,
    )
    discussion.participants.set(people.values())
    return discussion
