"""Requests for support, duplicate-record checks and safeguarding concerns (DOMAIN §3.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models.case import Case, LevelOfNeed
from cases.models.people import Child, Family
from cases.models.tracking import tracked
from tac_portal.fields import BoundedTextField


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
    requester_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who asked, by name: a family member, a caller, or the person at a partner "
        "system's agency.",
    )
    requester_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_for_support",
        help_text="The organisation that asked; empty for a family or member of the public.",
    )
    partner_client = models.ForeignKey(
        "agencies.PartnerClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_for_support",
        help_text="The partner system that sent it through the API.",
    )
    source_code = models.CharField(max_length=4, choices=ReferralSource.choices)
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    subjects = models.ManyToManyField(Child, related_name="requests_for_support")
    summary_of_need = BoundedTextField()
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
    triage_rationale = BoundedTextField(blank=True)
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
        constraints = [
            # A request comes from a professional, a partner system or a named person.
            models.CheckConstraint(
                condition=Q(requester__isnull=False)
                | Q(partner_client__isnull=False)
                | ~Q(requester_name=""),
                name="request_has_a_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"Request for support {self.pk}"


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
    reason = BoundedTextField(blank=True)

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
    what_was_seen_or_heard = BoundedTextField(
        blank=True,
        db_default="",
        help_text="What the professional saw or heard, in their words, before the MASH "
        "contact was shown. Empty only on concerns raised before this was asked.",
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["case", "-raised_at"], name="concern_case_at_idx")]

    def __str__(self) -> str:
        return f"Safeguarding concern {self.pk}"
