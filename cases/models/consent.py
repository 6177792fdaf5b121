"""Consent and sharing records, and decisions to share without consent (DOMAIN §6.1, §6.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models.case import Case
from cases.models.people import Child, FamilyMember
from cases.models.tracking import tracked
from tac_portal.fields import BoundedTextField


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
    capacity_note = BoundedTextField(blank=True)
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
    withdrawal_note = BoundedTextField(blank=True)
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
    information = BoundedTextField(help_text="What was shared or asked for.")
    purpose = BoundedTextField()
    lawful_basis = models.CharField(max_length=200, blank=True)
    with_consent = models.BooleanField(default=False)
    reason = BoundedTextField(help_text="Why it was, or was not, shared.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"Disclosure decision {self.pk}"
