"""lead@'s other cases at each stage, the requests waiting for triage, and the running order.

Together with ``plan_story.full_plan`` these are the hand-made cases the demo
sign-ins try first (ARCHITECTURE §9): an assessment in draft, a first TAC coming
up (with an unborn brother or sister recorded against the expectant mother), overdue
reviews (one with a reason, one with a safeguarding concern), a step-up
accepted by social care, a closure with needs met, and requests for support, four
waiting and one triaged by the coordinator. Reminders are those the services
schedule.
"""

from __future__ import annotations

from datetime import timedelta

from agencies.models import AgencyKind, User
from assessments.services.content import save_section
from assessments.services.starting import start_assessment
from cases.models import (
    Case,
    CaseClosure,
    Child,
    ClosureReason,
    FamilyMember,
    ReferralSource,
    TriageDecision,
)
from cases.services.closure import close_case
from cases.services.consent import raise_safeguarding_concern
from cases.services.requests import submit_request_for_support, triage_request
from cases.services.reviews import record_review_late_reason, set_next_review_due
from cases.services.step_up import record_step_up_decision, request_step_up
from cases.services.unborn import NewUnbornChild, add_unborn_child_to_case
from demo.authority import DEMO_DOMAIN
from demo.cycle import Cycle, CycleFamily, FreshBases, ensure_reference_data
from demo.directory import Directory
from demo.families import FamilySpec
from demo.plan_story import full_plan
from demo.plans import Planner, S
from meetings.models import Meeting
from meetings.services.scheduling import schedule_meeting

#: Requests for support left waiting for triage: (source code, summary of need).
WAITING_REQUESTS: tuple[tuple[str, str], ...] = (
    (
        "2A",
        "Attendance has fallen to 82 % this term and the children are often late; mum has "
        "asked the school for help with morning routines.",
    ),
    (
        "3B",
        "Mum is isolated since moving to the area and finds it hard to get the children to "
        "appointments. She would like support.",
    ),
    (
        "1A",
        "Grandmother called: she is worried about her grandson's behaviour at home since his "
        "parents separated and asks what help there is.",
    ),
    (
        "3A",
        "Parent reports low mood and money worries; the child has missed two hospital "
        "appointments.",
    ),
)
DRAFT_STORY = "First visit held: dad is caring for the children alone since mum went into "
DRAFT_STORY += "hospital. Still to talk to the children and the school."


def assessment_in_draft(cycle: Cycle) -> None:
    """lead@ has started the assessment: the family's story so far, not yet complete."""
    cf = cycle.next_family()
    case = cycle.open_to(cf, to=S.ASSESSING, days_ago=12)
    cycle.record_sharing(case, cf, by=cycle.lead, basic_only=False)
    assessment = start_assessment(case, child=cf.children[0], by=cycle.lead)
    save_section(
        assessment,
        "story",
        values={"narrative": DRAFT_STORY},
        bases=FreshBases(),
        by=cycle.lead,
    )


def first_tac_coming_up(cycle: Cycle) -> None:
    """The first TAC meeting is booked for next week, by video; the invitations are out.
    Mum is expecting: the baby is recorded against her and is one of the case's children."""
    cf = cycle.next_family()
    case = cycle.open_to(cf, to=S.PLANNING, days_ago=30)
    cycle.record_sharing(case, cf, by=cycle.lead, basic_only=False)
    expecting_a_baby(cycle, case, cf)
    schedule_meeting(
        case,
        by=cycle.lead,
        kind=Meeting.Kind.INITIAL,
        starts_at=cycle.meeting_time(6, 14),
        ends_at=cycle.meeting_time(6, 15),
        mode=Meeting.Mode.VIDEO,
        location="Video call (link in the invitation)",
        chair=cycle.lead,
        members=list(case.memberships.active()),
    )


def expecting_a_baby(cycle: Cycle, case: Case, cf: CycleFamily) -> Child:
    """An unborn brother or sister, due in about ten weeks, recorded against the
    expectant mother (the family's mother, or one named here) and added to the case."""
    mothers = [m for m in cf.members if m.relationship == FamilyMember.Relationship.MOTHER]
    surname = cf.children[0].family_name
    return add_unborn_child_to_case(
        case,
        NewUnbornChild(
            expected_date_of_delivery=cycle.today + timedelta(days=70),
            mother_given_names="" if mothers else "Jodie",
            mother_family_name="" if mothers else surname,
        ),
        mother=mothers[0] if mothers else None,
        by=cycle.lead,
    )


