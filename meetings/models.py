"""TAC meetings, contributions, reviews, and the plan's outcomes and actions (DOMAIN §3.4-3.6)."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator

from cases.models import Case, FamilyMember, TeamMembership, tracked
from tac_portal.fields import BoundedTextField


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

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone call"
        HYBRID = "hybrid", "In person and video"

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
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where, or how to join. Never the family's home address.",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    professionals_only = models.BooleanField(default=False)
    professionals_only_reason = BoundedTextField(blank=True)
    ical_uid = models.CharField(max_length=120, unique=True, null=True, blank=True)
    ical_sequence = models.PositiveIntegerField(default=0)
    cancelled_reason = BoundedTextField(blank=True)
    # Meeting mode: what is typed live, saved as typed.
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every save.")
    text_versions = models.JSONField(
        default=dict, blank=True, help_text="Version of each typed field, bumped on every save."
    )
    family_views = BoundedTextField(blank=True, help_text="The family's views, in their words.")
    child_views = BoundedTextField(blank=True, help_text="The child's views, in their words.")
    progress_summary = BoundedTextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="meeting_case_starts_idx"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def text_version(self, field: str) -> int:
        return int(self.text_versions.get(field, 0))

    @property
    def is_frozen(self) -> bool:
        """Published minutes are the record: nothing in the meeting changes after."""
        return self.minutes_published_at is not None or self.status == self.Status.CANCELLED


@tracked
class Contribution(models.Model):
    """One entry in a case's contribution stream (DOMAIN §9.2 C)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contributions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    author_role = models.CharField(max_length=100, blank=True, help_text="As it was when written.")
    author_agency = models.CharField(
        max_length=200, blank=True, help_text="As it was when written."
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    body = BoundedTextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"], name="contribution_case_at_idx")]

    def __str__(self) -> str:
        return f"Contribution {self.pk}"


@tracked
class Review(models.Model):
    """A review of the plan, at a meeting or without one (DOMAIN §3.6)."""

    class Progress(models.TextChoices):
        POSITIVE = "positive", "Positive change"
        NO_CHANGE = "no_change", "No change"
        DETERIORATION = "deterioration", "Things have got worse"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )
    reviewed_at = models.DateTimeField()
    child_views = BoundedTextField(blank=True, help_text="In the child's own words.")
    parent_views = BoundedTextField(blank=True, help_text="In the parents' or carers' own words.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    progress = models.CharField(max_length=20, choices=Progress.choices, blank=True)
    summary = BoundedTextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [models.Index(fields=["reviewed_at"], name="review_reviewed_at_idx")]

    def __str__(self) -> str:
        return f"Review {self.pk}"


@tracked
class FamilyFeedback(models.Model):
    """The family's answer, at a review, to "is this working for you?" (DOMAIN §9.2 A4).

    The lightweight check-in on their relationship with the lead professional and the
    team: collated as "family feedback returned" (M15). Words the family agreed may be
    quoted without names are the sample of recent feedback on the dashboards (§7.3).
    """

    class Answer(models.TextChoices):
        WORKING = "working", "Yes, it is working for us"
        PARTLY = "partly", "Partly"
        NOT_WORKING = "not_working", "No, it is not working for us"

    class GivenBy(models.TextChoices):
        CHILD = "child", "The child or young person"
        PARENT = "parent", "A parent or carer"
        FAMILY = "family", "The family together"

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="feedback")
    given_by = models.CharField(max_length=20, choices=GivenBy.choices)
    answer = models.CharField(max_length=20, choices=Answer.choices)
    in_their_words = BoundedTextField(blank=True)
    may_quote = models.BooleanField(
        default=False,
        help_text="The family agreed their words may be shown to managers without names.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # The dashboards' sample of recent words the family agreed may be quoted.
            models.Index(
                fields=["-recorded_at"],
                name="feedback_quotable_idx",
                condition=Q(may_quote=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Family feedback {self.pk}"


#: Optional outcome tags (DOMAIN §3.5, §7.2): Every Child Matters and Supporting Families.
OUTCOME_TAGS = [
    ("ECM1", "Be healthy"),
    ("ECM2", "Stay safe"),
    ("ECM3", "Enjoy and achieve"),
    ("ECM4", "Make a positive contribution"),
    ("ECM5", "Achieve economic well-being"),
    ("SF1", "Getting a good education"),
    ("SF2", "Good early years development"),
    ("SF3", "Improved mental and physical health"),
    ("SF4", "Better managed substance use"),
    ("SF5", "Improved family relationships"),
    ("SF6", "Children safe from abuse and exploitation"),
    ("SF7", "Families diverted from crime"),
    ("SF8", "Safe from domestic abuse"),
    ("SF9", "Secure housing"),
    ("SF10", "Financial stability"),
]


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
    # In a case about several children, an outcome may be for one of them; empty means
    # for all of them (DOMAIN §1: one plan for the family).
    child = models.ForeignKey(
        "cases.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_outcomes",
        help_text="The one child it is for; empty when it is for all the case's children.",
    )
    statement = BoundedTextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="outcomes"
    )
    framework_tags = ArrayField(
        models.CharField(max_length=10, choices=OUTCOME_TAGS), default=list, blank=True
    )
    how_we_will_know = BoundedTextField(blank=True)
    baseline_scale = models.PositiveSmallIntegerField(null=True, blank=True)
    target_scale = models.PositiveSmallIntegerField(null=True, blank=True)
    current_scale = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Where things are now, 0 to 10, at the latest review."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = BoundedTextField(
        blank=True, help_text="What the family and the team said at the latest review."
    )
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every review.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_scale__isnull=True) | Q(baseline_scale__lte=10),
                name="outcome_baseline_0_10",
            ),
            models.CheckConstraint(
                condition=Q(current_scale__isnull=True) | Q(current_scale__lte=10),
                name="outcome_current_0_10",
            ),
            models.CheckConstraint(
                condition=Q(target_scale__isnull=True) | Q(target_scale__lte=10),
                name="outcome_target_0_10",
            ),
        ]

    def __str__(self) -> str:
        # Named by what will be different, in the family's words: never "Outcome 3".
        return Truncator(self.statement).chars(80) or "An outcome with no statement yet"


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
    child = models.ForeignKey(
        "cases.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        help_text="The one child it is for; empty when it is for all the case's children.",
    )
    description = BoundedTextField()
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
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every change.")

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
            # A caseload's overdue actions (a manager's drill-down), read by case.
            models.Index(
                fields=["case", "due_on"],
                condition=Q(status__in=["not_started", "in_progress", "carried_forward"]),
                name="action_open_case_due_idx",
            ),
            # Overdue actions across the authority (dashboards), in the list's order (due
            # date, then id): the first page is read straight off it, however many actions
            # share the oldest due date.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=["not_started", "in_progress", "carried_forward"]),
                name="action_open_due_id_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today

    @property
    def latest_update(self) -> ActionUpdate | None:
        """The newest progress note (uses a prefetch of ``updates`` when there is one)."""
        updates = list(self.updates.all())
        return updates[-1] if updates else None

    @property
    def owner_display(self) -> str:
        if self.owner_professional_id:
            return str(self.owner_professional)
        if self.owner_family_member_id:
            return str(self.owner_family_member)
        return self.owner_name

    @property
    def owner_role_and_agency(self) -> str:
        if self.owner_professional is not None:
            return self.owner_professional.role_and_agency
        if self.owner_family_member is not None:
            return self.owner_family_member.get_relationship_display()
        return "Family network"


