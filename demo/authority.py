"""Who's who in Demo Borough Council: the demo sign-ins, the agencies and their teams.

Plain descriptions only; ``directory.build_directory`` writes them to the database.
The sign-ins are fixed so that anyone can try the portal (ARCHITECTURE §9); agencies
cover every kind in DOMAIN §8.1.
"""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import AgencyKind, User

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
    """Whether the demo data is loaded: ``seed_demo`` runs once, then does nothing."""
    return User.objects.filter(email__in=DEMO_EMAILS).exists()


# --- The local authority: agencies, teams, job titles (DOMAIN §8.1) -------------------------

LOCALITIES = ("Northgate", "Riverside", "Eastfield", "Westmoor")


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


def extra_agency_specs(children: int) -> list[AgencySpec]:
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
