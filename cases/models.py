"""Families, children and their early help cases (DOMAIN §1, §2.2 B, §3.1, §4.1, §5.4, §8.2).

The code calls an early help episode a ``Case`` (DOMAIN §11.1).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.phonetics import child_name_keys
from cases.validators import validate_nhs_number, validate_postcode

if TYPE_CHECKING:
    from agencies.models import User

_Model = TypeVar("_Model", bound=type[models.Model])


def tracked(model: _Model) -> _Model:
    """Keep the model's change history: every insert, update and delete, by database trigger.

    Each change is a row in ``<Model>History`` (``pgh_obj`` the record, ``pgh_label``
    insert/update/delete, the row as it was after the change, or before a delete) with
    the ``pghistory`` context of the request or command that made it (acting user, URL).
    Triggers also catch raw SQL and ``COPY``. History rows are append-only: the
    database refuses to update or delete them.
    """
    pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=f"{model.__name__}History",
        # ``Case.events`` is the case chronology; the history is ``<record>.history``.
        obj_field=pghistory.ObjForeignKey(related_name="history", related_query_name="history"),
        append_only=True,
    )(model)
    return model


@tracked
class Family(models.Model):
    """A household: the unit an early help case is about (DOMAIN §9.2 A7)."""

    name = models.CharField(
        max_length=200, help_text="How the household is known, for example 'the Okafor family'."
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    UNKNOWN = "unknown", "Not known"
    NOT_SAID = "not_said", "Prefers not to say"


class Ethnicity(models.TextChoices):
    """DfE four-letter ethnicity codes, as used by Annex A and the CIN census."""

    WBRI = "WBRI", "White - British"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


CHILD_NAME_KEY_FIELDS = ("family_name_metaphone", "family_name_soundex", "given_name_metaphone")


class Religion(models.TextChoices):
    CHRISTIAN = "christian", "Christian"
    JEWISH = "jewish", "Jewish"
    HINDU = "hindu", "Hindu"
    MUSLIM = "muslim", "Muslim"
    BUDDHIST = "buddhist", "Buddhist"
    SIKH = "sikh", "Sikh"
    NONE = "none", "No religion"
    NOT_GIVEN = "not_given", "Not given"
    OTHER = "other", "Other"


@tracked
class Child(models.Model):
    """A child's identifying details (DOMAIN §2.2 section B)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    also_known_as = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    is_unborn = models.BooleanField(default=False)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    contact_phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    school = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        help_text="School, nursery or college attended.",
    )
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    religion_other = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    immigration_status = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=50, blank=True)
    parent_first_language = models.CharField(max_length=50, blank=True)
    interpreter_required = models.BooleanField(default=False)
    interpreter_arranged = models.BooleanField(default=False)
    has_disability = models.BooleanField(default=False)
    disability_details = models.TextField(blank=True)
    has_sen = models.BooleanField("special educational needs or EHC plan", default=False)
    sen_details = models.TextField(blank=True)
    special_requirements = models.TextField(blank=True)
    is_young_carer = models.BooleanField(default=False)
    risk_of_exclusion = models.BooleanField("at risk of exclusion from school", default=False)
    # Sound-alike keys of the names (cases.phonetics), kept by save(): "find a child"
    # narrows candidates through their indexes before fuzzy scoring.
    family_name_metaphone = models.CharField(max_length=20, blank=True, default="", editable=False)
    family_name_soundex = models.CharField(max_length=4, blank=True, default="", editable=False)
    given_name_metaphone = models.CharField(max_length=20, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "children"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_unborn=True) | Q(date_of_birth__isnull=False),
                name="child_born_has_date_of_birth",
            ),
            models.CheckConstraint(
                condition=Q(is_unborn=False) | Q(expected_date_of_delivery__isnull=False),
                name="child_unborn_has_edd",
            ),
        ]
        indexes = [
            # Find a child: candidates narrowed by date of birth, postcode or NHS number.
            models.Index(fields=["date_of_birth"], name="child_dob_idx"),
            models.Index(fields=["postcode"], name="child_postcode_idx"),
            models.Index(fields=["nhs_number"], name="child_nhs_idx", condition=~Q(nhs_number="")),
            # ... and by the sound of the names, with or without the date of birth.
            models.Index(
                fields=["family_name_metaphone", "date_of_birth"], name="child_fam_meta_dob_idx"
            ),
            models.Index(
                fields=["family_name_metaphone", "given_name_metaphone"],
                name="child_fam_given_meta_idx",
            ),
            models.Index(
                fields=["family_name_soundex", "date_of_birth"], name="child_fam_sdx_dob_idx"
            ),
            models.Index(
                fields=["family_name_soundex", "given_name_metaphone"],
                name="child_fam_sdx_given_meta_idx",
            ),
            models.Index(
                fields=["given_name_metaphone", "date_of_birth"], name="child_given_meta_dob_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name, key in child_name_keys(self.given_names, self.family_name).items():
            setattr(self, name, key)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_names", "family_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *CHILD_NAME_KEY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": "Date of birth must be today or in the past."})
        if not self.is_unborn and not self.date_of_birth:
            raise ValidationError({"date_of_birth": "Enter the child's date of birth."})
        if self.is_unborn and not self.expected_date_of_delivery:
            raise ValidationError(
                {"expected_date_of_delivery": "Enter the expected date of delivery."}
            )

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


@tracked
class FamilyMember(models.Model):
    """A parent, carer or network member of a family (DOMAIN §2.2 section D)."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        PARTNER_OF_PARENT = "partner_of_parent", "Partner of parent"
        GRANDPARENT = "grandparent", "Grandparent"
        KINSHIP_CARER = "kinship_carer", "Kinship carer"
        FOSTER_CARER = "foster_carer", "Foster carer"
        SIBLING = "sibling", "Adult sibling"
        OTHER_RELATIVE = "other_relative", "Other relative"
        FAMILY_FRIEND = "family_friend", "Family friend or network member"
        OTHER = "other", "Other"

    class ParentalResponsibility(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Don't know"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    relationship_detail = models.CharField(
        max_length=200, blank=True, help_text="For example, which children this applies to."
    )
    parental_responsibility = models.CharField(
        max_length=10,
        choices=ParentalResponsibility.choices,
        default=ParentalResponsibility.UNKNOWN,
    )
    date_of_birth = models.DateField(null=True, blank=True)
    lives_with_children = models.BooleanField(default=True)
    address = models.TextField(blank=True, help_text="Only if different from the family's.")
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    has_learning_difficulty = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class LevelOfNeed(models.Model):
    """A level on the local continuum of need (DOMAIN §4.1). Data, editable in admin."""

    code = models.CharField(max_length=20, unique=True)
    ordinal = models.PositiveSmallIntegerField(unique=True)
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    response_guidance_url = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordinal"]
        verbose_name_plural = "levels of need"

    def __str__(self) -> str:
        return f"Level {self.ordinal}: {self.label}"


class ClosureReason(models.TextChoices):
    """Why a case closed (DOMAIN §3.7)."""

    NEEDS_MET = "NEEDS_MET", "Outcomes achieved / needs met"
    SINGLE_AGENCY = "SINGLE_AGENCY", "Continuing with a single agency"
    STEPPED_UP = "STEPPED_UP", "Stepped up to children's social care"
    CONSENT_WITHDRAWN = "CONSENT_WITHDRAWN", "Family withdrew consent"
    DISENGAGED = "DISENGAGED", "Family disengaged"
    MOVED_OUT_OF_AREA = "MOVED_OUT_OF_AREA", "Moved out of area"
    AGED_OUT = "AGED_OUT", "Young person aged out"
    NFA_AFTER_TRIAGE = "NFA_AFTER_TRIAGE", "No further action after triage"
    OTHER = "OTHER", "Other"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=Case.OPEN_STATUSES)

    def closed(self) -> CaseQuerySet:
        return self.exclude(status__in=Case.OPEN_STATUSES)

    def visible_to(self, user: User) -> CaseQuerySet:
        """The cases ``user`` has a legitimate relationship with (ARCHITECTURE §5)."""
        from cases.access import visible_cases_filter

        return self.filter(visible_cases_filter(user))

    def with_list_details(self) -> CaseQuerySet:
        """Columns for case lists ("My cases", dashboards) in a fixed number of queries."""
        return self.select_related("family", "current_level").prefetch_related(
            models.Prefetch(
                "lead_assignments",
                queryset=LeadProfessionalAssignment.objects.active().select_related(
                    "professional", "agency"
                ),
                to_attr="active_lead_assignments",
            ),
            models.Prefetch(
                "subjects",
                queryset=CaseSubject.objects.select_related("child").order_by("child_id"),
            ),
        )


@tracked
class Case(models.Model):
    """A family's early help episode with one or more subject children."""

    class Status(models.TextChoices):
        # Names and transitions follow the episode state machine in DOMAIN §3.1.
        IDENTIFIED = "IDENTIFIED", "Need identified"
        REQUEST_SUBMITTED = "REQUEST_SUBMITTED", "Request for support submitted"
        TRIAGED = "TRIAGED", "Triaged"
        CONSENT_PENDING = "CONSENT_PENDING", "Awaiting family's agreement"
        ASSESSING = "ASSESSING", "Assessing"
        PLANNING = "PLANNING", "Planning"
        ACTIVE = "ACTIVE", "Active plan"
        REASSESSING = "REASSESSING", "Reassessing"
        STEP_UP_REQUESTED = "STEP_UP_REQUESTED", "Step-up requested"
        CLOSING = "CLOSING", "Closing"
        CLOSED = "CLOSED", "Closed"
        SINGLE_AGENCY = "SINGLE_AGENCY", "Single agency support"
        CSC_REFERRAL = "CSC_REFERRAL", "Referred to children's social care"
        CLOSED_NFA = "CLOSED_NFA", "Closed: no further action"
        CLOSED_DECLINED = "CLOSED_DECLINED", "Closed: family declined"
        CLOSED_NEEDS_MET = "CLOSED_NEEDS_MET", "Closed: needs met"
        CLOSED_STEPPED_UP = "CLOSED_STEPPED_UP", "Closed: stepped up"

    S = Status
    #: Every transition drawn in DOMAIN §3.1, and no other.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        S.IDENTIFIED: frozenset({S.SINGLE_AGENCY, S.REQUEST_SUBMITTED, S.CSC_REFERRAL}),
        S.REQUEST_SUBMITTED: frozenset({S.TRIAGED}),
        S.TRIAGED: frozenset({S.CLOSED_NFA, S.CSC_REFERRAL, S.CONSENT_PENDING}),
        S.CONSENT_PENDING: frozenset({S.CLOSED_DECLINED, S.ASSESSING}),
        S.ASSESSING: frozenset({S.PLANNING, S.CLOSED_NEEDS_MET}),
        S.PLANNING: frozenset({S.ACTIVE}),
        S.ACTIVE: frozenset({S.ACTIVE, S.REASSESSING, S.STEP_UP_REQUESTED, S.CLOSING}),
        S.REASSESSING: frozenset({S.ACTIVE}),
        S.STEP_UP_REQUESTED: frozenset({S.ACTIVE, S.CLOSED_STEPPED_UP}),
        S.CLOSING: frozenset({S.CLOSED}),
        S.CLOSED: frozenset(),
        S.SINGLE_AGENCY: frozenset(),
        S.CSC_REFERRAL: frozenset(),
        S.CLOSED_NFA: frozenset(),
        S.CLOSED_DECLINED: frozenset(),
        S.CLOSED_NEEDS_MET: frozenset(),
        S.CLOSED_STEPPED_UP: frozenset(),
    }
    #: A terminal status ends the case: no transition leaves it.
    TERMINAL_STATUSES: ClassVar[frozenset[str]] = frozenset(
        s for s, targets in TRANSITIONS.items() if not targets
    )
    OPEN_STATUSES: ClassVar[frozenset[str]] = frozenset(TRANSITIONS) - TERMINAL_STATUSES
    #: The closure reason each terminal status implies, where it implies one.
    DEFAULT_CLOSURE_REASONS: ClassVar[dict[str, str]] = {
        S.CLOSED_NFA: ClosureReason.NFA_AFTER_TRIAGE,
        S.CLOSED_DECLINED: ClosureReason.CONSENT_WITHDRAWN,
        S.CLOSED_NEEDS_MET: ClosureReason.NEEDS_MET,
        S.CLOSED_STEPPED_UP: ClosureReason.STEPPED_UP,
        S.SINGLE_AGENCY: ClosureReason.SINGLE_AGENCY,
        S.CSC_REFERRAL: ClosureReason.STEPPED_UP,
    }
    del S

    reference = models.CharField(max_length=20, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    children = models.ManyToManyField(Child, through="CaseSubject", related_name="cases")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_reason_detail = models.TextField(blank=True)
    previous_case = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="re_referrals",
        help_text="The earlier case this re-referral follows.",
    )
    is_re_referral = models.BooleanField(default=False)
    next_review_due = models.DateField(null=True, blank=True)
    review_late_reason = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="Why an overdue review is late (for example: the family asked to "
        "reschedule). Shown beside the overdue flag on dashboards; cleared when the "
        "review date moves.",
    )
    current_level = models.ForeignKey(
        LevelOfNeed,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Copied from the latest level-of-need judgement, for lists and dashboards.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(closure_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            # Partner API incremental sync: ?updated_since=
            models.Index(fields=["updated_at", "id"], name="case_updated_idx"),
            # Overdue reviews (dashboards, reminders): open cases by review date.
            models.Index(
                fields=["next_review_due"],
                name="case_open_review_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["status"], name="case_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def is_review_overdue(self, today: date) -> bool:
        return self.is_open and self.next_review_due is not None and self.next_review_due < today

    @property
    def lead_assignment(self) -> LeadProfessionalAssignment | None:
        """The active lead professional assignment (uses the list prefetch when present)."""
        prefetched = getattr(self, "active_lead_assignments", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return self.lead_assignments.active().select_related("professional", "agency").first()


@tracked
class CaseSubject(models.Model):
    """A child who is a subject of a case.

    ``is_open`` mirrors the case's openness so that the database can enforce
    "a child is the subject of at most one open case" (DOMAIN §1 invariant 2).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_subjects")
    is_open = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "child"], name="case_subject_unique"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(is_open=True), name="child_one_open_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.case}"


@tracked
class LevelOfNeedJudgement(models.Model):
    """A named professional's judgement of the level of need, with a rationale (DOMAIN §4.1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="level_judgements")
    level = models.ForeignKey(LevelOfNeed, on_delete=models.PROTECT, related_name="judgements")
    rationale = models.TextField()
    family_informed = models.BooleanField(default=False)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    judged_at = models.DateTimeField()

    class Meta:
        ordering = ["-judged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rationale=""), name="level_judgement_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} on {self.judged_at:%d %b %Y}"


class TACRole(models.TextChoices):
    """Roles on the team around the child (DOMAIN §8.2)."""

    LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
    PRACTITIONER = "practitioner", "Practitioner"
    CHAIR = "chair", "Independent chair"
    NOTE_TAKER = "note_taker", "Note-taker"
    FAMILY_MEMBER = "family_member", "Family member"
    CHILD_YOUNG_PERSON = "child_young_person", "Child or young person"
    FAMILY_NETWORK_MEMBER = "family_network_member", "Family network member"
    ADVOCATE = "advocate", "Advocate"
    INTERPRETER = "interpreter", "Interpreter"
    OBSERVER = "observer", "Observer or student"
    SOCIAL_WORKER = "social_worker", "Social worker (children's social care)"


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def active(self) -> TeamMembershipQuerySet:
        return self.filter(left_at__isnull=True)


@tracked
class TeamMembership(models.Model):
    """Someone on a case's TAC: a professional, a family member or an external contact."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", "Professional with an account"
        FAMILY = "family", "Family member"
        EXTERNAL = "external", "External contact"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tac_memberships",
    )
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    external_name = models.CharField(max_length=200, blank=True)
    external_agency = models.CharField(max_length=200, blank=True)
    external_email = models.EmailField(blank=True)
    role = models.CharField(max_length=30, choices=TACRole.choices)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="professional",
                        professional__isnull=False,
                        family_member__isnull=True,
                        external_name="",
                    )
                    | Q(
                        kind="family",
                        professional__isnull=True,
                        family_member__isnull=False,
                        external_name="",
                    )
                    | (
                        Q(kind="external", professional__isnull=True, family_member__isnull=True)
                        & ~Q(external_name="")
                    )
                ),
                name="membership_kind_matches_person",
            ),
            models.UniqueConstraint(
                fields=["case", "professional"],
                condition=Q(left_at__isnull=True, professional__isnull=False),
                name="membership_one_active_per_professional",
            ),
            models.UniqueConstraint(
                fields=["case", "family_member"],
                condition=Q(left_at__isnull=True, family_member__isnull=False),
                name="membership_one_active_per_family_member",
            ),
        ]
        indexes = [
            # Access policy rule 1 and "My cases": active memberships of one professional.
            models.Index(
                fields=["professional", "case"],
                name="membership_active_prof_idx",
                condition=Q(left_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.professional_id:
            return str(self.professional)
        if self.family_member_id:
            return str(self.family_member)
        return self.external_name

    @property
    def agency_name(self) -> str:
        if self.professional is not None and self.professional.agency is not None:
            return self.professional.agency.name
        if self.kind == self.Kind.FAMILY:
            return "Family"
        return self.external_agency


class LeadProfessionalAssignmentQuerySet(models.QuerySet["LeadProfessionalAssignment"]):
    def active(self) -> LeadProfessionalAssignmentQuerySet:
        return self.filter(ended_at__isnull=True)


@tracked
class LeadProfessionalAssignment(models.Model):
    """Who holds the lead professional role, and since when (DOMAIN §5.4)."""

    class Basis(models.TextChoices):
        INTERIM_INITIATOR = "INTERIM_INITIATOR", "Interim: started the case"
        AGREED_AT_TAC = "AGREED_AT_TAC", "Agreed at a TAC meeting"
        FAMILY_CHOICE = "FAMILY_CHOICE", "The family's choice"
        MANAGER_ALLOCATED = "MANAGER_ALLOCATED", "Allocated by a manager"
        STEP_DOWN_HANDOVER = "STEP_DOWN_HANDOVER", "Step-down handover from social care"

    class ChangeReason(models.TextChoices):
        MANAGING_CASELOADS = "MANAGING_CASELOADS", "Managing caseloads"
        WORKER_LEFT_ROLE = "WORKER_LEFT_ROLE", "Worker left the role"
        RESTRUCTURE = "RESTRUCTURE", "Service restructure"
        STANDARD_TRANSFER = "STANDARD_TRANSFER", "Standard process transfer"
        ABSENCE_COVER = "ABSENCE_COVER", "Absence cover"
        CHILD_REQUESTED = "CHILD_REQUESTED", "Child requested a change"
        PARENT_REQUESTED = "PARENT_REQUESTED", "Parent or carer requested a change"
        AGREED_AT_FIRST_TAC = "AGREED_AT_FIRST_TAC", "Lead agreed at the first TAC"
        OTHER = "OTHER", "Other"

    class EndReason(models.TextChoices):
        REPLACED = "REPLACED", "Replaced by a new lead professional"
        CASE_CLOSED = "CASE_CLOSED", "Case closed"
        CSC_LEAD = "CSC_LEAD", "Children's social care took the lead"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lead_assignments")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lead_assignments"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The lead's agency when they took the role.",
    )
    basis = models.CharField(max_length=20, choices=Basis.choices)
    family_consulted = models.BooleanField(default=False)
    family_preference = models.TextField(blank=True)
    change_reason = models.CharField(max_length=24, choices=ChangeReason.choices, blank=True)
    change_reason_detail = models.TextField(blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = LeadProfessionalAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="one_active_lead_per_case",
            ),
        ]
        indexes = [
            # Access policy rule 1 and "My cases": active leads by professional.
            models.Index(
                fields=["professional", "case"],
                name="lead_active_prof_idx",
                condition=Q(ended_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional} leads {self.case}"


class CaseEvent(models.Model):
    """The case chronology: significant events with dotted codes (``case.opened``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The case page chronology, newest first.
            models.Index(fields=["case", "-at"], name="caseevent_case_at_idx"),
            # Counting events of one kind over time (dashboards: step-downs in).
            models.Index(fields=["code", "at"], name="caseevent_code_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.case}"


# --- Requests for support, consent and sharing, disclosure decisions ---------


class ReferralSource(models.TextChoices):
    """Children in Need census referral source codes (DOMAIN §3.2)."""

    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = "1B", "Individual: acquaintance"
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Health services: other primary health services"
    A_AND_E = "3E", "Health services: A&E"
    OTHER_HEALTH = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "LA services: social care"
    LA_OTHER_INTERNAL = "5B", "LA services: other internal department"
    LA_OTHER_COUNCIL = "5C", "LA services: other council"
    LA_EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class TriageDecision(models.TextChoices):
    ADVICE_SIGNPOST = "advice_signpost", "Advice and signposting"
    SINGLE_AGENCY = "single_agency", "Single-agency support"
    EARLY_HELP_ASSESSMENT = "early_help_assessment", "Early help assessment"
    LP_SUPPORT_EXISTING_PLAN = "lp_support_existing_plan", "Support for an existing plan"
    REFER_TO_CSC = "refer_to_csc", "Refer to children's social care"


@tracked
class RequestForSupport(models.Model):
    """A request to the early help hub (DOMAIN §3.2), triaged by a coordinator or manager."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Waiting for triage"
        TRIAGED = "triaged", "Triaged"

    received_at = models.DateTimeField(help_text="Starts the request-to-assessment clock.")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_for_support",
        help_text="Empty for a self-referral or one taken by phone.",
    )
    requester_name = models.CharField(max_length=200, blank=True)
    source_code = models.CharField(max_length=4, choices=ReferralSource.choices)
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    subjects = models.ManyToManyField(Child, related_name="requests_for_support")
    summary_of_need = models.TextField()
    family_aware = models.BooleanField(default=False)
    consent_obtained = models.BooleanField(default=False)
    existing_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    triage_decision = models.CharField(max_length=30, choices=TriageDecision.choices, blank=True)
    triage_decided_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    level_of_need_at_triage = models.ForeignKey(
        LevelOfNeed, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_rationale = models.TextField(blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_for_support",
        help_text="The case the request opened or joined.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="request_status_received_idx"),
        ]

    def __str__(self) -> str:
        return f"Request for support {self.pk}"


class InformationLevel(models.TextChoices):
    """DOMAIN §6.1: basic = identifying details; additional = needs, including sensitive data."""

    BASIC = "basic", "Basic information"
    ADDITIONAL = "additional", "Additional information"


@tracked
class ConsentRecord(models.Model):
    """Agreement to assessment or service, or a sharing preference (DOMAIN §6.1)."""

    class Kind(models.TextChoices):
        AGREEMENT_TO_ASSESSMENT = "agreement_to_assessment", "Agreement to an assessment"
        AGREEMENT_TO_SERVICE = "agreement_to_service", "Agreement to early help"
        SHARING_PREFERENCE = "sharing_preference", "Sharing preference"

    class CapacityBasis(models.TextChoices):
        ADULT = "adult", "Adult"
        AGE_16_17 = "age_16_17_presumed", "Aged 16 or 17 (capacity presumed)"
        GILLICK = "gillick_assessed", "Assessed as competent (Gillick)"
        PARENT_ON_BEHALF = "parent_on_behalf", "Parent on the child's behalf"

    class Method(models.TextChoices):
        WRITTEN = "written", "In writing"
        E_SIGNATURE = "e_signature", "Electronic signature"
        VERBAL = "verbal", "Verbally (attested by the practitioner)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    given_by = models.ForeignKey(
        FamilyMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        help_text="The parent or carer; empty when a young person gave it themselves.",
    )
    given_by_child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="consents_given"
    )
    subject_children = models.ManyToManyField(Child, related_name="consents")
    capacity_basis = models.CharField(max_length=30, choices=CapacityBasis.choices)
    capacity_note = models.TextField(blank=True)
    agencies_allowed = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", help_text="Empty means every TAC agency."
    )
    agencies_excluded = models.ManyToManyField(
        "agencies.Agency",
        blank=True,
        related_name="+",
        help_text="Agencies that must not receive additional information.",
    )
    information_level = models.CharField(
        max_length=20, choices=InformationLevel.choices, default=InformationLevel.BASIC
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    given_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by__isnull=False) | Q(given_by_child__isnull=False),
                name="consent_has_a_giver",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"], name="consent_case_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id}"


@tracked
class DisclosureDecision(models.Model):
    """A decision to share or not to share information (DOMAIN §6.2 rule 7)."""

    class Decision(models.TextChoices):
        SHARE = "share", "Shared"
        NOT_SHARE = "not_share", "Not shared"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disclosures")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    recipient = models.CharField(max_length=200, help_text="Who the information went (or not) to.")
    information = models.TextField(help_text="What was shared or asked for.")
    purpose = models.TextField()
    lawful_basis = models.CharField(max_length=200, blank=True)
    with_consent = models.BooleanField(default=False)
    reason = models.TextField(help_text="Why it was, or was not, shared.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"Disclosure decision {self.pk}"


# --- Practitioner journeys: duplicate checks, safeguarding concerns ----------


@tracked
class ChildRecordCheck(models.Model):
    """The duplicate check run before a child record was added (no duplicate children).

    ``possible_matches`` are the ids of the existing children shown as likely
    matches; adding the child anyway needed ``reason``.
    """

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="record_check")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by_client = models.CharField(
        max_length=100, blank=True, help_text="The partner system, for a child referred by API."
    )
    added_at = models.DateTimeField()
    possible_matches = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(possible_matches=[]) | ~Q(reason=""),
                name="record_check_matches_need_reason",
            ),
            models.CheckConstraint(
                condition=Q(added_by__isnull=False) | ~Q(added_by_client=""),
                name="record_check_names_who_added",
            ),
        ]

    def __str__(self) -> str:
        return f"Record check for child {self.child_id}"


@tracked
class SafeguardingConcern(models.Model):
    """Someone raised a safeguarding concern from a case page (DOMAIN §6.2, §9.2 F1).

    It records when, by whom and which route (the MASH contact shown to them) and
    never changes the case's status: that waits for children's social care.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safeguarding_concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    route = models.CharField(
        max_length=300, help_text="The MASH contact the professional was given."
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["case", "-raised_at"], name="concern_case_at_idx")]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk}"


from cases.episode_models import CaseClosure, LeadHandover, StepDownIn, StepUpReferral  # noqa: E402, F401
