"""The access policy's own records (ARCHITECTURE §5; DOMAIN §6.2 rule 5).

Who looked at which child's record (the append-only record-access log), emergency
(break-glass) access grants, and restricted items with each look behind them. They
live beside the case because ``cases.access`` reads and writes them as part of
deciding who may see what; the information governance pages in ``audit`` read them.
Their tables keep the names they were created with (``audit_*``).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models.functions import Now

from tac_portal.fields import BoundedTextField


class AccessPurpose(models.TextChoices):
    """What a record was opened for, as the access report names it."""

    CASE = "case", "Case page"
    CASE_WORK = "case_work", "Work on the case"
    TEAM = "team", "Team around the child"
    MEETING = "meeting", "Meeting"
    PLAN = "plan", "Plan and actions"
    ASSESSMENT = "assessment", "Assessment"
    FAMILY_COPY = "family_copy", "Family's copy"
    RESTRICTIONS = "restrictions", "Restricted items"
    CASE_LIST = "case_list", "Case list"
    SEARCH = "search", "Find a child"
    REQUEST = "request", "Request for support"
    DASHBOARD = "dashboard", "Dashboard list"
    HISTORY = "history", "Change history"
    ACCESS_REPORT = "access_report", "Access report"
    API = "api", "API"
    SUBJECT_ACCESS = "subject_access", "Subject access request"
    DOCUMENT = "document", "Document"


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
    purpose = models.CharField(
        max_length=20, choices=AccessPurpose.choices, blank=True, help_text="What it was for."
    )
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    break_glass_grant_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        db_table = "audit_recordaccess"
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
    justification = BoundedTextField()
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
    review_note = BoundedTextField(blank=True)

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        db_table = "audit_breakglassgrant"
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


# --- Restricted items (DOMAIN §6.2 rule 5) ------------------------------------


class RestrictionTarget(models.TextChoices):
    """Which kind of record a restriction covers."""

    CHILD = "child", "A child"
    FAMILY = "family", "The family's household"
    FAMILY_MEMBER = "family_member", "A family member or carer"


#: The fields a restriction may cover, per kind of record; empty means the whole record.
RESTRICTABLE_FIELDS: dict[str, dict[str, str]] = {
    RestrictionTarget.CHILD: {
        "address": "Address and postcode",
        "contact_phone": "Phone number",
        "email": "Email address",
        "school": "School or setting, its URN and the pupil number (UPN)",
        "nhs_number": "NHS number",
        "ethnicity": "Ethnicity",
        "disability_status": "Disability",
        "sen_status": "Special educational needs",
        "first_language": "First language",
    },
    RestrictionTarget.FAMILY: {"address": "Address and postcode"},
    RestrictionTarget.FAMILY_MEMBER: {
        "": "The whole record (for example an informant)",
        "address": "Address and postcode",
        "phone": "Phone number",
        "email": "Email address",
    },
}

#: A field that is masked with another: the postcode goes with the address, the URN and the
#: pupil number with the school, and the yes-or-no and details of a disability or of
#: special educational needs with their status.
MASKED_TOGETHER: dict[str, str] = {
    "postcode": "address",
    "mobile_phone": "phone",
    "school_urn": "school",
    "upn": "school",
    "has_disability": "disability_status",
    "disability_details": "disability_status",
    "has_sen": "sen_status",
    "sen_details": "sen_status",
    "interpreter_required": "first_language",
}


class RestrictionQuerySet(models.QuerySet["Restriction"]):
    def in_force(self) -> RestrictionQuerySet:
        return self.filter(lifted_at__isnull=True)


class Restriction(models.Model):
    """A record or field that only the people it names may see, and only on purpose.

    Everyone else, break-glass users included, sees it masked. A named person
    unmasks it by giving a reason; each unmasking is an ``Unmasking`` row.
    A restriction is reviewed every 90 days by whoever set it.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="restrictions")
    target = models.CharField(max_length=20, choices=RestrictionTarget.choices)
    target_id = models.BigIntegerField()
    field_name = models.CharField(
        max_length=40, blank=True, help_text="Empty when the whole record is restricted."
    )
    reason = BoundedTextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="restrictions_set"
    )
    set_at = models.DateTimeField()
    review_due = models.DateField()
    named_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="restrictions_named_in",
        help_text="Who may unmask it (the person who set it always may).",
    )
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = BoundedTextField(blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        db_table = "audit_restriction"
        ordering = ["set_at", "id"]
        indexes = [
            models.Index(
                fields=["case"],
                condition=models.Q(lifted_at__isnull=True),
                name="restriction_case_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="restriction_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Restriction {self.pk}"

    @property
    def what(self) -> str:
        fields = RESTRICTABLE_FIELDS.get(self.target, {})
        label = fields.get(self.field_name, "The whole record")
        return f"{self.get_target_display()}: {label.lower() if self.field_name else label}"


class Unmasking(models.Model):
    """One look behind a restriction: who, when, why. Append-only."""

    restriction = models.ForeignKey(
        Restriction, on_delete=models.PROTECT, related_name="unmaskings"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = BoundedTextField()
    at = models.DateTimeField(db_default=Now())
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        db_table = "audit_unmasking"
        ordering = ["-at", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="unmasking_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"Unmasking {self.pk}"
