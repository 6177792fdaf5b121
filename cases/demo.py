"""Demo data for a fictional local authority (ARCHITECTURE §9).

``seed_demo`` builds "Demo Borough Council": agencies of every kind, their teams,
professionals and team managers, the eight fixed demo sign-ins, and families and
children at every stage of the TAC process.

Two writers share one planner, so both paths produce the same kind of data:

- the *small* path (the default for a few hundred children) writes each case
  through ``cases.services``, so the chronology is exactly what the portal writes;
- the *bulk* path (``--bulk``, or more than ``BULK_THRESHOLD`` children) writes
  the same plans as rows streamed to PostgreSQL with ``COPY``, in chunks, and
  reaches a million children in minutes.

Everything is fictional: names come from seeded Faker pools, NHS numbers from the
999 test range, postcodes from "Q" areas (Q is never the first letter of a real
postcode area). Nothing here prints personal data; the summary holds counts only.
"""

from __future__ import annotations

import importlib
import io
import random
import time
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from psycopg2 import sql  # type: ignore[import-untyped]

from agencies.models import CIN_SOURCE_CODES, Agency, AgencyKind, Team, User
from assessments import services as assessments
from assessments.models import Assessment
from assessments.services import Base
from audit import services as audit
from cases import episode, services
from cases.models import (
    Case,
    CaseClosure,
    CaseEvent,
    CaseSubject,
    Child,
    ClosureReason,
    ConsentRecord,
    DisclosureDecision,
    Ethnicity,
    Family,
    FamilyMember,
    InformationLevel,
    LeadProfessionalAssignment,
    LevelOfNeed,
    LevelOfNeedJudgement,
    ReferralSource,
    Religion,
    RestrictionTarget,
    Sex,
    TACRole,
    TeamMembership,
    TriageDecision,
)
from cases.phonetics import child_name_keys
from meetings import services as meetings
from meetings.models import Action as MeetingAction
from meetings.models import Meeting, Review

#: More children than this are written with COPY unless the caller says otherwise.
BULK_THRESHOLD = 5000
#: Families written per COPY round on the bulk path.
BULK_FAMILIES_PER_CHUNK = 25_000
#: One lead-capable professional per this many expected open cases on the bulk path.
OPEN_CASES_PER_LEAD = 150
#: On the bulk path, other services get one more post per this many children...
STAFF_PER_POST_CHILDREN = 4000
#: ...split into teams of about this size, each with its own manager.
TEAM_SIZE = 8

S = Case.Status
Basis = LeadProfessionalAssignment.Basis
ChangeReason = LeadProfessionalAssignment.ChangeReason
EndReason = LeadProfessionalAssignment.EndReason
Relationship = FamilyMember.Relationship
PR = FamilyMember.ParentalResponsibility

# --- The demo sign-ins (ARCHITECTURE §9) ---------------------------------------------------

DEMO_DOMAIN = "demo.tac.example"
PRACTITIONER_EMAIL = f"practitioner@{DEMO_DOMAIN}"
LEAD_EMAIL = f"lead@{DEMO_DOMAIN}"
SCHOOL_EMAIL = f"school@{DEMO_DOMAIN}"
OUTSIDER_EMAIL = f"outsider@{DEMO_DOMAIN}"
MANAGER_EMAIL = f"manager@{DEMO_DOMAIN}"
COORDINATOR_EMAIL = f"coordinator@{DEMO_DOMAIN}"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
AUDITOR_EMAIL = f"auditor@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    job_title: str
    role: str
    agency: str
    team: str
    manages_team: bool = False
    is_admin: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        PRACTITIONER_EMAIL,
        "Polly Practitioner",
        "Health visitor",
        User.Role.PRACTITIONER,
        "Demo Community Health NHS Trust",
        "Riverside health visiting team",
    ),
    DemoAccount(
        LEAD_EMAIL,
        "Lena Lead",
        "Family support worker",
        User.Role.PRACTITIONER,
        "Northgate Family Hub",
        "Northgate early help team",
    ),
    DemoAccount(
        SCHOOL_EMAIL,
        "Sam School",
        "Designated safeguarding lead",
        User.Role.PRACTITIONER,
        "Riverside Primary School",
        "Pastoral and safeguarding team",
    ),
    DemoAccount(
        OUTSIDER_EMAIL,
        "Otto Outsider",
        "Police constable",
        User.Role.PRACTITIONER,
        "Demo Constabulary",
        "Roads policing unit",
    ),
    DemoAccount(
        MANAGER_EMAIL,
        "Mo Manager",
        "Early help team manager",
        User.Role.TEAM_MANAGER,
        "Northgate Family Hub",
        "Northgate early help team",
        manages_team=True,
    ),
    DemoAccount(
        COORDINATOR_EMAIL,
        "Cora Coordinator",
        "Early help coordinator",
        User.Role.COORDINATOR,
        "Demo Borough Council Early Help Service",
        "Early help coordination",
    ),
    DemoAccount(
        ADMIN_EMAIL,
        "Ada Admin",
        "System administrator",
        User.Role.SYSTEM_ADMINISTRATOR,
        "Demo Borough Council Corporate Services",
        "Digital services",
        is_admin=True,
    ),
    DemoAccount(
        AUDITOR_EMAIL,
        "Iggy Governance",
        "Information governance officer",
        User.Role.INFORMATION_GOVERNANCE,
        "Demo Borough Council Corporate Services",
        "Information governance",
    ),
)
DEMO_EMAILS: tuple[str, ...] = tuple(a.email for a in DEMO_ACCOUNTS)


def demo_accounts_exist() -> bool:
    return User.objects.filter(email__in=DEMO_EMAILS).exists()


# --- The local authority: agencies, teams, job titles (DOMAIN §8.1) -------------------------

