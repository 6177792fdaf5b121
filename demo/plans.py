"""Each case's history, planned in time order, for both writers.

``Planner`` extends ``families.FamilyPlanner`` with a ``CasePlan`` per family: the
walk through the case state machine to its current status, the judgements of need,
TAC members, changes of lead professional, review dates and closure reasons. The
small path replays a plan through the case services; the bulk path writes the same
plan as COPY rows.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from agencies.models import AgencyKind
from cases.models import Case, ClosureReason, LeadProfessionalAssignment, TACRole
from demo.authority import LEAD_EMAIL, OTHER_MEMBER_KINDS, PRACTITIONER_EMAIL, SCHOOL_EMAIL
from demo.directory import Directory, Prof
from demo.families import ChildSpec, FamilyPlanner, FamilySpec
from demo.names import NamePools, weighted

S = Case.Status
Basis = LeadProfessionalAssignment.Basis
ChangeReason = LeadProfessionalAssignment.ChangeReason

# --- The process: statuses, timings, reasons ------------------------------------------------

#: Relative frequency of each case's current status (about 60 % of cases open).
STATUS_WEIGHTS: dict[str, int] = {
    S.IDENTIFIED: 4,
    S.REQUEST_SUBMITTED: 4,
    S.TRIAGED: 4,
    S.CONSENT_PENDING: 4,
    S.ASSESSING: 8,
    S.PLANNING: 6,
    S.ACTIVE: 26,
    S.REASSESSING: 2,
    S.STEP_UP_REQUESTED: 2,
    S.CLOSING: 2,
    S.CLOSED: 15,
    S.SINGLE_AGENCY: 3,
    S.CSC_REFERRAL: 3,
    S.CLOSED_NFA: 4,
    S.CLOSED_DECLINED: 3,
    S.CLOSED_NEEDS_MET: 3,
    S.CLOSED_STEPPED_UP: 3,
}
#: How long ago (days) a case now in this status was opened.
OPENED_DAYS_AGO: dict[str, tuple[int, int]] = {
    S.IDENTIFIED: (1, 20),
    S.REQUEST_SUBMITTED: (2, 25),
    S.TRIAGED: (4, 35),
    S.CONSENT_PENDING: (7, 45),
    S.ASSESSING: (14, 75),
    S.PLANNING: (30, 110),
    S.ACTIVE: (60, 540),
    S.REASSESSING: (330, 720),
    S.STEP_UP_REQUESTED: (90, 500),
    S.CLOSING: (180, 600),
    S.CLOSED: (200, 1100),
    S.SINGLE_AGENCY: (20, 900),
    S.CSC_REFERRAL: (10, 900),
    S.CLOSED_NFA: (10, 900),
    S.CLOSED_DECLINED: (20, 900),
    S.CLOSED_NEEDS_MET: (60, 1000),
    S.CLOSED_STEPPED_UP: (100, 1000),
}
CLOSED_REASON_CHOICES: tuple[tuple[str, int], ...] = (
    (ClosureReason.NEEDS_MET, 60),
    (ClosureReason.DISENGAGED, 12),
    (ClosureReason.MOVED_OUT_OF_AREA, 8),
    (ClosureReason.SINGLE_AGENCY, 8),
    (ClosureReason.CONSENT_WITHDRAWN, 6),
    (ClosureReason.AGED_OUT, 4),
    (ClosureReason.OTHER, 2),
)
LATER_CHANGE_REASONS: tuple[tuple[str, str, int], ...] = (
    (ChangeReason.MANAGING_CASELOADS, Basis.MANAGER_ALLOCATED, 5),
    (ChangeReason.WORKER_LEFT_ROLE, Basis.MANAGER_ALLOCATED, 4),
    (ChangeReason.ABSENCE_COVER, Basis.MANAGER_ALLOCATED, 2),
    (ChangeReason.RESTRUCTURE, Basis.MANAGER_ALLOCATED, 1),
    (ChangeReason.PARENT_REQUESTED, Basis.FAMILY_CHOICE, 2),
    (ChangeReason.CHILD_REQUESTED, Basis.FAMILY_CHOICE, 1),
    (ChangeReason.STANDARD_TRANSFER, Basis.AGREED_AT_TAC, 2),
)
RATIONALES: dict[str, tuple[str, ...]] = {
    "UNIVERSAL": (
        "Needs can be met by the child's school and GP; advice and signposting given.",
        "No additional needs identified beyond what universal services already offer.",
    ),
    "EARLY_HELP": (
        "Emerging needs around school attendance and morning routines; parents keen to engage.",
        "Low-level concerns about sleep and behaviour at home; support with parenting routines.",
        "Housing worries are affecting the family; needs are emerging but the family copes.",
        "Speech and language delay with some parental anxiety; light-touch support needed.",
    ),
    "TARGETED": (
        "Several needs across health, education and home life call for a team around the family.",
        "Parental mental health and school attendance together need a coordinated plan.",
        "Domestic abuse in the past and current financial stress: multi-agency support needed.",
        "Persistent absence and emotional wellbeing needs; more than one agency is involved.",
    ),
    "SPECIALIST": (
        "Risk has escalated despite the plan; the threshold for a social care assessment is met.",
        "Concerns about significant harm: referred to the front door for a statutory assessment.",
    ),
}
CLOSURE_DETAIL_OTHER = "Family asked for the case to close while support continues elsewhere."
INTERPRETER_LANGUAGES = ("Polish", "Romanian", "Arabic", "Somali", "Bengali", "Urdu")
INTERPRETING_SERVICE = "Demo Interpreting Service"


@dataclass(slots=True)
class Action:
    """One thing that happens to a case, in time order."""

    at: datetime
    kind: str  # status | lead | member | family | external | level
    status: str = ""
    prof: Prof | None = None
    basis: str = ""
    change_reason: str = ""
    role: str = ""
    level: str = ""
    text: str = ""
    note: str = ""


@dataclass(slots=True)
class CasePlan:
    status: str
    opened_at: datetime
    opener: Prof
    initial_lead: Prof | None
    initial_basis: str
    actions: list[Action]
    closure_reason: str
    closure_detail: str
    next_review_due: date | None
    previous: CasePlan | None = None
    id: int = 0
    reference: str = ""


class Planner(FamilyPlanner):
    """Turns a seeded RNG into families, children and case plans."""

    def __init__(self, rng: random.Random, names: NamePools, directory: Directory) -> None:
        super().__init__(rng, names, directory)
        self.statuses = weighted(rng, [(s, float(w)) for s, w in STATUS_WEIGHTS.items()])
        self.closed_reasons = weighted(rng, [(r, float(w)) for r, w in CLOSED_REASON_CHOICES])
        self.later_changes = [(r, b) for r, b, w in LATER_CHANGE_REASONS for _ in range(w)]
        self.other_kinds = [
            k for k, w in OTHER_MEMBER_KINDS for _ in range(w) if k in self.d.by_kind
        ]
        demo = directory.demo
        self._eight_today = self.now.replace(hour=8, minute=0, second=0)
        self._latest = self.now - timedelta(minutes=5)
        self.lead_demo = directory.profs[demo[LEAD_EMAIL].pk]
        self.hv_demo = directory.profs[demo[PRACTITIONER_EMAIL].pk]
        self.school_demo = directory.profs[demo[SCHOOL_EMAIL].pk]
        # Guarantee the demo relationships whatever the sample (ARCHITECTURE §9).
        self.force_lead = 5
        self.force_hv = 4
        self.force_school = 3

    def _at(self, days_ago: float) -> datetime:
        """A working-hours moment ``days_ago`` days before today (in UTC, so every day
        starts at 08:00 the same way)."""
        moment = self._eight_today - timedelta(
            days=int(days_ago), seconds=-self.rng.randrange(0, 9 * 3600)
        )
        return min(moment, self._latest)

    def _path(self, target: str) -> list[str]:
        if target == S.CSC_REFERRAL and self.rng.random() < 0.5:
            return [S.REQUEST_SUBMITTED, S.TRIAGED, S.CSC_REFERRAL]
        return shortest_path(target)

    def _lead(self, exclude: Prof | None = None) -> Prof:
        pool = self.d.other_lead_pool if self.rng.random() < 0.15 else self.d.lead_pool
        pool = pool or self.d.lead_pool
        for _ in range(10):
            prof = self.rng.choice(pool)
            if prof is not exclude:
                return prof
        return next(p for p in self.d.lead_pool if p is not exclude)

    def plan_case(
        self,
        family: FamilySpec,
        status: str,
        *,
        opened_days_ago: float | None = None,
        closed_days_ago: float | None = None,
    ) -> CasePlan:
        rng = self.rng
        lo, hi = OPENED_DAYS_AGO[status]
        if opened_days_ago is None:
            opened_days_ago = rng.uniform(lo, hi)
        opened_at = self._at(opened_days_ago)
        terminal = status in Case.TERMINAL_STATUSES
        if closed_days_ago is None:
            if terminal:
                closed_days_ago = opened_days_ago * rng.uniform(0.05, 0.7)
            else:
                closed_days_ago = rng.uniform(0, min(14.0, opened_days_ago * 0.3))
        path = self._path(status)
        # Moments for each step, in order, after opening and up to the last step.
        span = max(opened_days_ago - closed_days_ago, 0.5)
        offsets = sorted(rng.uniform(0, span) for _ in path)
        if path:
            offsets[-1] = span
        step_days = [opened_days_ago - o for o in offsets]
        times = [max(self._at(d), opened_at + timedelta(minutes=10 * (i + 1)))
                 for i, d in enumerate(step_days)]  # fmt: skip
        for i in range(1, len(times)):
            if times[i] <= times[i - 1]:
                times[i] = times[i - 1] + timedelta(minutes=5)

        lead = self._lead()
        basis = Basis.STEP_DOWN_HANDOVER if rng.random() < 0.04 else Basis.INTERIM_INITIATOR
        current = lead
        actions: list[Action] = []
        if status in Case.OPEN_STATUSES and self.force_lead > 0 and lead is not self.lead_demo:
            # Make the demo lead the lead from the start on a handful of open cases.
            self.force_lead -= 1
            lead = current = self.lead_demo
        kids = family.children
        ages = [c.age for c in kids]
        for step, at in zip(path, times, strict=True):
            if step == S.TRIAGED:
                actions.append(self._judgement(at, current, "EARLY_HELP", "TARGETED"))
            if step == S.ASSESSING:
                actions.append(Action(at, "family"))
                actions.extend(self._members(at, kids, ages, exclude={current}))
                if any(c.interpreter_required for c in kids):
                    language = rng.choice(INTERPRETER_LANGUAGES)
                    actions.append(
                        Action(at, "external", role=TACRole.INTERPRETER,
                               text=f"{language} interpreter", note=INTERPRETING_SERVICE)
                    )  # fmt: skip
            if step == S.ACTIVE and rng.random() < 0.35 and current is not self.lead_demo:
                new = self._lead(exclude=current)
                actions.append(
                    Action(at - timedelta(minutes=1), "lead", prof=new, basis=Basis.AGREED_AT_TAC,
                           change_reason=ChangeReason.AGREED_AT_FIRST_TAC)
                )  # fmt: skip
                current = new
            if step in (S.STEP_UP_REQUESTED,) and self.d.social_workers:
                actions.append(self._judgement(at, current, "SPECIALIST"))
                actions.append(
                    Action(at, "member", prof=rng.choice(self.d.social_workers),
                           role=TACRole.SOCIAL_WORKER)
                )  # fmt: skip
            if step == S.CSC_REFERRAL:
                actions.append(self._judgement(at, current, "SPECIALIST"))
            if step == S.SINGLE_AGENCY:
                actions.append(self._judgement(at, current, "UNIVERSAL", "EARLY_HELP"))
            actions.append(Action(at, "status", status=step))

        if S.ACTIVE in path:
            # Reviews and changes of lead happen while the plan is active.
            i = path.index(S.ACTIVE)
            active_at = times[i]
            end_at = times[i + 1] if i + 1 < len(times) else self.now - timedelta(hours=1)
            gap = (end_at - active_at).total_seconds()
            if gap > 30 * 86400 and rng.random() < 0.4:
                # A review meeting: Active → Active.
                review_at = active_at + timedelta(seconds=gap * rng.uniform(0.3, 0.8))
                actions.append(Action(review_at, "status", status=S.ACTIVE, note="Review meeting"))
            if gap > 20 * 86400 and rng.random() < 0.12 and current is not self.lead_demo:
                reason, change_basis = rng.choice(self.later_changes)
                new = self._lead(exclude=current)
                change_at = active_at + timedelta(seconds=gap * rng.uniform(0.2, 0.9))
                actions.append(
                    Action(change_at, "lead", prof=new, basis=change_basis, change_reason=reason)
                )
                current = new
        actions.sort(key=lambda a: (a.at, a.kind == "status"))

        if S.ASSESSING in path and not terminal:
            self._force_demo_members(actions, times[path.index(S.ASSESSING)])

        closure_reason = closure_detail = ""
        if terminal:
            if status == S.CLOSED:
                closure_reason = rng.choice(self.closed_reasons)
                if closure_reason == ClosureReason.OTHER:
                    closure_detail = CLOSURE_DETAIL_OTHER
            else:
                closure_reason = Case.DEFAULT_CLOSURE_REASONS[status]
        review: date | None = None
        if status in (S.ACTIVE, S.REASSESSING):
            if rng.random() < 0.2:
                review = self.today - timedelta(days=rng.randrange(1, 45))
            else:
                review = self.today + timedelta(days=rng.randrange(1, 84))
        return CasePlan(
            status=status,
            opened_at=opened_at,
            opener=lead,
            initial_lead=lead,
            initial_basis=basis,
            actions=actions,
            closure_reason=closure_reason,
            closure_detail=closure_detail,
            next_review_due=review,
        )

    def _judgement(self, at: datetime, by: Prof, *levels: str) -> Action:
        level = self.rng.choice(levels)
        return Action(
            at - timedelta(minutes=1),
            "level",
            prof=by,
            level=level,
            text=self.rng.choice(RATIONALES[level]),
        )

    def _members(
        self, at: datetime, kids: list[ChildSpec], ages: list[int], exclude: set[Prof]
    ) -> list[Action]:
        rng = self.rng
        chosen: list[Prof] = []

        def add(pool: list[Prof] | None) -> None:
            if pool:
                prof = rng.choice(pool)
                if prof not in exclude and prof not in chosen:
                    chosen.append(prof)

        if any(a < 5 for a in ages) and rng.random() < 0.85:
            add(self.d.by_kind.get(AgencyKind.HEALTH_VISITING))
        if any(a < 0 for a in ages) and rng.random() < 0.8:
            add(self.d.midwives)
        for school_id in {c.school_id for c in kids if c.school_id is not None}:
            if rng.random() < 0.8:
                add(self.d.by_agency.get(school_id))
        if any(a >= 13 for a in ages) and rng.random() < 0.1:
            add(self.d.by_kind.get(AgencyKind.YOUTH_JUSTICE))
        for _ in range(rng.choice((0, 1, 1, 2))):
            add(self.d.by_kind[rng.choice(self.other_kinds)])
        return [
            Action(at + timedelta(minutes=2 + i), "member", prof=p, role=TACRole.PRACTITIONER)
            for i, p in enumerate(chosen)
        ]

    def _force_demo_members(self, actions: list[Action], at: datetime) -> None:
        present = {a.prof for a in actions if a.kind == "member"}
        for attr, demo in (("force_hv", self.hv_demo), ("force_school", self.school_demo)):
            if getattr(self, attr) > 0 and demo not in present:
                setattr(self, attr, getattr(self, attr) - 1)
                actions.append(
                    Action(at + timedelta(minutes=9), "member", prof=demo,
                           role=TACRole.PRACTITIONER)
                )  # fmt: skip
        actions.sort(key=lambda a: (a.at, a.kind == "status"))

    def plan_family_cases(self, family: FamilySpec, status: str) -> CasePlan:
        """The family's current case in ``status``, after a closed one for some re-referrals."""
        plan = self.plan_case(family, status)
        if self.rng.random() < 0.12:
            opened_days_ago = (self.now - plan.opened_at).total_seconds() / 86400
            prev_closed = opened_days_ago + self.rng.uniform(30, 200)
            prev_opened = prev_closed + self.rng.uniform(120, 400)
            prev_status = self.rng.choice((S.CLOSED, S.CLOSED, S.CLOSED_NEEDS_MET))
            plan.previous = self.plan_case(
                family, prev_status, opened_days_ago=prev_opened, closed_days_ago=prev_closed
            )
        return plan

    def take_share(self, share: int, shares: int) -> None:
        """Plan one of ``shares`` parts of the families, side by side with the others.

        Each part gets a random stream of its own, drawn from the one it was given, and
        every ``shares``-th NHS number; only the first part makes the demo sign-ins'
        own cases (ARCHITECTURE §9), so they are made once."""
        self.rng.seed(self.rng.getrandbits(64) * shares + share)
        self.nhs.take_share(share, shares)
        if share:
            self.force_lead = self.force_hv = self.force_school = 0

    def random_status(self) -> str:
        return self.rng.choice(self.statuses)


