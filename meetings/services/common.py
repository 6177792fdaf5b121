"""What the meetings services share: their errors, who runs a meeting, and the row lock."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError

from cases import access
from cases.models import Case, TeamMembership
from meetings.models import (
    Meeting,
)

if TYPE_CHECKING:
    from agencies.models import User


logger = logging.getLogger(__name__)


class MeetingError(ValidationError):
    """A meeting or plan rule was broken; the message says which, and nothing was written."""


class VersionConflict(MeetingError):
    """Someone saved this since the editor loaded it; their text is in ``current``."""

    def __init__(self, current: str, version: int) -> None:
        self.current = current
        self.version = version
        super().__init__(
            "Someone else changed this while you were typing. Your text has not been saved: "
            "compare it with theirs below, then save again.",
            code="version_conflict",
        )


def active_membership(user: User, case: Case) -> TeamMembership | None:
    return (
        case.memberships.active()
        .filter(professional=user)
        .select_related("professional__agency")
        .first()
    )


def can_run_meeting(user: User, meeting: Meeting) -> bool:
    """``cases.access.can_run_meeting`` for this meeting."""
    return access.can_run_meeting(
        user, meeting.case, chair_id=meeting.chair_id, note_taker_id=meeting.note_taker_id
    )


def ensure_can_run_meeting(user: User, meeting: Meeting) -> None:
    if not can_run_meeting(user, meeting):
        raise PermissionDenied("Only the lead professional, the chair or the note-taker can.")


def ensure_not_frozen(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError("This meeting was cancelled.", code="cancelled")
    if meeting.minutes_published_at is not None:
        raise MeetingError(
            "The minutes are published, so the meeting record can no longer change.",
            code="frozen",
        )


def lock_meeting(meeting: Meeting) -> Meeting:
    locked = Meeting.objects.select_for_update().select_related("case").get(pk=meeting.pk)
    ensure_not_frozen(locked)
    return locked


#: Room for a few sentences in the family's words, not a document.
FEEDBACK_WORDS_MAX = 2000


#: The same for a note on an outcome's review.
NOTE_MAX = 2000
