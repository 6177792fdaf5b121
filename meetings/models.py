"""TAC meetings, contributions, reviews, and the plan's outcomes and actions (DOMAIN §3.4–3.6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case, FamilyMember, tracked


@tracked
class Meeting(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial TAC meeting"
        REVIEW = "review", "Review meeting"
        CLOSURE = "closure", "Closure meeting"
        STEP_DOWN = "step_down", "Step-down handover meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="meeting_case_starts_idx"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


@tracked
class Contribution(models.Model):
    """One entry in a case's contribution stream (DOMAIN §9.2 C)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    author_role = models.CharField(max_length=100, blank=True, help_text="As it was when written.")
    author_agency = models.CharField(max_length=200, blank=True, help_text="As it was when written.")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="contribution_case_at_idx")]

    def __str__(self) -> str:
        return f"Contribution {self.pk}"


@tracked
class Review(models.Model):
    """A review of the plan, at a meeting or without one (DOMAIN §3.6)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )
    reviewed_at = models.DateTimeField()
    child_views = models.TextField(blank=True, help_text="In the child's own words.")
    parent_views = models.TextField(blank=True, help_text="In the parents' or carers' own words.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [models.Index(fields=["reviewed_at"], name="review_reviewed_at_idx")]

    def __str__(self) -> str:
        return f"Review {self.pk}"


@tracked
class Outcome(models.Model):
    """What will be different, in the family's words (DOMAIN §3.5)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACHIEVED = "achieved", "Achieved"
        PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"
        NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="outcomes")
    statement = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Outcome {self.pk}"


@tracked
class Action(models.Model):
    """A SMART action in the plan, owned by one TAC member (DOMAIN §3.5)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        CARRIED_FORWARD = "carried_forward", "Carried forward"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.CARRIED_FORWARD)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="actions")
    description = models.TextField()
    owner_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    owner_family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="A network member without an account."
    )
    owner_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="Empty when the family or their network owns it.",
    )
    start_on = models.DateField(null=True, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_at = models.DateTimeField(null=True, blank=True)
    late_reason = models.CharField(
        max_length=200, blank=True, help_text="Why an overdue action is late (dashboards)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_professional__isnull=False)
                | Q(owner_family_member__isnull=False)
                | ~Q(owner_name=""),
                name="action_has_an_owner",
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner_professional", "due_on"],
                condition=Q(status__in=["not_started", "in_progress", "carried_forward"]),
                name="action_open_owner_due_idx",
            ),
            models.Index(fields=["case", "status"], name="action_case_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"


@tracked
class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Update {self.pk} on action {self.action_id}"
