"""The small path: every case written through the case services, in one transaction.

The chronology is exactly what the portal writes. With at least
``CYCLE_MIN_CHILDREN`` children, a few more families are walked through the whole TAC
cycle for the demo sign-ins (``stories.run_cycle``), and most open cases then get a
sharing preference.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import AgencyKind
from cases.models import Case, Child, ConsentRecord, Family, FamilyMember, InformationLevel
from cases.services.consent import record_consent
from cases.services.lifecycle import change_status, open_case, record_level_of_need
from cases.services.reviews import set_next_review_due
from cases.services.teams import (
    add_external_contact_to_team,
    add_family_member_to_team,
    add_professional_to_team,
    assign_lead_professional,
)
from demo.cycle import CYCLE_CHILDREN, CYCLE_FAMILY_SIZES, CYCLE_MIN_CHILDREN
from demo.directory import Directory, build_directory
from demo.families import FamilySpec, save_family
from demo.names import NamePools
from demo.plans import STATUS_WEIGHTS, Basis, CasePlan, Planner, S
from demo.stories import run_cycle
from demo.summary import SeedSummary, summarise


def seed_small(n_children: int, seed: int) -> SeedSummary:
    """Seed through ``cases.services`` in one transaction."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = NamePools(seed)
    with transaction.atomic():
        directory = build_directory(rng, names, expected_children=n_children, bulk=False)
        planner = Planner(rng, names, directory)
        cycle_families: list[FamilySpec] = []
        if n_children >= CYCLE_MIN_CHILDREN:
            # The families the demo sign-ins walk through the TAC cycle come first.
            for size in CYCLE_FAMILY_SIZES:
                fam = planner.family()
                fam.children = [planner.cycle_child(fam) for _ in range(size)]
                cycle_families.append(fam)
            n_children -= CYCLE_CHILDREN
        families = list(planner.families(n_children))
        # Every status appears at least once when there are enough families.
        order = list(STATUS_WEIGHTS)
        with_case = max(round(len(families) * 0.7), min(len(families), len(order)))
        for i, fam in enumerate(families):
            save_family(fam)
            if i < with_case:
                status = order[i] if i < len(order) else planner.random_status()
                plan = planner.plan_family_cases(fam, status)
                _write_case_with_services(directory, fam, plan)
        if cycle_families:
            run_cycle(directory, planner, cycle_families)
            share_preferences_on_active_cases(directory, rng)
            n_children += CYCLE_CHILDREN
    return summarise("small", started, n_children)


def _write_case_with_services(directory: Directory, fam: FamilySpec, plan: CasePlan) -> Case:
    previous = None
    if plan.previous is not None:
        previous = _write_case_with_services(directory, fam, plan.previous)
    users = directory.users
    family = Family.objects.get(pk=fam.id)
    children = list(Child.objects.filter(family=family).order_by("pk"))
    opener = users[plan.opener.id]
    interim = plan.initial_basis == Basis.INTERIM_INITIATOR
    case = open_case(
        family,
        children=children,
        by=opener,
        interim_lead=opener if interim else None,
        previous_case=previous,
        opened_at=plan.opened_at,
    )
    if not interim and plan.initial_lead is not None:
        assign_lead_professional(
            case,
            professional=users[plan.initial_lead.id],
            by=opener,
            basis=plan.initial_basis,
            at=plan.opened_at,
        )
    lead = opener
    for action in plan.actions:
        if action.kind == "status":
            terminal = action.status in Case.TERMINAL_STATUSES
            change_status(
                case,
                to=action.status,
                by=lead,
                closure_reason=plan.closure_reason if terminal else "",
                closure_reason_detail=plan.closure_detail if terminal else "",
                note=action.note,
                at=action.at,
            )
        elif action.kind == "lead" and action.prof is not None:
            assign_lead_professional(
                case,
                professional=users[action.prof.id],
                by=lead,
                basis=action.basis,
                change_reason=action.change_reason,
                family_consulted=action.basis == Basis.FAMILY_CHOICE,
                at=action.at,
            )
            lead = users[action.prof.id]
        elif action.kind == "member" and action.prof is not None:
            add_professional_to_team(
                case, professional=users[action.prof.id], by=lead, role=action.role, at=action.at
            )
        elif action.kind == "family":
            for member in FamilyMember.objects.filter(family=family).order_by("pk"):
                add_family_member_to_team(case, family_member=member, by=lead, at=action.at)
        elif action.kind == "external":
            add_external_contact_to_team(
                case,
                name=action.text,
                agency=action.note,
                email="",
                by=lead,
                role=action.role,
                at=action.at,
            )
        elif action.kind == "level" and action.prof is not None:
            record_level_of_need(
                case,
                level=directory.levels[action.level],
                rationale=action.text,
                by=users[action.prof.id],
                family_informed=True,
                at=action.at,
            )
    if plan.next_review_due is not None:
        set_next_review_due(case, due=plan.next_review_due, by=lead)
    plan.id = case.pk
    return case


def share_preferences_on_active_cases(directory: Directory, rng: random.Random) -> int:
    """Record a sharing preference on most open cases past triage, by their lead."""
    done = 0
    cases = (
        Case.objects.filter(status__in=(S.ASSESSING, S.PLANNING, S.ACTIVE, S.REASSESSING))
        .exclude(consents__kind=ConsentRecord.Kind.SHARING_PREFERENCE)
        .order_by("pk")
    )
    excluded = [a for a in directory.agencies if a.kind in (AgencyKind.HOUSING, AgencyKind.POLICE)]
    for case in cases:
        if rng.random() < 0.2:
            continue
        lead = case.lead_assignment
        giver = case.family.members.order_by("pk").first()
        if lead is None or giver is None:
            continue
        basic_only = rng.random() < 0.3
        record_consent(
            case,
            by=lead.professional,
            kind=ConsentRecord.Kind.SHARING_PREFERENCE,
            given_by=giver,
            given_by_child=None,
            subject_children=list(case.children.all()),
            capacity_basis=ConsentRecord.CapacityBasis.ADULT,
            method=rng.choice(list(ConsentRecord.Method.values)),
            given_at=min(case.opened_at + timedelta(days=2), timezone.now()),
            information_level=InformationLevel.ADDITIONAL,
            agencies_excluded=excluded if basic_only else [],
        )
        done += 1
    return done
