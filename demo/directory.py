"""Writes Demo Borough Council's agencies, teams, professionals and demo sign-ins.

``build_directory`` returns a ``Directory``: what the planners need to know about
every professional, and the pools they draw TAC members and lead professionals from.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from agencies.models import CIN_SOURCE_CODES, Agency, AgencyKind, Team, User
from cases.models import LevelOfNeed
from demo.authority import (
    ADMIN_EMAIL,
    AGENCIES,
    AUDITOR_EMAIL,
    COORDINATOR_EMAIL,
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_EMAILS,
    LOCALITIES,
    MANAGER_EMAIL,
    OTHER_LEAD_TITLES,
    OUTSIDER_EMAIL,
    PRACTITIONER_EMAIL,
    SCHOOL_EMAIL,
    AgencySpec,
    extra_agency_specs,
)
from demo.names import NamePools

# A migration's module name starts with a digit, so it is loaded by name; its LEVELS
# restore the defaults in a database that ``flush`` emptied.
_LEVELS_MIGRATION = importlib.import_module(
    "cases.migrations.0002_levels_of_need_and_reference_sequence"
)

#: One lead-capable professional per this many expected open cases on the bulk path.
OPEN_CASES_PER_LEAD = 150
#: On the bulk path, other services get one more post per this many children...
STAFF_PER_POST_CHILDREN = 4000
#: ...split into teams of about this size, each with its own manager.
TEAM_SIZE = 8


@dataclass(slots=True, eq=False)
class Prof:
    """What the planner needs to know about a professional."""

    id: int
    label: str  # "Name (Job title, Agency)" as the services write it in the chronology
    agency_id: int | None
    team_id: int | None
    kind: str
    job_title: str


@dataclass
class Directory:
    """Agencies, teams and professionals, and the pools the planner draws from."""

    agencies: list[Agency]
    users: dict[int, User]
    demo: dict[str, User]
    profs: dict[int, Prof]
    lead_pool: list[Prof]
    other_lead_pool: list[Prof]
    by_kind: dict[str, list[Prof]]
    by_agency: dict[int, list[Prof]]
    midwives: list[Prof]
    social_workers: list[Prof]
    schools: dict[str, list[int]]  # phase -> agency ids
    levels: dict[str, LevelOfNeed]


def _email_for(given: str, surname: str, agency: Agency, taken: set[str]) -> str:
    local = f"{slugify(given) or 'staff'}.{slugify(surname) or 'member'}"
    domain = f"{slugify(agency.name)}.{DEMO_DOMAIN}"
    email = f"{local}@{domain}"
    n = 2
    while email in taken:
        email = f"{local}{n}@{domain}"
        n += 1
    taken.add(email)
    return email


def _prof(user: User, agency: Agency | None) -> Prof:
    title = user.job_title or user.get_role_display()
    where = f"{title}, {agency.name}" if agency else title
    return Prof(
        id=user.pk,
        label=f"{user.full_name} ({where})",
        agency_id=agency.pk if agency else None,
        team_id=user.team_id,
        kind=agency.kind if agency else "",
        job_title=user.job_title,
    )


def build_directory(
    rng: random.Random, names: NamePools, *, expected_children: int, bulk: bool
) -> Directory:
    """Create agencies, teams, professionals, managers and the demo sign-ins.

    On the bulk path, more schools, GP practices and staff are added in proportion
    to ``expected_children`` so that caseloads stay realistic.
    """
    now = timezone.now()
    unusable = make_password(None)
    taken: set[str] = set(DEMO_EMAILS)
    agencies: dict[str, Agency] = {}
    teams: dict[tuple[str, str], Team] = {}
    copies: dict[tuple[str, str], list[Team]] = {}
    phases: dict[int, str] = {}
    pending_users: list[User] = []
    pending_managers: list[tuple[Team, User]] = []

    def person(agency: Agency, team: Team | None, title: str, role: str) -> User:
        sex_pool = names.female if rng.random() < 0.7 else names.male
        given, surname = rng.choice(sex_pool), rng.choice(names.surnames)
        user = User(
            email=_email_for(given, surname, agency, taken),
            full_name=f"{given} {surname}",
            job_title=title,
            agency=agency,
            team=team,
            role=role,
            password=unusable,
            date_joined=now,
        )
        pending_users.append(user)
        return user

    specs = list(AGENCIES)
    if bulk:
        specs += extra_agency_specs(expected_children)
    # Made in memory in the order the random draws expect, then saved two statements at
    # a time (at a million children: 777 agencies and 2,010 teams).
    new_agencies: list[tuple[Agency, str]] = []
    new_teams: list[Team] = []
    for spec in specs:
        agency = Agency(
            name=spec.name,
            kind=spec.kind,
            cin_source_code=CIN_SOURCE_CODES[spec.kind],
            school_urn=spec.school_urn,
            ods_code=spec.ods_code,
            locality=spec.locality,
            phone=f"0300 555 {rng.randrange(1000, 9999)}",
            email=f"enquiries@{slugify(spec.name)}.{DEMO_DOMAIN}",
        )
        agencies[spec.name] = agency
        new_agencies.append((agency, spec.phase))
        for tspec in spec.teams:
            staff = sum(count for _, count in tspec.roles) * _bulk_multiplier(
                spec, expected_children, bulk
            )
            key = (spec.name, tspec.name)
            copies[key] = [
                Team(
                    agency=agency,
                    name=tspec.name if k == 0 else f"{tspec.name} {k + 1}",
                    locality=spec.locality,
                    phone=f"0300 555 {rng.randrange(1000, 9999)}",
                )
                for k in range(max(1, -(-staff // TEAM_SIZE)))
            ]
            teams[key] = copies[key][0]
            new_teams.extend(copies[key])
    Agency.objects.bulk_create([agency for agency, _phase in new_agencies])
    Team.objects.bulk_create(new_teams)
    phases.update({agency.pk: phase for agency, phase in new_agencies if phase})

    # The demo sign-ins, each with the shared demo password.
    demo: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        agency = agencies[account.agency]
        team = teams[(account.agency, account.team)]
        user = User(
            email=account.email,
            full_name=account.full_name,
            job_title=account.job_title,
            agency=agency,
            team=team,
            role=account.role,
            is_staff=account.is_admin,
            is_superuser=account.is_admin,
            date_joined=now,
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        demo[account.email] = user
        if account.manages_team:
            team.managers.add(user)
    demo_managed = {a.team for a in DEMO_ACCOUNTS if a.manages_team}

    # Staff and a manager for every team.
    for spec in specs:
        agency = agencies[spec.name]
        multiplier = _bulk_multiplier(spec, expected_children, bulk)
        for tspec in spec.teams:
            team_copies = copies[(spec.name, tspec.name)]
            k = 0
            for title, count in tspec.roles:
                for _ in range(count * multiplier):
                    person(agency, team_copies[k % len(team_copies)], title, User.Role.PRACTITIONER)
                    k += 1
            for team in team_copies:
                if team.name not in demo_managed:
                    manager = person(agency, team, tspec.manager_title, User.Role.TEAM_MANAGER)
                    pending_managers.append((team, manager))

    if bulk:
        _extra_early_help_teams(rng, agencies, expected_children, person, pending_managers)

    User.objects.bulk_create(pending_users, batch_size=2000)
    Through = Team.managers.through
    Through.objects.bulk_create(
        [Through(team_id=team.pk, user_id=user.pk) for team, user in pending_managers],
        batch_size=2000,
    )

    by_id = {a.pk: a for a in agencies.values()}
    users = {u.pk: u for u in User.objects.filter(agency__isnull=False)}
    outsider_team = demo[OUTSIDER_EMAIL].team_id
    excluded = {demo[e].pk for e in (COORDINATOR_EMAIL, ADMIN_EMAIL, AUDITOR_EMAIL, MANAGER_EMAIL)}
    profs: dict[int, Prof] = {}
    by_kind: dict[str, list[Prof]] = {}
    by_agency: dict[int, list[Prof]] = {}
    lead_pool: list[Prof] = []
    other_lead_pool: list[Prof] = []
    for user in sorted(users.values(), key=lambda u: u.pk):
        if user.agency_id is None:
            continue
        prof = _prof(user, by_id[user.agency_id])
        profs[user.pk] = prof
        if (
            user.pk in excluded
            or user.role != User.Role.PRACTITIONER
            or user.team_id == outsider_team
        ):
            continue
        by_kind.setdefault(prof.kind, []).append(prof)
        by_agency.setdefault(user.agency_id, []).append(prof)
        if user.email in (PRACTITIONER_EMAIL, SCHOOL_EMAIL):
            continue  # the demo says they lead nothing
        if prof.kind == AgencyKind.EARLY_HELP:
            lead_pool.append(prof)
        elif prof.job_title in OTHER_LEAD_TITLES:
            other_lead_pool.append(prof)

    schools: dict[str, list[int]] = {}
    for agency_id, phase in sorted(phases.items()):
        schools.setdefault(phase, []).append(agency_id)
    schools["early_years"] = sorted(
        a.pk for a in agencies.values() if a.kind == AgencyKind.EARLY_YEARS
    )
    schools["college"] = sorted(a.pk for a in agencies.values() if a.kind == AgencyKind.COLLEGE)

    return Directory(
        agencies=list(agencies.values()),
        users=users,
        demo=demo,
        profs=profs,
        lead_pool=lead_pool,
        other_lead_pool=other_lead_pool,
        by_kind=by_kind,
        by_agency=by_agency,
        midwives=[
            p for p in by_kind.get(AgencyKind.COMMUNITY_HEALTH, []) if p.job_title == "Midwife"
        ],
        social_workers=[
            p for p in by_kind.get(AgencyKind.SOCIAL_CARE, []) if p.job_title == "Social worker"
        ],
        schools=schools,
        levels=_levels_of_need(),
    )


def _levels_of_need() -> dict[str, LevelOfNeed]:
    """The levels by code, restoring the four defaults if the table was emptied.

    A data migration seeds them, but a database emptied by ``flush`` (as
    transactional tests do) has none.
    """
    if not LevelOfNeed.objects.exists():
        for code, ordinal, label, description in _LEVELS_MIGRATION.LEVELS:
            LevelOfNeed.objects.create(
                code=code, ordinal=ordinal, label=label, description=description
            )
    return {level.code: level for level in LevelOfNeed.objects.all()}


def _bulk_multiplier(spec: AgencySpec, children: int, bulk: bool) -> int:
    """Staff per listed post on the bulk path: bigger services for a bigger borough.

    About one post per 4,000 children keeps each professional on a few dozen TACs.
    """
    if not bulk or spec.kind in (AgencyKind.SCHOOL, AgencyKind.GP, AgencyKind.EARLY_HELP):
        return 1  # more schools, practices and early help teams are added instead
    return max(1, children // STAFF_PER_POST_CHILDREN)


def _extra_early_help_teams(
    rng: random.Random,
    agencies: dict[str, Agency],
    children: int,
    person: Callable[[Agency, Team | None, str, str], User],
    pending_managers: list[tuple[Team, User]],
) -> None:
    """One early help worker per ``OPEN_CASES_PER_LEAD`` expected open cases, ten a team."""
    expected_open_cases = int(children * 0.7 / 2.0 * 0.6)
    workers = max(0, expected_open_cases // OPEN_CASES_PER_LEAD - 20)
    titles = ("Family support worker", "Early help worker", "Family practitioner", "Keyworker")
    for t in range(0, workers, 10):
        locality = LOCALITIES[(t // 10) % len(LOCALITIES)]
        agency = agencies[f"{locality} Family Hub"]
        team = Team.objects.create(
            agency=agency,
            name=f"{locality} early help team {t // 10 + 2}",
            locality=locality,
            phone=f"0300 555 {rng.randrange(1000, 9999)}",
        )
        for i in range(min(10, workers - t)):
            person(agency, team, titles[i % len(titles)], User.Role.PRACTITIONER)
        manager = person(agency, team, "Early help team manager", User.Role.TEAM_MANAGER)
        pending_managers.append((team, manager))
