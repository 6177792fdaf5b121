"""Who looked at which child's record: the append-only record-access log."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class RecordAccess(models.Model):
    """One row per child shown to someone, per request (ASVS L3: every read is logged).

    Rows are never changed or removed: a database trigger rejects UPDATE and
    DELETE whatever the code path. TRUNCATE is not trapped (the test suite empties
    tables with it): in production the application's database role must lose
    UPDATE, DELETE and TRUNCATE on this table (see README).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="record_accesses",
    )
    client_id = models.CharField(
        max_length=100, blank=True, help_text="The partner system, for API reads."
    )
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = models.CharField(max_length=100, help_text="What was shown (the route name).")
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    break_glass_grant_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "record accesses"
        indexes = [
            # Access report by child: who looked, newest first.
            models.Index(fields=["child", "-at"], name="recordaccess_child_idx"),
            # Access report by professional: what they looked at.
            models.Index(fields=["user", "-at"], name="recordaccess_user_idx"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="record_access_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.route} at {self.at:%Y-%m-%d %H:%M}"


class BreakGlassGrantQuerySet(models.QuerySet["BreakGlassGrant"]):
    def active(self) -> BreakGlassGrantQuerySet:
        return self.filter(expires_at__gt=Now())


class BreakGlassGrant(models.Model):
    """Time-limited emergency access to a case for someone with no relationship to it.

    Granting it notifies the professional's team managers and information
    governance at once; information governance reviews every grant afterwards.
    Break-glass never unmasks restricted items.
    """

    class ReasonCode(models.TextChoices):
        SAFEGUARDING_CONCERN = "SAFEGUARDING_CONCERN", "Immediate safeguarding concern"
        EMERGENCY_CONTACT = "EMERGENCY_CONTACT", "Emergency contact with the child or family"
        OUT_OF_HOURS_DUTY = "OUT_OF_HOURS_DUTY", "Out-of-hours duty"
        OTHER = "OTHER", "Other (explain below)"

    class ReviewOutcome(models.TextChoices):
        APPROPRIATE = "APPROPRIATE", "Appropriate"
        INAPPROPRIATE = "INAPPROPRIATE", "Inappropriate"
        NEEDS_FOLLOW_UP = "NEEDS_FOLLOW_UP", "Needs follow-up"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason_code = models.CharField(max_length=32, choices=ReasonCode.choices)
    justification = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    review_outcome = models.CharField(
        max_length=20, choices=ReviewOutcome.choices, blank=True, default=""
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="break_glass_reviews",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [
            # The access rule: an unexpired grant for this case and user.
            models.Index(fields=["case", "user", "expires_at"], name="breakglass_case_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")),
                name="breakglass_expires_after_granted",
            ),
            models.CheckConstraint(
                condition=~models.Q(justification=""), name="breakglass_justification_required"
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass grant {self.pk}"

    @property
    def is_reviewed(self) -> bool:
        return bool(self.review_outcome)
