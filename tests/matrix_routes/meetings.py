"""Permission-matrix routes served by the meetings area (see tests/matrix.py for the helpers).

Who may do what: anyone who can see the case reads its meetings and the family's
copy; the lead professional, a manager who can see the case and the coordinator
run meetings and record reviews (a TAC member who may not gets 403); active TAC
members contribute; an action is updated by its owner or the lead; a reflective
discussion exists only for its participants.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from agencies.models import User
from cases.models import Case
from meetings.models import Action, CaseDiscussion, Decision, Invitation, Meeting, Review
from meetings.services.contributions import record_case_discussion
from meetings.services.meeting_mode import add_decision
from meetings.services.plan import Owner, add_action, add_outcome
from meetings.services.reviews import record_family_feedback, record_review_without_meeting
from meetings.services.scheduling import schedule_meeting
from tests.matrix import PERSONAS, SIGN_IN, Objects, Route, case_page, only
from tests.personas import MEMBER_EMAIL

Expect = dict[str, int | frozenset[int]]


def _expect(ok: int, *, allowed: set[str], refused: set[str]) -> Expect:
    expect: Expect = {"anonymous": SIGN_IN}
    for persona in PERSONAS[:-1]:
        expect[persona] = ok if persona in allowed else 403 if persona in refused else 404
    return expect


def runners(ok: int) -> Expect:
    return _expect(
        ok, allowed={"lead", "manager", "coordinator"}, refused={"member", "member_manager"}
    )


def members(ok: int) -> Expect:
    return _expect(
        ok, allowed={"lead", "member"}, refused={"manager", "member_manager", "coordinator"}
    )


def _lead(case: Case) -> User:
    assignment = case.lead_assignment
    assert assignment is not None
    return assignment.professional


def _member(case: Case) -> User:
    return User.objects.get(email=MEMBER_EMAIL, tac_memberships__case=case)


def _meeting(o: Objects) -> Meeting:
    return schedule_meeting(
        o.case,
        by=_lead(o.case),
        kind=Meeting.Kind.INITIAL,
        starts_at=timezone.now() + dt.timedelta(days=3),
        members=list(o.case.memberships.active()),
    )


def _invitation(o: Objects) -> tuple[int, int]:
    meeting = _meeting(o)
    invitation = Invitation.objects.get(meeting=meeting, professional=_member(o.case))
    return meeting.pk, invitation.pk


def _action(o: Objects) -> Action:
    membership = o.case.memberships.active().get(professional=_member(o.case))
    return add_action(
        o.case,
        by=_lead(o.case),
        description="Weekly check-in",
        owner=Owner(membership),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )


def _review_action(o: Objects) -> list[int]:
    action = _action(o)
    return [_meeting(o).pk, action.pk]


def _decision(o: Objects) -> list[int]:
    meeting = _meeting(o)
    decision: Decision = add_decision(meeting, by=_lead(o.case), text="Refer on")
    return [meeting.pk, decision.pk]


def _review_args(o: Objects) -> list[int]:
    review = record_review_without_meeting(
        o.case, by=_lead(o.case), child_views="Fine", parent_views="Better"
    )
    return [o.case.pk, review.pk]


def _feedback_args(o: Objects) -> list[int]:
    case_pk, review_pk = _review_args(o)
    review = Review.objects.get(pk=review_pk)
    feedback = record_family_feedback(
        review,
        by=_lead(o.case),
        given_by="parent",
        answer="working",
        in_their_words="Better",
        may_quote=True,
    )
    return [case_pk, review_pk, feedback.pk]


def _discussion(o: Objects) -> int:
    discussion: CaseDiscussion = record_case_discussion(
        o.case, by=_lead(o.case), held_on=timezone.localdate(), question="What helps?"
    )
    return discussion.pk


ROUTES: dict[str, Route] = {
    "meetings:schedule": Route("get", args=lambda o: [o.case.pk], expect=runners(200)),
    "meetings:review": Route("get", args=lambda o: [o.case.pk], expect=runners(200)),
    "meetings:feedback": Route("get", args=_review_args, expect=runners(200)),
    # Quoted words taken back: the page redirects for those who may, nothing for others.
    "meetings:stop_quoting_feedback": Route("post", args=_feedback_args, expect=runners(302)),
    "meetings:contribute": Route("get", args=lambda o: [o.case.pk], expect=members(200)),
    # The case page's long lists in full: whoever sees the case.
    "meetings:contributions": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "meetings:case_plan": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    "meetings:new_discussion": Route(
        "get",
        args=lambda o: [o.case.pk],
        expect=only(200, "lead", "member", "manager", "coordinator") | {"member_manager": 403},
    ),
    # Only its participants (here: the lead who recorded it) know it exists.
    "meetings:discussion": Route("get", args=lambda o: [_discussion(o)], expect=only(200, "lead")),
    # The action is Sam's (member): Sam and the lead update it.
    # The member owns the action; another member (the invited one) may not update it.
    "meetings:update_action": Route(
        "get", args=lambda o: [_action(o).pk], expect=members(200) | {"invited": 403}
    ),
    "meetings:review_outcome": Route(
        "get",
        args=lambda o: [add_outcome(o.case, by=_lead(o.case), statement="Calmer mornings").pk],
        expect=runners(200),
    ),
    "meetings:change_action": Route("get", args=lambda o: [_action(o).pk], expect=runners(200)),
    # A POST with no reason: the form comes back (200) for those who may cancel.
    "meetings:cancel_action": Route("post", args=lambda o: [_action(o).pk], expect=runners(200)),
    "meetings:detail": Route("get", args=lambda o: [_meeting(o).pk], expect=case_page()),
    "meetings:family_copy": Route("get", args=lambda o: [_meeting(o).pk], expect=case_page()),
    "meetings:reschedule": Route("get", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:invite": Route("get", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:cancel": Route("get", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:written_update": Route("get", args=lambda o: [_meeting(o).pk], expect=members(200)),
    # Sam replies for himself; those who run the meeting may record it for him. His
    # team's manager sees the case but may not answer for him.
    "meetings:respond": Route(
        "post",
        args=lambda o: list(_invitation(o)),
        data={"response": "attending"},
        # The member's own invitation: nobody else may answer it.
        expect=case_page(302) | {"member_manager": 403, "invited": 403},
    ),
    "meetings:run": Route("get", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:attendance": Route(
        "post",
        args=lambda o: list(_invitation(o)),
        data={"attendance": "attended"},
        expect=runners(302),
    ),
    "meetings:autosave": Route(
        "post",
        args=lambda o: [_meeting(o).pk, "family_views"],
        data={"text": "We feel listened to", "version": "0"},
        expect=runners(302),
    ),
    "meetings:autosave_update": Route(
        "post",
        args=lambda o: list(_invitation(o)),
        data={"text": "Attendance is better", "version": "1"},
        expect=runners(302),
    ),
    "meetings:review_action": Route(
        "post",
        args=_review_action,
        data={"status": "done", "version": "1"},  # a new action's version
        expect=runners(302),
    ),
    # An empty form comes back with its errors (200); nothing is written.
    "meetings:add_action": Route("post", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:add_outcome": Route(
        "post",
        args=lambda o: [_meeting(o).pk],
        data={"statement": "Mornings are calm"},
        expect=runners(302),
    ),
    "meetings:add_decision": Route(
        "post", args=lambda o: [_meeting(o).pk], data={"text": "Refer on"}, expect=runners(302)
    ),
    "meetings:add_dissent": Route("post", args=_decision, expect=runners(200)),
    "meetings:agree_lead": Route("post", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:next_review": Route("post", args=lambda o: [_meeting(o).pk], expect=runners(200)),
    "meetings:finish": Route("post", args=lambda o: [_meeting(o).pk], expect=runners(302)),
    "meetings:publish": Route("post", args=lambda o: [_meeting(o).pk], expect=runners(302)),
}
