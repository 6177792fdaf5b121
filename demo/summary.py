"""What a seeding run wrote: row counts only, never names (they are personal-looking data)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from agencies.models import Agency, Team, User
from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Child,
    Family,
    FamilyMember,
    LeadProfessionalAssignment,
    LevelOfNeedJudgement,
    TeamMembership,
)


@dataclass
class SeedSummary:
    path: str
    counts: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    children_per_second: float = 0.0


def summarise(path: str, started: float, n_children: int) -> SeedSummary:
    """Count what the database now holds, and the rate since ``started`` (``time.monotonic``)."""
    counts = {
        "agencies": Agency.objects.count(),
        "teams": Team.objects.count(),
        "professionals": User.objects.count(),
        "families": Family.objects.count(),
        "family members": FamilyMember.objects.count(),
        "children": Child.objects.count(),
        "cases": Case.objects.count(),
        "open cases": Case.objects.open().count(),
        "case subjects": CaseSubject.objects.count(),
        "TAC memberships": TeamMembership.objects.count(),
        "lead assignments": LeadProfessionalAssignment.objects.count(),
        "level judgements": LevelOfNeedJudgement.objects.count(),
        "chronology events": CaseEvent.objects.count(),
    }
    elapsed = time.monotonic() - started
    return SeedSummary(
        path=path,
        counts=counts,
        elapsed=elapsed,
        children_per_second=n_children / elapsed if elapsed else 0.0,
    )
