"""Families, children and the adults around them (DOMAIN §1, §2.2 B and D)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.tracking import tracked
from cases.phonetics import child_name_keys
from cases.validators import validate_nhs_number, validate_postcode, validate_uk_mobile
from tac_portal.concurrency import VersionedModel
from tac_portal.fields import BoundedTextField
from tac_portal.validators import validate_person_name


@tracked
class Family(VersionedModel):
    """A household: the unit an early help case is about (DOMAIN §9.2 A7)."""

    name = models.CharField(
        max_length=200, help_text="How the household is known, for example 'the Okafor family'."
    )
    address = BoundedTextField(blank=True)
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


class DisabilityStatus(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_OBTAINED = "not_obtained", "Not obtained"
    DECLINED = "declined", "Declined to say"


class SenStatus(models.TextChoices):
    """Special educational needs, as the school census and Annex A record them."""

    NONE = "none", "No special educational needs"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"
    NOT_OBTAINED = "not_obtained", "Not obtained"
    DECLINED = "declined", "Declined to say"


CHILD_NAME_KEY_FIELDS = (
    "family_name_metaphone",
    "family_name_soundex",
    "given_name_metaphone",
    "name_slip_keys",
)


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


# The slip keys are derived from the names, which the history keeps.
@tracked(untracked=("name_slip_keys",))
class Child(VersionedModel):
    """A child's identifying details (DOMAIN §2.2 section B)."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    given_names = models.CharField(max_length=100, validators=[validate_person_name])
    family_name = models.CharField(max_length=100, validators=[validate_person_name])
    also_known_as = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(null=True, blank=True)
    is_unborn = models.BooleanField(default=False)
    expected_date_of_delivery = models.DateField(null=True, blank=True)
    address = BoundedTextField(blank=True)
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
    school_urn = models.CharField(
        "school or setting URN", max_length=8, blank=True, help_text="As the child's record has it."
    )
    upn = models.CharField("unique pupil number (UPN)", max_length=13, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    religion_other = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    immigration_status = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=50, blank=True)
    parent_first_language = models.CharField(max_length=50, blank=True)
    interpreter_required = models.BooleanField(default=False)
    interpreter_arranged = models.BooleanField(default=False)
    disability_status = models.CharField(
        "disability",
        max_length=20,
        choices=DisabilityStatus.choices,
        default=DisabilityStatus.NOT_OBTAINED,
    )
    # Kept in step with ``disability_status`` and ``sen_status`` by the services, for the
    # readers (dashboards, the partner API) that ask only yes or no.
    has_disability = models.BooleanField(default=False)
    disability_details = BoundedTextField(blank=True)
    has_sen = models.BooleanField("special educational needs or EHC plan", default=False)
    sen_status = models.CharField(
        "special educational needs",
        max_length=20,
        choices=SenStatus.choices,
        default=SenStatus.NOT_OBTAINED,
    )
    sen_details = BoundedTextField(blank=True)
    special_requirements = BoundedTextField(blank=True)
    is_young_carer = models.BooleanField(default=False)
    risk_of_exclusion = models.BooleanField("at risk of exclusion from school", default=False)
    # An unborn child is recorded against the expectant mother (DOMAIN §1, §2.2 B).
    expectant_mother = models.ForeignKey(
        "cases.FamilyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expected_children",
    )
    # A record merged into another (a duplicate of one child): kept, and it answers with
    # where the child's record went. Cleared when the merge is undone.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    # Sound-alike keys of the names (cases.phonetics), kept by save(): "find a child"
    # narrows candidates through their indexes before fuzzy scoring.
    family_name_metaphone = models.CharField(max_length=20, blank=True, default="", editable=False)
    family_name_soundex = models.CharField(max_length=4, blank=True, default="", editable=False)
    given_name_metaphone = models.CharField(max_length=20, blank=True, default="", editable=False)
    # ... and their typing-slip keys (cases.phonetics.name_slip_keys), GIN-indexed: a
    # slip in both names still narrows through the index. Keys are compared only for
    # equality, so byte by byte ("C"): the index builds in 6 s instead of 9 at a million.
    name_slip_keys = ArrayField(
        models.TextField(db_collation="C"), blank=True, default=list, editable=False
    )
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
            GinIndex(fields=["name_slip_keys"], name="child_name_slip_keys_idx"),
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

    def missing_statutory_facts(self) -> list[str]:
        """The facts the statutory returns and the equality figures need that nobody has
        asked about yet (DOMAIN §2.2 B, §7 M16). "Declined" is an answer, so it is not
        missing; the portal prompts for these and never blocks on them."""
        missing = []
        if self.ethnicity == Ethnicity.NOBT:
            missing.append("ethnicity")
        if self.sex == Sex.UNKNOWN and not self.is_unborn:
            missing.append("sex")
        if self.disability_status == DisabilityStatus.NOT_OBTAINED:
            missing.append("disability")
        if self.sen_status == SenStatus.NOT_OBTAINED and not self.is_unborn:
            missing.append("special educational needs")
        if not self.first_language.strip() and not self.is_unborn:
            missing.append("first language")
        return missing

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


