"""The TAC cycle for the demo sign-ins (small path): the families and the shared steps.

A handful of families are walked through the whole TAC cycle with the real services,
so that everything the demo sign-ins try first is there (ARCHITECTURE §9).
``plan_story.full_plan`` tells the longest story (assessment, first TAC, plan,
review); ``stories`` tells the others and runs them all in order. ``Cycle`` holds
what they share: the demo sign-ins, the clock, and the steps every story starts with.
"""

from __future__ import annotations

import importlib
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from agencies.models import Agency, AgencyKind, User
from assessments.definition import default_definition
from assessments.models import AssessmentTemplate
from assessments.services.content import Base
from cases.models import (
    Case,
    Child,
    ConsentRecord,
    Family,
    FamilyMember,
    InformationLevel,
    TeamMembership,
)
from cases.services.consent import record_consent
from cases.services.lifecycle import change_status, open_case, record_level_of_need
from cases.services.teams import add_family_member_to_team, add_professional_to_team
from demo.authority import (
    COORDINATOR_EMAIL,
    LEAD_EMAIL,
    MANAGER_EMAIL,
    PRACTITIONER_EMAIL,
    SCHOOL_EMAIL,
)
from demo.directory import Directory
from demo.families import FamilySpec, save_family
from demo.plans import RATIONALES, Planner, S, shortest_path
from notifications.models import ReminderRule

#: Reminder rules the data migrations create, restored by their ``seed`` functions when a
#: ``flush`` emptied the table. The modules' names start with a digit, so they are
#: loaded by name.
_REMINDER_RULE_MIGRATIONS = tuple(
    importlib.import_module(f"notifications.migrations.{name}")
    for name in ("0002_seed_review_rules", "0003_seed_further_rules", "0005_consent_age_rule")
)


#: The cycle runs when the small path seeds at least this many children.
CYCLE_MIN_CHILDREN = 100
#: Children in each family the cycle uses, in order (they count towards ``n_children``).
CYCLE_FAMILY_SIZES = (2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 1, 2, 1)
CYCLE_CHILDREN = sum(CYCLE_FAMILY_SIZES)


@dataclass
class CycleFamily:
    family: Family
    children: list[Child]
    members: list[FamilyMember]


class Cycle:
    """What the cycle's stories share: its families, the demo sign-ins, the clock, the RNG.

    Each story takes the next family in turn (``next_family``) and most start with
    ``open_to``: a case led by lead@, walked through the services to a status.
    """

    def __init__(self, directory: Directory, planner: Planner, families: list[FamilySpec]) -> None:
        self.d = directory
        self.rng = planner.rng
        self.now = planner.now
        self.today = planner.today
        demo = directory.demo
        self.lead = demo[LEAD_EMAIL]
        self.school = demo[SCHOOL_EMAIL]
        self.hv = demo[PRACTITIONER_EMAIL]
        self.coordinator = demo[COORDINATOR_EMAIL]
        self.manager = demo[MANAGER_EMAIL]
        self.specs = families
        self.families: deque[CycleFamily] = deque()

    def next_family(self) -> CycleFamily:
        return self.families.popleft()

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        moment = (self.now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0)
        return min(moment, self.now - timedelta(minutes=30))

    def meeting_time(self, days_ahead: int, hour: int = 10) -> datetime:
        day = self.today + timedelta(days=days_ahead)
        return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())

    def other(self, kind: str) -> User:
        return self.d.users[self.rng.choice(self.d.by_kind[kind]).id]

    def open_to(self, cf: CycleFamily, *, to: str, days_ago: int) -> Case:
        """A case led by lead@ from identification to ``to``, with a TAC and the family."""
        opened = self.at(days_ago, 9)
        case = open_case(
            cf.family, children=cf.children, by=self.lead, interim_lead=self.lead, opened_at=opened
        )
        path = shortest_path(to)
        step = max(1, days_ago // (len(path) + 2))
        for i, status in enumerate(path, start=1):
            at = self.at(days_ago - i * step, 11)
            if status == S.TRIAGED:
                level = self.d.levels["EARLY_HELP"]
                record_level_of_need(
                    case,
                    level=level,
                    rationale=self.rng.choice(RATIONALES["EARLY_HELP"]),
                    by=self.lead,
                    family_informed=True,
                    at=at - timedelta(minutes=1),
                )
            if status == S.ASSESSING:
                for prof in (self.school, self.hv):
                    add_professional_to_team(case, professional=prof, by=self.lead, at=at)
                for kind in (AgencyKind.GP, AgencyKind.MENTAL_HEALTH):
                    add_professional_to_team(
                        case, professional=self.other(kind), by=self.lead, at=at
                    )
                for member in cf.members:
                    add_family_member_to_team(case, family_member=member, by=self.lead)
            change_status(case, to=status, by=self.lead, at=at)
        case.refresh_from_db()
        return case

    def members(self, case: Case) -> dict[str, TeamMembership]:
        """The case's active memberships by professional email, and "family" for a parent."""
        out: dict[str, TeamMembership] = {}
        for m in case.memberships.active().select_related("professional", "family_member"):
            if m.professional is not None:
                out[m.professional.email] = m
            elif m.family_member is not None and "family" not in out:
                out["family"] = m
        return out

    def record_sharing(self, case: Case, cf: CycleFamily, *, by: User, basic_only: bool) -> None:
        """A sharing preference: additional information, or basic only for some agencies."""
        excluded: list[Agency] = []
        if basic_only:
            excluded = [
                a
                for a in self.d.agencies
                if a.kind in (AgencyKind.HOUSING, AgencyKind.POLICE, AgencyKind.DWP)
            ]
        record_consent(
            case,
            by=by,
            kind=ConsentRecord.Kind.SHARING_PREFERENCE,
            given_by=cf.members[0],
            given_by_child=None,
            subject_children=cf.children,
            capacity_basis=ConsentRecord.CapacityBasis.ADULT,
            method=self.rng.choice(list(ConsentRecord.Method.values)),
            given_at=min(case.opened_at + timedelta(days=3), self.now),
            information_level=InformationLevel.ADDITIONAL,
            agencies_excluded=excluded,
        )

    def save_families(self) -> None:
        """Write the cycle's families, in order, and queue them for the stories."""
        for spec in self.specs:
            save_family(spec)
            family = Family.objects.get(pk=spec.id)
            self.families.append(
                CycleFamily(
                    family,
                    list(family.children.order_by("pk")),
                    list(family.members.order_by("pk")),
                )
            )


def ensure_reference_data() -> None:
    """Restore the default assessment template and the reminder rules if a ``flush`` emptied them.

    Data migrations create both, but a database emptied by ``flush`` (as
    transactional tests do) has neither.
    """
    if not AssessmentTemplate.objects.filter(is_default=True).exists():
        AssessmentTemplate.objects.get_or_create(
            code="caf-2009",
            version=1,
            defaults={
                "name": "Early help assessment",
                "definition": default_definition(),
                "is_default": True,
            },
        )
    if not ReminderRule.objects.exists():
        for migration in _REMINDER_RULE_MIGRATIONS:
            migration.seed(apps, None)


class FreshBases(dict[str, Base]):
    """Bases for assessment fields nobody has written yet (version 0)."""

    def get(self, key: str, default: Any = None) -> Base:  # type: ignore[override]
        return Base(version=0)
