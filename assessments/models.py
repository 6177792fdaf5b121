"""The CAF / early help assessment (DOMAIN §2): versioned templates as data, one
assessment per subject child, kept through its lifecycle (§2.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case, Child, tracked


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
            models.UniqueConstraint(fields=["code", "version"], name="template_code_version_unique"),
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

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["assessor", "status"], name="assessment_assessor_status_idx"),
            models.Index(fields=["case", "status"], name="assessment_case_status_idx"),
            models.Index(fields=["completed_at"], name="assessment_completed_idx"),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk}"
