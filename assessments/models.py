"""The CAF / early help assessment (DOMAIN §2): versioned templates as data, one
assessment per subject child, kept through its lifecycle (§2.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case, Child, ConsentRecord, FamilyMember, tracked
from tac_portal.fields import BoundedTextField

#: Statuses in which an assessment is being written (and can be edited).
OPEN_STATUSES = (
    "draft",
    "awaiting_consent",
    "in_progress",
    "shared_with_family",
    "safeguarding_escalated",
)


class AssessmentTemplate(models.Model):
    """A published version of an assessment form. Assessments keep the version they began on."""

    code = models.SlugField(max_length=60, help_text="For example caf-2009.")
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    definition = models.JSONField(help_text="Sections, domains and elements, validated on publish.")
    published_at = models.DateTimeField(null=True, blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="template_code_version_unique"
            ),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_template"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


@tracked
class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_CONSENT = "awaiting_consent", "Awaiting consent"
        IN_PROGRESS = "in_progress", "In progress"
        SHARED_WITH_FAMILY = "shared_with_family", "Shared with the family"
        COMPLETED = "completed", "Completed"
        SUPERSEDED = "superseded", "Superseded"
        ABANDONED = "abandoned", "Abandoned"
        SAFEGUARDING_ESCALATED = "safeguarding_escalated", "Safeguarding escalated"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    started_at = models.DateTimeField()
    shared_with_family_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        help_text="The completed assessment this one revises.",
    )
    lock_version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every save: a save based on an older one is a conflict."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    consent_to_assessment = models.ForeignKey(
        ConsentRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Section K: the family's agreement to the assessment, at the start.",
    )
    consent_to_share = models.ForeignKey(
        ConsentRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Section K: what the family agreed may be stored and shared, at completion.",
    )
    family_copy_given_on = models.DateField(
        null=True, blank=True, help_text="The day the family was given its own copy."
    )
    family_copy_left_out = models.JSONField(
        default=list,
        blank=True,
        help_text="The parts of the family's copy left out because they are about someone "
        "else (keys from assessments.services.family_copy).",
    )
    family_copy_version = models.PositiveIntegerField(default=1, db_default=1)
    abandoned_reason = BoundedTextField(blank=True)
    status_before_escalation = models.CharField(
        max_length=30, choices=Status.choices, blank=True, db_default=""
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # One assessment being written per child; a revision starts after completion.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=OPEN_STATUSES),
                name="assessment_one_open_per_child",
            ),
        ]
        indexes = [
            models.Index(fields=["assessor", "status"], name="assessment_assessor_status_idx"),
            models.Index(fields=["case", "status"], name="assessment_case_status_idx"),
            models.Index(fields=["completed_at"], name="assessment_completed_idx"),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_drafting(self) -> bool:
        """Still being drafted: the "in draft too long" reminder applies."""
        return self.status in DRAFTING_STATUSES


#: The "assessment in draft" reminder runs while the assessment is in one of these.
DRAFTING_STATUSES = ("draft", "awaiting_consent", "in_progress")


class _Versioned(models.Model):
    """Rows edited field by field: ``versions`` holds each field's version and last editor.

    ``versions[field] = {"v": 3, "by": "Lena Lead", "at": "2026-11-23T10:00:00+00:00"}``.
    A save names the version of each field it was based on; a field whose
    version has moved on is a conflict, never overwritten (see services).
    """

    versions = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


@tracked
class AssessmentSection(_Versioned):
    """The answers to one ``fields`` section of the template, as a JSON document."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=60)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "key"], name="section_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} of assessment {self.assessment_id}"


class Source(models.TextChoices):
    """Where the information about an element came from (DOMAIN §2.2 H, provenance)."""

    CHILD = "child", "The child"
    PARENT_CARER = "parent_carer", "A parent or carer"
    PROFESSIONAL = "professional", "A professional"
    RECORDS = "records", "Records"


@tracked
class ElementEntry(_Versioned):
    """Strengths and needs for one element of a domain; no score (DOMAIN §9.2 B2)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="elements")
    element_code = models.CharField(max_length=60)
    strengths = BoundedTextField(blank=True)
    needs = BoundedTextField(blank=True)
    not_discussed = models.BooleanField(default=False)
    not_discussed_reason = BoundedTextField(blank=True)
    sources = models.JSONField(default=list, blank=True, help_text="Source values.")
    source_detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "element_code"], name="element_entry_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element_code} of assessment {self.assessment_id}"


@tracked
class ViewRecord(_Versioned):
    """The child's or one parent's or carer's views, in their own words (DOMAIN §2.2 I)."""

    class Speaker(models.TextChoices):
        CHILD = "child", "The child"
        PARENT_CARER = "parent_carer", "Parent or carer"

    class Method(models.TextChoices):
        SPOKEN = "spoken", "Spoken"
        WRITTEN = "written", "Written by them"
        DRAWING = "drawing", "Drawing"
        SIGNING = "signing", "Signing"
        INTERPRETER = "interpreter", "Through an interpreter"
        ADVOCATE = "advocate", "Through an advocate"
        OTHER = "other", "Other"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="views")
    speaker = models.CharField(max_length=20, choices=Speaker.choices)
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    own_words = BoundedTextField(blank=True)
    disagreement = BoundedTextField(
        blank=True,
        db_default="",
        help_text="Anything they disagree with in the assessment, in their own words.",
    )
    scribed_by = models.CharField(
        max_length=200, blank=True, help_text="Who wrote the words down, if not the speaker."
    )
    communication_method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    not_obtained_reason = BoundedTextField(blank=True)

    class Meta:
        ordering = ["speaker", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(speaker="child"),
                name="view_one_child_view",
            ),
            models.UniqueConstraint(
                fields=["assessment", "family_member"],
                condition=Q(family_member__isnull=False),
                name="view_one_per_family_member",
            ),
            models.CheckConstraint(
                condition=Q(speaker="child", family_member__isnull=True)
                | Q(speaker="parent_carer", family_member__isnull=False),
                name="view_speaker_matches_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_speaker_display()} views on assessment {self.assessment_id}"

    @property
    def is_given(self) -> bool:
        return bool(self.own_words.strip())