def overdue_review(cycle: Cycle, *, late_reason: str) -> None:
    """The review is overdue: with the reason given, or with a safeguarding concern raised."""
    cf = cycle.next_family()
    case = cycle.open_to(cf, to=S.ACTIVE, days_ago=120)
    cycle.record_sharing(case, cf, by=cycle.lead, basic_only=cycle.rng.random() < 0.5)
    days_late = 5 if late_reason else 16
    set_next_review_due(case, due=cycle.today - timedelta(days=days_late), by=cycle.lead)
    if late_reason:
        record_review_late_reason(case, by=cycle.lead, reason=late_reason)
    else:
        raise_safeguarding_concern(
            case,
            by=cycle.school,
            what_was_seen_or_heard="The child arrived with a bruise on the cheek and said "
            "they did not want to go home.",
        )


def stepped_up(cycle: Cycle) -> None:
    """Risk escalated: lead@ asked social care to step the case up, and they accepted."""
    cf = cycle.next_family()
    case = cycle.open_to(cf, to=S.ACTIVE, days_ago=90)
    request_step_up(
        case,
        by=cycle.lead,
        referred_at=cycle.at(6, 15),
        referred_by=cycle.lead,
        reason="Disclosure of domestic abuse at home; the risk has escalated despite the plan.",
        family_informed=True,
    )
    record_step_up_decision(
        case,
        by=cycle.lead,
        accepted=True,
        decided_at=cycle.at(3, 12),
        note="Allocated for a child and family assessment (section 17).",
        social_worker_name="Sasha Okafor",
        social_worker_agency="Demo Borough Council Children's Social Care",
        social_worker_email=f"sasha.okafor@csc.{DEMO_DOMAIN}",
    )


def closed_needs_met(cycle: Cycle) -> None:
    """The family's needs are met: lead@ closed the case with the family's views."""
    cf = cycle.next_family()
    case = cycle.open_to(cf, to=S.ACTIVE, days_ago=200)
    close_case(
        case,
        by=cycle.lead,
        reason=ClosureReason.NEEDS_MET,
        progress_summary="Routines are settled, attendance is above 95 % and mum is "
        "going to a parenting group.",
        outcomes_achieved=CaseClosure.OutcomesAchieved.ALL,
        outcomes_detail="Both outcomes achieved at the last review.",
        child_views="I like school now and I don't get told off for being late.",
        family_views="We feel we can manage now, and we know who to call.",
        continuing_support="The school's pastoral team keeps in touch each half term.",
    )


def requests_for_support(cycle: Cycle) -> None:
    """Four requests waiting for triage, and one the coordinator triaged."""
    requesters: list[User | None] = [
        cycle.school,
        cycle.hv,
        None,
        cycle.other(AgencyKind.GP),
    ]
    for (code, summary), by in zip(WAITING_REQUESTS, requesters, strict=True):
        cf = cycle.next_family()
        submit_request_for_support(
            by=by,
            source_code=code,
            summary_of_need=summary,
            subjects=cf.children,
            family=cf.family,
            family_aware=True,
            consent_obtained=by is not None,
            requester_name="" if by is not None else f"{cf.members[0]} (by phone)",
        )
    cf = cycle.next_family()
    requester = cycle.d.users[cycle.d.lead_pool[0].id]
    request = submit_request_for_support(
        by=requester,
        source_code=ReferralSource.LA_EARLY_HELP,
        summary_of_need="Young carer for a parent with MS; tired, missing homework and "
        "withdrawn at school.",
        subjects=cf.children,
        family=cf.family,
        family_aware=True,
        consent_obtained=True,
    )
    triage_request(
        request,
        by=cycle.coordinator,
        decision=TriageDecision.EARLY_HELP_ASSESSMENT,
        level=cycle.d.levels["EARLY_HELP"],
        rationale="Needs across school and home that one agency cannot meet: early help "
        "assessment with the family hub.",
    )


def run_cycle(directory: Directory, planner: Planner, families: list[FamilySpec]) -> None:
    """Tell every story, in this order (the order fixes the ids and what the RNG draws)."""
    ensure_reference_data()
    cycle = Cycle(directory, planner, families)
    cycle.save_families()
    full_plan(cycle)
    assessment_in_draft(cycle)
    first_tac_coming_up(cycle)
    overdue_review(cycle, late_reason="")
    overdue_review(cycle, late_reason="The family asked to move the review after half term.")
    stepped_up(cycle)
    closed_needs_met(cycle)
    requests_for_support(cycle)
