"""The case (an early help episode), its children, team, lead professional, level of need
and chronology (DOMAIN §1, §3.1, §4.1, §5.4, §8.2).

The code calls an early help episode a ``Case`` (DOMAIN §11.1).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from cases.models.people import Child, Family, FamilyMember
from cases.models.tracking import tracked
from tac_portal.concurrency import VersionedModel
from tac_portal.fields import BoundedTextField

if TYPE_CHECKING:
    from agencies.models import User


class LevelOfNeed(models.Model):
    """A level on the local continuum of need (DOMAIN §4.1). Data, editable in admin."""

    code = models.CharField(max_length=20, unique=True)
    ordinal = models.PositiveSmallIntegerField(unique=True)
    label = models.CharField(max_length=100)
    description = BoundedTextField(blank=True)
    response_guidance_url = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["ordinal"]
        verbose_name_plural = "levels of need"

    def __str__(self) -> str:
        return f"Level {self.ordinal}: {self.label}"


class ClosureReason(models.TextChoices):
    """Why a case closed (DOMAIN §3.7)."""

    NEEDS_MET = "NEEDS_MET", "Outcomes achieved / needs met"
    SINGLE_AGENCY = "SINGLE_AGENCY", "Continuing with a single agency"
    STEPPED_UP = "STEPPED_UP", "Stepped up to children's social care"
    CONSENT_WITHDRAWN = "CONSENT_WITHDRAWN", "Family withdrew consent"
    DISENGAGED = "DISENGAGED", "Family disengaged"
    MOVED_OUT_OF_AREA = "MOVED_OUT_OF_AREA", "Moved out of area"
    AGED_OUT = "AGED_OUT", "Young person aged out"
    NFA_AFTER_TRIAGE = "NFA_AFTER_TRIAGE", "No further action after triage"
    OTHER = "OTHER", "Other"


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=Case.OPEN_STATUSES)

    def closed(self) -> CaseQuerySet:
        return self.exclude(status__in=Case.OPEN_STATUSES)

    def visible_to(self, user: User) -> CaseQuerySet:
        """The cases ``user`` has a legitimate relationship with (ARCHITECTURE §5)."""
        # Imported here to break a real cycle: the access policy queries these models.
        from cases.access import visible_cases_filter

        return self.filter(visible_cases_filter(user))

    def listed_for(self, user: User, *, by_key: bool = True) -> CaseQuerySet:
        """``visible_to`` for lists: the same cases, found from the user's caseload
        (``cases.access.visible_cases_set_filter``) instead of by probing every case.
        ``by_key=False`` where the rows filtered are the user's own (actions, drafts)."""
        from cases.access import visible_cases_set_filter

        return self.filter(visible_cases_set_filter(user, by_key=by_key))

    def with_list_details(self) -> CaseQuerySet:
        """Columns for case lists ("My cases", dashboards) in a fixed number of queries."""
        return self.select_related("family", "current_level").prefetch_related(
            models.Prefetch(
                "lead_assignments",
                queryset=LeadProfessionalAssignment.objects.active().select_related(
                    "professional", "agency"
                ),
                to_attr="active_lead_assignments",
            ),
            models.Prefetch(
                "subjects",
                queryset=CaseSubject.objects.select_related("child").order_by("child_id"),
            ),
        )