def _main_road(here: str) -> list[str]:
    """Where a case goes next on the road DOMAIN §3.1 draws: the ways out that every stage
    also has (closing early, a step-up before the plan, asking the family without a
    request) are real, but the demo's cases travel the usual road."""
    targets = set(Case.TRANSITIONS[here])
    if here != S.ACTIVE:
        targets.discard(S.CLOSING)
        targets.discard(S.STEP_UP_REQUESTED)
    if here == S.IDENTIFIED:
        targets.discard(S.CONSENT_PENDING)
    if here == S.STEP_UP_REQUESTED:
        targets &= {S.ACTIVE, S.CLOSED_STEPPED_UP}
    return sorted(targets)


def shortest_path(target: str) -> list[str]:
    """Statuses after IDENTIFIED on the shortest walk of the state machine's main road to
    ``target``."""
    return list(_shortest_path(target))


@cache
def _shortest_path(target: str) -> tuple[str, ...]:
    """``shortest_path``, worked out once per status (the bulk path asks for every case)."""
    start = S.IDENTIFIED
    if target == start:
        return ()
    previous: dict[str, str] = {}
    queue = deque([str(start)])
    while queue:
        here = queue.popleft()
        for nxt in _main_road(here):
            if nxt not in previous and nxt != start:
                previous[nxt] = here
                queue.append(nxt)
    path = [target]
    while path[-1] in previous and previous[path[-1]] != start:
        path.append(previous[path[-1]])
    return tuple(reversed(path))
