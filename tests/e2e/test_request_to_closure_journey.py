"""One case, walked in the browser by everyone who works on it, from a school's request
for support to closure.

Before the first sign-in only accounts, agencies, the levels of need and the assessment
template exist. The child, the request, the triage, the family's agreement, the team (a
health visitor from the directory, the mother from the family's record, and a housing
officer invited before they had an account), the assessment, the first TAC, the actions,
two reviews, a leaver's handover and the closure are all made through the pages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, Team, User
from assessments.definition import default_definition
from assessments.models import AssessmentTemplate
from cases.models import Case, CaseClosure, Child, LevelOfNeed, TeamInvitation
from meetings.models import Action
from notifications.models import EmailOutbox
from tests.e2e.steps import (
    autosaved,
    back_to_assessment,
    give_views,
    next_step,
    open_section,
    record_assessment_consent,
    stage_is,
)
from tests.helpers import PASSWORD, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL = "pastoral@hollins.example"
COORDINATOR = "hub@demoton.example"
HEALTH = "hannah.visitor@health.example"
HEALTH_COLLEAGUE = "nadia.nurse@health.example"
HEALTH_MANAGER = "mina.manager@health.example"
HOUSING = "harry.housing@housing.example"
ADMIN = "admin@demoton.example"


def _person(email: str, name: str, title: str, team: Team | None, **extra: Any) -> User:
    return User.objects.create_user(
        email,
        PASSWORD,
        full_name=name,
        job_title=title,
        agency=team.agency if team else None,
        team=team,
        **extra,
    )


@pytest.fixture
def authority(reminder_rules: None) -> None:
    """The accounts, agencies and reference data a new authority has on day one."""
    AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={
            "name": "Early help assessment",
            "definition": default_definition(),
            "is_default": True,
            "published_at": timezone.now(),
        },
    )
    for code, ordinal, label in (
        ("UNIVERSAL", 1, "Universal"),
        ("EARLY_HELP", 2, "Early help"),
        ("TARGETED", 3, "Targeted"),
        ("SPECIALIST", 4, "Specialist"),
    ):
        LevelOfNeed.objects.update_or_create(
            code=code, defaults={"ordinal": ordinal, "label": label}
        )
    school = Agency.objects.create(name="Hollins Primary School", kind=AgencyKind.SCHOOL)
    hub = Agency.objects.create(name="Demoton Family Hub", kind=AgencyKind.EARLY_HELP)
    health = Agency.objects.create(name="Demoton Health Visiting", kind=AgencyKind.HEALTH_VISITING)
    Agency.objects.create(name="Demoton Housing", kind=AgencyKind.HOUSING)
    _person(
        SCHOOL,
        "Priya Pastoral",
        "Pastoral lead",
        Team.objects.create(agency=school, name="Pastoral team"),
    )
    hub_team = Team.objects.create(agency=hub, name="Hub")
    _person(COORDINATOR, "Cora Hub", "Coordinator", hub_team, role=User.Role.COORDINATOR)
    visiting = Team.objects.create(agency=health, name="Health visiting north")
    _person(HEALTH, "Hannah Visitor", "Health visitor", visiting)
    _person(HEALTH_COLLEAGUE, "Nadia Nurse", "Health visitor", visiting)
    manager = _person(HEALTH_MANAGER, "Mina Manager", "Health visiting team manager", visiting,
                      role=User.Role.TEAM_MANAGER)  # fmt: skip
    visiting.managers.add(manager)
    _person(ADMIN, "Ada Admin", "Portal administrator", None,
            role=User.Role.SYSTEM_ADMINISTRATOR, is_staff=True, is_superuser=True)  # fmt: skip


def _open_case(page: Any, case: Case) -> None:
    page.get_by_role("link", name="My work", exact=True).click()
    page.get_by_role("link", name=case.reference).first.click()
    page.wait_for_load_state("domcontentloaded")


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("domcontentloaded")


def test_a_case_from_a_schools_request_to_closure(
    page: Any,
    authority: None,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    today = timezone.localdate()

    # 1. The school's pastoral lead adds a child and asks the early help hub for support.
    sign_in(page, SCHOOL)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    check_page(page, "long-my-work-empty")
    page.get_by_role("link", name="Find a child", exact=True).first.click()
    page.get_by_label("Given names").fill("Robin")
    page.get_by_label("Family name").fill("Fernley")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Add a new child").click()
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Address").fill("4 Quarry Lane\nDemoton")
    page.get_by_label("Postcode").fill("DT4 2PL")
    page.get_by_label("Parent or carer's given names (optional)").fill("Jo")
    page.get_by_label("Parent or carer's family name (optional)").fill("Fernley")
    page.get_by_label("Their relationship to the child").select_option("mother")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Send a request for support to the early help hub").check()
    page.get_by_label(
        "Where does the request come from? (for a request for support)"
    ).select_option("2A")
    page.get_by_label(
        "What support does the child or family need? (for a request for support)"
    ).fill("Robin's attendance has dropped and his mother is worried about their housing.")
    page.get_by_label("The family knows about this request").check()
    page.get_by_label("The family agreed to this request being made").check()
    check_page(page, "long-add-child")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("domcontentloaded")
    check_page(page, "long-request-sent")
    assert not Case.objects.exists()
    _sign_out(page)

    # 2. The hub's coordinator triages it: an assessment, targeted, the school leads.
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name="Requests", exact=True).click()
    check_page(page, "long-triage-queue")
    page.get_by_role("link", name=re.compile("^Triage")).first.click()
    page.get_by_label("Early help assessment").check()
    page.get_by_label("Level of need").select_option(label="Level 3: Targeted")
    page.get_by_label("Rationale").fill("Attendance and housing worries: a TAC can help.")
    page.get_by_label("Who will be the lead professional?").select_option(
        label="Priya Pastoral, Pastoral lead, Hollins Primary School"
    )
    page.get_by_label("What the family said about who should lead").fill(
        "Jo would like the school to lead: she knows Priya."
    )
    check_page(page, "long-triage")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state("domcontentloaded")
    case = Case.objects.get(subjects__child=Child.objects.get(given_names="Robin"))
    assert case.status == Case.Status.CONSENT_PENDING
    assert case.lead_assignments.active().get().professional.email == SCHOOL
    _sign_out(page)

    # 3. The lead records the family's agreement and builds the team.
    sign_in(page, SCHOOL)
    _open_case(page, case)
    stage_is(page, "Awaiting family's agreement")
    check_page(page, "long-case-awaiting-agreement")
    page.get_by_role("tab", name="Family").click()  # the case page's sections
    page.get_by_role("link", name="Record agreement or sharing preferences").first.click()
    page.get_by_label("Agreement to early help").check()
    page.get_by_label("Who gave it?").select_option(label="Jo Fernley (Mother)")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("In writing").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")

    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("tab", name="Team").click()  # the case page's sections
    page.get_by_role("link", name="Team page: who is on the team").click()
    page.get_by_role("link", name="Add a professional").click()
    page.get_by_label("Search the directory").fill("health visitor")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Hannah Visitor, Health visitor, Demoton Health Visiting").check()
    page.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("Hannah Visitor is now on the team.")).to_be_visible()
    page.get_by_role("link", name="Add a family member").click()
    page.get_by_label("Jo Fernley (Mother)").check()
    page.get_by_label("Family member", exact=True).check()
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("The family member is now on the team.")).to_be_visible()
    page.get_by_role("link", name="Invite someone without an account").click()
    check_page(page, "long-invite")
    page.get_by_label("Full name").fill("Harry Housing")
    page.get_by_label("Job title (optional)").fill("Housing officer")
    page.get_by_label("Their agency").select_option(label="Demoton Housing")
    page.get_by_label("Work email address").fill(HOUSING)
    page.get_by_label("Practitioner").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Harry Housing is invited.")).to_be_visible()
    check_page(page, "long-team-invited")
    _sign_out(page)

    # 4. The administrator approves Harry's account; Harry sets a password from the email.
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Account requests").click()
    check_page(page, "long-account-requests")
    expect(page.get_by_text(case.reference)).to_have_count(0)
    page.get_by_role("link", name="Harry Housing").click()
    page.get_by_label("Yes, make the account and send them a link to set a password").check()
    check_page(page, "long-account-request")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("No account requests are waiting.")).to_be_visible()
    _sign_out(page)
    email = EmailOutbox.objects.get(to_address=HOUSING)
    link = re.search(r"https?://\S+?(/accounts/password-reset/\S+/)", email.body_text)
    assert link is not None
    page.goto(link.group(1))
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm new password").fill(PASSWORD)
    check_page(page, "long-set-password")
    page.get_by_role("button", name="Save password").click()
    page.wait_for_load_state("domcontentloaded")
    # His first sign-in puts him on the team.
    sign_in(page, HOUSING)
    expect(page.get_by_role("link", name=case.reference).first).to_be_visible()
    check_page(page, "long-housing-my-work")
    assert TeamInvitation.objects.get().status == TeamInvitation.Status.JOINED
    _sign_out(page)

    # 5. The lead writes the assessment with the family and completes it.
    sign_in(page, SCHOOL)
    _open_case(page, case)
    next_step(page, "Start the assessment of Robin Fernley")
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_load_state("domcontentloaded")
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSING
    open_section(page, "K. Consent statements")
    record_assessment_consent(page, "start", given_by="Jo Fernley (Mother)")
    back_to_assessment(page)
    page.get_by_role("button", name="First conversation held").click()
    page.wait_for_load_state("domcontentloaded")
    open_section(page, "What's happening for this family")
    page.get_by_label("What's happening for this family?").fill("Robin misses school most Mondays.")
    page.get_by_text("Saved at").wait_for()
    back_to_assessment(page)
    open_section(page, "C. Assessment information")
    page.get_by_label("What has led to this assessment?").fill("Attendance has dropped to 82%.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    back_to_assessment(page)
    open_section(page, "I. Views of the child and family")
    give_views(
        page,
        child="Mondays feel too big.",
        written_down_by="Priya Pastoral",
        parent="We might lose the flat.",
    )
    check_page(page, "long-assessment-views")
    back_to_assessment(page)
    open_section(page, "J. Conclusions, solutions and actions")
    page.get_by_label("What we think is happening, and why").fill("Worry about housing.")
    page.get_by_label("What will happen next: who will do what, and by when").fill(
        "A TAC with health, housing and the family."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("domcontentloaded")
    back_to_assessment(page)
    page.get_by_role("button", name="Draft shared with the family").click()
    page.wait_for_load_state("domcontentloaded")
    open_section(page, "K. Consent statements")
    record_assessment_consent(page, "completion", given_by="Jo Fernley (Mother)")
    back_to_assessment(page)
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("Assessment completed.")).to_be_visible()

    # 6. The first TAC, in meeting mode: actions for three agencies and the mother.
    page.goto(f"/cases/{case.pk}/")
    stage_is(page, "Planning")
    next_step(page, "Arrange the first TAC meeting")
    page.get_by_label("Initial TAC meeting").check()
    day = today + dt.timedelta(days=1)
    fill_date(page, "Date of the meeting", day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:00")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Place, or how to join").fill("Hollins Primary, room 4")
    for checkbox in page.locator("input[name=members]").all():
        checkbox.check()
    page.get_by_role("button", name="Arrange meeting and send invitations").click()
    expect(page.get_by_text("Meeting arranged.")).to_be_visible()
    page.goto(f"/cases/{case.pk}/")
    next_step(page, "Run the first TAC meeting")
    memberships = {m.display_name: m for m in case.memberships.active()}
    page.get_by_label("Attendance of Jo Fernley").select_option("attended")
    for description, owner in (
        ("Daily check-in at the school gate", "Priya Pastoral"),
        ("Visit about Robin's sleep", "Hannah Visitor"),
        ("Review the family's tenancy", "Harry Housing"),
        ("Walk Robin to school on Mondays", "Jo Fernley"),
    ):
        page.get_by_label("What will be done (specific and measurable)").fill(description)
        page.get_by_label("Who will do it").select_option(str(memberships[owner].pk))
        fill_date(page, "Due date", day + dt.timedelta(days=7))
        page.get_by_role("button", name="Add action").click()
        expect(page.locator("#plan").get_by_text(description)).to_be_visible()
    page.get_by_label("The family's views, in their own words").fill("We want Mondays to be OK.")
    autosaved(page, "The family's views, in their own words")
    fill_date(page, "Next review date", day + dt.timedelta(weeks=6))
    page.get_by_role("button", name="Set next review date").click()
    expect(page.locator("#next-review").get_by_text("Agreed:")).to_be_visible()
    check_page(page, "long-meeting-mode")
    page.get_by_role("button", name="Finish meeting").click()
    page.wait_for_load_state("domcontentloaded")
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.next_review_due == day + dt.timedelta(weeks=6)
    _sign_out(page)

    # 7. The housing officer, signed in as himself, updates his action.
    sign_in(page, HOUSING)
    page.get_by_role("link", name="Review the family's tenancy").click()
    page.get_by_label("Done").check()
    page.get_by_label("Progress note").fill("Tenancy secured for twelve months.")
    check_page(page, "long-housing-action")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Action updated.")).to_be_visible()
    assert Action.objects.get(description="Review the family's tenancy").status == "done"
    _sign_out(page)

    # 8. Two reviews: the second sets the next one four months away, with a reason.
    sign_in(page, SCHOOL)
    for number, later in ((1, None), (2, today + dt.timedelta(days=120))):
        _open_case(page, case)
        page.get_by_role("tab", name="Meetings").click()  # the case page's sections
        page.get_by_role("link", name="Review the plan without a meeting").click()
        page.get_by_label("The child's views, in their own words").fill(f"Review {number}: better.")
        page.get_by_label("The parents' or carers' views, in their own words").fill("Calmer.")
        if later is not None:
            fill_date(page, "Next review date (optional)", later)
            page.get_by_role("button", name="Record review").click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            check_page(page, "long-review-beyond-guideline")
            page.get_by_label("If the date is more than 3 months away, why?").fill(
                "The family is settled; the summer holiday comes first"
            )
        page.get_by_role("button", name="Record review").click()
        expect(page.get_by_text("Review recorded.")).to_be_visible()
    case.refresh_from_db()
    assert case.next_review_due == today + dt.timedelta(days=120)
    assert case.review_late_reason == "The family is settled; the summer holiday comes first"
    _sign_out(page)

    # 9. The health visitor leaves the service: her manager hands her action to a colleague.
    sign_in(page, ADMIN)
    page.get_by_role("link", name="Configuration").click()
    page.goto("/admin/agencies/user/?q=hannah")
    page.get_by_role("link", name="Hannah Visitor", exact=True).click()
    page.get_by_label("Active").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    page.goto("/")
    _sign_out(page)
    sign_in(page, HEALTH_MANAGER)
    page.get_by_role("link", name="Dashboard", exact=True).first.click()
    page.get_by_role("link", name="Reassign the caseload of Hannah Visitor").click()
    expect(page.get_by_text("Visit about Robin's sleep")).to_be_visible()
    check_page(page, "long-leaver-caseload")
    page.get_by_label("Who takes over every case?").select_option(
        label="Nadia Nurse, Health visitor, Demoton Health Visiting"
    )
    page.get_by_label("Handover note").fill("Jo prefers a call before a visit.")
    page.get_by_role(
        "group", name="Were the families consulted about their new lead professional?"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Reassign the caseload").click()
    expect(page.get_by_text("Hannah Visitor holds no open work")).to_be_visible()
    action = Action.objects.get(description="Visit about Robin's sleep")
    assert action.owner_professional is not None
    assert action.owner_professional.email == HEALTH_COLLEAGUE
    assert case.lead_assignments.active().get().professional.email == SCHOOL
    _sign_out(page)

    # 10. The lead closes the case, the child's and the family's views first.
    sign_in(page, SCHOOL)
    _open_case(page, case)
    page.locator("#next-steps").get_by_role("link", name="Agree that the case should close").click()
    page.get_by_role("button", name="Agree that the case should close").click()
    stage_is(page, "Closing")
    next_step(page, "Record the closure")
    page.get_by_label("Outcomes achieved: needs met").check()
    page.get_by_label("The child's views on closure").fill("Mondays are fine now.")
    page.get_by_label("The family's views on closure").fill("Jo feels settled in the flat.")
    page.get_by_label("Summary of progress").fill("Robin attends every day; the tenancy is safe.")
    page.get_by_label("All outcomes achieved").check()
    page.get_by_label("Which outcomes were achieved, and why were any not?").fill("All achieved.")
    page.get_by_label("Who will continue to support the family?").fill("The pastoral team.")
    check_page(page, "long-closure")
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_text("The case is closed.")).to_be_visible()
    stage_is(page, "Closed")
    check_page(page, "long-closed")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert CaseClosure.objects.get(case=case).family_views == "Jo feels settled in the flat."
