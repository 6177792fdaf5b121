"""Who sees which dashboard, drill-downs (visibility and the access log), exports,
"why late" reasons, the My work panel, and fixed query counts at two data sizes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import Case, CaseEvent, ClosureReason, RecordAccess, Restriction
from cases.services.reviews import LateReasonError, record_review_late_reason
from dashboards import metrics
from dashboards.exports import ANNEX_A_COLUMNS, AnnexAWindow, neutralise
from dashboards.models import FilterDirectory
from dashboards.services import refresh_summaries
from meetings.models import FamilyFeedback
from meetings.services.plan import record_action_late_reason
from tests.helpers import client_for, date_fields

pytestmark = pytest.mark.django_db


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return str(response.content.decode())


def today() -> dt.date:
    return timezone.localdate()


# --- Who sees what -----------------------------------------------------------------------------


def test_the_coordinator_sees_the_whole_authority_with_filters(
    coordinator: User, build_case: Callable[..., Case], lead: User, other_lead: User
) -> None:
    build_case(lead_by=lead)
    build_case(lead_by=other_lead)
    refresh_summaries()

    page = body(client_for(coordinator).get(reverse("dashboards:dashboard")))

    assert "The whole authority" in page
    assert 'name="agency"' in page
    assert 'name="locality"' in page
    assert 'name="level"' in page
    assert "Southside family hub" in page  # every team is offered
    assert "Figures as of" in page


def test_a_manager_sees_only_their_teams(
    manager: User, build_case: Callable[..., Case], lead: User, other_lead: User
) -> None:
    build_case(lead_by=lead)
    build_case(lead_by=lead)
    build_case(lead_by=other_lead)
    refresh_summaries()

    response = client_for(manager).get(reverse("dashboards:dashboard"))

    page = body(response)
    assert "Your teams" in page
    assert "Southside family hub" not in page
    assert response.context["board"].figures["m1"][0].value == "2"


def test_the_feedback_sample_shows_only_words_families_agreed_to_share(
    coordinator: User,
    manager: User,
    lead: User,
    other_lead: User,
    build_case: Callable[..., Case],
    review: Callable[..., Any],
) -> None:
    def feedback(case: Case, words: str, *, may_quote: bool = True) -> None:
        FamilyFeedback.objects.create(
            review=review(case, today()),
            given_by="parent",
            answer="working",
            in_their_words=words,
            may_quote=may_quote,
            recorded_by=lead,
            recorded_at=timezone.now(),
        )

    ours, theirs, private, restricted = (
        build_case(lead_by=lead),
        build_case(lead_by=other_lead),
        build_case(lead_by=lead),
        build_case(lead_by=lead),
    )
    feedback(ours, "Someone finally listened to us")
    feedback(theirs, "The hub helped with the housing forms")
    feedback(private, "Kept between us", may_quote=False)
    feedback(restricted, "Words from a restricted case")
    Restriction.objects.create(
        case=restricted,
        target="family",
        target_id=restricted.family_id,
        field_name="address",
        reason="Fleeing domestic abuse",
        set_by=lead,
        set_at=timezone.now(),
        review_due=today() + dt.timedelta(days=90),
    )
    refresh_summaries()

    authority = body(client_for(coordinator).get(reverse("dashboards:dashboard")))
    team = body(client_for(manager).get(reverse("dashboards:dashboard")))

    assert "Someone finally listened to us" in authority
    assert "The hub helped with the housing forms" in authority
    assert "Someone finally listened to us" in team
    assert "The hub helped with the housing forms" not in team  # another team's case
    for page in (authority, team):
        assert "Kept between us" not in page
        assert "Words from a restricted case" not in page
        assert ours.reference not in page  # quoted without the case


def test_the_feedback_sample_keeps_to_the_dashboards_period(
    coordinator: User, lead: User, build_case: Callable[..., Case], review: Callable[..., Any]
) -> None:
    case = build_case(lead_by=lead)
    for day, words in [
        (today(), "Said this month"),
        (today() - dt.timedelta(days=200), "Said long ago"),
    ]:
        FamilyFeedback.objects.create(
            review=review(case, day),
            given_by="child",
            answer="partly",
            in_their_words=words,
            may_quote=True,
            recorded_by=lead,
            recorded_at=timezone.now(),
        )
    refresh_summaries()
    client = client_for(coordinator)

    three_months = body(client.get(reverse("dashboards:dashboard") + "?period=3"))
    a_year = body(client.get(reverse("dashboards:dashboard") + "?period=12"))

    assert "Said this month" in three_months
    assert "Said long ago" not in three_months
    assert "Said long ago" in a_year


@pytest.mark.parametrize("persona", ["lead", "member", "outsider", "admin_user", "auditor"])
def test_everyone_else_gets_not_found(persona: str, request: pytest.FixtureRequest) -> None:
    client = client_for(request.getfixturevalue(persona))
    for name, args in (
        ("dashboards:dashboard", []),
        ("dashboards:export", ["m1_level"]),
        ("dashboards:drilldown", ["overdue-reviews"]),
        ("dashboards:drilldown_csv", ["overdue-actions"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404


def test_the_page_says_when_no_figures_exist_yet(coordinator: User) -> None:
    page = body(client_for(coordinator).get(reverse("dashboards:dashboard")))
    assert "have not been worked out yet" in page


def test_a_bad_filter_is_reported_and_ignored(coordinator: User) -> None:
    refresh_summaries()
    response = client_for(coordinator).get(reverse("dashboards:dashboard"), {"team": "999999"})
    assert response.status_code == 200
    assert "There is a problem" in body(response)


def test_charts_are_svg_with_their_tables_and_no_inline_style(coordinator: User) -> None:
    refresh_summaries()
    page = body(client_for(coordinator).get(reverse("dashboards:dashboard")))
    assert page.count("<svg") >= 7
    assert 'role="img"' in page
    assert "<title" in page
    assert "style=" not in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


# --- Drill-downs -------------------------------------------------------------------------------


def test_drilldown_lists_only_visible_cases_and_logs_every_row(
    manager: User,
    build_case: Callable[..., Case],
    lead: User,
    other_lead: User,
    make_child: Callable[..., Any],
) -> None:
    mine = build_case(lead_by=lead, review_due=today() - dt.timedelta(days=3))
    sibling = make_child(family=mine.family, given_names="Robin")
    mine.subjects.create(child=sibling)
    theirs = build_case(lead_by=other_lead, review_due=today() - dt.timedelta(days=3))

    response = client_for(manager).get(reverse("dashboards:drilldown", args=["overdue-reviews"]))

    page = body(response)
    assert mine.reference in page
    assert theirs.reference not in page
    logged = set(RecordAccess.objects.filter(user=manager).values_list("child_id", "case_id"))
    assert logged == {(s.child_id, mine.pk) for s in mine.subjects.all()}
    assert len(logged) == 2


def test_overdue_actions_drilldown_logs_children_and_shows_reasons(
    coordinator: User, build_case: Callable[..., Case], action: Callable[..., Any]
) -> None:
    case = build_case()
    action(case, due=today() - dt.timedelta(days=2), late_reason="Waiting list")

    page = body(
        client_for(coordinator).get(reverse("dashboards:drilldown", args=["overdue-actions"]))
    )

    assert "Waiting list" in page
    assert "Reason given" in page
    assert RecordAccess.objects.filter(user=coordinator, case_id=case.pk).count() == 1


def test_unknown_drilldown_is_not_found(coordinator: User) -> None:
    url = reverse("dashboards:drilldown", args=["everyone"])
    assert client_for(coordinator).get(url).status_code == 404


# --- Exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_triggers_are_neutralised(trigger: str) -> None:
    assert neutralise(f'{trigger}HYPERLINK("http://evil.example")') == (
        f'\'{trigger}HYPERLINK("http://evil.example")'
    )


def test_numbers_and_plain_text_are_left_alone() -> None:
    assert neutralise(-3) == -3
    assert neutralise(12) == 12
    assert neutralise("Family asked to reschedule") == "Family asked to reschedule"
    assert neutralise(None) == ""


def test_a_drilldown_csv_neutralises_a_hostile_reason(
    coordinator: User, build_case: Callable[..., Case]
) -> None:
    case = build_case(review_due=today() - dt.timedelta(days=1), late_reason="=cmd|' /C calc'!A0")

    response = client_for(coordinator).get(
        reverse("dashboards:drilldown_csv", args=["overdue-reviews"])
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[1][0] == case.reference
    assert rows[1][-1] == "'=cmd|' /C calc'!A0"
    assert RecordAccess.objects.filter(user=coordinator, case_id=case.pk).exists()


def test_every_dashboard_table_exports_as_csv(
    coordinator: User, build_case: Callable[..., Case]
) -> None:
    build_case()
    refresh_summaries()
    client = client_for(coordinator)
    tables = client.get(reverse("dashboards:dashboard")).context["board"].tables
    assert len(tables) >= 20
    for key, table in tables.items():
        response = client.get(reverse("dashboards:export", args=[key]))
        assert response.status_code == 200, key
        rows = list(csv.reader(io.StringIO(body(response))))
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1
    assert client.get(reverse("dashboards:export", args=["nothing"])).status_code == 404


def test_annex_a_list_2_columns_window_and_access_log(
    coordinator: User,
    build_case: Callable[..., Case],
    assess: Callable[..., Any],
    lead: User,
) -> None:
    end = dt.date(2026, 3, 31)
    in_window = build_case(
        sex="female",
        ethnicity="BCRB",
        date_of_birth=dt.date(2015, 4, 1),
        disability_status="no",
        sen_status="ehc_plan",
    )
    assess(in_window, started=dt.date(2026, 1, 5), completed=dt.date(2026, 2, 2))
    ongoing = build_case()
    assess(ongoing, started=dt.date(2025, 9, 1))  # still in progress during the window
    before = build_case()
    assess(before, started=dt.date(2025, 6, 1), completed=dt.date(2025, 8, 1))
    after = build_case()
    assess(after, started=dt.date(2026, 4, 2))

    response = client_for(coordinator).get(
        reverse("dashboards:annex_a_export"), date_fields("end", dt.date(2026, 3, 31))
    )

    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[0] == ANNEX_A_COLUMNS
    assert len(rows) == 3
    child = in_window.children.get()
    first = next(r for r in rows[1:] if r[0] == str(child.pk))
    assert first == [
        str(child.pk),
        "b) Female",
        "BCRB",
        "01/04/2015",
        "10",
        "05/01/2026",
        "02/02/2026",
        "Northgate Family Hub",
        "Northgate early help team",
        "b) No",
        "c) EHC plan",
    ]
    logged = set(RecordAccess.objects.filter(user=coordinator).values_list("case_id", flat=True))
    assert logged == {in_window.pk, ongoing.pk}
    assert AnnexAWindow.ending(end).start == dt.date(2025, 10, 1)


def test_annex_a_rejects_a_future_date_with_a_message(coordinator: User) -> None:
    tomorrow = date_fields("end", today() + dt.timedelta(days=1))
    response = client_for(coordinator).get(reverse("dashboards:annex_a_export"), tomorrow)
    assert response.status_code == 400
    assert "must be today or in the past" in body(response)


def test_annex_a_is_for_the_coordinator_and_information_governance_only(
    manager: User, auditor: User
) -> None:
    url = reverse("dashboards:annex_a_export")
    end = date_fields("end", dt.date(2026, 3, 31))
    assert client_for(manager).get(url, end).status_code == 404
    assert client_for(auditor).get(url, end).status_code == 200


# --- Why late ----------------------------------------------------------------------------------


def test_the_lead_records_why_a_review_is_late(build_case: Callable[..., Case], lead: User) -> None:
    case = build_case(review_due=today() - dt.timedelta(days=5))

    record_review_late_reason(case, by=lead, reason="  The family asked  to reschedule ")

    case.refresh_from_db()
    assert case.review_late_reason == "The family asked to reschedule"
    event = CaseEvent.objects.get(case=case, code="case.review_late_reason_recorded")
    assert event.actor == lead


def test_a_review_that_is_not_overdue_takes_no_reason(
    build_case: Callable[..., Case], lead: User
) -> None:
    case = build_case(review_due=today() + dt.timedelta(days=5))
    with pytest.raises(LateReasonError):
        record_review_late_reason(case, by=lead, reason="Early")
    case.refresh_from_db()
    assert case.review_late_reason == ""


def test_a_tac_member_cannot_record_a_reason(
    build_case: Callable[..., Case], member: User, action: Callable[..., Any]
) -> None:
    case = build_case(review_due=today() - dt.timedelta(days=5))
    with pytest.raises(PermissionDenied):
        record_review_late_reason(case, by=member, reason="Not mine to say")
    overdue = action(case, due=today() - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        record_action_late_reason(overdue, by=member, reason="Not mine to say")


def test_a_manager_records_why_an_action_is_late_through_the_form(
    manager: User, build_case: Callable[..., Case], action: Callable[..., Any]
) -> None:
    case = build_case()
    overdue = action(case, due=today() - dt.timedelta(days=1))
    client = client_for(manager)
    url = reverse("dashboards:action_late_reason", args=[overdue.pk])
    back = reverse("dashboards:drilldown", args=["overdue-actions"])

    too_long = client.post(url, {"reason": "x" * 201, "next": back})
    assert too_long.status_code == 200
    assert "x" * 201 in body(too_long)  # what was typed is kept
    response = client.post(url, {"reason": "Course full until July", "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    overdue.refresh_from_db()
    assert overdue.late_reason == "Course full until July"
    page = body(client.get(back))
    assert "Course full until July" in page


def test_the_reason_form_refuses_an_outside_redirect(
    lead: User, build_case: Callable[..., Case]
) -> None:
    case = build_case(review_due=today() - dt.timedelta(days=5))
    response = client_for(lead).post(
        reverse("dashboards:review_late_reason", args=[case.pk]),
        {"reason": "Illness", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("cases:my_cases")


# --- My work -----------------------------------------------------------------------------------


def test_my_work_shows_the_practitioners_caseload_summary(
    lead: User, build_case: Callable[..., Case], action: Callable[..., Any]
) -> None:
    overdue = build_case(review_due=today() - dt.timedelta(days=2), late_reason="Illness")
    build_case(status=Case.Status.CONSENT_PENDING)
    action(overdue, due=today() - dt.timedelta(days=1))

    response = client_for(lead).get(reverse("cases:my_cases"))

    page = body(response)
    panel = next(p for p in response.context["panels"] if p.key == "caseload")
    assert panel.data["open_cases"] == 2
    assert panel.data["episodes"] == 1
    assert panel.data["overdue_review_count"] == 1
    assert panel.data["overdue_actions"] == 1
    assert "Your caseload" in page
    assert overdue.reference in page
    assert "Illness" in page
    assert "Open the caseload dashboard" not in page


# --- Fixed query counts at two sizes ---------------------------------------------------------


def _populate(build_case: Callable[..., Case], action: Callable[..., Any], n: int) -> None:
    for i in range(n):
        case = build_case(review_due=today() - dt.timedelta(days=1 + i % 5))
        action(case, due=today() - dt.timedelta(days=1))
        if i % 3 == 0:
            build_case(
                status=Case.Status.CLOSED,
                closed=today() - dt.timedelta(days=i),
                reason=ClosureReason.NEEDS_MET,
            )
    refresh_summaries()


@pytest.mark.parametrize("size", [2, 25])
def test_pages_run_a_fixed_number_of_queries(
    size: int,
    coordinator: User,
    manager: User,
    lead: User,
    build_case: Callable[..., Case],
    action: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    _populate(build_case, action, size)
    clients: dict[str, Client] = {
        "coordinator": client_for(coordinator),
        "manager": client_for(manager),
        "lead": client_for(lead),
    }
    # Warm the session so the count is for the page alone.
    for client in clients.values():
        client.get(reverse("cases:my_cases"))
    budgets = [
        ("coordinator", reverse("dashboards:dashboard"), 12),
        ("coordinator", reverse("dashboards:dashboard") + "?period=12&level=1", 12),
        # A manager's lists read the teams they manage first (cases.access).
        ("manager", reverse("dashboards:dashboard"), 13),
        ("coordinator", reverse("dashboards:drilldown", args=["overdue-reviews"]), 14),
        ("manager", reverse("dashboards:drilldown", args=["overdue-actions"]), 14),
        ("coordinator", reverse("dashboards:export", args=["m9"]), 12),
        ("lead", reverse("cases:my_cases"), 20),
    ]
    for persona, url, budget in budgets:
        with django_assert_max_num_queries(budget):
            response = clients[persona].get(url)
            body(response)
        assert response.status_code == 200, url


# --- Filters: what they offer, from the directory as at the last refresh ---------------------


def _select(page: str, name: str) -> str:
    return page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def test_the_coordinator_filters_by_a_team_and_it_stays_chosen(
    coordinator: User,
    build_case: Callable[..., Case],
    lead: User,
    other_lead: User,
    second_team: Team,
) -> None:
    build_case(lead_by=lead)
    build_case(lead_by=lead)
    build_case(lead_by=other_lead)
    refresh_summaries()

    response = client_for(coordinator).get(
        reverse("dashboards:dashboard"), {"team": second_team.pk}
    )

    assert response.context["board"].figures["m1"][0].value == "1"
    teams = _select(body(response), "team")
    assert f'<option value="{second_team.pk}" selected>Southside family hub' in teams
    assert teams.count(" selected") == 1
    assert '<option value="">All</option>' in teams  # "All" is offered, not chosen
    unfiltered = _select(body(client_for(coordinator).get(reverse("dashboards:dashboard"))), "team")
    assert '<option value="" selected>All</option>' in unfiltered
    assert unfiltered.count(" selected") == 1


def test_the_filters_offer_every_team_and_agency_to_the_coordinator_only_their_teams_to_a_manager(
    coordinator: User,
    manager: User,
    early_help_team: Team,
    second_team: Team,
    school_team: Team,
    housing_agency: Agency,
) -> None:
    refresh_summaries()

    authority = body(client_for(coordinator).get(reverse("dashboards:dashboard")))
    teams, agencies = _select(authority, "team"), _select(authority, "agency")
    for team in (early_help_team, second_team, school_team):
        assert f'<option value="{team.pk}">{team.name} ({team.agency.name})</option>' in teams
    for agency in Agency.objects.all():
        assert f'<option value="{agency.pk}">{agency.name}</option>' in agencies

    own = client_for(manager).get(reverse("dashboards:dashboard"))
    page = body(own)
    assert 'name="agency"' not in page
    assert f'value="{early_help_team.pk}"' in _select(page, "team")
    assert "Southside family hub" not in page
    assert "Pastoral team" not in page
    # Another team's id is refused, not shown.
    other = client_for(manager).get(reverse("dashboards:dashboard"), {"team": second_team.pk})
    assert "There is a problem" in body(other)
    assert other.context["board"].filters.team_id is None


def test_the_filters_know_the_teams_and_agencies_as_at_the_last_refresh(
    coordinator: User, early_help_agency: Agency, build_case: Callable[..., Case]
) -> None:
    build_case()
    refresh_summaries()
    client = client_for(coordinator)
    client.get(reverse("dashboards:dashboard"))
    Team.objects.create(agency=early_help_agency, name="Brand new outreach team")

    page = body(client.get(reverse("dashboards:dashboard")))
    assert "Brand new outreach team" not in page  # the figures do not know it yet

    refresh_summaries()
    page = body(client.get(reverse("dashboards:dashboard")))
    assert "Brand new outreach team" in _select(page, "team")
    assert FilterDirectory.objects.count() == 1  # only the latest refresh's is kept


def test_before_the_first_refresh_the_filters_offer_the_live_directory(
    coordinator: User, second_team: Team
) -> None:
    page = body(client_for(coordinator).get(reverse("dashboards:dashboard")))
    assert "have not been worked out yet" in page
    assert "Southside family hub" in _select(page, "team")


def _authority_queries(client: Client) -> list[str]:
    client.get(reverse("dashboards:dashboard"))  # the first after a refresh reads the directory
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboards:dashboard"))
        assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_authority_dashboard_reads_neither_the_directory_nor_the_slices(
    coordinator: User,
    build_case: Callable[..., Case],
    action: Callable[..., Any],
    early_help_agency: Agency,
    lead: User,
) -> None:
    client = client_for(coordinator)
    client.get(reverse("cases:my_cases"))
    _populate(build_case, action, 2)
    small = _authority_queries(client)

    # A bigger authority: more cases, teams and agencies, leads in the new teams.
    for i in range(30):
        agency = Agency.objects.create(name=f"Partner agency {i}", kind=AgencyKind.SCHOOL)
        team = Team.objects.create(agency=agency, name=f"Partner team {i}", locality=f"Area {i}")
        worker = User.objects.create_user(
            f"worker{i}@partner.example", "pw-not-used-1234", full_name=f"Worker {i}",
            agency=agency, team=team,
        )  # fmt: skip
        build_case(lead_by=worker)
    _populate(build_case, action, 25)
    large = _authority_queries(client)

    assert len(small) == len(large)
    for sql in large:
        # Not the teams, the slices, nor the stored directory (only its id, with the refresh).
        for read in ('"agencies_team"', '"dashboards_metriccell"', '"teams"', '"agencies"'):
            assert read not in sql, sql


def test_a_directory_replaced_while_the_page_is_served_falls_back_to_the_live_one(
    second_team: Team,
) -> None:
    refresh_summaries()
    refresh = metrics.latest_refresh()
    FilterDirectory.objects.all().delete()  # as a refresh committing just now would

    choices = metrics.dashboard_choices(metrics.Scope(team_ids=None), refresh)

    assert second_team.pk in {t.pk for t in choices.teams}


def test_annex_a_masks_facts_restricted_on_the_childs_record(
    coordinator: User,
    build_case: Callable[..., Case],
    assess: Callable[..., Any],
    lead: User,
    member: User,
) -> None:
    from audit.services import set_restriction
    from cases.masking import MASK
    from cases.models import RestrictionTarget

    case = build_case(ethnicity="WROM", disability_status="yes", sen_status="sen_support")
    assess(case, started=dt.date(2026, 1, 5), completed=dt.date(2026, 2, 2))
    child = case.children.get()
    for field_name in ("ethnicity", "sen_status"):
        set_restriction(
            case,
            by=lead,
            target=RestrictionTarget.CHILD,
            target_id=child.pk,
            field_name=field_name,
            reason="Only the named people may know this.",
            named_users=[member],
        )

    response = client_for(coordinator).get(
        reverse("dashboards:annex_a_export"), date_fields("end", dt.date(2026, 3, 31))
    )

    rows = list(csv.reader(io.StringIO(body(response))))
    row = next(r for r in rows[1:] if r[0] == str(child.pk))
    assert row[2] == MASK
    assert row[9] == "a) Yes"  # disability is not restricted
    assert row[10] == MASK