LOCALITIES = ("Northgate", "Riverside", "Eastfield", "Westmoor")
#: Fictional outward codes per locality ("Q" never starts a real postcode area).
OUTWARD_CODES = {
    "Northgate": ("QN1", "QN2", "QN3"),
    "Riverside": ("QR1", "QR2", "QR3"),
    "Eastfield": ("QE1", "QE2", "QE3"),
    "Westmoor": ("QW1", "QW2", "QW3"),
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = (
    "Acacia Avenue", "Beech Road", "Canal Street", "Chapel Lane", "Church Walk",
    "Elm Grove", "Foundry Lane", "Garden Terrace", "Hawthorn Close", "High Street",
    "Kingfisher Way", "Larch Drive", "Market Row", "Mill Lane", "Orchard Close",
    "Park View", "Quarry Road", "Railway Terrace", "Rowan Court", "School Lane",
    "Station Road", "Sycamore Crescent", "The Green", "Victoria Street", "Willow Way",
)  # fmt: skip


@dataclass(frozen=True)
class TeamSpec:
    name: str
    roles: tuple[tuple[str, int], ...]
    manager_title: str = "Team manager"


@dataclass(frozen=True)
class AgencySpec:
    name: str
    kind: str
    locality: str = ""
    school_urn: str = ""
    ods_code: str = ""
    phase: str = ""  # schools: primary, secondary, special, pru
    teams: tuple[TeamSpec, ...] = ()


def _school(name: str, urn: str, locality: str, phase: str) -> AgencySpec:
    roles: list[tuple[str, int]] = [("Designated safeguarding lead", 1), ("SENCO", 1)]
    if phase in ("secondary", "pru"):
        roles += [("Head of year" if phase == "secondary" else "Pastoral lead", 1)]
    team = TeamSpec("Pastoral and safeguarding team", tuple(roles), "Deputy headteacher")
    return AgencySpec(name, AgencyKind.SCHOOL, locality, school_urn=urn, phase=phase, teams=(team,))


def _gp(name: str, ods: str, locality: str) -> AgencySpec:
    team = TeamSpec("Practice team", (("GP", 1), ("Practice nurse", 1)), "Practice manager")
    return AgencySpec(name, AgencyKind.GP, locality, ods_code=ods, teams=(team,))


def _hub(locality: str) -> AgencySpec:
    roles = (
        ("Family support worker", 2),
        ("Family practitioner" if locality in ("Northgate", "Eastfield") else "Keyworker", 1),
        ("Youth worker" if locality in ("Riverside", "Westmoor") else "Early help worker", 1),
    )
    team = TeamSpec(f"{locality} early help team", roles, "Early help team manager")
    return AgencySpec(f"{locality} Family Hub", AgencyKind.EARLY_HELP, locality, teams=(team,))


K = AgencyKind
AGENCIES: tuple[AgencySpec, ...] = (
    _school("Riverside Primary School", "990101", "Riverside", "primary"),
    _school("St Aidan's CofE Primary School", "990102", "Northgate", "primary"),
    _school("Eastfield Community Primary School", "990103", "Eastfield", "primary"),
    _school("Westmoor Park Primary School", "990104", "Westmoor", "primary"),
    _school("Northgate Academy", "990201", "Northgate", "secondary"),
    _school("Millbrook High School", "990202", "Eastfield", "secondary"),
    _school("Oakfield Special School", "990301", "Westmoor", "special"),
    _school("Demo Borough Pupil Referral Unit", "990401", "Riverside", "pru"),
    AgencySpec(
        "Little Acorns Day Nursery",
        K.EARLY_YEARS,
        "Northgate",
        teams=(TeamSpec("Nursery team", (("Key person", 1),), "Setting manager"),),
    ),
    AgencySpec(
        "Sunflower Children's Centre Nursery",
        K.EARLY_YEARS,
        "Eastfield",
        teams=(TeamSpec("Nursery team", (("Key person", 1),), "Setting manager"),),
    ),
    AgencySpec(
        "Demo Borough Council Inclusion Service",
        K.EDUCATION_SERVICES,
        teams=(
            TeamSpec("Educational psychology service", (("Educational psychologist", 1),)),
            TeamSpec(
                "SEND and attendance team",
                (("SEND caseworker", 1), ("Education welfare officer", 1)),
            ),
        ),
    ),
    AgencySpec(
        "Demo Borough College",
        K.COLLEGE,
        "Riverside",
        teams=(TeamSpec("Student support team", (("Student support officer", 1),)),),
    ),
    _gp("Northgate Medical Centre", "Z99001", "Northgate"),
    _gp("Riverside Surgery", "Z99002", "Riverside"),
    _gp("Eastfield Health Practice", "Z99003", "Eastfield"),
    AgencySpec(
        "Demo Community Health NHS Trust",
        K.HEALTH_VISITING,
        ods_code="RZ9",
        teams=tuple(
            TeamSpec(
                f"{loc} health visiting team", (("Health visitor", 1),), "Health visiting lead"
            )
            for loc in LOCALITIES
        ),
    ),
    AgencySpec(
        "Demo School Nursing Service",
        K.SCHOOL_NURSING,
        ods_code="RZ9SN",
        teams=(TeamSpec("School nursing team", (("School nurse", 2),)),),
    ),
    AgencySpec(
        "Demo Children's Community Health Services",
        K.COMMUNITY_HEALTH,
        ods_code="RZ9CH",
        teams=(
            TeamSpec("Community midwifery team", (("Midwife", 1),)),
            TeamSpec(
                "Therapies and paediatrics",
                (
                    ("Speech and language therapist", 1),
                    ("Community paediatrician", 1),
                    ("Occupational therapist", 1),
                ),
            ),
        ),
    ),
    AgencySpec(
        "Demo General Hospital",
        K.HOSPITAL,
        ods_code="RZ8",
        teams=(TeamSpec("Paediatric liaison team", (("Paediatric liaison nurse", 1),)),),
    ),
    AgencySpec(
        "Demo Children's Emotional Wellbeing Service (CAMHS)",
        K.MENTAL_HEALTH,
        ods_code="RZ7",
        teams=(
            TeamSpec(
                "CAMHS getting help team",
                (("CAMHS practitioner", 1), ("Children's wellbeing practitioner", 1)),
            ),
        ),
    ),
    AgencySpec(
        "Demo Drug and Alcohol Service",
        K.MENTAL_HEALTH,
        teams=(TeamSpec("Family recovery team", (("Drug and alcohol worker", 1),)),),
    ),
    AgencySpec(
        "Demo Borough Council Housing Options",
        K.HOUSING,
        teams=(
            TeamSpec("Homelessness prevention team", (("Homelessness prevention officer", 1),)),
        ),
    ),
    AgencySpec(
        "Demo Homes Housing Association",
        K.HOUSING,
        teams=(TeamSpec("Tenancy sustainment team", (("Housing officer", 1),)),),
    ),
    AgencySpec(
        "Demo Borough Council Children's Social Care",
        K.SOCIAL_CARE,
        teams=(
            TeamSpec("Front door (MASH)", (("Social worker", 1),)),
            TeamSpec("Assessment team", (("Social worker", 1), ("Family support worker", 1))),
        ),
    ),
    *(_hub(loc) for loc in LOCALITIES),
    AgencySpec(
        "Demo Borough Council Early Help Service",
        K.EARLY_HELP,
        teams=(TeamSpec("Early help coordination", ()),),
    ),
    AgencySpec(
        "Demo Borough Council Corporate Services",
        K.OTHER_LA,
        teams=(TeamSpec("Digital services", ()), TeamSpec("Information governance", ())),
    ),
    AgencySpec(
        "Demo Borough Council Adult Social Care",
        K.OTHER_LA,
        teams=(TeamSpec("Adult social care locality team", (("Adult social care worker", 1),)),),
    ),
    AgencySpec(
        "Demo Constabulary",
        K.POLICE,
        teams=(
            TeamSpec("Neighbourhood policing team", (("Neighbourhood officer", 1),), "Sergeant"),
            TeamSpec("MASH police team", (("MASH police officer", 1),), "Detective sergeant"),
            TeamSpec("Schools liaison", (("Schools officer", 1),), "Sergeant"),
            # The outsider's team: nobody in it ever joins a TAC.
            TeamSpec("Roads policing unit", (), "Sergeant"),
        ),
    ),
    AgencySpec(
        "Demo Youth Justice Service",
        K.YOUTH_JUSTICE,
        teams=(TeamSpec("Youth justice team", (("YOT officer", 1),)),),
    ),
    AgencySpec(
        "Demo Probation Service",
        K.YOUTH_JUSTICE,
        teams=(TeamSpec("Probation team", (("Probation officer", 1),)),),
    ),
    AgencySpec(
        "Safe Haven Domestic Abuse Service",
        K.VOLUNTARY,
        teams=(TeamSpec("Outreach team", (("Domestic abuse advocate", 1),)),),
    ),
    AgencySpec(
        "Demo Young Carers",
        K.VOLUNTARY,
        teams=(TeamSpec("Young carers team", (("Young carers support worker", 1),)),),
    ),
    AgencySpec(
        "Parenting Matters Demo",
        K.VOLUNTARY,
        teams=(TeamSpec("Parenting programmes", (("Parenting practitioner", 1),)),),
    ),
    AgencySpec(
        "Demo Jobcentre Plus",
        K.DWP,
        teams=(TeamSpec("Supporting families employment", (("Work coach", 1),)),),
    ),
)
del K

#: Titles that may hold the lead professional role (DOMAIN §5.2) besides early help staff.
OTHER_LEAD_TITLES = frozenset(
    {"Designated safeguarding lead", "SENCO", "Pastoral lead", "Health visitor", "School nurse"}
)
#: Agencies whose staff join TACs at random, weighted (the rest join for a reason).
OTHER_MEMBER_KINDS: tuple[tuple[str, int], ...] = (
    (AgencyKind.GP, 4),
    (AgencyKind.MENTAL_HEALTH, 4),
    (AgencyKind.HOUSING, 3),
    (AgencyKind.POLICE, 2),
    (AgencyKind.VOLUNTARY, 4),
    (AgencyKind.SCHOOL_NURSING, 3),
    (AgencyKind.COMMUNITY_HEALTH, 2),
    (AgencyKind.EDUCATION_SERVICES, 2),
    (AgencyKind.OTHER_LA, 1),
    (AgencyKind.DWP, 1),
    (AgencyKind.HOSPITAL, 1),
)

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

ETHNICITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Ethnicity.WBRI, 68.0),
    (Ethnicity.WIRI, 0.5),
    (Ethnicity.WIRT, 0.2),
    (Ethnicity.WOTH, 6.0),
    (Ethnicity.WROM, 0.5),
    (Ethnicity.MWBC, 1.5),
    (Ethnicity.MWBA, 1.0),
    (Ethnicity.MWAS, 1.5),
    (Ethnicity.MOTH, 2.0),
    (Ethnicity.AIND, 3.0),
    (Ethnicity.APKN, 3.5),
    (Ethnicity.ABAN, 1.5),
    (Ethnicity.AOTH, 1.5),
    (Ethnicity.BCRB, 1.0),
    (Ethnicity.BAFR, 3.0),
    (Ethnicity.BOTH, 0.5),
    (Ethnicity.CHNE, 0.5),
    (Ethnicity.OOTH, 1.5),
    (Ethnicity.REFU, 0.8),
    (Ethnicity.NOBT, 1.5),
)
RELIGION_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("", 35.0),
    (Religion.NONE, 25.0),
    (Religion.CHRISTIAN, 22.0),
    (Religion.MUSLIM, 8.0),
    (Religion.HINDU, 2.0),
    (Religion.SIKH, 1.5),
    (Religion.JEWISH, 0.5),
    (Religion.BUDDHIST, 0.5),
    (Religion.NOT_GIVEN, 5.0),
    (Religion.OTHER, 0.5),
)
OTHER_LANGUAGES = ("Polish", "Urdu", "Punjabi", "Bengali", "Romanian", "Arabic", "Somali")


