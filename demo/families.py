"""Households and children: planned from a seeded RNG, saved through the ORM.

``FamilyPlanner`` draws families of one to four children with their parents and
carers, in plausible proportions for an English borough; ``plans.Planner`` extends
it with the history of each family's case. ``save_family`` writes one family on the
small path; the bulk path streams the same plans with COPY.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.utils import timezone

from cases.models import (
    Child,
    DisabilityStatus,
    Ethnicity,
    Family,
    FamilyMember,
    Religion,
    SenStatus,
    Sex,
)
from demo.authority import LOCALITIES
from demo.directory import Directory
from demo.names import NamePools, NhsNumbers, weighted

Relationship = FamilyMember.Relationship
PR = FamilyMember.ParentalResponsibility

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


class FamilyPlanner:
    """Turns a seeded RNG into families and children."""

    def __init__(self, rng: random.Random, names: NamePools, directory: Directory) -> None:
        self.rng = rng
        self.names = names
        self.d = directory
        self.now = timezone.now().astimezone(UTC).replace(microsecond=0)
        self.today = timezone.localdate()
        self.nhs = NhsNumbers(rng)
        self.ethnicities = weighted(rng, ETHNICITY_WEIGHTS)
        self.religions = weighted(rng, RELIGION_WEIGHTS)

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


def save_family(fam: FamilySpec) -> None:
    """Write a planned family, its members and children (small path); the specs get their ids."""
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
            sen_status=sen_status(c.has_sen),
            has_disability=c.has_disability,
            disability_status=disability_status(c.has_disability),
            is_young_carer=c.is_young_carer,
            risk_of_exclusion=c.risk_of_exclusion,
        ).pk


def sen_status(has_sen: bool) -> str:
    """The demo's children with special educational needs have SEN support."""
    return SenStatus.SEN_SUPPORT if has_sen else SenStatus.NONE


def disability_status(has_disability: bool) -> str:
    return DisabilityStatus.YES if has_disability else DisabilityStatus.NO