@tracked
class FamilyMember(VersionedModel):
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

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    given_names = models.CharField(max_length=100, validators=[validate_person_name])
    family_name = models.CharField(max_length=100, validators=[validate_person_name])
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
    address = BoundedTextField(blank=True, help_text="Only if different from the family's.")
    postcode = models.CharField(max_length=10, blank=True, validators=[validate_postcode])
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, blank=True
    )
    # Text message reminders (GOV.UK Notify): only to someone who agreed, on a UK mobile.
    # The database defaults let the demo's bulk loader leave them out.
    mobile_phone = models.CharField(
        "mobile number",
        max_length=20,
        blank=True,
        default="",
        db_default="",
        validators=[validate_uk_mobile],
    )
    agrees_to_text_messages = models.BooleanField(
        "agreed to text messages",
        default=False,
        db_default=False,
        help_text="They agreed to get text message reminders of meetings on their mobile.",
    )
    language = models.CharField("first language", max_length=50, blank=True)
    interpreter_required = models.BooleanField("needs an interpreter", default=False)
    has_learning_difficulty = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.agrees_to_text_messages and not self.mobile_phone:
            raise ValidationError(
                {"mobile_phone": "Enter their mobile number, or untick the text messages box"}
            )

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def first_name(self) -> str:
        """The first of their given names: all a text message may call them."""
        return self.given_names.split()[0] if self.given_names.split() else ""

    @property
    def takes_text_messages(self) -> bool:
        return self.agrees_to_text_messages and bool(self.mobile_phone)


class KnownName(models.Model):
    """A name a child was known by before (or is also known by): found by "find a child".

    Kept with the same sound-alike keys as ``Child`` so that a search for an earlier
    name narrows through an index, like a search for the current one.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="known_names")
    given_names = models.CharField(max_length=100, validators=[validate_person_name])
    family_name = models.CharField(max_length=100, validators=[validate_person_name])
    family_name_metaphone = models.CharField(max_length=20, blank=True, default="", editable=False)
    family_name_soundex = models.CharField(max_length=4, blank=True, default="", editable=False)
    given_name_metaphone = models.CharField(max_length=20, blank=True, default="", editable=False)
    name_slip_keys = ArrayField(models.TextField(), blank=True, default=list, editable=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(
                fields=["family_name_metaphone", "given_name_metaphone"],
                name="known_name_meta_idx",
            ),
            models.Index(
                fields=["family_name_soundex", "given_name_metaphone"], name="known_name_sdx_idx"
            ),
            GinIndex(fields=["name_slip_keys"], name="known_name_slip_keys_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name, key in child_name_keys(self.given_names, self.family_name).items():
            setattr(self, name, key)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


class ChildRelationship(models.Model):
    """How one of the family's adults stands to one of its children, where it is not the
    same for every child (a parent of one, a step-parent of another): the relationship,
    parental responsibility for that child, and whether they live with them. Without
    one, the adult's own ``relationship`` holds for every child."""

    member = models.ForeignKey(
        FamilyMember, on_delete=models.CASCADE, related_name="child_relationships"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adult_relationships")
    relationship = models.CharField(max_length=20, choices=FamilyMember.Relationship.choices)
    parental_responsibility = models.CharField(
        max_length=10, choices=FamilyMember.ParentalResponsibility.choices
    )
    lives_with_child = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["child_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "child"], name="child_relationship_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} of child {self.child_id}"

    def summary(self) -> str:
        """How it reads on the page and in the history."""
        lives = "lives with them" if self.lives_with_child else "lives elsewhere"
        return (
            f"{self.get_relationship_display()}; parental responsibility: "
            f"{self.get_parental_responsibility_display().lower()}; {lives}"
        )


class DetailChange(models.Model):
    """Who changed a child's, family's or family member's detail, when, and why.

    The database's change history (``tracked``) keeps every column; this is the record
    people read on the case page, with the reason the practitioner gave.
    """

    class Subject(models.TextChoices):
        CHILD = "child", "Child"
        FAMILY = "family", "Family"
        FAMILY_MEMBER = "family_member", "Parent or carer"

    subject = models.CharField(max_length=20, choices=Subject.choices)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, null=True, blank=True, related_name="detail_changes"
    )
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="detail_changes")
    family_member = models.ForeignKey(
        FamilyMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="detail_changes",
    )
    field_name = models.CharField(max_length=50)
    label = models.CharField(max_length=100)
    old_value = BoundedTextField(blank=True)
    new_value = BoundedTextField(blank=True)
    reason = BoundedTextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["child", "-changed_at"], name="detail_change_child_idx"),
            models.Index(fields=["family", "-changed_at"], name="detail_change_family_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} changed"


class ChildMerge(models.Model):
    """Two records of one child made one (managers only): what moved from the duplicate
    to the record kept, so that the merge can be undone within the window.

    ``moved`` maps each relation ("app_label.model.field") to the ids of the rows that
    pointed at the duplicate and now point at the record kept. The audit trail (who
    read which record) is not rewritten: it stays with the identifier that was read.
    """

    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_in")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_out")
    reason = BoundedTextField()
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(default=timezone.now)
    undo_until = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undo_reason = BoundedTextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kept=models.F("merged")), name="child_merge_two_records"
            ),
            # A record is merged away at most once at a time.
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="child_merge_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Merge {self.pk}"