@tracked
class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = BoundedTextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Update {self.pk} on action {self.action_id}"


@tracked
class Invitation(models.Model):
    """Someone asked to a meeting: a professional, a family member or an external attendee.

    Attendance and the person's spoken update are recorded on the same row in
    meeting mode; ``version`` guards the update against silent overwrites.
    """

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", "Professional"
        FAMILY = "family", "Family member"
        EXTERNAL = "external", "Attendee without an account"

    class Response(models.TextChoices):
        AWAITING = "awaiting", "No reply yet"
        ATTENDING = "attending", "Attending"
        APOLOGIES = "apologies", "Sent apologies"

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", "Not recorded"
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Did not attend"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
    )
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        TeamMembership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="As it was when invited.")
    agency = models.CharField(max_length=200, blank=True, help_text="Role and agency, as invited.")
    email = models.EmailField(blank=True)
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    responded_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    update_text = BoundedTextField(blank=True, help_text="Their update at the meeting.")
    version = models.PositiveIntegerField(default=1)
    invited_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "professional"],
                condition=Q(professional__isnull=False),
                name="invitation_one_per_professional",
            ),
            models.UniqueConstraint(
                fields=["meeting", "family_member"],
                condition=Q(family_member__isnull=False),
                name="invitation_one_per_family_member",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to meeting {self.meeting_id}"

    @property
    def is_family(self) -> bool:
        return self.kind == self.Kind.FAMILY

    @property
    def autosave_target(self) -> str:
        return f"update-{self.pk}"


@tracked
class Decision(models.Model):
    """A decision the TAC made at a meeting, with its rationale (DOMAIN §3.4)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    text = BoundedTextField()
    rationale = BoundedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Decision {self.pk}"


@tracked
class Dissent(models.Model):
    """ "I see this differently because…" (DOMAIN §9.2 C3). Never in the family's copy."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="dissents")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_name = models.CharField(max_length=200)
    by_role = models.CharField(max_length=200, blank=True)
    text = BoundedTextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Dissent {self.pk}"


@tracked
class CaseDiscussion(models.Model):
    """A reflective case discussion (DOMAIN §9.2 D1): visible to its participants only.

    It is not part of the chronology and never in the family's copy.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField()
    question = BoundedTextField()
    hypotheses = BoundedTextField(blank=True)
    learning = BoundedTextField(blank=True)
    next_steps = BoundedTextField(blank=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Case discussion {self.pk}"


def new_ical_uid() -> str:
    return f"{uuid.uuid4()}@tac-portal"
