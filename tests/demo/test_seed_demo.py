"""``manage.py seed_demo``: the demo local authority and its invariants (ARCHITECTURE §9)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agencies.models import Agency, AgencyKind, Team, User
from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    Family,
    LeadProfessionalAssignment,
    TeamMembership,
)
from cases.models.people import CHILD_NAME_KEY_FIELDS
from cases.phonetics import child_name_keys
from cases.validators import nhs_number_is_valid, validate_postcode
from demo.authority import DEMO_EMAILS

EXPECTED_ROLES = {
    "practitioner@demo.tac.example": User.Role.PRACTITIONER,
    "lead@demo.tac.example": User.Role.PRACTITIONER,
    "school@demo.tac.example": User.Role.PRACTITIONER,
    "outsider@demo.tac.example": User.Role.PRACTITIONER,
    "manager@demo.tac.example": User.Role.TEAM_MANAGER,
    "coordinator@demo.tac.example": User.Role.COORDINATOR,
    "admin@demo.tac.example": User.Role.SYSTEM_ADMINISTRATOR,
    "auditor@demo.tac.example": User.Role.INFORMATION_GOVERNANCE,
}


def seed(**options: object) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def demo_user(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@demo.tac.example")


def active_leads(user: User) -> list[LeadProfessionalAssignment]:
    return list(LeadProfessionalAssignment.objects.active().filter(professional=user))


def assert_demo_relationships() -> None:
    """The demo sign-ins relate to cases exactly as ARCHITECTURE §9 says."""
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    assert {email: u.role for email, u in users.items()} == EXPECTED_ROLES
    for user in users.values():
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.is_active

    admin = demo_user("admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert not any(u.is_superuser for u in users.values() if u != admin)

    practitioner = demo_user("practitioner")
    assert practitioner.agency is not None
    assert practitioner.agency.kind == AgencyKind.HEALTH_VISITING
    assert practitioner.job_title == "Health visitor"
    assert not LeadProfessionalAssignment.objects.filter(professional=practitioner).exists()
    assert TeamMembership.objects.active().filter(professional=practitioner).count() >= 2

    lead = demo_user("lead")
    assert lead.agency is not None
    assert lead.agency.kind == AgencyKind.EARLY_HELP
    assert lead.job_title == "Family support worker"
    open_led = [a for a in active_leads(lead) if a.case.is_open]
    assert len(open_led) >= 2

    school = demo_user("school")
    assert school.agency is not None
    assert school.agency.kind == AgencyKind.SCHOOL
    assert school.job_title == "Designated safeguarding lead"
    assert TeamMembership.objects.active().filter(professional=school).exists()

    outsider = demo_user("outsider")
    assert outsider.agency is not None
    assert outsider.agency.kind == AgencyKind.POLICE
    assert not Case.objects.visible_to(outsider).exists()
    assert not TeamMembership.objects.filter(professional=outsider).exists()
    assert not LeadProfessionalAssignment.objects.filter(professional=outsider).exists()
    assert not outsider.managed_teams.exists()
    assert not TeamMembership.objects.filter(professional__team=outsider.team).exists()

    manager = demo_user("manager")
    assert lead.team is not None
    assert manager.managed_teams.filter(pk=lead.team.pk).exists()
    visible_to_manager = set(Case.objects.visible_to(manager).values_list("pk", flat=True))
    assert {a.case_id for a in active_leads(lead)} <= visible_to_manager

    coordinator = demo_user("coordinator")
    assert Case.objects.visible_to(coordinator).count() == Case.objects.count()
    assert not Case.objects.visible_to(admin).exists()


def assert_case_invariants() -> None:
    # A child is the subject of at most one open case, and is_open mirrors the case.
    assert not (
        CaseSubject.objects.filter(is_open=True)
        .values("child")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert not CaseSubject.objects.filter(
        is_open=True, case__status__in=Case.TERMINAL_STATUSES
    ).exists()
    assert not CaseSubject.objects.filter(
        is_open=False, case__status__in=Case.OPEN_STATUSES
    ).exists()
    # Exactly one active lead on every open case, none on a closed one.
    open_cases = Case.objects.open()
    assert not open_cases.exclude(
        pk__in=LeadProfessionalAssignment.objects.active().values("case")
    ).exists()
    assert (
        not LeadProfessionalAssignment.objects.active()
        .filter(case__status__in=Case.TERMINAL_STATUSES)
        .exists()
    )
    # Closed cases say when and why; open ones do not.
    closed = Case.objects.closed()
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not closed.filter(closure_reason="").exists()
    assert not open_cases.filter(closed_at__isnull=False).exists()
    # Every case has a chronology that starts with case.opened.
    assert CaseEvent.objects.filter(code="case.opened").count() == Case.objects.count()
    # Re-referrals point at an earlier, closed case.
    for case in Case.objects.filter(is_re_referral=True).select_related("previous_case"):
        assert case.previous_case is not None
        assert not case.previous_case.is_open
        assert case.previous_case.closed_at is not None
        assert case.previous_case.closed_at <= case.opened_at
    # Active cases have a review date: some overdue, some to come.
    assert not Case.objects.filter(status=Case.Status.ACTIVE, next_review_due__isnull=True).exists()
    assert Case.objects.values("reference").distinct().count() == Case.objects.count()
    assert not Case.objects.exclude(reference__regex=r"^EH-[0-9]{6,}$").exists()


def assert_children_are_plausible() -> None:
    for child in Child.objects.all():
        assert child.nhs_number == "" or nhs_number_is_valid(child.nhs_number)
        validate_postcode(child.postcode)
        if child.is_unborn:
            assert child.expected_date_of_delivery is not None
        else:
            assert child.date_of_birth is not None
            age = child.age_on(child.created_at.date())
            assert age is not None
            assert 0 <= age <= 17


@pytest.mark.django_db
def test_small_seed_builds_the_demo_authority() -> None:
    output = seed(children=40, seed=7)

    assert Child.objects.count() == 40
    assert Agency.objects.count() >= 30
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert Agency.objects.filter(kind=AgencyKind.EARLY_HELP).count() >= 4
    assert not Agency.objects.filter(kind=AgencyKind.SCHOOL, school_urn="").exists()
    assert not Agency.objects.filter(kind=AgencyKind.GP, ods_code="").exists()
    assert (
        not Team.objects.filter(managers__isnull=True)
        .exclude(name__in=["Early help coordination", "Digital services", "Information governance"])
        .exists()
    )
    assert User.objects.filter(role=User.Role.PRACTITIONER).count() >= 50
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)

    assert_demo_relationships()
    assert_case_invariants()
    assert_children_are_plausible()
    # The summary holds counts, never names.
    assert "children" in output
    for child in Child.objects.all():
        assert child.family_name not in output


@pytest.mark.django_db
def test_second_run_creates_nothing() -> None:
    seed(children=40, seed=7)
    before = (Family.objects.count(), Child.objects.count(), Case.objects.count())
    users = User.objects.count()

    output = seed(children=40, seed=7)

    assert "already" in output
    assert (Family.objects.count(), Child.objects.count(), Case.objects.count()) == before
    assert User.objects.count() == users


@pytest.mark.django_db
def test_family_and_external_members_join_when_the_case_history_says() -> None:
    """They join through the team services, dated at the step of the plan, not at seeding."""
    seed(children=40, seed=7)
    joined = TeamMembership.objects.exclude(kind=TeamMembership.Kind.PROFESSIONAL)
    assert joined.filter(kind=TeamMembership.Kind.FAMILY).exists()
    for membership in joined.select_related("case"):
        assert membership.joined_at >= membership.case.opened_at
        event = CaseEvent.objects.get(
            case=membership.case, code="team.member_added", data__membership=membership.pk
        )
        assert event.at == membership.joined_at
    # Most of these cases started months ago; their families joined then too.
    assert joined.filter(joined_at__lt=timezone.now() - timedelta(days=30)).exists()


class _Rollback(Exception):
    pass


def _fingerprint() -> tuple[list[tuple[str, str, str]], list[str], list[str]]:
    children = list(
        Child.objects.order_by("pk").values_list("given_names", "family_name", "nhs_number")
    )
    statuses = list(Case.objects.order_by("pk").values_list("status", flat=True))
    emails = sorted(User.objects.values_list("email", flat=True))
    return children, statuses, emails


@pytest.mark.django_db
def test_same_seed_gives_the_same_data() -> None:
    first = None
    try:
        with transaction.atomic():
            seed(children=25, seed=11)
            first = _fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    assert first is not None
    assert not Child.objects.exists()

    seed(children=25, seed=11)

    assert _fingerprint() == first


@pytest.mark.django_db
@pytest.mark.slow
def test_bulk_seed_keeps_the_invariants() -> None:
    output = seed(children=2000, bulk=True, seed=3)

    assert "bulk path" in output
    assert Child.objects.count() == 2000
    # Two row builders plan side by side; they never give out the same NHS number.
    numbers = list(Child.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert len(numbers) > 1500
    assert len(set(numbers)) == len(numbers)
    families = Family.objects.annotate(n=Count("children"))
    assert not families.filter(n__gt=4).exists()
    assert not families.filter(n__lt=1).exists()
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)

    in_a_case = CaseSubject.objects.values("child").distinct().count()
    assert 0.6 <= in_a_case / 2000 <= 0.8
    share_open = Case.objects.open().count() / Case.objects.count()
    assert 0.5 <= share_open <= 0.7
    leads = LeadProfessionalAssignment.objects.active().values("professional").distinct().count()
    assert leads >= 15
    assert TeamMembership.objects.filter(kind=TeamMembership.Kind.FAMILY).exists()
    assert LeadProfessionalAssignment.objects.exclude(change_reason="").exists()
    # The search keys are written as Child.save would write them.
    for child in Child.objects.all():
        assert child_name_keys(child.given_names, child.family_name) == {
            key: getattr(child, key) for key in CHILD_NAME_KEY_FIELDS
        }

    assert_demo_relationships()
    assert_case_invariants()
    assert_children_are_plausible()
