"""The demo's fullest case: one family's TAC cycle from assessment to review.

lead@ completes the early help assessment with the family, holds the first TAC
meeting and publishes its minutes, agrees a plan with outcomes and actions owned by
school@, practitioner@, the family and lead@ themselves, gathers contributions,
reviews progress with the family's feedback, and records a disclosure decision and
a restricted address. Every step goes through the real services.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agencies.models import AgencyKind
from assessments.models import Assessment
from assessments.services import lifecycle as assessment_lifecycle
from assessments.services.consent import record_consent
from assessments.services.content import save_section, save_view
from assessments.services.lifecycle import begin_assessment, share_with_family
from assessments.services.starting import start_assessment
from audit import services as audit
from cases.models import (
    Case,
    ConsentRecord,
    DisclosureDecision,
    InformationLevel,
    RestrictionTarget,
)
from cases.services.consent import record_disclosure_decision
from demo.authority import LEAD_EMAIL, PRACTITIONER_EMAIL, SCHOOL_EMAIL
from demo.cycle import Cycle, CycleFamily, FreshBases
from demo.plans import S
from meetings.models import Action as MeetingAction
from meetings.models import Meeting, Review
from meetings.services.contributions import add_contribution
from meetings.services.meeting_mode import finish_meeting, publish_minutes, save_meeting_text
from meetings.services.plan import Owner, add_action, add_outcome, update_action
from meetings.services.reviews import record_family_feedback, record_review_without_meeting
from meetings.services.scheduling import schedule_meeting

#: Answers that let an assessment be completed (the required fields of the default template).
ASSESSMENT_ANSWERS: dict[str, dict[str, str]] = {
    "story": {
        "narrative": "Mum says mornings are a battle: the children are tired, breakfast is "
        "skipped and they are often late. Since dad left she works nights and is exhausted."
    },
    "assessment_information": {
        "reason_for_assessment": "School attendance and mum's wellbeing",
        "existing_assessment_checked": "yes",
    },
    "conclusions": {
        "analysis": "The children are loved and well cared for, but the family's routines "
        "have broken down since the separation; mum needs practical help and a break.",
        "agreed_actions": "Breakfast club, a morning routine chart, a GP appointment for mum "
        "and a place on the Family Links parenting group.",
    },
}
CHILD_VIEWS = "I like art and my friends. I don't like being late because everyone looks at me."
PARENT_VIEWS = "I want help in the mornings and someone to talk to. I'm not coping on my own."
FIRST_TAC_TEXT = {
    "family_views": "Mum said the meeting helped her feel less alone; she wants mornings to "
    "be calmer and to get back to her own doctor.",
    "child_views": "Shared by the school: 'I want to get to school on time and see my friends.'",
    "progress_summary": "Assessment agreed. Plan made with two outcomes and five actions; "
    "Lena Lead agreed as lead professional.",
}
OUTCOMES = (
    "The children get to school on time every day and are ready to learn.",
    "Mum feels less stressed and knows where to get support for herself.",
)
#: (owner: email or "family", description, due in days from today). -20 is done. Reminders
#: whose day has passed are never scheduled, so due dates of -1 (overdue fires today) and 5
#: (due soon fires today) give the dispatcher something to send on the day of seeding.
PLAN_ACTIONS: tuple[tuple[str, str, int], ...] = (
    (SCHOOL_EMAIL, "Offer both children a breakfast club place, free of charge, from Monday.", -20),
    (SCHOOL_EMAIL, "Meet mum each Friday for two weeks to review attendance figures.", 5),
    (SCHOOL_EMAIL, "Send mum the attendance certificate and the new term dates.", -1),
    (PRACTITIONER_EMAIL, "Home visit to check the children's health needs and mum's sleep.", -6),
    (PRACTITIONER_EMAIL, "Refer mum to the perinatal wellbeing group and confirm a start date.", 5),
    ("family", "Use the morning routine chart every school day and tick it off.", 14),
    (LEAD_EMAIL, "Book mum onto the Family Links parenting group this term.", 2),
    (LEAD_EMAIL, "Apply to the household support fund for school uniform.", -1),
)
ACTION_DONE_NOTE = "Both children started breakfast club on Monday and have been every day."
CONTRIBUTIONS: tuple[tuple[str, str], ...] = (
    (SCHOOL_EMAIL, "Attendance this half term: 91 % (up from 82 %). No late marks this week."),
    (PRACTITIONER_EMAIL, "Home visit done. The children are well; mum is sleeping "
     "better since her sister started helping on Tuesdays."),
    (LEAD_EMAIL, "Mum has a place on the Family Links group starting on the 14th."),
)  # fmt: skip
GP_CONTRIBUTION = "Mum seen at the surgery; a review of her medication is booked in four weeks."
#: The family's answers at the demo review to "is this working for you?".
FAMILY_FEEDBACK = [
    ("parent", "working", "We have one person to call now instead of five."),
    ("child", "partly", "The breakfast club is good but I still don't like the bus."),
]
REVIEW_CHILD_VIEWS = "Breakfast club is fun. I had toast and I wasn't late."
REVIEW_PARENT_VIEWS = "Mornings are much better. I still get tired but I have help now."


def complete_assessment(cycle: Cycle, case: Case, cf: CycleFamily) -> Assessment:
    parent = cf.members[0]
    assessment = start_assessment(case, child=cf.children[0], by=cycle.lead)
    fresh = FreshBases()
    consent_args: dict[str, Any] = {
        "given_by": parent,
        "given_by_child": False,
        "method": ConsentRecord.Method.WRITTEN,
        "capacity_basis": ConsentRecord.CapacityBasis.ADULT,
        "given_on": cycle.today,
        "information_level": InformationLevel.ADDITIONAL,
        "by": cycle.lead,
    }
    record_consent(assessment, stage="start", **consent_args)
    begin_assessment(assessment, by=cycle.lead)
    for key, values in ASSESSMENT_ANSWERS.items():
        save_section(assessment, key, values=values, bases=fresh, by=cycle.lead)
    save_view(
        assessment,
        family_member=None,
        values={"own_words": CHILD_VIEWS, "communication_method": "spoken"},
        bases=fresh,
        by=cycle.lead,
    )
    save_view(
        assessment,
        family_member=parent,
        values={"own_words": PARENT_VIEWS, "communication_method": "spoken"},
        bases=fresh,
        by=cycle.lead,
    )
    share_with_family(assessment, by=cycle.lead)
    record_consent(assessment, stage="completion", **consent_args)
    return assessment_lifecycle.complete_assessment(assessment, by=cycle.lead)


def full_plan(cycle: Cycle) -> None:
    """Completed assessment, first TAC held with minutes published, a plan, a review."""
    cf = cycle.next_family()
    case = cycle.open_to(cf, to=S.ASSESSING, days_ago=75)
    cycle.record_sharing(case, cf, by=cycle.lead, basic_only=True)
    # Completing the assessment moves the case to planning.
    complete_assessment(cycle, case, cf)
    members = cycle.members(case)
    meeting = schedule_meeting(
        case,
        by=cycle.lead,
        kind=Meeting.Kind.INITIAL,
        starts_at=cycle.at(45, 10),
        ends_at=cycle.at(45, 11),
        location="Northgate Family Hub, meeting room 2",
        chair=cycle.lead,
        members=list(case.memberships.active()),
    )
    for field_name, text in FIRST_TAC_TEXT.items():
        meeting = save_meeting_text(
            meeting,
            by=cycle.lead,
            field=field_name,
            text=text,
            version=meeting.text_version(field_name),
        )
    outcomes = [
        add_outcome(case, by=cycle.lead, meeting=meeting, statement=statement)
        for statement in OUTCOMES
    ]
    actions: list[MeetingAction] = []
    for owner_key, description, due_in in PLAN_ACTIONS:
        owner = Owner(membership=members[owner_key])
        actions.append(
            add_action(
                case,
                by=cycle.lead,
                meeting=meeting,
                description=description,
                owner=owner,
                due_on=cycle.today + timedelta(days=due_in),
                outcomes=[outcomes[len(actions) % len(outcomes)]],
            )
        )
    finish_meeting(meeting, by=cycle.lead)
    publish_minutes(meeting, by=cycle.lead)
    # school@ has done one of theirs; practitioner@ has started on another.
    done = next(a for a, spec in zip(actions, PLAN_ACTIONS, strict=True) if spec[2] == -20)
    update_action(
        done, by=cycle.school, status=MeetingAction.Status.DONE, progress_note=ACTION_DONE_NOTE
    )
    for email, body in CONTRIBUTIONS:
        author = members[email].professional
        if author is not None:
            add_contribution(case, by=author, body=body)
    gp = next(
        m.professional
        for m in members.values()
        if m.professional is not None
        and m.professional.agency is not None
        and m.professional.agency.kind == AgencyKind.GP
    )
    add_contribution(case, by=gp, body=GP_CONTRIBUTION)
    review = record_review_without_meeting(
        case,
        by=cycle.lead,
        child_views=REVIEW_CHILD_VIEWS,
        parent_views=REVIEW_PARENT_VIEWS,
        summary="Mornings are calmer; attendance is up to 91 %.",
        progress=Review.Progress.POSITIVE,
        next_review_on=cycle.today + timedelta(days=42),
    )
    for given_by, answer, words in FAMILY_FEEDBACK:
        record_family_feedback(
            review,
            by=cycle.lead,
            given_by=given_by,
            answer=answer,
            in_their_words=words,
            may_quote=True,
        )
    record_disclosure_decision(
        case,
        by=cycle.lead,
        decision=DisclosureDecision.Decision.SHARE,
        recipient="Demo Borough Council Housing Options (homelessness prevention team)",
        information="The family's address, the rent arrears and the plan's housing outcome.",
        purpose="To prevent the family losing their tenancy.",
        reason="Mum asked us to share this so that housing can help before the court date.",
        lawful_basis="Consent (UK GDPR article 6(1)(a))",
        with_consent=True,
        decided_at=cycle.at(20, 14),
    )
    audit.set_restriction(
        case,
        by=cycle.lead,
        target=RestrictionTarget.CHILD,
        target_id=cf.children[0].pk,
        field_name="address",
        reason="The family moved to a refuge address; the father must not learn it.",
        named_users=[cycle.lead],
    )
