"""What the meetings, plan and contributions hold about one person, for a subject access
request.

The collector for ``settings.TAC_DISCLOSURE_SOURCES`` (interface: ``tac_portal.disclosure``):
for each of the person's cases, its meetings (with their decisions and the updates given
at them), reviews with the family's feedback, outcomes, actions with their updates,
the contribution stream and case discussions.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import models

from meetings.models import (
    Action,
    CaseDiscussion,
    Contribution,
    Meeting,
    Outcome,
    Review,
)
from tac_portal.disclosure import FoundRecord, Subject, as_text, record_fields

SOURCE = "meetings"


def _found(
    obj: models.Model, kind: str, title: str, at: object, fields: list[tuple[str, str]]
) -> FoundRecord:
    return FoundRecord(
        source=SOURCE,
        key=f"{obj._meta.label_lower}:{obj.pk}",
        kind=kind,
        title=title,
        at=at,  # type: ignore[arg-type]
        case_id=obj.case_id,  # type: ignore[attr-defined]
        fields=fields,
    )


def _meetings(case_ids: tuple[int, ...]) -> Iterator[FoundRecord]:
    meetings = (
        Meeting.objects.filter(case_id__in=case_ids)
        .select_related("created_by", "chair", "note_taker")
        .prefetch_related("decisions__dissents", "invitations")
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        fields = record_fields(meeting, skip=("case",))
        for invitation in meeting.invitations.all():
            fields.append(
                (f"Invited: {invitation.name}", invitation.get_attendance_display() or "")
            )
            if invitation.update_text:
                fields.append((f"Update from {invitation.name}", invitation.update_text))
        for decision in meeting.decisions.all():
            fields.append(("Decision", decision.text))
            if decision.rationale:
                fields.append(("Why", decision.rationale))
            for dissent in decision.dissents.all():
                fields.append((f"Disagreed: {dissent.by_name}", dissent.text))
        yield _found(
            meeting,
            "Meeting",
            f"{meeting.get_kind_display()} on {as_text(meeting.starts_at.date())}",
            meeting.starts_at,
            fields,
        )


def _plan(case_ids: tuple[int, ...]) -> Iterator[FoundRecord]:
    for review in (
        Review.objects.filter(case_id__in=case_ids)
        .select_related("recorded_by", "meeting")
        .prefetch_related("feedback")
        .order_by("reviewed_at", "pk")
    ):
        fields = record_fields(review, skip=("case", "meeting"))
        for feedback in review.feedback.all():
            fields += [
                (f"Feedback: {k.lower()}", v) for k, v in record_fields(feedback, skip=("review",))
            ]
        yield _found(
            review,
            "Review",
            f"Review on {as_text(review.reviewed_at.date())}",
            review.reviewed_at,
            fields,
        )
    for outcome in Outcome.objects.filter(case_id__in=case_ids).select_related(
        "meeting", "created_by"
    ):
        yield _found(
            outcome,
            "Outcome",
            "Outcome",
            outcome.created_at,
            record_fields(outcome, skip=("case",)),
        )
    actions = (
        Action.objects.filter(case_id__in=case_ids)
        .select_related(
            "owner_professional", "owner_family_member", "owner_agency", "created_by", "meeting"
        )
        .prefetch_related("updates__by")
        .order_by("created_at", "pk")
    )
    for action in actions:
        fields = record_fields(action, skip=("case",))
        fields += [(f"Update on {as_text(u.at)}", u.text) for u in action.updates.all()]
        found = _found(action, "Action", "Action", action.created_at, fields)
        if action.owner_name:
            found.third_parties.append(action.owner_name)
        yield found


def _stream(case_ids: tuple[int, ...]) -> Iterator[FoundRecord]:
    contributions = (
        Contribution.objects.filter(case_id__in=case_ids)
        .select_related("author", "meeting")
        .order_by("created_at", "pk")
    )
    for contribution in contributions:
        yield _found(
            contribution,
            "Contribution",
            f"Contribution by {contribution.author}",
            contribution.created_at,
            record_fields(contribution, skip=("case",)),
        )
    for discussion in CaseDiscussion.objects.filter(case_id__in=case_ids).select_related(
        "created_by"
    ):
        yield _found(
            discussion,
            "Case discussion",
            f"Case discussion on {as_text(discussion.held_on)}",
            discussion.created_at,
            record_fields(discussion, skip=("case",)),
        )


def collect(subject: Subject) -> Iterator[FoundRecord]:
    """The meetings, plan and contributions of the subject's cases."""
    yield from _meetings(subject.case_ids)
    yield from _plan(subject.case_ids)
    yield from _stream(subject.case_ids)
