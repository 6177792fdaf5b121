"""DOMAIN §7.1 metric definitions, checked on small hand-built data.

Each test writes rows with exact dates, refreshes the summaries as of ``TODAY``
and reads the figure the dashboard would show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from agencies.models import Agency, Team, User
from cases.models import (
    Case,
    CaseEvent,
    ClosureReason,
    LevelOfNeed,
    ReferralSource,
    RequestForSupport,
    TriageDecision,
)
from dashboards.metrics import Dashboard, Filters, Scope, dashboard_choices
from dashboards.models import MetricCell, MetricTotal
from dashboards.sections import build_dashboard
from dashboards.services import refresh_summaries
from meetings.models import FamilyFeedback
from tests.dashboards.conftest import TODAY, at

AUTHORITY = Scope(team_ids=None)
pytestmark = pytest.mark.django_db


def board(scope: Scope = AUTHORITY, **filters: Any) -> Dashboard:
    refresh_summaries(today=TODAY)
    return build_dashboard(scope, Filters(**filters), dashboard_choices(scope))


def figure(b: Dashboard, key: str, label: str) -> str:
    return next(f.value for f in b.figures[key] if f.label.startswith(label))


def rows(b: Dashboard, key: str) -> dict[str, list[Any]]:
    return {str(r[0]): r[1:] for r in b.tables[key].rows}


def test_m1_counts_open_episodes_by_level(
    build_case: Callable[..., Case], level_targeted: LevelOfNeed, level_universal: LevelOfNeed
) -> None:
    for status in (Case.Status.ASSESSING, Case.Status.ACTIVE, Case.Status.STEP_UP_REQUESTED):
        build_case(status=status, level=level_targeted)
    build_case(status=Case.Status.PLANNING, level=level_universal)
    build_case(status=Case.Status.REASSESSING)
    # Not episodes: before the assessment, closing, or closed.
    build_case(status=Case.Status.CONSENT_PENDING, level=level_targeted)
    build_case(status=Case.Status.IDENTIFIED)
    build_case(status=Case.Status.CLOSING, level=level_targeted)
    build_case(
        status=Case.Status.CLOSED,
        closed=dt.date(2026, 5, 1),
        reason=ClosureReason.NEEDS_MET,
        level=level_targeted,
    )

    b = board()

    assert figure(b, "m1", "Open episodes") == "5"
    by_level = rows(b, "m1_level")
    assert by_level["Targeted"] == [3]
    assert by_level["Early help"] == [1]
    assert by_level["Not yet judged"] == [1]
    assert b.tables["m1_level"].rows
    assert board(level_id=level_targeted.pk).figures["m1"][0].value == "3"


def test_m1_trend_counts_episodes_open_at_each_month_end(build_case: Callable[..., Case]) -> None:
    build_case(opened=dt.date(2026, 2, 10))  # open since February
    build_case(
        status=Case.Status.CLOSED,
        opened=dt.date(2026, 3, 3),
        closed=dt.date(2026, 4, 20),
        reason=ClosureReason.NEEDS_MET,
    )
    build_case(
        status=Case.Status.CLOSED_NFA,
        opened=dt.date(2026, 3, 3),
        closed=dt.date(2026, 3, 9),
        reason=ClosureReason.NFA_AFTER_TRIAGE,
    )

    trend = rows(board(), "m1_trend")

    assert trend["Jan 2026"] == [0]
    assert trend["Feb 2026"] == [1]
    assert trend["Mar 2026"] == [2]  # the NFA case was never an episode
    assert trend["Apr 2026"] == [1]
    assert trend["Jun 2026"] == [1]  # this month: the snapshot now


def test_m2_counts_requests_in_the_period_by_source_and_triage_decision(db: None) -> None:
    def request(day: dt.date, source: str, decision: str = "") -> None:
        RequestForSupport.objects.create(
            received_at=at(day),
            requester_name="A caller",
            source_code=source,
            summary_of_need="Needs support",
            triage_decision=decision,
            status="triaged" if decision else "received",
        )

    request(dt.date(2026, 6, 1), ReferralSource.SCHOOLS, TriageDecision.EARLY_HELP_ASSESSMENT)
    request(dt.date(2026, 5, 20), ReferralSource.SCHOOLS, TriageDecision.ADVICE_SIGNPOST)
    request(dt.date(2026, 4, 2), ReferralSource.HEALTH_VISITOR)
    request(dt.date(2026, 1, 2), ReferralSource.POLICE)  # before a 3-month period

    b = board(period=3)

    assert figure(b, "m2", "Requests received") == "3"
    by_source = rows(b, "m2_source")
    assert by_source["Schools (2A)"][0] == 2
    assert by_source["Health services: health visitor (3B)"][0] == 1
    assert "Police (6)" not in by_source
    by_decision = rows(b, "m2_decision")
    assert by_decision["Early help assessment"][0] == 1
    assert by_decision["Advice and signposting"][0] == 1
    assert by_decision["Waiting for triage"][0] == 1
    assert figure(board(period=12), "m2", "Requests received") == "4"


@override_settings(TAC_ASSESSMENT_TARGET_WORKING_DAYS=15)
def test_m3_median_working_days_from_request_to_assessment_and_share_within_target(
    build_case: Callable[..., Case], assess: Callable[..., Any]
) -> None:
    def timed(received: dt.date, completed: dt.date) -> None:
        case = build_case()
        RequestForSupport.objects.create(
            requester_name="A caller",
            received_at=at(received),
            source_code="2A",
            summary_of_need="x",
            case=case,
        )
        assess(case, started=received, completed=completed)

    timed(dt.date(2026, 5, 29), dt.date(2026, 6, 1))  # Friday to Monday: 1 working day
    # 18 May to 9 June 2026 is 15 working days: 25 May is the spring bank holiday.
    timed(dt.date(2026, 5, 18), dt.date(2026, 6, 9))
    timed(dt.date(2026, 5, 11), dt.date(2026, 6, 9))  # 20 working days
    untimed = build_case()
    assess(untimed, started=dt.date(2026, 6, 2), completed=dt.date(2026, 6, 3))

    b = board(period=1)

    assert figure(b, "m3", "Median working days") == "15"
    assert figure(b, "m3", "Within 15 working days") == "67%"
    assert figure(b, "m3", "Assessments completed") == "4"
    assert figure(b, "m3", "With no request recorded") == "1"


def test_m3_target_comes_from_settings(
    build_case: Callable[..., Case], assess: Callable[..., Any], settings: Any
) -> None:
    case = build_case()
    RequestForSupport.objects.create(
        requester_name="A caller",
        received_at=at(dt.date(2026, 5, 18)),
        source_code="2A",
        summary_of_need="x",
        case=case,
    )
    assess(case, started=dt.date(2026, 5, 18), completed=dt.date(2026, 6, 9))  # 15 days
    settings.TAC_ASSESSMENT_TARGET_WORKING_DAYS = 10

    assert figure(board(period=1), "m3", "Within 10 working days") == "0%"


def test_m4_working_days_from_assessment_to_first_held_meeting(
    build_case: Callable[..., Case],
    assess: Callable[..., Any],
    hold_meeting: Callable[..., Any],
) -> None:
    case = build_case()
    assess(case, started=dt.date(2026, 5, 1), completed=dt.date(2026, 6, 1))
    hold_meeting(case, dt.date(2026, 6, 3), status="cancelled")
    hold_meeting(case, dt.date(2026, 6, 8))  # 5 working days after 1 June
    hold_meeting(case, dt.date(2026, 6, 12))  # a later meeting does not count

    b = board(period=1)

    assert figure(b, "m4", "First TAC meetings held") == "1"
    assert figure(b, "m4", "Median working days") == "5"


def test_m5_overdue_reviews_with_and_without_a_reason(
    build_case: Callable[..., Case], review: Callable[..., Any]
) -> None:
    build_case(review_due=dt.date(2026, 6, 1))
    build_case(review_due=dt.date(2026, 5, 1), late_reason="Family asked to reschedule")
    reviewed = build_case(review_due=dt.date(2026, 6, 1))
    review(reviewed, dt.date(2026, 6, 2))  # held since it was due: not overdue
    build_case(review_due=dt.date(2026, 6, 15))  # due today: not yet overdue
    build_case(
        status=Case.Status.CLOSED,
        closed=dt.date(2026, 6, 10),
        reason=ClosureReason.NEEDS_MET,
        review_due=dt.date(2026, 5, 1),
    )

    b = board()

    assert figure(b, "m5", "Overdue reviews") == "2"
    assert figure(b, "m5", "With a reason given") == "1"
    assert figure(b, "m5", "No reason given") == "1"


def test_m5_trend_keeps_earlier_months_snapshots(build_case: Callable[..., Case]) -> None:
    build_case(review_due=dt.date(2026, 4, 1))
    refresh_summaries(today=dt.date(2026, 5, 20))
    build_case(review_due=dt.date(2026, 6, 1))

    trend = rows(board(), "m5_trend")

    assert trend["May 2026"] == [1, 0]
    assert trend["Jun 2026"] == [2, 0]
    assert trend["Apr 2026"] == [None, None]  # not recorded


def test_m6_overdue_actions_by_owner_agency(
    build_case: Callable[..., Case],
    action: Callable[..., Any],
    housing_agency: Agency,
    family_member: Any,
) -> None:
    case = build_case()
    action(case, due=dt.date(2026, 6, 1))
    action(case, due=dt.date(2026, 6, 2), late_reason="Waiting for a course place")
    action(case, due=dt.date(2026, 6, 3), owner_name="Housing officer", owner_agency=housing_agency)
    action(case, due=dt.date(2026, 6, 4), owner_family_member=family_member)
    action(case, due=dt.date(2026, 6, 1), status="done")
    action(case, due=dt.date(2026, 6, 30))  # not due yet

    b = board()

    by_agency = rows(b, "m6")
    assert by_agency["Northgate Family Hub"] == [2, 1, 1]
    assert by_agency["Demo Homes"] == [1, 0, 1]
    assert by_agency["The family or their network"] == [1, 0, 1]
    assert figure(b, "m6", "Overdue actions") == "4"


def test_m7_is_a_distribution_of_caseloads_not_a_ranking(
    build_case: Callable[..., Case], lead: User, other_lead: User, make_child: Callable[..., Any]
) -> None:
    for _ in range(3):
        build_case(lead_by=lead)
    family_children = [make_child()]
    family_children.append(make_child(family=family_children[0].family))
    build_case(lead_by=other_lead, children=family_children)

    b = board()

    assert rows(b, "m7")["1 to 5"] == [2]
    assert figure(b, "m7", "Lead professionals") == "2"
    assert figure(b, "m7", "Median open episodes") == "2"
    assert rows(b, "m7c")["1 to 5"] == [2]
    page = " ".join(str(c) for t in b.tables.values() for r in t.rows for c in r)
    assert lead.full_name not in page
    assert other_lead.full_name not in page


def test_m8_partner_led_against_local_authority_led(
    build_case: Callable[..., Case], lead: User, school_lead: User
) -> None:
    build_case(lead_by=lead)
    build_case(lead_by=school_lead)
    build_case(lead_by=school_lead)
    build_case(lead_by=None)

    b = board()

    assert rows(b, "m8")["A partner agency"] == [2, "50%"]
    assert rows(b, "m8")["The local authority"] == [1, "25%"]
    assert rows(b, "m8")["No lead professional yet"] == [1, "25%"]


def test_m9_to_m11_closures_needs_met_and_step_up(
    build_case: Callable[..., Case], lead: User
) -> None:
    def closed(reason: str, day: dt.date = dt.date(2026, 6, 1)) -> Case:
        return build_case(status=Case.Status.CLOSED, closed=day, reason=reason)

    closed(ClosureReason.NEEDS_MET)
    closed(ClosureReason.NEEDS_MET)
    closed(ClosureReason.MOVED_OUT_OF_AREA)
    closed(ClosureReason.STEPPED_UP)
    closed(ClosureReason.NEEDS_MET, dt.date(2025, 6, 1))  # outside the period
    stepped_down = build_case()
    CaseEvent.objects.create(
        case=stepped_down, code="case.stepped_down_in", at=at(dt.date(2026, 6, 2)), actor=lead
    )

    b = board(period=3)

    assert rows(b, "m9")["Outcomes achieved / needs met"] == [2, "50%"]
    assert figure(b, "m9", "Closures") == "4"
    # Needs met out of closures other than moves out of area: 2 of 3.
    assert figure(b, "m10", "Closed with needs met") == "67%"
    assert figure(b, "m11", "Step-up rate") == "25%"
    assert figure(b, "m11", "Step-downs in") == "1"
    assert rows(b, "m9_trend")["Jun 2026"] == [4, 2, 1, 1]
    assert rows(b, "m9_trend")["Jul 2025"] == [0, 0, 0, 0]


def test_m12_re_referral_within_12_months_of_a_previous_case_closing(
    build_case: Callable[..., Case], make_child: Callable[..., Any]
) -> None:
    again = make_child()
    build_case(
        status=Case.Status.CLOSED,
        opened=dt.date(2025, 9, 1),
        closed=dt.date(2025, 12, 1),
        reason=ClosureReason.NEEDS_MET,
        children=[again],
    )
    build_case(opened=dt.date(2026, 6, 1), children=[again])  # 6 months later
    long_ago = make_child()
    build_case(
        status=Case.Status.CLOSED,
        opened=dt.date(2024, 9, 1),
        closed=dt.date(2025, 3, 1),
        reason=ClosureReason.NEEDS_MET,
        children=[long_ago],
    )
    build_case(opened=dt.date(2026, 6, 2), children=[long_ago])  # 15 months later
    build_case(opened=dt.date(2026, 6, 3))  # a first case

    b = board(period=1)

    assert rows(b, "m10_m12")[
        "Cases opened within 12 months of a child's earlier case closing"
    ] == [1, 3, "33%"]


def test_m15_family_voice_coverage_of_reviews(
    build_case: Callable[..., Case], review: Callable[..., Any]
) -> None:
    case = build_case()
    review(case, dt.date(2026, 6, 1), child_views="I like my new school", parent_views="Better")
    review(case, dt.date(2026, 6, 2), parent_views="Calmer at home")
    review(case, dt.date(2026, 6, 3), child_views="   ")  # blank is not a view
    review(case, dt.date(2026, 6, 4))

    b = board(period=1)

    assert rows(b, "m15") == {
        "With the child's views": [1, 4, "25%"],
        "With the parents' or carers' views": [2, 4, "50%"],
        "With family feedback returned": [0, 4, "0%"],
    }


def test_m15_family_feedback_returned_counts_reviews_and_answers(
    build_case: Callable[..., Case], review: Callable[..., Any], lead: User
) -> None:
    case = build_case()
    first = review(case, dt.date(2026, 6, 1))
    second = review(case, dt.date(2026, 6, 8))
    review(case, dt.date(2026, 6, 15))  # nobody asked
    earlier = review(case, dt.date(2026, 4, 1))  # outside the period
    for rv, given_by, answer in [
        (first, "child", "working"),
        (first, "parent", "partly"),  # two answers, still one review with feedback
        (second, "family", "not_working"),
        (earlier, "parent", "working"),
    ]:
        FamilyFeedback.objects.create(
            review=rv, given_by=given_by, answer=answer, recorded_by=lead, recorded_at=at(TODAY)
        )

    b = board(period=1)

    assert rows(b, "m15")["With family feedback returned"] == [2, 3, "67%"]
    assert figure(b, "m15", "Reviews with family feedback") == "67%"
    assert rows(b, "m15_answers") == {
        "Yes, it is working for us": [1, "33%"],
        "Partly": [1, "33%"],
        "No, it is not working for us": [1, "33%"],
    }
    assert rows(board(period=3), "m15")["With family feedback returned"] == [3, 4, "75%"]


def test_m16_equality_breakdowns(build_case: Callable[..., Case]) -> None:
    build_case(
        sex="female",
        ethnicity="BAFR",
        date_of_birth=dt.date(2018, 1, 1),
        sen_status="ehc_plan",
        disability_status="declined",
    )
    build_case(
        sex="male",
        ethnicity="WBRI",
        date_of_birth=dt.date(2010, 1, 1),
        is_young_carer=True,
        sen_status="sen_support",
        disability_status="yes",
        # The old yes or no columns are not what the breakdown reads.
        has_sen=False,
        has_disability=False,
    )
    build_case(
        status=Case.Status.CLOSED,
        closed=dt.date(2026, 6, 1),
        reason=ClosureReason.NEEDS_MET,
        sex="female",
        date_of_birth=dt.date(2018, 3, 1),
    )

    b = board(period=1)

    sex = rows(b, "e_sex")
    assert sex["Female"] == [1, 0, 1, "100%", "0%"]
    assert sex["Male"] == [1, 0, 0, "\u2013", "\u2013"]
    assert rows(b, "e_ethnicity")["African"][0] == 1
    assert rows(b, "e_age")["5-9 years"][0] == 1
    assert rows(b, "e_age")["16-17 years"][0] == 1
    sen = rows(b, "e_sen")
    assert sen["Education, health and care (EHC) plan"][0] == 1
    assert sen["SEN support"][0] == 1
    assert sen["Not obtained"][0] == 0
    disability = rows(b, "e_disability")
    assert disability["Yes"][0] == 1
    assert disability["Declined to say"][0] == 1
    assert "No" not in disability
    assert rows(b, "e_carer")["Yes"][0] == 1


def test_totals_match_the_sum_of_the_slices(
    build_case: Callable[..., Case],
    lead: User,
    other_lead: User,
    level_targeted: LevelOfNeed,
    action: Callable[..., Any],
    review: Callable[..., Any],
) -> None:
    first = build_case(lead_by=lead, level=level_targeted, review_due=dt.date(2026, 6, 1))
    second = build_case(lead_by=other_lead, review_due=dt.date(2026, 5, 1), late_reason="Ill")
    build_case(status=Case.Status.CLOSED, closed=dt.date(2026, 6, 1), reason="NEEDS_MET")
    action(first, due=dt.date(2026, 6, 10))
    action(second, due=dt.date(2026, 6, 1), late_reason="Waiting list")
    review(second, dt.date(2026, 4, 20), child_views="In my words")

    unfiltered = board()
    # A filter that matches everything reads the slices instead of the totals.
    every_team = Scope(team_ids=tuple(Team.objects.values_list("pk", flat=True)))
    sliced = build_dashboard(every_team, Filters(), dashboard_choices(every_team))

    for key in ("m1_level", "m1_trend", "m9", "m9_trend", "e_sex", "e_age"):
        assert unfiltered.tables[key].rows == sliced.tables[key].rows, key
    assert figure(unfiltered, "m5", "Overdue reviews") == "2"
    assert figure(unfiltered, "m6", "Overdue actions") == "2"
    assert rows(unfiltered, "m15")["With the child's views"] == [1, 1, "100%"]
    # Every table and figure: the totals table holds the same counts as the slices.
    assert unfiltered.tables == sliced.tables
    assert unfiltered.figures == sliced.figures


def test_filters_and_team_scope_narrow_every_figure(
    build_case: Callable[..., Case],
    lead: User,
    other_lead: User,
    early_help_team: Team,
    second_team: Team,
) -> None:
    build_case(lead_by=lead)
    build_case(lead_by=lead)
    build_case(lead_by=other_lead)

    assert figure(board(), "m1", "Open episodes") == "3"
    assert figure(board(team_id=second_team.pk), "m1", "Open episodes") == "1"
    manager_view = board(Scope(team_ids=(early_help_team.pk,)))
    assert figure(manager_view, "m1", "Open episodes") == "2"


def test_refresh_replaces_the_cells_and_records_the_run(build_case: Callable[..., Case]) -> None:
    build_case()
    first = refresh_summaries(today=TODAY)
    second = refresh_summaries(today=TODAY)

    june = {"metric": "M1", "month": dt.date(2026, 6, 1)}
    assert MetricCell.objects.filter(**june).count() == 1  # one slice
    assert MetricTotal.objects.get(**june).value == 1  # and the authority total
    assert second.cell_count == first.cell_count > 0
    assert second.finished_at is not None
    assert second.as_of == TODAY


def test_the_periodic_task_refreshes_the_summaries(
    build_case: Callable[..., Case], settings: Any
) -> None:
    from dashboards.models import SummaryRefresh
    from dashboards.tasks import refresh_summaries as refresh_task

    build_case()
    written = refresh_task.apply().get()

    assert written == SummaryRefresh.objects.get().cell_count > 0
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-dashboard-summaries"]
    assert entry["task"] == "dashboards.tasks.refresh_summaries"
