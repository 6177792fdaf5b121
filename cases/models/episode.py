"""The records of a case episode's turning points (DOMAIN §3.1, §3.7, §4.2, §4.3, §5.4).

A lead professional handover, a step-up to children's social care and its
decision, a case stepped down from social care, and the closure of a case.
Each one is written by ``cases.services`` together with the state change and the
chronology event it belongs to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models.case import Case, ClosureReason, LeadProfessionalAssignment, TeamMembership
from cases.models.consent import ConsentRecord
from cases.models.tracking import tracked
from tac_portal.fields import BoundedTextField


@tracked
class LeadHandover(models.Model):
    """The outgoing lead professional's handover note (DOMAIN §5.4).

    The reason for the change and whether the family was consulted are kept on
    the new ``LeadProfessionalAssignment``; this row keeps what the outgoing
    lead wrote for their successor.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lead_handovers")
    from_assignment = models.ForeignKey(
        LeadProfessionalAssignment, on_delete=models.PROTECT, related_name="+"
    )
    to_assignment = models.OneToOneField(
        LeadProfessionalAssignment, on_delete=models.PROTECT, related_name="handover"
    )
    note = BoundedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="lead_handover_has_note"),
        ]

    def __str__(self) -> str:
        return f"Lead handover on {self.case_id}"


@tracked
class StepUpReferral(models.Model):
    """A referral to children's social care and its decision (DOMAIN §4.2, §11.6)."""

    class Decision(models.TextChoices):
        PENDING = "PENDING", "Waiting for social care's decision"
        ACCEPTED = "ACCEPTED", "Accepted by social care"
        DECLINED = "DECLINED", "Not accepted by social care"

    class DeclineOutcome(models.TextChoices):
        # CIN census reason codes RC8/RC9 (DOMAIN §3.1 notes), and a contact not taken on.
        NOT_ACCEPTED = "NOT_ACCEPTED", "Not accepted as a referral: advice to early help"
        RC8 = "RC8", "Closed after assessment: no further action (RC8)"
        RC9 = "RC9", "Closed after assessment: referred to early help (RC9)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="step_ups")
    referred_at = models.DateTimeField(help_text="When the referral reached the front door.")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the referral.",
    )
    reason = BoundedTextField()
    family_informed = models.BooleanField()
    family_not_informed_reason = BoundedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = BoundedTextField(blank=True)
    decline_outcome = models.CharField(max_length=20, choices=DeclineOutcome.choices, blank=True)
    social_worker = models.ForeignKey(
        TeamMembership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The allocated social worker, recorded as an external TAC contact.",
    )
    review_due_by = models.DateField(
        null=True, blank=True, help_text="When declined: the TAF review is held by this day."
    )
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at", "-id"]
        constraints = [
            # A case waits for one social care decision at a time.
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision="PENDING"), name="step_up_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(family_informed=True) | ~Q(family_not_informed_reason=""),
                name="step_up_says_why_family_not_informed",
            ),
            models.CheckConstraint(
                condition=Q(decision="PENDING") | Q(decided_at__isnull=False),
                name="step_up_decision_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(decision="ACCEPTED") | Q(social_worker__isnull=False),
                name="step_up_accepted_has_social_worker",
            ),
        ]
        indexes = [
            # Step-up rate by month (dashboards, DOMAIN §7.1 M11).
            models.Index(fields=["decision", "decided_at"], name="step_up_decision_idx"),
        ]

    def __str__(self) -> str:
        return f"Step-up of {self.case_id} ({self.get_decision_display()})"

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING


@tracked
class StepDownIn(models.Model):
    """A case opened from children's social care (DOMAIN §4.3): counted as a step-down in."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="step_down")
    summary = BoundedTextField(help_text="The social care assessment or CIN plan summary.")
    outstanding_actions = BoundedTextField(blank=True)
    handover_meeting_on = models.DateField(null=True, blank=True)
    lead_assignment = models.ForeignKey(
        LeadProfessionalAssignment, on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        ConsentRecord,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The family's written agreement to early help.",
    )
    social_worker = models.ForeignKey(
        TeamMembership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The stepping-down social worker, a temporary TAC contact.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = "step-down in"
        verbose_name_plural = "step-downs in"
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # Inbound step-downs per period (dashboards, DOMAIN §7.1 M11).
            models.Index(fields=["recorded_at"], name="step_down_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"Step-down into {self.case_id}"


@tracked
class CaseClosure(models.Model):
    """What was said when a case closed (DOMAIN §3.7). One per case."""

    class OutcomesAchieved(models.TextChoices):
        ALL = "ALL", "All outcomes achieved"
        SOME = "SOME", "Some outcomes achieved"
        NONE = "NONE", "No outcomes achieved"
        NO_PLAN = "NOPL", "No plan was made"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure")
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    reason_detail = BoundedTextField(blank=True)
    progress_summary = BoundedTextField()
    outcomes_achieved = models.CharField(max_length=4, choices=OutcomesAchieved.choices)
    outcomes_detail = BoundedTextField(help_text="Which outcomes were achieved, and why not.")
    child_views = BoundedTextField()
    family_views = BoundedTextField()
    continuing_support = BoundedTextField(help_text="Who continues to support the family.")
    post_closure_actions = BoundedTextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="OTHER") | ~Q(reason_detail=""),
                name="closure_other_has_detail",
            ),
        ]
        indexes = [
            # Closures by reason per period (dashboards, DOMAIN §7.1 M9, M10).
            models.Index(fields=["closed_at", "reason"], name="closure_closed_reason_idx"),
        ]

    def __str__(self) -> str:
        return f"Closure of {self.case_id}"