# --- Small value types ----------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class Prof:
    """What the planner needs to know about a professional."""

    id: int
    label: str  # "Name (Job title, Agency)" as the services write it in the chronology
    agency_id: int | None
    team_id: int | None
    kind: str
    job_title: str


@dataclass(slots=True)
class ChildSpec:
    given_names: str
    family_name: str
    sex: str
    date_of_birth: date | None
    is_unborn: bool
    edd: date | None
    nhs_number: str
    ethnicity: str
    religion: str
    school_id: int | None
    first_language: str
    interpreter_required: bool
    has_sen: bool
    has_disability: bool
    is_young_carer: bool
    risk_of_exclusion: bool
    age: int  # -1 when unborn
    id: int = 0


@dataclass(slots=True)
class MemberSpec:
    given_names: str
    family_name: str
    relationship: str
    parental_responsibility: str
    date_of_birth: date
    lives_with_children: bool
    id: int = 0


@dataclass(slots=True)
class FamilySpec:
    name: str
    address: str
    postcode: str
    children: list[ChildSpec]
    members: list[MemberSpec]
    id: int = 0


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


@dataclass
class SeedSummary:
    path: str
    counts: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    children_per_second: float = 0.0


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> list[str]:
    """Expand weights into a list that ``rng.choice`` samples from."""
    out: list[str] = []
    for value, weight in pairs:
        out.extend([value] * max(1, round(weight * 10)))
    return out


# --- Names and identifiers ------------------------------------------------------------------