@tracked
class Case(models.Model):
    """A family's early help episode with one or more subject children."""

    class Status(models.TextChoices):
        # Names and transitions follow the episode state machine in DOMAIN §3.1.
        IDENTIFIED = "IDENTIFIED", "Need identified"
        REQUEST_SUBMITTED = "REQUEST_SUBMITTED", "Request for support submitted"
        TRIAGED = "TRIAGED", "Triaged"
        CONSENT_PENDING = "CONSENT_PENDING", "Awaiting family's agreement"
        ASSESSING = "ASSESSING", "Assessing"
        PLANNING = "PLANNING", "Planning"
        ACTIVE = "ACTIVE", "Active plan"
        REASSESSING = "REASSESSING", "Reassessing"
        STEP_UP_REQUESTED = "STEP_UP_REQUESTED", "Step-up requested"
        CLOSING = "CLOSING", "Closing"
        CLOSED = "CLOSED", "Closed"
        SINGLE_AGENCY = "SINGLE_AGENCY", "Single agency support"
        CSC_REFERRAL = "CSC_REFERRAL", "Referred to children's social care"
        CLOSED_NFA = "CLOSED_NFA", "Closed: no further action"
        CLOSED_DECLINED = "CLOSED_DECLINED", "Closed: family declined"
        CLOSED_NEEDS_MET = "CLOSED_NEEDS_MET", "Closed: needs met"
        CLOSED_STEPPED_UP = "CLOSED_STEPPED_UP", "Closed: stepped up"

    S = Status
    #: Every transition drawn in DOMAIN §3.1, and the ways out that keep a case from a
    #: dead end: from every open stage the case can close (through "closing", or to the
    #: drawn terminal status that fits), and from every stage after triage it can be
    #: stepped up to children's social care and, if social care decline, go back to the
    #: stage it was in. A practitioner who identified the need asks the family's
    #: agreement themselves (identified → awaiting agreement).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        S.IDENTIFIED: frozenset(
            {S.SINGLE_AGENCY, S.REQUEST_SUBMITTED, S.CSC_REFERRAL, S.CONSENT_PENDING, S.CLOSING}
        ),
        S.REQUEST_SUBMITTED: frozenset({S.TRIAGED, S.CLOSING}),
        S.TRIAGED: frozenset(
            {S.CLOSED_NFA, S.CSC_REFERRAL, S.CONSENT_PENDING, S.CLOSING, S.STEP_UP_REQUESTED}
        ),
        S.CONSENT_PENDING: frozenset(
            {S.CLOSED_DECLINED, S.ASSESSING, S.CLOSING, S.STEP_UP_REQUESTED}
        ),
        S.ASSESSING: frozenset({S.PLANNING, S.CLOSED_NEEDS_MET, S.CLOSING, S.STEP_UP_REQUESTED}),
        S.PLANNING: frozenset({S.ACTIVE, S.CLOSING, S.STEP_UP_REQUESTED}),
        S.ACTIVE: frozenset({S.ACTIVE, S.REASSESSING, S.STEP_UP_REQUESTED, S.CLOSING}),
        S.REASSESSING: frozenset({S.ACTIVE, S.CLOSING, S.STEP_UP_REQUESTED}),
        S.STEP_UP_REQUESTED: frozenset(
            {
                S.ACTIVE,
                S.CLOSED_STEPPED_UP,
                # Social care declined: back to the stage the case was in.
                S.TRIAGED,
                S.CONSENT_PENDING,
                S.ASSESSING,
                S.PLANNING,
                S.REASSESSING,
                S.CLOSING,
            }
        ),
        S.CLOSING: frozenset({S.CLOSED, S.STEP_UP_REQUESTED}),
        S.CLOSED: frozenset(),
        S.SINGLE_AGENCY: frozenset(),
        S.CSC_REFERRAL: frozenset(),
        S.CLOSED_NFA: frozenset(),
        S.CLOSED_DECLINED: frozenset(),
        S.CLOSED_NEEDS_MET: frozenset(),
        S.CLOSED_STEPPED_UP: frozenset(),
    }
    #: The stages from which a case can be stepped up: every open stage after triage.
    STEP_UP_FROM: ClassVar[frozenset[str]] = frozenset(
        {S.TRIAGED, S.CONSENT_PENDING, S.ASSESSING, S.PLANNING, S.ACTIVE, S.REASSESSING, S.CLOSING}
    )
    #: The stages before a plan exists: closing here asks nothing about the plan's outcomes.
    BEFORE_PLAN: ClassVar[frozenset[str]] = frozenset(
        {S.IDENTIFIED, S.REQUEST_SUBMITTED, S.TRIAGED, S.CONSENT_PENDING, S.ASSESSING, S.PLANNING}
    )
    #: A terminal status ends the case: no transition leaves it.
    TERMINAL_STATUSES: ClassVar[frozenset[str]] = frozenset(
        s for s, targets in TRANSITIONS.items() if not targets
    )
    OPEN_STATUSES: ClassVar[frozenset[str]] = frozenset(TRANSITIONS) - TERMINAL_STATUSES
    #: The closure reason each terminal status implies, where it implies one.
    DEFAULT_CLOSURE_REASONS: ClassVar[dict[str, str]] = {
        S.CLOSED_NFA: ClosureReason.NFA_AFTER_TRIAGE,
        S.CLOSED_DECLINED: ClosureReason.CONSENT_WITHDRAWN,
        S.CLOSED_NEEDS_MET: ClosureReason.NEEDS_MET,
        S.CLOSED_STEPPED_UP: ClosureReason.STEPPED_UP,
        S.SINGLE_AGENCY: ClosureReason.SINGLE_AGENCY,
        S.CSC_REFERRAL: ClosureReason.STEPPED_UP,
    }
    del S

    reference = models.CharField(max_length=20, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    children = models.ManyToManyField(Child, through="CaseSubject", related_name="cases")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_reason_detail = BoundedTextField(blank=True)
    previous_case = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="re_referrals",
        help_text="The earlier case this re-referral follows.",
    )
    is_re_referral = models.BooleanField(default=False)
    next_review_due = models.DateField(null=True, blank=True)
    review_late_reason = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="Why an overdue review is late (for example: the family asked to "
        "reschedule). Shown beside the overdue flag on dashboards; cleared when the "
        "review date moves.",
    )
    current_level = models.ForeignKey(
        LevelOfNeed,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Copied from the latest level-of-need judgement, for lists and dashboards.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(closure_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            # Partner API incremental sync: ?updated_since=
            models.Index(fields=["updated_at", "id"], name="case_updated_idx"),
            # Overdue reviews (dashboards, reminders): open cases by review date, then id,
            # the order the overdue list pages in.
            models.Index(
                fields=["next_review_due", "id"],
                name="case_open_review_id_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["status"], name="case_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def subjects_with_children(self) -> list[CaseSubject]:
        """The case's subjects, each with its child (and school), in the order added.

        Read once for this instance: the case page and each of its panels ask for them,
        and the page's case is fetched afresh for every request. Code that changes the
        subjects reads them from the database instead.
        """
        cached: list[CaseSubject] | None = self.__dict__.get("_subjects_with_children")
        if cached is None:
            cached = list(
                CaseSubject.objects.filter(case=self)
                .select_related("child", "child__school")
                .order_by("id")
            )
            self.__dict__["_subjects_with_children"] = cached
        return cached

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def is_review_overdue(self, today: date) -> bool:
        return self.is_open and self.next_review_due is not None and self.next_review_due < today

    @property
    def notification_label(self) -> str:
        """How notifications and their emails name the case: its reference and the
        children's initials ("EH-000123 (J.F.)"), never a name."""
        children = sorted(self.children.all(), key=lambda child: child.pk)
        initials = ", ".join(_initials(c.given_names, c.family_name) for c in children)
        return f"{self.reference} ({initials})" if initials else self.reference

    @property
    def lead_assignment(self) -> LeadProfessionalAssignment | None:
        """The active lead professional assignment (uses the list prefetch when present)."""
        prefetched = getattr(self, "active_lead_assignments", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return self.lead_assignments.active().select_related("professional", "agency").first()


def _initials(given_names: str, family_name: str) -> str:
    """ "J.F." for Jamie Lee Fairweather: the first given name and the family name."""
    parts = [*given_names.split()[:1], *family_name.split()[:1]]
    return "".join(f"{part[0].upper()}." for part in parts)


@tracked
class CaseSubject(models.Model):
    """A child who is a subject of a case.

    ``is_open`` mirrors the case's openness so that the database can enforce
    "a child is the subject of at most one open case" (DOMAIN §1 invariant 2).
    """

    # No index of its own: the case_subject_unique constraint's (case, child) leads with it.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="subjects", db_index=False
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="case_subjects")
    is_open = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "child"], name="case_subject_unique"),
            models.UniqueConstraint(
                fields=["child"], condition=Q(is_open=True), name="child_one_open_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.case}"


@tracked
class LevelOfNeedJudgement(models.Model):
    """A named professional's judgement of the level of need, with a rationale (DOMAIN §4.1)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="level_judgements")
    level = models.ForeignKey(LevelOfNeed, on_delete=models.PROTECT, related_name="judgements")
    rationale = BoundedTextField()
    family_informed = models.BooleanField(default=False)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    judged_at = models.DateTimeField()

    class Meta:
        ordering = ["-judged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rationale=""), name="level_judgement_has_rationale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} on {self.judged_at:%d %b %Y}"


class TACRole(models.TextChoices):
    """Roles on the team around the child (DOMAIN §8.2)."""

    LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
    PRACTITIONER = "practitioner", "Practitioner"
    CHAIR = "chair", "Independent chair"
    NOTE_TAKER = "note_taker", "Note-taker"
    FAMILY_MEMBER = "family_member", "Family member"
    CHILD_YOUNG_PERSON = "child_young_person", "Child or young person"
    FAMILY_NETWORK_MEMBER = "family_network_member", "Family network member"
    ADVOCATE = "advocate", "Advocate"
    INTERPRETER = "interpreter", "Interpreter"
    OBSERVER = "observer", "Observer or student"
    SOCIAL_WORKER = "social_worker", "Social worker (children's social care)"


#: The roles a person of each kind of membership may be given on the team page. The lead
#: professional's role follows the lead assignment (a handover), never this choice.
ROLES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "professional": (
        TACRole.PRACTITIONER,
        TACRole.CHAIR,
        TACRole.NOTE_TAKER,
        TACRole.ADVOCATE,
        TACRole.INTERPRETER,
        TACRole.OBSERVER,
        TACRole.SOCIAL_WORKER,
    ),
    "family": (
        TACRole.FAMILY_MEMBER,
        TACRole.CHILD_YOUNG_PERSON,
        TACRole.FAMILY_NETWORK_MEMBER,
    ),
    "external": (
        TACRole.PRACTITIONER,
        TACRole.ADVOCATE,
        TACRole.INTERPRETER,
        TACRole.OBSERVER,
        TACRole.SOCIAL_WORKER,
    ),
}


class Involvement(models.TextChoices):
    """How closely someone works with the team (DOMAIN §8.2). Both see the same feed in
    the same format: an occasional contributor's word weighs as much as a core member's."""

    CORE = "core", "Core member"
    OCCASIONAL = "occasional", "Occasional contributor"


class TeamMembershipQuerySet(models.QuerySet["TeamMembership"]):
    def active(self) -> TeamMembershipQuerySet:
        return self.filter(left_at__isnull=True)


@tracked
class TeamMembership(VersionedModel):
    """Someone on a case's TAC: a professional, a family member or an external contact.

    A membership that ends keeps its row: ``left_at``, who ended it and why are the
    team's history, and access ends with it (the access policy reads active rows only).
    """

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", "Professional with an account"
        FAMILY = "family", "Family member"
        EXTERNAL = "external", "External contact"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tac_memberships",
    )
    family_member = models.ForeignKey(
        FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    external_name = models.CharField(max_length=200, blank=True)
    external_agency = models.CharField(max_length=200, blank=True)
    external_email = models.EmailField(blank=True)
    role = models.CharField(max_length=30, choices=TACRole.choices)
    involvement = models.CharField(
        max_length=12, choices=Involvement.choices, default=Involvement.CORE, db_default="core"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = BoundedTextField(blank=True, db_default="")
    version = models.PositiveIntegerField(default=1, db_default=1)

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="professional",
                        professional__isnull=False,
                        family_member__isnull=True,
                        external_name="",
                    )
                    | Q(
                        kind="family",
                        professional__isnull=True,
                        family_member__isnull=False,
                        external_name="",
                    )
                    | (
                        Q(kind="external", professional__isnull=True, family_member__isnull=True)
                        & ~Q(external_name="")
                    )
                ),
                name="membership_kind_matches_person",
            ),
            models.UniqueConstraint(
                fields=["case", "professional"],
                condition=Q(left_at__isnull=True, professional__isnull=False),
                name="membership_one_active_per_professional",
            ),
            models.UniqueConstraint(
                fields=["case", "family_member"],
                condition=Q(left_at__isnull=True, family_member__isnull=False),
                name="membership_one_active_per_family_member",
            ),
        ]
        indexes = [
            # Access policy rule 1 and "My cases": active memberships of one professional.
            models.Index(
                fields=["professional", "case"],
                name="membership_active_prof_idx",
                condition=Q(left_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.professional_id:
            return str(self.professional)
        if self.family_member_id:
            return str(self.family_member)
        return self.external_name

    @property
    def agency_name(self) -> str:
        if self.professional is not None and self.professional.agency is not None:
            return self.professional.agency.name
        if self.kind == self.Kind.FAMILY:
            return "Family"
        return self.external_agency


@tracked
class JoinRequest(VersionedModel):
    """A professional asks to join a case's team, having found the child legitimately
    ("find a child" told them the child is known to early help); the people who run the
    case approve or decline it. Until then the professional sees nothing of the case."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="join_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="join_requests"
    )
    reason = BoundedTextField(help_text="Why they need to work with the family.")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    membership = models.ForeignKey(
        TeamMembership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "requester"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="join_request_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Join request {self.pk}"


@tracked
class TeamInvitation(VersionedModel):
    """Someone with no account yet, invited to a case's team by those who run it.

    The invitation waits for an administrator of the invited person's agency to approve
    an account. The person is then sent a link to set a password, and joins the team
    when they first sign in. The administrator sees the name, agency and work email,
    never the case.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an account"
        APPROVED = "approved", "Account made, waiting for them to sign in"
        JOINED = "joined", "Joined the team"
        DECLINED = "declined", "Account declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.PENDING, Status.APPROVED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254, help_text="Their work email address.")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    job_title = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=30, choices=TACRole.choices, default=TACRole.PRACTITIONER)
    involvement = models.CharField(
        max_length=12, choices=Involvement.choices, default=Involvement.CORE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = BoundedTextField(blank=True, max_length=2000)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_invitations",
    )
    membership = models.ForeignKey(
        TeamMembership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                models.F("case"),
                Lower("email"),
                condition=Q(status__in=["pending", "approved"]),
                name="team_invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Team invitation {self.pk}"


class LeadProfessionalAssignmentQuerySet(models.QuerySet["LeadProfessionalAssignment"]):
    def active(self) -> LeadProfessionalAssignmentQuerySet:
        return self.filter(ended_at__isnull=True)


@tracked
class LeadProfessionalAssignment(models.Model):
    """Who holds the lead professional role, and since when (DOMAIN §5.4)."""

    class Basis(models.TextChoices):
        INTERIM_INITIATOR = "INTERIM_INITIATOR", "Interim: started the case"
        AGREED_AT_TAC = "AGREED_AT_TAC", "Agreed at a TAC meeting"
        FAMILY_CHOICE = "FAMILY_CHOICE", "The family's choice"
        MANAGER_ALLOCATED = "MANAGER_ALLOCATED", "Allocated by a manager"
        STEP_DOWN_HANDOVER = "STEP_DOWN_HANDOVER", "Step-down handover from social care"

    class ChangeReason(models.TextChoices):
        MANAGING_CASELOADS = "MANAGING_CASELOADS", "Managing caseloads"
        WORKER_LEFT_ROLE = "WORKER_LEFT_ROLE", "Worker left the role"
        RESTRUCTURE = "RESTRUCTURE", "Service restructure"
        STANDARD_TRANSFER = "STANDARD_TRANSFER", "Standard process transfer"
        ABSENCE_COVER = "ABSENCE_COVER", "Absence cover"
        CHILD_REQUESTED = "CHILD_REQUESTED", "Child requested a change"
        PARENT_REQUESTED = "PARENT_REQUESTED", "Parent or carer requested a change"
        AGREED_AT_FIRST_TAC = "AGREED_AT_FIRST_TAC", "Lead agreed at the first TAC"
        OTHER = "OTHER", "Other"

    class EndReason(models.TextChoices):
        REPLACED = "REPLACED", "Replaced by a new lead professional"
        CASE_CLOSED = "CASE_CLOSED", "Case closed"
        CSC_LEAD = "CSC_LEAD", "Children's social care took the lead"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lead_assignments")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lead_assignments"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The lead's agency when they took the role.",
    )
    basis = models.CharField(max_length=20, choices=Basis.choices)
    family_consulted = models.BooleanField(default=False)
    family_preference = BoundedTextField(blank=True)
    change_reason = models.CharField(max_length=24, choices=ChangeReason.choices, blank=True)
    change_reason_detail = BoundedTextField(blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = LeadProfessionalAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="one_active_lead_per_case",
            ),
        ]
        indexes = [
            # Access policy rule 1 and "My cases": active leads by professional.
            models.Index(
                fields=["professional", "case"],
                name="lead_active_prof_idx",
                condition=Q(ended_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional} leads {self.case}"


#: A case arrived by step-down from children's social care (counted on dashboards).
STEPPED_DOWN_IN_EVENT = "case.stepped_down_in"


class CaseEvent(models.Model):
    """The case chronology: significant events with dotted codes (``case.opened``)."""

    STEPPED_DOWN_IN = STEPPED_DOWN_IN_EVENT

    # No index of its own: caseevent_case_at_idx (case, -at) leads with it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    code = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The case page chronology, newest first.
            models.Index(fields=["case", "-at"], name="caseevent_case_at_idx"),
            # Step-downs in over time (dashboards). Only that code is counted by date, so
            # only its rows are indexed: an index of every event by code and date was the
            # largest on the table (212 MB at a million children, 9.5 s of the demo seed)
            # and every chronology entry kept it up to date for one rare kind.
            models.Index(
                fields=["at"],
                name="caseevent_stepdown_at_idx",
                condition=Q(code=STEPPED_DOWN_IN_EVENT),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.case}"
