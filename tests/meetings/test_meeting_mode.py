from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseEvent, LeadProfessionalAssignment, TeamMembership
from meetings.models import Action, Meeting, Review
from meetings.services.common import MeetingError, VersionConflict
from meetings.services.meeting_mode import (
    add_decision,
    add_dissent,
    agree_lead_professional,
    finish_meeting,
    publish_minutes,
    save_invitation_update,
    save_meeting_text,
)
from meetings.services.plan import Owner, add_action, change_action, review_action, update_action
from meetings.services.scheduling import record_response
from notifications.models import SUBJECT_ACTION_DUE, EmailOutbox, Reminder
from tests.meetings.emails import meeting_emails

pytestmark = pytest.mark.django_db


def test_autosave_refuses_a_silent_overwrite(
    case: Case, lead: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    save_meeting_text(meeting, by=lead, field="family_views", text="We", version=0)
    save_meeting_text(meeting, by=lead, field="family_views", text="We feel heard", version=1)

    with pytest.raises(VersionConflict) as conflict:
        # A second laptop that loaded version 1 and typed something else.
        save_meeting_text(meeting, by=lead, field="family_views", text="Other words", version=1)

    assert conflict.value.current == "We feel heard"
    assert conflict.value.version == 2
    meeting.refresh_from_db()
    assert meeting.family_views == "We feel heard"
    # A different field has its own version: no false conflict.
    save_meeting_text(meeting, by=lead, field="child_views", text="Fine", version=0)
    # Saving their own text again (a retried request) is not a conflict.
    save_meeting_text(meeting, by=lead, field="family_views", text="We feel heard", version=1)


def test_invitation_updates_are_versioned(
    case: Case, lead: User, parent: TeamMembership, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    invitation = meeting.invitations.get(family_member=parent.family_member)
    saved = save_invitation_update(invitation, by=lead, text="Better", version=1)
    assert saved.version == 2
    with pytest.raises(VersionConflict):
        save_invitation_update(invitation, by=lead, text="Worse", version=1)


def test_a_reply_recorded_meanwhile_is_no_conflict_for_the_update(
    case: Case, lead: User, member: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    invitation = meeting.invitations.get(professional=member)
    loaded = invitation.version
    # Sam's system sends "attending" while the chair types Sam's update.
    record_response(invitation, by=member, response="attending", expected_version=loaded)
    saved = save_invitation_update(invitation, by=lead, text="Settled at school", version=loaded)
    assert saved.update_text == "Settled at school"
    # A change to the text itself since is still refused.
    with pytest.raises(VersionConflict):
        save_invitation_update(invitation, by=lead, text="Other words", version=loaded)


def test_only_the_people_running_it_type_into_the_meeting(
    case: Case, member: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    with pytest.raises(PermissionDenied):
        save_meeting_text(meeting, by=member, field="family_views", text="x", version=0)
    chaired = schedule(chair=member)
    save_meeting_text(chaired, by=member, field="family_views", text="x", version=0)


def test_decisions_carry_dissent(
    case: Case, lead: User, member: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    decision = add_decision(meeting, by=lead, text="Refer to the parenting course")
    school = meeting.invitations.get(professional=member)
    dissent = add_dissent(
        decision, by=lead, invitation=school, text="The timing clashes with exams"
    )
    assert dissent.by_name == "Sam School"
    assert dissent.by_role == member.role_and_agency


def test_the_first_tac_replaces_the_interim_lead(
    case: Case, lead: User, member: User, parent: TeamMembership, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    agree_lead_professional(
        meeting, by=lead, professional=member, family_preference="We'd like Sam, we trust her"
    )

    active = LeadProfessionalAssignment.objects.get(case=case, ended_at__isnull=True)
    assert active.professional == member
    assert active.basis == LeadProfessionalAssignment.Basis.AGREED_AT_TAC
    assert active.change_reason == LeadProfessionalAssignment.ChangeReason.AGREED_AT_FIRST_TAC
    assert active.family_preference == "We'd like Sam, we trust her"
    # The outgoing interim lead chaired nothing, but created the meeting; they stay on the TAC.
    assert case.memberships.active().filter(professional=lead).exists()


def test_agreeing_the_interim_lead_records_the_basis(
    case: Case, lead: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    agree_lead_professional(meeting, by=lead, professional=lead, family_preference="Lena")
    active = LeadProfessionalAssignment.objects.get(case=case, ended_at__isnull=True)
    assert active.basis == LeadProfessionalAssignment.Basis.AGREED_AT_TAC
    assert CaseEvent.objects.filter(case=case, code="lead.agreed").exists()


def test_actions_for_professionals_family_and_network(
    case: Case, lead: User, member: User, parent: TeamMembership, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    school = case.memberships.active().get(professional=member)
    due = timezone.localdate() + dt.timedelta(days=20)
    a1 = add_action(
        case,
        by=lead,
        meeting=meeting,
        description="Weekly check-in",
        owner=Owner(school),
        due_on=due,
    )
    a2 = add_action(
        case,
        by=lead,
        meeting=meeting,
        description="Bedtime routine",
        owner=Owner(parent),
        due_on=due,
    )
    a3 = add_action(
        case,
        by=lead,
        meeting=meeting,
        description="School run on Tuesdays",
        owner=Owner(network_name="Gran"),
        due_on=due,
    )
    assert a1.owner_professional == member
    assert a1.owner_agency == member.agency
    assert a2.owner_family_member == parent.family_member
    assert a2.owner_agency is None
    assert a3.owner_name == "Gran"
    # Reminders only for the professional owner, and the lead's overdue copy.
    reminders = Reminder.objects.pending().filter(subject_type=SUBJECT_ACTION_DUE)
    assert {
        (r.subject_id, r.recipient_id, r.rule.code) for r in reminders if r.subject_id == a1.pk
    } == {
        (a1.pk, member.pk, "action.due_soon"),
        (a1.pk, member.pk, "action.due"),
        (a1.pk, member.pk, "action.overdue"),
        (a1.pk, lead.pk, "action.overdue_lead"),
    }
    assert {r.rule.code for r in reminders if r.subject_id == a2.pk} == {"action.overdue_lead"}


def test_an_action_needs_an_owner_and_sane_dates(
    case: Case, lead: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule()
    with pytest.raises(MeetingError) as error:
        add_action(
            case,
            by=lead,
            meeting=meeting,
            description="",
            owner=Owner(),
            start_on=timezone.localdate(),
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"description", "owner", "due_on"}
    assert not Action.objects.exists()


def test_update_action_by_owner_moves_reminders(case: Case, lead: User, member: User) -> None:
    school = case.memberships.active().get(professional=member)
    action = add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )

    update_action(action, by=member, progress_note="Met with the family")
    updated = update_action(action, by=member, status=Action.Status.DONE)

    assert updated.status == Action.Status.DONE
    assert updated.completed_at is not None
    assert action.updates.get().text == "Met with the family"
    assert not Reminder.objects.pending().filter(subject_id=action.pk).exists()
    assert CaseEvent.objects.filter(case=case, code="plan.action_updated").exists()


def test_update_action_is_for_the_owner_or_the_lead(
    case: Case, lead: User, member: User, manager: User
) -> None:
    lead_membership = case.memberships.active().get(professional=lead)
    action = add_action(
        case,
        by=lead,
        description="Housing referral",
        owner=Owner(lead_membership),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    for someone in (member, manager):
        with pytest.raises(PermissionDenied):
            update_action(action, by=someone, status=Action.Status.DONE)
    with pytest.raises(MeetingError):
        update_action(action, by=lead)
    with pytest.raises(MeetingError):
        update_action(action, by=lead, status="bogus")


def test_reviewing_last_plans_actions(
    case: Case, lead: User, member: User, schedule: Callable[..., Meeting]
) -> None:
    school = case.memberships.active().get(professional=member)
    action = add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    meeting = schedule(kind=Meeting.Kind.REVIEW)
    review_action(
        action, by=lead, meeting=meeting, status=Action.Status.CARRIED_FORWARD, note="Half done"
    )
    action.refresh_from_db()
    assert action.status == Action.Status.CARRIED_FORWARD
    assert "Half done" in action.updates.get().text
    assert Reminder.objects.pending().filter(subject_id=action.pk).exists()
    review_action(action, by=lead, meeting=meeting, status=Action.Status.CANCELLED)
    assert not Reminder.objects.pending().filter(subject_id=action.pk).exists()


def test_finishing_and_publishing_freezes_the_record(
    case: Case, lead: User, member: User, parent: TeamMembership, schedule: Callable[..., Meeting]
) -> None:
    Case.objects.filter(pk=case.pk).update(status=Case.Status.PLANNING)
    case.refresh_from_db()
    meeting = schedule(days=0)
    save_meeting_text(meeting, by=lead, field="family_views", text="Hopeful", version=0)
    finish_meeting(meeting, by=lead)
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    EmailOutbox.objects.all().delete()

    publish_minutes(meeting, by=lead)

    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    minutes = list(meeting_emails(meeting))
    assert {e.to_address for e in minutes} == {lead.email, member.email}  # never the family
    assert all(e.calendar == "" for e in minutes)
    assert all(f"/meetings/{meeting.pk}/" in e.body_text for e in minutes)
    with pytest.raises(MeetingError):
        save_meeting_text(meeting, by=lead, field="family_views", text="x", version=1)
    with pytest.raises(MeetingError):
        add_decision(meeting, by=lead, text="Too late")


def test_a_review_meeting_records_a_review_with_the_family_views(
    case: Case, lead: User, schedule: Callable[..., Meeting]
) -> None:
    meeting = schedule(days=0, kind=Meeting.Kind.REVIEW)
    save_meeting_text(meeting, by=lead, field="family_views", text="Calmer", version=0)
    save_meeting_text(meeting, by=lead, field="child_views", text="Happy", version=0)
    finish_meeting(meeting, by=lead)
    review = Review.objects.get(meeting=meeting)
    assert review.parent_views == "Calmer"
    assert review.child_views == "Happy"


def test_changing_an_actions_due_date_or_owner_moves_its_reminders(
    case: Case, lead: User, member: User
) -> None:
    school = case.memberships.active().get(professional=member)
    lead_membership = case.memberships.active().get(professional=lead)
    action = add_action(
        case,
        by=lead,
        description="Attendance plan",
        owner=Owner(school),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    later = timezone.localdate() + dt.timedelta(days=30)

    change_action(action, by=lead, due_on=later, owner=Owner(lead_membership))

    pending = Reminder.objects.pending().filter(
        subject_type=SUBJECT_ACTION_DUE, subject_id=action.pk
    )
    assert {r.due_on for r in pending} == {later}
    assert {r.recipient_id for r in pending} == {lead.pk}
    action.refresh_from_db()
    assert action.owner_professional == lead
    with pytest.raises(PermissionDenied):
        change_action(action, by=member, due_on=later + dt.timedelta(days=1))