class NamePools:
    """Fictional names drawn once from a seeded Faker, then sampled cheaply."""

    def __init__(self, seed: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.female = sorted({fake.first_name_female() for _ in range(1500)})
        self.male = sorted({fake.first_name_male() for _ in range(1500)})
        self.surnames = sorted({fake.last_name() for _ in range(3000)})


class NhsNumbers:
    """Valid (modulus 11) NHS numbers from the 999 range, which is never issued.

    A random permutation of the six middle digits, so the numbers are unique and
    deterministic for a seed; about 909,000 exist, after which children get none.
    """

    def __init__(self, rng: random.Random) -> None:
        while True:
            self._a = rng.randrange(100_001, 999_999, 2)
            if self._a % 5:
                break
        self._b = rng.randrange(1_000_000)
        self._i = 0

    def next(self) -> str:
        while self._i < 1_000_000:
            middle = (self._a * self._i + self._b) % 1_000_000
            self._i += 1
            digits = f"999{middle:06d}"
            total = 243 + sum(int(d) * (7 - i) for i, d in enumerate(digits[3:]))
            check = 11 - total % 11
            if check == 11:
                check = 0
            if check != 10:
                return f"{digits}{check}"
        return ""


# --- Building the local authority -----------------------------------------------------------


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
        specs += _extra_agency_specs(expected_children)
    for spec in specs:
        agency = Agency.objects.create(
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
        if spec.phase:
            phases[agency.pk] = spec.phase
        for tspec in spec.teams:
            staff = sum(count for _, count in tspec.roles) * _bulk_multiplier(
                spec, expected_children, bulk
            )
            key = (spec.name, tspec.name)
            copies[key] = [
                Team.objects.create(
                    agency=agency,
                    name=tspec.name if k == 0 else f"{tspec.name} {k + 1}",
                    locality=spec.locality,
                    phone=f"0300 555 {rng.randrange(1000, 9999)}",
                )
                for k in range(max(1, -(-staff // TEAM_SIZE)))
            ]
            teams[key] = copies[key][0]

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
    defaults = importlib.import_module(
        "cases.migrations.0002_levels_of_need_and_reference_sequence"
    ).LEVELS
    if not LevelOfNeed.objects.exists():
        for code, ordinal, label, description in defaults:
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


def _extra_agency_specs(children: int) -> list[AgencySpec]:
    """More schools and GP practices for a big borough (about 1,600 pupils a school)."""
    specs: list[AgencySpec] = []
    extra_schools = max(0, children // 1600 - 8)
    for i in range(extra_schools):
        locality = LOCALITIES[i % len(LOCALITIES)]
        phase = "secondary" if i % 5 == 4 else "primary"
        kind = "Academy" if phase == "secondary" else "Primary School"
        specs.append(
            _school(f"{locality} {kind} No. {i + 2}", f"99{5000 + i:04d}", locality, phase)
        )
    for i in range(max(0, children // 8000 - 3)):
        locality = LOCALITIES[i % len(LOCALITIES)]
        specs.append(_gp(f"{locality} Health Centre No. {i + 2}", f"Z9{2000 + i:04d}", locality))
    return specs


def _extra_early_help_teams(
    rng: random.Random,
    agencies: dict[str, Agency],
    children: int,
    person: Any,
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


# --- Planning families and cases (shared by both writers) -----------------------------------


class Planner:
    """Turns a seeded RNG into families, children and case plans."""

    def __init__(self, rng: random.Random, names: NamePools, directory: Directory) -> None:
        self.rng = rng
        self.names = names
        self.d = directory
        self.now = timezone.now().astimezone(UTC).replace(microsecond=0)
        self.today = timezone.localdate()
        self.nhs = NhsNumbers(rng)
        self.ethnicities = _weighted(rng, ETHNICITY_WEIGHTS)
        self.religions = _weighted(rng, RELIGION_WEIGHTS)
        self.statuses = _weighted(rng, [(s, float(w)) for s, w in STATUS_WEIGHTS.items()])
        self.closed_reasons = _weighted(rng, [(r, float(w)) for r, w in CLOSED_REASON_CHOICES])
        self.later_changes = [(r, b) for r, b, w in LATER_CHANGE_REASONS for _ in range(w)]
        self.other_kinds = [
            k for k, w in OTHER_MEMBER_KINDS for _ in range(w) if k in self.d.by_kind
        ]
        demo = directory.demo
        self.lead_demo = directory.profs[demo[LEAD_EMAIL].pk]
        self.hv_demo = directory.profs[demo[PRACTITIONER_EMAIL].pk]
        self.school_demo = directory.profs[demo[SCHOOL_EMAIL].pk]
        # Guarantee the demo relationships whatever the sample (ARCHITECTURE §9).
        self.force_lead = 5
        self.force_hv = 4
        self.force_school = 3

    # Families and children.

    def family(self) -> FamilySpec:
        rng = self.rng
        surname = rng.choice(self.names.surnames)
        locality = rng.choice(LOCALITIES)
        postcode = (
            f"{rng.choice(OUTWARD_CODES[locality])} {rng.randrange(1, 10)}"
            f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        )
        address = f"{rng.randrange(1, 180)} {rng.choice(STREETS)}\n{locality}\nDemo Borough"
        members = self._adults(surname)
        return FamilySpec(f"{surname} family", address, postcode, [], members)

    def _adults(self, surname: str) -> list[MemberSpec]:
        rng = self.rng
        names = self.names
        roll = rng.random()
        out: list[MemberSpec] = []

        def adult(pool: list[str], rel: str, pr: str, lo: int, hi: int, lives: bool = True) -> None:
            age_days = rng.randrange(lo * 365, hi * 365)
            out.append(
                MemberSpec(
                    rng.choice(pool),
                    surname if rng.random() < 0.85 else rng.choice(names.surnames),
                    rel,
                    pr,
                    self.today - timedelta(days=age_days),
                    lives,
                )
            )

        if roll < 0.80:
            adult(names.female, Relationship.MOTHER, PR.YES, 19, 50)
        elif roll < 0.88:
            adult(names.male, Relationship.FATHER, PR.YES, 21, 55)
        elif roll < 0.95:
            adult(names.female, Relationship.GRANDPARENT, PR.NO, 40, 70)
        else:
            adult(names.female, Relationship.KINSHIP_CARER, PR.YES, 25, 65)
        if rng.random() < 0.55:
            second = rng.random()
            if second < 0.6:
                pr = rng.choice((PR.YES, PR.YES, PR.UNKNOWN))
                adult(names.male, Relationship.FATHER, pr, 21, 55, rng.random() < 0.7)
            elif second < 0.85:
                adult(names.male, Relationship.STEP_PARENT, PR.NO, 21, 55)
            else:
                adult(names.female, Relationship.GRANDPARENT, PR.NO, 40, 75, False)
        return out

    def child(self, family: FamilySpec) -> ChildSpec:
        rng = self.rng
        surname = family.name.rsplit(" ", 1)[0]
        if rng.random() < 0.02:
            edd = self.today + timedelta(days=rng.randrange(7, 200))
            return ChildSpec(
                "Unborn", surname, Sex.UNKNOWN, None, True, edd, "", rng.choice(self.ethnicities),
                "", None, "", False, False, False, False, False, -1,
            )  # fmt: skip
        days = rng.randrange(0, 18 * 365 - 1)
        dob = self.today - timedelta(days=days)
        age = days // 365
        female = rng.random() < 0.49
        given = rng.choice(self.names.female if female else self.names.male)
        sex = Sex.FEMALE if female else Sex.MALE
        school = self._school_for(age)
        english = rng.random() < 0.86
        return ChildSpec(
            given_names=given,
            family_name=surname,
            sex=sex,
            date_of_birth=dob,
            is_unborn=False,
            edd=None,
            nhs_number=self.nhs.next() if rng.random() < 0.92 else "",
            ethnicity=rng.choice(self.ethnicities),
            religion=rng.choice(self.religions),
            school_id=school,
            first_language="English" if english else rng.choice(OTHER_LANGUAGES),
            interpreter_required=not english and rng.random() < 0.3,
            has_sen=age >= 3 and rng.random() < 0.15,
            has_disability=rng.random() < 0.06,
            is_young_carer=age >= 8 and rng.random() < 0.03,
            risk_of_exclusion=age >= 11 and rng.random() < 0.04,
            age=age,
        )

    def cycle_child(self, family: FamilySpec) -> ChildSpec:
        """A child of school age (the cycle's stories are about school and home)."""
        while True:
            child = self.child(family)
            if 5 <= child.age <= 15 and child.school_id is not None:
                return child

    def _school_for(self, age: int) -> int | None:
        rng = self.rng
        s = self.d.schools
        if 2 <= age <= 3:
            return rng.choice(s["early_years"]) if rng.random() < 0.5 else None
        if 4 <= age <= 10:
            roll = rng.random()
            if roll < 0.02:
                return rng.choice(s["special"])
            return rng.choice(s["primary"])
        if 11 <= age <= 15:
            roll = rng.random()
            if roll < 0.03:
                return rng.choice(s["special"])
            if roll < 0.05:
                return rng.choice(s["pru"])
            return rng.choice(s["secondary"])
        if age >= 16:
            return rng.choice(s["college"]) if rng.random() < 0.6 else None
        return None

    def families(self, n_children: int) -> Iterator[FamilySpec]:
        """Families of one to four children until there are ``n_children``."""
        left = n_children
        while left > 0:
            size = min(left, self.rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0])
            fam = self.family()
            fam.children = [self.child(fam) for _ in range(size)]
            left -= size
            yield fam

    # Cases.

    def _at(self, days_ago: float) -> datetime:
        """A working-hours moment ``days_ago`` days before today."""
        day = self.now - timedelta(days=int(days_ago))
        moment = day.replace(hour=8, minute=0, second=0) + timedelta(
            seconds=self.rng.randrange(0, 9 * 3600)
        )
        return min(moment, self.now - timedelta(minutes=5))

    def _path(self, target: str) -> list[str]:
        if target == S.CSC_REFERRAL and self.rng.random() < 0.5:
            return [S.REQUEST_SUBMITTED, S.TRIAGED, S.CSC_REFERRAL]
        return _shortest_path(target)

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

    def random_status(self) -> str:
        return self.rng.choice(self.statuses)


def _shortest_path(target: str) -> list[str]:
    """Statuses after IDENTIFIED on the shortest walk of the state machine to ``target``."""
    start = S.IDENTIFIED
    if target == start:
        return []
    previous: dict[str, str] = {}
    queue = deque([str(start)])
    while queue:
        here = queue.popleft()
        for nxt in sorted(Case.TRANSITIONS[here]):
            if nxt not in previous and nxt != start:
                previous[nxt] = here
                queue.append(nxt)
    path = [target]
    while path[-1] in previous and previous[path[-1]] != start:
        path.append(previous[path[-1]])
    return list(reversed(path))


# --- The small path: through the services ---------------------------------------------------


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
            _save_family(fam)
            if i < with_case:
                status = order[i] if i < len(order) else planner.random_status()
                plan = planner.plan_family_cases(fam, status)
                _write_case_with_services(directory, fam, plan)
        if cycle_families:
            Cycle(directory, planner, cycle_families).run()
            share_preferences_on_active_cases(directory, rng)
            n_children += CYCLE_CHILDREN
    return _summary("small", started, n_children)


def _save_family(fam: FamilySpec) -> None:
    family = Family.objects.create(name=fam.name, address=fam.address, postcode=fam.postcode)
    fam.id = family.pk
    for m in fam.members:
        m.id = FamilyMember.objects.create(
            family=family,
            given_names=m.given_names,
            family_name=m.family_name,
            relationship=m.relationship,
            parental_responsibility=m.parental_responsibility,
            date_of_birth=m.date_of_birth,
            lives_with_children=m.lives_with_children,
        ).pk
    for c in fam.children:
        c.id = Child.objects.create(
            family=family,
            given_names=c.given_names,
            family_name=c.family_name,
            sex=c.sex,
            date_of_birth=c.date_of_birth,
            is_unborn=c.is_unborn,
            expected_date_of_delivery=c.edd,
            address=fam.address,
            postcode=fam.postcode,
            nhs_number=c.nhs_number,
            school_id=c.school_id,
            religion=c.religion,
            ethnicity=c.ethnicity,
            first_language=c.first_language,
            parent_first_language=c.first_language,
            interpreter_required=c.interpreter_required,
            interpreter_arranged=c.interpreter_required,
            has_sen=c.has_sen,
            has_disability=c.has_disability,
            is_young_carer=c.is_young_carer,
            risk_of_exclusion=c.risk_of_exclusion,
        ).pk


def _write_case_with_services(directory: Directory, fam: FamilySpec, plan: CasePlan) -> Case:
    previous = None
    if plan.previous is not None:
        previous = _write_case_with_services(directory, fam, plan.previous)
    users = directory.users
    family = Family.objects.get(pk=fam.id)
    children = list(Child.objects.filter(family=family).order_by("pk"))
    opener = users[plan.opener.id]
    interim = plan.initial_basis == Basis.INTERIM_INITIATOR
    case = services.open_case(
        family,
        children=children,
        by=opener,
        interim_lead=opener if interim else None,
        previous_case=previous,
        opened_at=plan.opened_at,
    )
    if not interim and plan.initial_lead is not None:
        services.assign_lead_professional(
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
            services.change_status(
                case,
                to=action.status,
                by=lead,
                closure_reason=plan.closure_reason if terminal else "",
                closure_reason_detail=plan.closure_detail if terminal else "",
                note=action.note,
                at=action.at,
            )
        elif action.kind == "lead" and action.prof is not None:
            services.assign_lead_professional(
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
            services.add_professional_to_team(
                case, professional=users[action.prof.id], by=lead, role=action.role, at=action.at
            )
        elif action.kind == "family":
            for m in fam.members:
                membership = TeamMembership.objects.create(
                    case=case,
                    kind=TeamMembership.Kind.FAMILY,
                    family_member_id=m.id,
                    role=TACRole.FAMILY_MEMBER,
                    joined_at=action.at,
                    added_by=lead,
                )
                services.record_event(
                    case,
                    "team.member_added",
                    by=lead,
                    at=action.at,
                    summary=f"{m.given_names} {m.family_name} joined the TAC",
                    data={"membership": membership.pk, "role": TACRole.FAMILY_MEMBER},
                )
        elif action.kind == "external":
            membership = TeamMembership.objects.create(
                case=case,
                kind=TeamMembership.Kind.EXTERNAL,
                external_name=action.text,
                external_agency=action.note,
                role=action.role,
                joined_at=action.at,
                added_by=lead,
            )
            services.record_event(
                case,
                "team.member_added",
                by=lead,
                at=action.at,
                summary=f"{action.text} ({action.note}) joined the TAC",
                data={"membership": membership.pk, "role": action.role},
            )
        elif action.kind == "level" and action.prof is not None:
            services.record_level_of_need(
                case,
                level=directory.levels[action.level],
                rationale=action.text,
                by=users[action.prof.id],
                family_informed=True,
                at=action.at,
            )
    if plan.next_review_due is not None:
        services.set_next_review_due(case, due=plan.next_review_due, by=lead)
    plan.id = case.pk
    return case


# --- The bulk path: COPY ----------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "cases_family": ("id", "name", "address", "postcode", "created_at", "updated_at"),
    "cases_child": (
        "id", "family_id", "given_names", "family_name", "also_known_as", "sex",
        "date_of_birth", "is_unborn", "expected_date_of_delivery", "address", "postcode",
        "contact_phone", "email", "nhs_number", "school_id", "religion", "religion_other",
        "ethnicity", "immigration_status", "first_language", "parent_first_language",
        "interpreter_required", "interpreter_arranged", "has_disability", "disability_details",
        "has_sen", "sen_details", "special_requirements", "is_young_carer", "risk_of_exclusion",
        "family_name_metaphone", "family_name_soundex", "given_name_metaphone",
        "created_at", "updated_at",
    ),
    "cases_familymember": (
        "id", "family_id", "given_names", "family_name", "relationship", "relationship_detail",
        "parental_responsibility", "date_of_birth", "lives_with_children", "address",
        "postcode", "phone", "email", "has_learning_difficulty", "created_at", "updated_at",
    ),
    "cases_case": (
        "id", "reference", "family_id", "status", "opened_at", "closed_at", "closure_reason",
        "closure_reason_detail", "previous_case_id", "is_re_referral", "next_review_due",
        "current_level_id", "opened_by_id", "created_at", "updated_at",
    ),
    "cases_casesubject": ("id", "case_id", "child_id", "is_open", "added_at"),
    "cases_levelofneedjudgement": (
        "id", "case_id", "level_id", "rationale", "family_informed", "judged_by_id", "judged_at",
    ),
    "cases_leadprofessionalassignment": (
        "id", "case_id", "professional_id", "agency_id", "basis", "family_consulted",
        "family_preference", "change_reason", "change_reason_detail", "started_at", "ended_at",
        "end_reason", "assigned_by_id",
    ),
    "cases_teammembership": (
        "id", "case_id", "kind", "professional_id", "family_member_id", "external_name",
        "external_agency", "external_email", "role", "joined_at", "left_at", "added_by_id",
    ),
    "cases_caseevent": ("case_id", "code", "actor_id", "at", "summary", "data"),
}  # fmt: skip
#: COPY order: parents before children (constraints are checked at each statement's end).
TABLE_ORDER = tuple(COLUMNS)
NULL = r"\N"


class IdBlocks:
    """Primary keys taken from each table's identity sequence, a block at a time.

    ``nextval`` over ``generate_series`` is safe alongside other writers.
    """

    BLOCK = 50_000

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.free: dict[str, deque[int]] = {}
        self.sequences: dict[str, str] = {}

    def _sequence(self, table: str) -> str:
        if table not in self.sequences:
            if table == "reference":
                self.sequences[table] = "cases_case_reference_seq"
            else:
                self.cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                self.sequences[table] = self.cursor.fetchone()[0]
        return self.sequences[table]

    def reserve(self, table: str, n: int) -> None:
        """Make sure ``n`` ids are ready for ``table`` (one query for the whole chunk)."""
        free = self.free.setdefault(table, deque())
        if len(free) >= n:
            return
        want = max(n - len(free), self.BLOCK)
        self.cursor.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence(table), want]
        )
        free.extend(row[0] for row in self.cursor.fetchall())

    def take(self, table: str) -> int:
        return self.free[table].popleft()


def _ts(value: datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _d(value: date | None) -> str:
    return NULL if value is None else value.isoformat()


def _b(value: bool) -> str:
    return "t" if value else "f"


def _esc(value: str) -> str:
    """Escape a value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class BulkWriter:
    """Turns plans into COPY rows, simulating what the services would write."""

    def __init__(self, directory: Directory, ids: IdBlocks) -> None:
        self.d = directory
        self.ids = ids
        self.rows: dict[str, list[str]] = {t: [] for t in TABLE_ORDER}
        self.counts: Counter[str] = Counter()
        self.level_ids = {code: level.pk for code, level in directory.levels.items()}

    def _row(self, table: str, *values: object) -> None:
        self.rows[table].append("\t".join(map(str, values)))

    def _event(
        self, case_id: int, code: str, actor: int | None, at: datetime, summary: str, data: str
    ) -> None:
        self.rows["cases_caseevent"].append(
            f"{case_id}\t{code}\t{NULL if actor is None else actor}\t{at.isoformat()}\t"
            f"{_esc(summary)}\t{_esc(data)}"
        )

    def family(self, fam: FamilySpec, now: datetime) -> None:
        fam.id = self.ids.take("cases_family")
        address = _esc(fam.address)
        created = _ts(now)
        self._row("cases_family", fam.id, _esc(fam.name), address, fam.postcode, created, created)
        for m in fam.members:
            m.id = self.ids.take("cases_familymember")
            self._row(
                "cases_familymember", m.id, fam.id, _esc(m.given_names), _esc(m.family_name),
                m.relationship, "", m.parental_responsibility, m.date_of_birth.isoformat(),
                _b(m.lives_with_children), "", "", "", "", "f", created, created,
            )  # fmt: skip
        for c in fam.children:
            c.id = self.ids.take("cases_child")
            keys = child_name_keys(c.given_names, c.family_name)
            self._row(
                "cases_child", c.id, fam.id, _esc(c.given_names), _esc(c.family_name), "",
                c.sex, _d(c.date_of_birth), _b(c.is_unborn), _d(c.edd), address, fam.postcode,
                "", "", c.nhs_number, NULL if c.school_id is None else c.school_id, c.religion,
                "", c.ethnicity, "", c.first_language, c.first_language,
                _b(c.interpreter_required), _b(c.interpreter_required), _b(c.has_disability),
                "", _b(c.has_sen), "", "", _b(c.is_young_carer), _b(c.risk_of_exclusion),
                keys["family_name_metaphone"], keys["family_name_soundex"],
                keys["given_name_metaphone"], created, created,
            )  # fmt: skip

    def case(self, fam: FamilySpec, plan: CasePlan) -> None:
        previous_id: int | None = None
        if plan.previous is not None:
            self.case(fam, plan.previous)
            previous_id = plan.previous.id
        ids = self.ids
        case_id = plan.id = ids.take("cases_case")
        reference = plan.reference = f"EH-{ids.take('reference'):06d}"
        opened_at = plan.opened_at
        opener = plan.opener
        terminal = plan.status in Case.TERMINAL_STATUSES
        event = self._event

        child_ids = [c.id for c in fam.children]
        for child_id in child_ids:
            self._row(
                "cases_casesubject", ids.take("cases_casesubject"), case_id, child_id,
                _b(not terminal), _ts(opened_at),
            )  # fmt: skip
        children_json = ", ".join(map(str, child_ids))
        event(case_id, "case.opened", opener.id, opened_at,
              f"Case opened for {len(child_ids)} child(ren)",
              f'{{"children": [{children_json}], "status": "IDENTIFIED"}}')  # fmt: skip
        if previous_id is not None and plan.previous is not None:
            event(case_id, "case.re_referral", opener.id, opened_at, "",
                  f'{{"previous_case": "{plan.previous.reference}"}}')  # fmt: skip

        members: dict[int, int] = {}  # professional id -> membership id
        lead_row: list[Any] | None = None
        lead_prof: Prof | None = None

        def add_member(prof: Prof, role: str, at: datetime, by: Prof) -> None:
            if prof.id in members:
                return
            mid = members[prof.id] = ids.take("cases_teammembership")
            self._row(
                "cases_teammembership", mid, case_id, "professional", prof.id, NULL, "", "", "",
                role, at.isoformat(), NULL, by.id,
            )  # fmt: skip
            event(case_id, "team.member_added", by.id, at, f"{prof.label} joined the TAC",
                  f'{{"membership": {mid}, "role": "{role}"}}')  # fmt: skip

        def assign(prof: Prof, basis: str, reason: str, at: datetime, by: Prof) -> None:
            nonlocal lead_row, lead_prof
            previous = lead_prof
            if lead_row is not None:
                lead_row[10] = at.isoformat()
                lead_row[11] = EndReason.REPLACED
                self._flush_lead(lead_row)
            aid = ids.take("cases_leadprofessionalassignment")
            lead_row = [
                aid, case_id, prof.id, NULL if prof.agency_id is None else prof.agency_id,
                basis, _b(basis == Basis.FAMILY_CHOICE), "", reason, "", at.isoformat(), NULL,
                "", by.id,
            ]  # fmt: skip
            lead_prof = prof
            add_member(prof, TACRole.LEAD_PROFESSIONAL, at, by)
            event(
                case_id, "lead.assigned" if previous is None else "lead.changed", by.id, at,
                f"{prof.label} is lead professional",
                f'{{"assignment": {aid}, "basis": "{basis}", "change_reason": "{reason}", '
                f'"previous": {"null" if previous is None else previous.id}}}',
            )  # fmt: skip

        if plan.initial_lead is not None:
            assign(plan.initial_lead, plan.initial_basis, "", opened_at, opener)

        status = str(S.IDENTIFIED)
        actor = opener
        level_id: int | None = None
        closed_at: datetime | None = None
        updated = opened_at
        for action in plan.actions:
            at = action.at
            updated = max(updated, at)
            kind = action.kind
            if kind == "status":
                to = action.status
                closing = to in Case.TERMINAL_STATUSES
                summary = f"{Case.Status(status).label} → {Case.Status(to).label}"
                reason = plan.closure_reason if closing else ""
                event(case_id, "case.closed" if closing else "case.status_changed", actor.id, at,
                      summary, f'{{"from": "{status}", "to": "{to}", "note": "{action.note}", '
                      f'"closure_reason": "{reason}"}}')  # fmt: skip
                status = to
                if closing:
                    closed_at = at
                    if lead_row is not None:
                        lead_row[10] = at.isoformat()
                        lead_row[11] = (
                            EndReason.CSC_LEAD
                            if reason == ClosureReason.STEPPED_UP
                            else EndReason.CASE_CLOSED
                        )
            elif kind == "lead" and action.prof is not None:
                assign(action.prof, action.basis, action.change_reason, at, actor)
                actor = action.prof
            elif kind == "member" and action.prof is not None:
                add_member(action.prof, action.role, at, actor)
            elif kind == "family":
                for m in fam.members:
                    mid = ids.take("cases_teammembership")
                    self._row(
                        "cases_teammembership", mid, case_id, "family", NULL, m.id, "", "", "",
                        TACRole.FAMILY_MEMBER, at.isoformat(), NULL, actor.id,
                    )  # fmt: skip
                    event(case_id, "team.member_added", actor.id, at,
                          f"{m.given_names} {m.family_name} joined the TAC",
                          f'{{"membership": {mid}, "role": "family_member"}}')  # fmt: skip
            elif kind == "external":
                mid = ids.take("cases_teammembership")
                self._row(
                    "cases_teammembership", mid, case_id, "external", NULL, NULL,
                    _esc(action.text), _esc(action.note), "", action.role, at.isoformat(), NULL,
                    actor.id,
                )  # fmt: skip
                event(case_id, "team.member_added", actor.id, at,
                      f"{action.text} ({action.note}) joined the TAC",
                      f'{{"membership": {mid}, "role": "{action.role}"}}')  # fmt: skip
            elif kind == "level" and action.prof is not None:
                jid = ids.take("cases_levelofneedjudgement")
                level_id = self.level_ids[action.level]
                self._row(
                    "cases_levelofneedjudgement", jid, case_id, level_id, _esc(action.text), "t",
                    action.prof.id, at.isoformat(),
                )  # fmt: skip
                level = self.d.levels[action.level]
                event(case_id, "level.judged", action.prof.id, at, str(level),
                      f'{{"judgement": {jid}, "level": "{action.level}"}}')  # fmt: skip
        if lead_row is not None:
            self._flush_lead(lead_row)

        self._row(
            "cases_case", case_id, reference, fam.id, status, opened_at.isoformat(), _ts(closed_at),
            plan.closure_reason, _esc(plan.closure_detail),
            NULL if previous_id is None else previous_id, _b(previous_id is not None),
            _d(plan.next_review_due), NULL if level_id is None else level_id, opener.id,
            opened_at.isoformat(), updated.isoformat(),
        )  # fmt: skip

    def _flush_lead(self, row: list[Any]) -> None:
        self.rows["cases_leadprofessionalassignment"].append("\t".join(map(str, row)))

    def copy(self, cursor: Any) -> None:
        for table in TABLE_ORDER:
            lines = self.rows[table]
            if not lines:
                continue
            buffer = io.StringIO("\n".join(lines) + "\n")
            cursor.copy_expert(
                f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN", buffer, size=1 << 20
            )
            self.counts[table] += len(lines)
            lines.clear()


def seed_bulk(
    n_children: int,
    seed: int,
    *,
    families_per_chunk: int = BULK_FAMILIES_PER_CHUNK,
    progress: Any = None,
) -> SeedSummary:
    """Seed with COPY, in chunks of families, in one transaction."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    names = NamePools(seed)
    with transaction.atomic():
        directory = build_directory(rng, names, expected_children=n_children, bulk=True)
        planner = Planner(rng, names, directory)
        now = planner.now
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # the psycopg2 cursor, for copy_expert
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            ids = IdBlocks(cursor)
            writer = BulkWriter(directory, ids)
            families = planner.families(n_children)
            done = 0
            while True:
                chunk = [f for _, f in zip(range(families_per_chunk), families, strict=False)]
                if not chunk:
                    break
                n_kids = sum(len(f.children) for f in chunk)
                ids.reserve("cases_family", len(chunk))
                ids.reserve("cases_child", n_kids)
                ids.reserve("cases_familymember", 2 * len(chunk))
                ids.reserve("cases_case", 2 * len(chunk))
                ids.reserve("reference", 2 * len(chunk))
                ids.reserve("cases_casesubject", 2 * n_kids)
                ids.reserve("cases_levelofneedjudgement", 4 * len(chunk))
                ids.reserve("cases_leadprofessionalassignment", 6 * len(chunk))
                ids.reserve("cases_teammembership", 20 * len(chunk))
                for fam in chunk:
                    writer.family(fam, now)
                    if rng.random() < 0.7:
                        writer.case(fam, planner.plan_family_cases(fam, planner.random_status()))
                writer.copy(cursor)
                done += n_kids
                if progress is not None:
                    progress(done, time.monotonic() - started)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # Fresh statistics for every bulk-loaded table, so the planner's first plans are good.
    for table in (
        "cases_family",
        "cases_familymember",
        "cases_child",
        "cases_case",
        "cases_casesubject",
        "cases_teammembership",
        "cases_leadprofessionalassignment",
        "cases_levelofneedjudgement",
        "cases_caseevent",
    ):
        with connection.cursor() as cursor:
            statement = sql.SQL("ANALYZE {}").format(sql.Identifier(table))
            cursor.execute(statement.as_string(connection.connection))
    return _summary("bulk", started, n_children)


# --- Summary ------------------------------------------------------------------------------------


def _summary(path: str, started: float, n_children: int) -> SeedSummary:
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


# --- The TAC cycle for the demo sign-ins (small path) ---------------------------------------

#: The cycle runs when the small path seeds at least this many children.
CYCLE_MIN_CHILDREN = 100
#: Children in each family the cycle uses, in order (they count towards ``n_children``).
CYCLE_FAMILY_SIZES = (2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 1, 2, 1)
CYCLE_CHILDREN = sum(CYCLE_FAMILY_SIZES)
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


#: Answers that let an assessment be completed (the required fields of the default template).
ASSESSMENT_ANSWERS: dict[str, dict[str, str]] = {
    "story": {
        "narrative": "Mum says mornings are a battle: the children are tired, breakfast is "
        "skipped and they are often late. Since dad left she works nights and is exhausted."
    },
    "assessment_information": {
        "reason_for_assessment": "School attendance and mum's wellbeing",
        "existing_assessment_checked": "yes",
    },
    "conclusions": {
        "analysis": "The children are loved and well cared for, but the family's routines "
        "have broken down since the separation; mum needs practical help and a break.",
        "agreed_actions": "Breakfast club, a morning routine chart, a GP appointment for mum "
        "and a place on the Family Links parenting group.",
    },
}
CHILD_VIEWS = "I like art and my friends. I don't like being late because everyone looks at me."
PARENT_VIEWS = "I want help in the mornings and someone to talk to. I'm not coping on my own."
DRAFT_STORY = "First visit held: dad is caring for the children alone since mum went into "
DRAFT_STORY += "hospital. Still to talk to the children and the school."
FIRST_TAC_TEXT = {
    "family_views": "Mum said the meeting helped her feel less alone; she wants mornings to "
    "be calmer and to get back to her own doctor.",
    "child_views": "Shared by the school: 'I want to get to school on time and see my friends.'",
    "progress_summary": "Assessment agreed. Plan made with two outcomes and five actions; "
    "Lena Lead agreed as lead professional.",
}
OUTCOMES = (
    "The children get to school on time every day and are ready to learn.",
    "Mum feels less stressed and knows where to get support for herself.",
)
#: (owner: email or "family", description, due in days from today). -20 is done. Reminders
#: whose day has passed are never scheduled, so due dates of -1 (overdue fires today) and 5
#: (due soon fires today) give the dispatcher something to send on the day of seeding.
PLAN_ACTIONS: tuple[tuple[str, str, int], ...] = (
    (SCHOOL_EMAIL, "Offer both children a breakfast club place, free of charge, from Monday.", -20),
    (SCHOOL_EMAIL, "Meet mum each Friday for two weeks to review attendance figures.", 5),
    (SCHOOL_EMAIL, "Send mum the attendance certificate and the new term dates.", -1),
    (PRACTITIONER_EMAIL, "Home visit to check the children's health needs and mum's sleep.", -6),
    (PRACTITIONER_EMAIL, "Refer mum to the perinatal wellbeing group and confirm a start date.", 5),
    ("family", "Use the morning routine chart every school day and tick it off.", 14),
    (LEAD_EMAIL, "Book mum onto the Family Links parenting group this term.", 2),
    (LEAD_EMAIL, "Apply to the household support fund for school uniform.", -1),
)
ACTION_DONE_NOTE = "Both children started breakfast club on Monday and have been every day."
CONTRIBUTIONS: tuple[tuple[str, str], ...] = (
    (SCHOOL_EMAIL, "Attendance this half term: 91 % (up from 82 %). No late marks this week."),
    (PRACTITIONER_EMAIL, "Home visit done. The children are well; mum is sleeping "
     "better since her sister started helping on Tuesdays."),
    (LEAD_EMAIL, "Mum has a place on the Family Links group starting on the 14th."),
)  # fmt: skip
GP_CONTRIBUTION = "Mum seen at the surgery; a review of her medication is booked in four weeks."
#: The family's answers at the demo review to "is this working for you?".
FAMILY_FEEDBACK = [
    ("parent", "working", "We have one person to call now instead of five."),
    ("child", "partly", "The breakfast club is good but I still don't like the bus."),
]
REVIEW_CHILD_VIEWS = "Breakfast club is fun. I had toast and I wasn't late."
REVIEW_PARENT_VIEWS = "Mornings are much better. I still get tired but I have help now."


@dataclass
class CycleFamily:
    family: Family
    children: list[Child]
    members: list[FamilyMember]


class Cycle:
    """Walks a handful of families through the whole TAC cycle with the real services.

    Everything the demo sign-ins try first is here (ARCHITECTURE §9): requests
    waiting for triage, lead@'s cases at every stage (assessment in draft, a first
    TAC coming up, a plan with actions and contributions after published minutes,
    overdue reviews, a step-up, a closure), actions owned by school@ and
    practitioner@, sharing preferences, a disclosure decision, a safeguarding
    concern and a restriction. Reminders are those the services schedule.
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

    # Helpers.

    def _next_family(self) -> CycleFamily:
        return self.families.popleft()

    def _at(self, days_ago: int, hour: int = 10) -> datetime:
        moment = (self.now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0)
        return min(moment, self.now - timedelta(minutes=30))

    def _meeting_time(self, days_ahead: int, hour: int = 10) -> datetime:
        day = self.today + timedelta(days=days_ahead)
        return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())

    def _other(self, kind: str) -> User:
        return self.d.users[self.rng.choice(self.d.by_kind[kind]).id]

    def _open(self, cf: CycleFamily, *, to: str, days_ago: int) -> Case:
        """A case led by lead@ from identification to ``to``, with a TAC and the family."""
        opened = self._at(days_ago, 9)
        case = services.open_case(
            cf.family, children=cf.children, by=self.lead, interim_lead=self.lead, opened_at=opened
        )
        path = _shortest_path(to)
        step = max(1, days_ago // (len(path) + 2))
        for i, status in enumerate(path, start=1):
            at = self._at(days_ago - i * step, 11)
            if status == S.TRIAGED:
                level = self.d.levels["EARLY_HELP"]
                services.record_level_of_need(
                    case,
                    level=level,
                    rationale=self.rng.choice(RATIONALES["EARLY_HELP"]),
                    by=self.lead,
                    family_informed=True,
                    at=at - timedelta(minutes=1),
                )
            if status == S.ASSESSING:
                for prof in (self.school, self.hv):
                    services.add_professional_to_team(case, professional=prof, by=self.lead, at=at)
                for kind in (AgencyKind.GP, AgencyKind.MENTAL_HEALTH):
                    services.add_professional_to_team(
                        case, professional=self._other(kind), by=self.lead, at=at
                    )
                for member in cf.members:
                    services.add_family_member_to_team(case, family_member=member, by=self.lead)
            services.change_status(case, to=status, by=self.lead, at=at)
        case.refresh_from_db()
        return case

    def _members(self, case: Case) -> dict[str, TeamMembership]:
        """The case's active memberships by professional email, and "family" for a parent."""
        out: dict[str, TeamMembership] = {}
        for m in case.memberships.active().select_related("professional", "family_member"):
            if m.professional is not None:
                out[m.professional.email] = m
            elif m.family_member is not None and "family" not in out:
                out["family"] = m
        return out

    def _sharing(self, case: Case, cf: CycleFamily, *, by: User, basic_only: bool) -> None:
        """A sharing preference: additional information, or basic only for some agencies."""
        excluded: list[Agency] = []
        if basic_only:
            excluded = [
                a
                for a in self.d.agencies
                if a.kind in (AgencyKind.HOUSING, AgencyKind.POLICE, AgencyKind.DWP)
            ]
        services.record_consent(
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

    def _complete_assessment(self, case: Case, cf: CycleFamily) -> Assessment:
        parent = cf.members[0]
        assessment = assessments.start_assessment(case, child=cf.children[0], by=self.lead)
        fresh = _FreshBases()
        consent_args: dict[str, Any] = {
            "given_by": parent,
            "given_by_child": False,
            "method": ConsentRecord.Method.WRITTEN,
            "capacity_basis": ConsentRecord.CapacityBasis.ADULT,
            "given_on": self.today,
            "information_level": InformationLevel.ADDITIONAL,
            "by": self.lead,
        }
        assessments.record_consent(assessment, stage="start", **consent_args)
        assessments.begin_assessment(assessment, by=self.lead)
        for key, values in ASSESSMENT_ANSWERS.items():
            assessments.save_section(assessment, key, values=values, bases=fresh, by=self.lead)
        assessments.save_view(
            assessment,
            family_member=None,
            values={"own_words": CHILD_VIEWS, "communication_method": "spoken"},
            bases=fresh,
            by=self.lead,
        )
        assessments.save_view(
            assessment,
            family_member=parent,
            values={"own_words": PARENT_VIEWS, "communication_method": "spoken"},
            bases=fresh,
            by=self.lead,
        )
        assessments.share_with_family(assessment, by=self.lead)
        assessments.record_consent(assessment, stage="completion", **consent_args)
        return assessments.complete_assessment(assessment, by=self.lead)

    # The scenarios.

    def run(self) -> None:
        _ensure_reference_data()
        for spec in self.specs:
            _save_family(spec)
            family = Family.objects.get(pk=spec.id)
            self.families.append(
                CycleFamily(
                    family,
                    list(family.children.order_by("pk")),
                    list(family.members.order_by("pk")),
                )
            )
        self.full_plan()
        self.assessment_in_draft()
        self.first_tac_coming_up()
        self.overdue_review(late_reason="")
        self.overdue_review(late_reason="The family asked to move the review after half term.")
        self.stepped_up()
        self.closed_needs_met()
        self.requests_for_support()

    def full_plan(self) -> None:
        """Completed assessment, first TAC held with minutes published, a plan, a review."""
        cf = self._next_family()
        case = self._open(cf, to=S.ASSESSING, days_ago=75)
        self._sharing(case, cf, by=self.lead, basic_only=True)
        self._complete_assessment(case, cf)
        services.change_status(case, to=S.PLANNING, by=self.lead, at=self._at(50))
        members = self._members(case)
        meeting = meetings.schedule_meeting(
            case,
            by=self.lead,
            kind=Meeting.Kind.INITIAL,
            starts_at=self._at(45, 10),
            ends_at=self._at(45, 11),
            location="Northgate Family Hub, meeting room 2",
            chair=self.lead,
            members=list(case.memberships.active()),
        )
        for field_name, text in FIRST_TAC_TEXT.items():
            meeting = meetings.save_meeting_text(
                meeting,
                by=self.lead,
                field=field_name,
                text=text,
                version=meeting.text_version(field_name),
            )
        outcomes = [
            meetings.add_outcome(case, by=self.lead, meeting=meeting, statement=statement)
            for statement in OUTCOMES
        ]
        actions: list[MeetingAction] = []
        for owner_key, description, due_in in PLAN_ACTIONS:
            owner = meetings.Owner(membership=members[owner_key])
            actions.append(
                meetings.add_action(
                    case,
                    by=self.lead,
                    meeting=meeting,
                    description=description,
                    owner=owner,
                    due_on=self.today + timedelta(days=due_in),
                    outcomes=[outcomes[len(actions) % len(outcomes)]],
                )
            )
        meetings.finish_meeting(meeting, by=self.lead)
        meetings.publish_minutes(meeting, by=self.lead)
        # school@ has done one of theirs; practitioner@ has started on another.
        done = next(a for a, spec in zip(actions, PLAN_ACTIONS, strict=True) if spec[2] == -20)
        meetings.update_action(
            done, by=self.school, status=MeetingAction.Status.DONE, progress_note=ACTION_DONE_NOTE
        )
        for email, body in CONTRIBUTIONS:
            author = members[email].professional
            if author is not None:
                meetings.add_contribution(case, by=author, body=body)
        gp = next(
            m.professional
            for m in members.values()
            if m.professional is not None
            and m.professional.agency is not None
            and m.professional.agency.kind == AgencyKind.GP
        )
        meetings.add_contribution(case, by=gp, body=GP_CONTRIBUTION)
        review = meetings.record_review_without_meeting(
            case,
            by=self.lead,
            child_views=REVIEW_CHILD_VIEWS,
            parent_views=REVIEW_PARENT_VIEWS,
            summary="Mornings are calmer; attendance is up to 91 %.",
            progress=Review.Progress.POSITIVE,
            next_review_on=self.today + timedelta(days=42),
        )
        for given_by, answer, words in FAMILY_FEEDBACK:
            meetings.record_family_feedback(
                review,
                by=self.lead,
                given_by=given_by,
                answer=answer,
                in_their_words=words,
                may_quote=True,
            )
        services.record_disclosure_decision(
            case,
            by=self.lead,
            decision=DisclosureDecision.Decision.SHARE,
            recipient="Demo Borough Council Housing Options (homelessness prevention team)",
            information="The family's address, the rent arrears and the plan's housing outcome.",
            purpose="To prevent the family losing their tenancy.",
            reason="Mum asked us to share this so that housing can help before the court date.",
            lawful_basis="Consent (UK GDPR article 6(1)(a))",
            with_consent=True,
            decided_at=self._at(20, 14),
        )
        audit.set_restriction(
            case,
            by=self.lead,
            target=RestrictionTarget.CHILD,
            target_id=cf.children[0].pk,
            field_name="address",
            reason="The family moved to a refuge address; the father must not learn it.",
            named_users=[self.lead],
        )

    def assessment_in_draft(self) -> None:
        cf = self._next_family()
        case = self._open(cf, to=S.ASSESSING, days_ago=12)
        self._sharing(case, cf, by=self.lead, basic_only=False)
        assessment = assessments.start_assessment(case, child=cf.children[0], by=self.lead)
        assessments.save_section(
            assessment,
            "story",
            values={"narrative": DRAFT_STORY},
            bases=_FreshBases(),
            by=self.lead,
        )

    def first_tac_coming_up(self) -> None:
        cf = self._next_family()
        case = self._open(cf, to=S.PLANNING, days_ago=30)
        self._sharing(case, cf, by=self.lead, basic_only=False)
        meetings.schedule_meeting(
            case,
            by=self.lead,
            kind=Meeting.Kind.INITIAL,
            starts_at=self._meeting_time(6, 14),
            ends_at=self._meeting_time(6, 15),
            mode=Meeting.Mode.VIDEO,
            location="Video call (link in the invitation)",
            chair=self.lead,
            members=list(case.memberships.active()),
        )

    def overdue_review(self, *, late_reason: str) -> None:
        cf = self._next_family()
        case = self._open(cf, to=S.ACTIVE, days_ago=120)
        self._sharing(case, cf, by=self.lead, basic_only=self.rng.random() < 0.5)
        days_late = 5 if late_reason else 16
        services.set_next_review_due(case, due=self.today - timedelta(days=days_late), by=self.lead)
        if late_reason:
            from cases.services import record_review_late_reason

            record_review_late_reason(case, by=self.lead, reason=late_reason)
        else:
            services.raise_safeguarding_concern(case, by=self.school)

    def stepped_up(self) -> None:
        cf = self._next_family()
        case = self._open(cf, to=S.ACTIVE, days_ago=90)
        episode.request_step_up(
            case,
            by=self.lead,
            referred_at=self._at(6, 15),
            referred_by=self.lead,
            reason="Disclosure of domestic abuse at home; the risk has escalated despite the plan.",
            family_informed=True,
        )
        episode.record_step_up_decision(
            case,
            by=self.lead,
            accepted=True,
            decided_at=self._at(3, 12),
            note="Allocated for a child and family assessment (section 17).",
            social_worker_name="Sasha Okafor",
            social_worker_agency="Demo Borough Council Children's Social Care",
            social_worker_email=f"sasha.okafor@csc.{DEMO_DOMAIN}",
        )

    def closed_needs_met(self) -> None:
        cf = self._next_family()
        case = self._open(cf, to=S.ACTIVE, days_ago=200)
        episode.close_case(
            case,
            by=self.lead,
            reason=ClosureReason.NEEDS_MET,
            progress_summary="Routines are settled, attendance is above 95 % and mum is "
            "going to a parenting group.",
            outcomes_achieved=CaseClosure.OutcomesAchieved.ALL,
            outcomes_detail="Both outcomes achieved at the last review.",
            child_views="I like school now and I don't get told off for being late.",
            family_views="We feel we can manage now, and we know who to call.",
            continuing_support="The school's pastoral team keeps in touch each half term.",
        )

    def requests_for_support(self) -> None:
        """Four requests waiting for triage, and one the coordinator triaged."""
        requesters: list[User | None] = [
            self.school,
            self.hv,
            None,
            self._other(AgencyKind.GP),
        ]
        for (code, summary), by in zip(WAITING_REQUESTS, requesters, strict=True):
            cf = self._next_family()
            services.submit_request_for_support(
                by=by,
                source_code=code,
                summary_of_need=summary,
                subjects=cf.children,
                family=cf.family,
                family_aware=True,
                consent_obtained=by is not None,
                requester_name="" if by is not None else f"{cf.members[0]} (by phone)",
            )
        cf = self._next_family()
        requester = self.d.users[self.d.lead_pool[0].id]
        request = services.submit_request_for_support(
            by=requester,
            source_code=ReferralSource.LA_EARLY_HELP,
            summary_of_need="Young carer for a parent with MS; tired, missing homework and "
            "withdrawn at school.",
            subjects=cf.children,
            family=cf.family,
            family_aware=True,
            consent_obtained=True,
        )
        services.triage_request(
            request,
            by=self.coordinator,
            decision=TriageDecision.EARLY_HELP_ASSESSMENT,
            level=self.d.levels["EARLY_HELP"],
            rationale="Needs across school and home that one agency cannot meet: early help "
            "assessment with the family hub.",
        )


def _ensure_reference_data() -> None:
    """Restore the default assessment template and the reminder rules if a ``flush`` emptied them.

    Data migrations create both, but a database emptied by ``flush`` (as
    transactional tests do) has neither.
    """
    from django.apps import apps

    from assessments.definition import default_definition
    from assessments.models import AssessmentTemplate
    from notifications.models import ReminderRule

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
        for name in ("0002_seed_review_rules", "0003_seed_further_rules", "0005_consent_age_rule"):
            importlib.import_module(f"notifications.migrations.{name}").seed(apps, None)


class _FreshBases(dict[str, Base]):
    """Bases for assessment fields nobody has written yet (version 0)."""

    def get(self, key: str, default: Any = None) -> Base:  # type: ignore[override]
        return Base(version=0)


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
        services.record_consent(
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
