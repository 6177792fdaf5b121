"""The access policy: who may do what to a case, and the record of every read (ARCHITECTURE §5).

This module is the one home for every question of the form "may this user do X to
this case": see it, contribute to it, run it (its team, stages and dates), and read
its audit trail. Other apps ask here and never decide for themselves; rules about one
kind of record (an action, a meeting, an assessment) are written here too, from the
same primitives, taking the record's few relevant ids so that this module needs no
model from the apps above it.

It is also the only way code obtains a case (or a record of a case) on behalf of a
person, and fetching one writes the record-access log (ASVS L3: every read of a
child's record is logged), so that a page cannot forget to. A case the user may not
see is reported exactly like a missing one (404); a case they may see but not change
is a 403.

Each rule that grants something is written as its own line so that tests cover every
branch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Now
from django.http import Http404, HttpRequest
from django.utils import timezone

from agencies.models import PartnerClient, User
from cases.expressions import AnyOf
from cases.models import (
    AccessPurpose,
    BreakGlassGrant,
    Case,
    CaseQuerySet,
    CaseSubject,
    InformationLevel,
    LeadProfessionalAssignment,
    RecordAccess,
    RequestForSupport,
    Restriction,
    TeamInvitation,
    TeamMembership,
)
from tac_portal.client_ip import client_ip

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

_Record = TypeVar("_Record", bound=Model)

_NOTHING = Q(pk__in=[])

MSG_NOT_RUNNING = "Only the lead professional, their manager or the coordinator can do this."
MSG_NOT_CONTRIBUTING = "Only members of the team around the child can contribute."
MSG_NOT_TRIAGING = "Only the early help coordinator or a manager triages requests."
MSG_NOT_KEEPING_DETAILS = (
    "Only members of the team around the child, or those who run the case, can change "
    "the family's details."
)
MSG_NO_BREAK_GLASS_CHANGES = "Emergency access cannot set or change restrictions."
MSG_NOT_MANAGING_TEAM = (
    "Only the lead professional, their manager or the coordinator can change the team."
)
MSG_NOT_ENDING_MEMBERSHIP = (
    "Only the lead professional, their manager or the coordinator can end someone else's "
    "place on the team."
)
MSG_NOT_DECIDING_ACCOUNTS = (
    "Only an administrator of their agency, or of the authority where their agency has "
    "none, can decide on an account for someone invited to a team."
)
MSG_NOT_REASSIGNING = (
    "Only the coordinator, or a manager of their team, can reassign a professional's caseload."
)
MSG_NOT_MERGING = (
    "Only a team manager or the coordinator who can see both records can merge them, or "
    "undo a merge."
)
MSG_NOT_HISTORY = (
    "Only the lead professional, their manager or the coordinator can read the change "
    "history of a case."
)


# --- Who may see a case ------------------------------------------------------------


def visible_cases_filter(user: User | AnonymousUser, *, include_break_glass: bool = True) -> Q:
    """A filter on ``Case`` matching the cases ``user`` has a legitimate relationship with.

    ``include_break_glass=False`` leaves out rule 4, to tell whether someone is
    looking at a case only by emergency access.
    """
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always ours
    if user.is_system_administrator:
        # Administrators configure the service; they see no case.
        return _NOTHING
    if user.is_coordinator:
        # Rule 3: the early help coordinator is authority-wide.
        return Q()

    active_members = TeamMembership.objects.active().filter(case=OuterRef("pk"))
    active_leads = LeadProfessionalAssignment.objects.active().filter(case=OuterRef("pk"))
    managed_teams = user.managed_teams.values("pk")

    # Rule 1: an active member of the TAC, or its lead professional.
    rule_member = Exists(active_members.filter(professional=user))
    rule_lead = Exists(active_leads.filter(professional=user))
    # Rule 2: manager of a team with a member on the TAC, or whose member is the lead.
    rule_manager_member = Exists(active_members.filter(professional__team__in=managed_teams))
    rule_manager_lead = Exists(active_leads.filter(professional__team__in=managed_teams))
    # Rule 4: an unexpired break-glass grant (emergency access) for the case.
    grants = BreakGlassGrant.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=Now())
    rule_break_glass = Exists(grants)

    relationship = Q(rule_member) | Q(rule_lead) | Q(rule_manager_member) | Q(rule_manager_lead)
    return relationship | Q(rule_break_glass) if include_break_glass else relationship


def visible_cases_set_filter(user: User | AnonymousUser, *, by_key: bool = True) -> Q:
    """``visible_cases_filter`` written as one set of case ids, for lists.

    The same rules, each its own line. The correlated ``EXISTS`` probes suit reaching
    one case by id, but a list filtered by them has PostgreSQL probe every case in
    the authority, so "My work" at a million children read every open case. Here the
    relationship is a ``UNION`` of the user's memberships, leads and grants, each
    read through its partial index by professional, and the cases are fetched by id:
    the work follows the user's caseload, not the size of the authority.

    ``by_key`` (lists of cases): the ids are gathered once and the cases read through
    the primary key. Without it (the user's own actions, invitations or drafts, each
    found by its own index): the caseload is a set their few rows are checked against.
    """
    if not user.is_authenticated or not user.is_active:
        return _NOTHING
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always ours
    if user.is_system_administrator:
        return _NOTHING
    if user.is_coordinator:
        # Rule 3: the early help coordinator is authority-wide.
        return Q()
    members = TeamMembership.objects.active().order_by()
    leads = LeadProfessionalAssignment.objects.active().order_by()
    # Rule 1: an active member of the TAC, or its lead professional.
    rule_member = members.filter(professional=user).values("case_id")
    rule_lead = leads.filter(professional=user).values("case_id")
    # Rule 4: an unexpired break-glass grant (emergency access) for the case.
    rule_break_glass = (
        BreakGlassGrant.objects.filter(user=user, expires_at__gt=Now()).order_by().values("case_id")
    )
    rules = [rule_lead, rule_break_glass]
    # Rule 2: manager of a team with a member on the TAC, or whose member is the lead.
    # The teams are read first, and the rule left out for someone who manages none: as
    # subqueries PostgreSQL guessed these branches at tens of thousands of cases for
    # everyone, and read every open case for a lead with a few hundred.
    managed_teams = list(user.managed_teams.values_list("pk", flat=True))
    if managed_teams:
        rules += [
            members.filter(professional__team__in=managed_teams).values("case_id"),
            leads.filter(professional__team__in=managed_teams).values("case_id"),
        ]
    # The ids are gathered once and the cases fetched by primary key: as ``pk IN
    # (…)``, a manager's team with 1,400 cases was guessed at 10,000 and every open case
    # in the authority was scanned to find them (94 ms at a million children, 10 at 10k).
    caseload = rule_member.union(*rules)
    return Q(AnyOf(F("pk"), ArraySubquery(caseload))) if by_key else Q(pk__in=caseload)


#: Where a case fetched for a page that changes nothing (GET) keeps the answers to the
#: questions asked about it in this request, by question and user: a page and its
#: panels ask "is this the lead professional?" once, not once a panel.
_ANSWERS_ATTRIBUTE = "_tac_access_answers"
_R = TypeVar("_R")


def _remembered(case: Case, question: str, user: User, answer: Callable[[], _R]) -> _R:
    answers: dict[tuple[str, int], Any] | None = case.__dict__.get(_ANSWERS_ATTRIBUTE)
    if answers is None:
        return answer()
    key = (question, user.pk)
    if key not in answers:
        answers[key] = answer()
    return answers[key]  # type: ignore[no-any-return]


def _remember_answers(request: HttpRequest, case: Case) -> Case:
    """On a GET, let ``case`` keep this request's answers (nothing changes in between).

    The fetch (``_visible_case``) already said whether the user sees the case through a
    relationship, so whether it is by emergency access needs no query then.
    """
    if request.method in ("GET", "HEAD"):
        user_id = _user(request).pk
        answers: dict[tuple[str, int], Any] = {("see", user_id): True}
        if case.__dict__.get("_tac_by_relationship"):
            answers[("grant", user_id)] = None
        case.__dict__[_ANSWERS_ATTRIBUTE] = answers
    return case


def can_see_case(user: User, case: Case) -> bool:
    return _remembered(
        case, "see", user, lambda: Case.objects.visible_to(user).filter(pk=case.pk).exists()
    )


def break_glass_grant_in_use(user: User, case: Case) -> BreakGlassGrant | None:
    """The grant through which ``user`` sees ``case``, when no other rule lets them."""

    grant_id = _grant_in_use(user, case)
    return None if grant_id is None else BreakGlassGrant.objects.get(pk=grant_id)


def _grant_in_use(user: User, case: Case) -> int | None:
    """``grants_in_use`` for one case (asked once a GET: the page logs, then shows it)."""
    return _remembered(case, "grant", user, lambda: grants_in_use(user, [case.pk]).get(case.pk))


def grants_in_use(user: User, case_ids: Iterable[int]) -> dict[int, int]:
    """For each of ``case_ids`` that ``user`` sees only by emergency access, its grant id.

    One query, none for the coordinator (authority-wide, never by grant) or when
    there are no cases.
    """
    ids = set(case_ids)
    if not ids or user.is_coordinator or user.is_system_administrator:
        return {}
    related = Case.objects.filter(
        visible_cases_filter(user, include_break_glass=False), pk=OuterRef("case_id")
    )
    grants = (
        BreakGlassGrant.objects.active()
        .filter(user=user, case_id__in=ids)
        .exclude(Exists(related))
        .order_by("case_id", "-expires_at", "-id")
        .distinct("case_id")
        .values_list("case_id", "pk")
    )
    return dict(grants)


# --- What a partner system may reach ---------------------------------------------------
# A partner client sees exactly the cases a professional of its agency with a legitimate
# relationship would see: those where someone from the agency is an active TAC member or
# the lead professional. There is no manager, coordinator or break-glass rule for a
# machine. What it may see *of* each case is narrowed further by the family's sharing
# preferences (``cases.sharing``).


def agency_relationship_filter(agency_id: int) -> Q:
    """A filter on ``Case``: the agency has a legitimate relationship with the case.

    Correlated ``EXISTS`` probes: the plan for reaching one case (or a few) by id.
    Lists use ``cases_visible_to_agency``, the same rules as a set.
    """
    members = TeamMembership.objects.active().filter(case=OuterRef("pk"))
    leads = LeadProfessionalAssignment.objects.active().filter(case=OuterRef("pk"))
    # Rule 1: someone from the agency is an active member of the TAC.
    rule_member = Exists(members.filter(professional__agency_id=agency_id))
    # Rule 1 (lead): someone from the agency is the case's lead professional.
    rule_lead = Exists(leads.filter(professional__agency_id=agency_id))
    return Q(rule_member) | Q(rule_lead)


def cases_visible_to_agency(agency_id: int) -> CaseQuerySet:
    """The cases an agency's partner client may reach; anything else is a 404.

    Each rule is its own line so that tests cover every branch. Written as
    ``id IN (...)`` semi-joins: for a page of a list PostgreSQL builds the
    agency's case set once instead of probing case after case.
    """
    members = TeamMembership.objects.active().filter(professional__agency_id=agency_id)
    leads = LeadProfessionalAssignment.objects.active().filter(professional__agency_id=agency_id)
    # Rule 1: someone from the agency is an active member of the TAC.
    rule_member = Q(pk__in=members.values("case_id"))
    # Rule 1 (lead): someone from the agency is the case's lead professional.
    rule_lead = Q(pk__in=leads.values("case_id"))
    return Case.objects.filter(rule_member | rule_lead)


# --- Who runs a partner system's webhooks --------------------------------------------
# A partner system's webhook subscriptions and their delivery log hold no child's data
# (identifiers and delivery outcomes only), and are configuration: they belong to the
# system administrators who register partner clients, never to case workers.


def can_manage_partner_client(user: User | AnonymousUser, client: PartnerClient) -> bool:
    """The partner's administrator: a system administrator of the client's own agency,
    or of the local authority (whose administrators register partner clients)."""
    if not (user.is_authenticated and user.is_active):
        return False
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always ours
    if not user.is_system_administrator:
        return False
    # Rule 1: an administrator of the partner's own agency.
    if user.agency_id is not None and user.agency_id == client.agency_id:
        return True
    # Rule 2: an administrator of the local authority.
    return user.agency is not None and user.agency.is_local_authority


def partner_clients_managed_by(user: User | AnonymousUser) -> QuerySet[PartnerClient]:
    """The partner clients whose webhooks ``user`` may manage (``can_manage_partner_client``
    as a set)."""
    if not (user.is_authenticated and user.is_active):
        return PartnerClient.objects.none()
    assert isinstance(user, User)  # noqa: S101 - an authenticated user is always ours
    if not user.is_system_administrator or user.agency is None:
        return PartnerClient.objects.none()
    clients = PartnerClient.objects.select_related("agency", "application")
    if user.agency.is_local_authority:
        return clients.all()
    return clients.filter(agency=user.agency)


# --- Who may do what on a case -----------------------------------------------------


CASE_WORKING_ROLES = User.CASE_WORKING_ROLES


def can_work_on_cases(user: User | AnonymousUser) -> bool:
    """Practitioners, team managers and the coordinator work on cases; nobody else."""
    if not (user.is_authenticated and user.is_active):
        return False
    return getattr(user, "role", None) in CASE_WORKING_ROLES


def is_lead_professional(user: User, case: Case) -> bool:
    return _remembered(
        case,
        "lead",
        user,
        lambda: case.lead_assignments.active().filter(professional=user).exists(),
    )


def is_active_member(user: User, case: Case) -> bool:
    """An active professional member of the case's TAC (the lead professional is one)."""
    return _remembered(
        case,
        "member",
        user,
        lambda: case.memberships.active().filter(professional=user).exists(),
    )


def manages_lead_professional(user: User, case: Case) -> bool:
    """A team manager of the team the case's active lead professional belongs to."""
    if user.role != User.Role.TEAM_MANAGER:
        return False
    lead_teams = case.lead_assignments.active().values("professional__team")
    return _remembered(
        case,
        "manages_lead",
        user,
        lambda: user.managed_teams.filter(pk__in=lead_teams).exists(),
    )


def can_run_case(user: User, case: Case) -> bool:
    """Whether ``user`` may run ``case``: its team, its stages, its plan and its dates.

    The lead professional is accountable for the episode (DOMAIN §5.3); their line
    manager may act for them (the lead is away or has left), and so may the
    authority's early help coordinator. A manager who only manages another TAC member
    sees the case but may not run it: they are not accountable for the lead role.
    Emergency (break-glass) access never runs a case: none of these rules is a grant.
    """
    if not can_work_on_cases(user):
        return False
    # The authority's early help coordinator (DOMAIN §5.3: the escalation above managers).
    if user.is_coordinator:
        return True
    # The lead professional.
    if is_lead_professional(user, case):
        return True
    # A manager of the lead professional's team.
    return manages_lead_professional(user, case)


def ensure_can_run_case(user: User, case: Case) -> None:
    """Raise ``PermissionDenied`` unless ``can_run_case``."""
    if not can_run_case(user, case):
        raise PermissionDenied(MSG_NOT_RUNNING)


def can_judge_level_of_need(user: User, case: Case) -> bool:
    """Judge the level of need again (with a reason): those who run the open case, the
    coordinator and the lead's manager included (triage staff). Never by a grant."""
    return case.is_open and can_run_case(user, case)


def ensure_can_judge_level_of_need(user: User, case: Case) -> None:
    if not can_judge_level_of_need(user, case):
        raise PermissionDenied(MSG_NOT_RUNNING)


# --- Moving a case through its stages (DOMAIN §3.1) ------------------------------------
# Every step is taken by those who run the case (``can_run_case``): the lead
# professional, their manager, or the coordinator. What differs is the stage the case
# must be in, written once here for the pages, the "What happens next" panel and the
# services alike.


def can_close_case(user: User, case: Case) -> bool:
    """Closure, or "no further action", from every open stage.

    A case waiting for social care's decision on a step-up closes through that
    decision instead.
    """
    if not case.is_open:
        return False
    if case.status == Case.Status.STEP_UP_REQUESTED:
        return False
    return can_run_case(user, case)


def can_step_up(user: User, case: Case) -> bool:
    """A step-up to children's social care, from every open stage after triage."""
    if case.status not in Case.STEP_UP_FROM:
        return False
    return can_run_case(user, case)


def ensure_can_move_stage(user: User, case: Case, *, to: str) -> None:
    """A move chosen on the case page (asking the family, agreeing to close): those who
    run the case. Whether the move exists at this stage is the state machine's answer."""
    ensure_can_run_case(user, case)


def can_reopen(user: User, case: Case) -> bool:
    """A closed case's child can start a new case (a re-referral) from its page."""
    return not case.is_open and can_work_on_cases(user) and can_see_case(user, case)


@dataclass(frozen=True)
class StageSteps:
    """Which of the stage steps above ``user`` may take on ``case`` now, asked at once
    (the "What happens next" panel): the same rules, with ``can_run_case`` asked once."""

    runs: bool
    close: bool
    step_up: bool
    step_up_decision: bool
    moves: frozenset[str]


def stage_steps_for(user: User, case: Case) -> StageSteps:
    runs = case.is_open and can_run_case(user, case)
    status = case.status
    return StageSteps(
        runs=runs,
        close=runs and status != Case.Status.STEP_UP_REQUESTED,
        step_up=runs and status in Case.STEP_UP_FROM,
        step_up_decision=runs and status == Case.Status.STEP_UP_REQUESTED,
        moves=frozenset(Case.TRANSITIONS.get(status, frozenset())) if runs else frozenset(),
    )


def can_manage_team(user: User, case: Case) -> bool:
    """Add people to the team, set their roles and end their places: those who run the case."""
    return can_run_case(user, case)


def ensure_can_manage_team(user: User, case: Case) -> None:
    if not can_manage_team(user, case):
        raise PermissionDenied(MSG_NOT_MANAGING_TEAM)


def can_end_membership(user: User, case: Case, *, professional_id: int | None) -> bool:
    """Whether ``user`` may end a place on the team whose professional is ``professional_id``
    (None for a family member or an external contact)."""
    if not can_work_on_cases(user):
        return False
    # Those who run the case end anyone's place.
    if can_manage_team(user, case):
        return True
    # Any member may leave.
    return professional_id is not None and professional_id == user.pk


def ensure_can_end_membership(user: User, case: Case, *, professional_id: int | None) -> None:
    if not can_end_membership(user, case, professional_id=professional_id):
        raise PermissionDenied(MSG_NOT_ENDING_MEMBERSHIP)


def can_invite_to_team(user: User, case: Case) -> bool:
    """Invite someone with no account yet to an open case's team: those who run it."""
    return case.is_open and can_manage_team(user, case)


def is_system_administrator(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_system_administrator


def _invitations_decided_by(user: User | AnonymousUser) -> QuerySet[TeamInvitation]:
    """The invitations whose account ``user`` decides on: those for people of the
    administrator's own agency, and those for agencies that have no active administrator
    of their own (the authority's administrators decide those)."""
    if not isinstance(user, User) or not is_system_administrator(user):
        return TeamInvitation.objects.none()
    agency_has_administrator = User.objects.filter(
        agency_id=OuterRef("agency_id"),
        role=User.Role.SYSTEM_ADMINISTRATOR,
        is_active=True,
    )
    own_agency = Q(agency_id=user.agency_id) if user.agency_id else _NOTHING
    return TeamInvitation.objects.filter(own_agency | ~Exists(agency_has_administrator))


def account_requests_for(user: User | AnonymousUser) -> QuerySet[TeamInvitation]:
    """The invitations waiting for an account that ``user`` may decide on."""
    return _invitations_decided_by(user).filter(status=TeamInvitation.Status.PENDING)


def ensure_can_decide_account_request(user: User, invitation: TeamInvitation) -> None:
    if not _invitations_decided_by(user).filter(pk=invitation.pk).exists():
        raise PermissionDenied(MSG_NOT_DECIDING_ACCOUNTS)


def can_ask_to_join(user: User, case: Case) -> bool:
    """Whether ``user`` may ask to join ``case``'s team. The caller proves they found the
    case legitimately ("find a child" offered it); this says whether asking makes sense."""
    if not can_work_on_cases(user):
        return False
    # Only an open case has a team to join.
    if not case.is_open:
        return False
    # Someone already on the team has nothing to ask.
    return not is_active_member(user, case)


def can_contribute(user: User, case: Case) -> bool:
    """Active professional members of the TAC add to its contribution stream and meetings."""
    return can_work_on_cases(user) and is_active_member(user, case)


def ensure_can_contribute(user: User, case: Case) -> None:
    if not can_contribute(user, case):
        raise PermissionDenied(MSG_NOT_CONTRIBUTING)


def can_discuss(user: User, case: Case) -> bool:
    """A reflective case discussion: the TAC's members, and those who run the case."""
    return can_contribute(user, case) or can_run_case(user, case)


def can_record_on_case(user: User, case: Case) -> bool:
    """Consent, sharing and safeguarding records: anyone at work who can see the case.

    This includes someone with emergency access: recording a safeguarding concern is
    what emergency access is for.
    """
    return can_work_on_cases(user) and can_see_case(user, case)


def can_triage(user: User) -> bool:
    """Requests for support are triaged by the coordinator and team managers."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_coordinator or user.role == User.Role.TEAM_MANAGER


def ensure_can_triage(user: User) -> None:
    if not can_triage(user):
        raise PermissionDenied(MSG_NOT_TRIAGING)


def requests_visible_to(user: User) -> QuerySet[RequestForSupport]:
    """The requests for support ``user`` may see: their own, or all of them for triage."""
    requests = RequestForSupport.objects.all()
    if not can_work_on_cases(user):
        return requests.none()
    # Those who triage see every request.
    if can_triage(user):
        return requests
    # A requester sees the requests they made.
    return requests.filter(requester=user)


def requests_sent_by(user: User) -> QuerySet[RequestForSupport]:
    """The requests a professional sent themselves (the partner API shows only these)."""
    return RequestForSupport.objects.filter(requester=user)


def requests_sent_by_partner(client: PartnerClient) -> QuerySet[RequestForSupport]:
    """The requests a partner system sent: their status, never the case they led to."""
    return RequestForSupport.objects.filter(partner_client=client)


def can_open_stepped_down_case(user: User) -> bool:
    """A case stepped down from social care is opened by a team manager or the coordinator."""
    return can_triage(user)


def can_restrict(user: User, case: Case) -> bool:
    """Restrictions are set, reviewed and lifted by those who run the case, never by
    someone looking only through emergency access."""
    if break_glass_grant_in_use(user, case) is not None:
        return False
    return can_run_case(user, case)


def ensure_can_restrict(user: User, case: Case) -> None:
    if break_glass_grant_in_use(user, case) is not None:
        raise PermissionDenied(MSG_NO_BREAK_GLASS_CHANGES)
    ensure_can_run_case(user, case)


def can_unmask(user: User, restriction: Restriction, *, break_glass_only: bool) -> bool:
    """The people a restriction names (and whoever set it); never through emergency access.

    ``break_glass_only``: whether ``user`` sees the restriction's case only by a grant.
    """
    if break_glass_only or restriction.lifted_at is not None:
        return False
    if restriction.set_by_id == user.pk:
        return True
    return any(u.pk == user.pk for u in restriction.named_users.all())


def can_run_meeting(
    user: User, case: Case, *, chair_id: int | None, note_taker_id: int | None
) -> bool:
    """Those who run the case, and the meeting's chair or note-taker while they see it."""
    if can_run_case(user, case):
        return True
    if user.pk in (chair_id, note_taker_id):
        return can_work_on_cases(user) and can_see_case(user, case)
    return False


def can_update_action(user: User, case: Case, *, owner_id: int | None) -> bool:
    """An action's progress is updated by its owner and by the lead professional."""
    if not can_work_on_cases(user):
        return False
    if owner_id is not None and owner_id == user.pk:
        return True
    return is_lead_professional(user, case)


def partner_may_act_for(client: PartnerClient, professional: User | None) -> bool:
    """A partner system records what its own agency's professionals did, and only that.

    What it records is then that professional's act, under the rule for the act (the
    owner's progress on an action, a team member's contribution, an invitee's reply):
    a partner system never does what its professional could not.
    """
    # Only a professional with an account (not a family member or a network member).
    if professional is None:
        return False
    # Only one of the system's own agency's staff.
    if professional.agency_id != client.agency_id:
        return False
    # Only someone who works on cases today: a switched-off account acts for no one.
    return can_work_on_cases(professional)


def agency_members_on_team(case: Case, agency_id: int) -> QuerySet[TeamMembership]:
    """The active professional members of ``case``'s team from one agency."""
    return (
        case.memberships.active()
        .filter(professional__agency_id=agency_id)
        .select_related("professional__agency")
        .order_by("pk")
    )


def can_start_assessment(user: User, case: Case) -> bool:
    """The lead professional or an active professional member of the TAC."""
    if not can_work_on_cases(user):
        return False
    if is_lead_professional(user, case):
        return True
    return is_active_member(user, case)


def assessors_editable_by(user: User, case: Case, *, assessor_ids: Iterable[int]) -> set[int]:
    """Of ``assessor_ids``, those whose assessments on ``case`` the user may write
    (``can_edit_assessment`` for many at once, asking whether they lead the case once)."""
    ids = set(assessor_ids)
    if not can_work_on_cases(user) or not ids:
        return set()
    if is_lead_professional(user, case):
        return ids
    return ids & {user.pk}


def can_edit_assessment(user: User, case: Case, *, assessor_id: int | None) -> bool:
    """The assessor and the case's active lead professional write the assessment."""
    if not can_work_on_cases(user):
        return False
    if assessor_id is not None and assessor_id == user.pk:
        return True
    return is_lead_professional(user, case)


def can_change_family_details(user: User, case: Case) -> bool:
    """The child's, family's and carers' details: the TAC's members and those who run the
    case keep them true (DOMAIN §2.2 B, D). Emergency access only reads."""
    return can_contribute(user, case) or can_run_case(user, case)


def ensure_can_change_family_details(user: User, case: Case) -> None:
    if not can_change_family_details(user, case):
        raise PermissionDenied(MSG_NOT_KEEPING_DETAILS)


def can_add_child_to_case(user: User, case: Case) -> bool:
    """A sibling joins an open case: whoever keeps the family's details."""
    return case.is_open and can_change_family_details(user, case)


# --- Documents on a case ------------------------------------------------------------
# A document's visibility is one of "team" (everyone who may see the case), "professionals"
# (the same people in the portal, but never part of what the family is given) or
# "restricted" (like a restricted item: only whoever added it and the people they named,
# never through emergency access). Written with the document's few ids, so that this
# module needs no model from the documents app.

MSG_NOT_ADDING_DOCUMENTS = (
    "Only members of the team around the child, or those who run the case, can add documents."
)
MSG_NOT_CHANGING_DOCUMENT = (
    "Only whoever added the document, or those who run the case, can replace or delete it."
)
DOCUMENT_RESTRICTED = "restricted"


def can_add_document(user: User, case: Case) -> bool:
    """Add a document to a case: the TAC's members and those who run the case.
    Emergency access only reads."""
    return can_contribute(user, case) or can_run_case(user, case)


def ensure_can_add_document(user: User, case: Case) -> None:
    if not can_add_document(user, case):
        raise PermissionDenied(MSG_NOT_ADDING_DOCUMENTS)


def can_change_document(user: User, case: Case, *, added_by_id: int | None) -> bool:
    """Replace a document with a new version, or delete it: whoever added it while they
    may still add documents to the case, and those who run the case."""
    if not can_work_on_cases(user):
        return False
    if added_by_id is not None and added_by_id == user.pk and can_add_document(user, case):
        return True
    return can_run_case(user, case)


def ensure_can_change_document(user: User, case: Case, *, added_by_id: int | None) -> None:
    if not can_change_document(user, case, added_by_id=added_by_id):
        raise PermissionDenied(MSG_NOT_CHANGING_DOCUMENT)


def can_open_document(
    user: User,
    case: Case,
    *,
    visibility: str,
    added_by_id: int | None,
    named_user_ids: Iterable[int],
    break_glass_only: bool,
) -> bool:
    """Whether ``user``, who sees ``case``, may open one of its documents.

    A restricted document opens only for whoever added it and the people they named,
    and never through emergency access (like a restricted item, ``can_unmask``).
    Every other document opens for everyone who sees the case.
    """
    if not can_work_on_cases(user):
        return False
    if visibility != DOCUMENT_RESTRICTED:
        return True
    if break_glass_only:
        return False
    if added_by_id is not None and added_by_id == user.pk:
        return True
    return user.pk in set(named_user_ids)


def agency_may_read_documents(information_level: str) -> bool:
    """A partner system reads a case's documents only where the family agreed to share
    additional information with its agency (``cases.sharing``); restricted documents
    never reach a machine, which never unmasks."""
    return information_level == InformationLevel.ADDITIONAL


# --- Workers who leave ---------------------------------------------------------------


def can_reassign_caseload(user: User | AnonymousUser, professional: User) -> bool:
    """Whether ``user`` may see ``professional``'s caseload and hand it to others: the
    coordinator for anyone, and a team manager for the members of the teams they manage
    (a worker who has left, or is about to). Nobody reassigns their own caseload."""
    if not isinstance(user, User) or not can_work_on_cases(user):
        return False
    if user.pk == professional.pk:
        return False
    # The authority's early help coordinator.
    if user.is_coordinator:
        return True
    # A manager of the professional's team.
    return (
        user.role == User.Role.TEAM_MANAGER
        and professional.team_id is not None
        and user.managed_teams.filter(pk=professional.team_id).exists()
    )


def ensure_can_reassign_caseload(user: User, professional: User) -> None:
    if not can_reassign_caseload(user, professional):
        raise PermissionDenied(MSG_NOT_REASSIGNING)


def get_professional_to_reassign(request: HttpRequest, pk: int | str) -> User:
    """The professional whose caseload the user may reassign; ``Http404`` otherwise, so
    that someone who may not cannot tell who exists."""
    try:
        professional = User.objects.select_related("team", "agency").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No professional found") from None
    if not can_reassign_caseload(request.user, professional):
        raise Http404("No professional found")
    return professional


def can_merge_children(user: User, child_ids: Iterable[int]) -> bool:
    """Two records of one child are merged (or the merge undone) by a team manager or the
    coordinator who sees every record involved through a case they have a relationship
    with (emergency access is not one): a merge moves cases between records."""
    if not can_work_on_cases(user):
        return False
    if not (user.is_coordinator or user.role == User.Role.TEAM_MANAGER):
        return False
    ids = set(child_ids)
    cases = Case.objects.filter(visible_cases_filter(user, include_break_glass=False))
    seen = set(
        CaseSubject.objects.filter(child_id__in=ids, case__in=cases.values("pk")).values_list(
            "child_id", flat=True
        )
    )
    return bool(ids) and seen == ids


def ensure_can_merge_children(user: User, child_ids: Iterable[int]) -> None:
    if not can_merge_children(user, child_ids):
        raise PermissionDenied(MSG_NOT_MERGING)


def can_merge_restricted_records(user: User, restrictions: Iterable[Restriction]) -> bool:
    """Records with restricted details are merged only by a manager who may see behind
    every restriction in force on them (named on it, or its setter): a merge shows each
    record's details, and their history, beside the other's."""
    return all(can_unmask(user, r, break_glass_only=False) for r in restrictions)


# --- Who may bring a caseload in from another system ---------------------------------


def can_import_records(user: User | AnonymousUser) -> bool:
    """The local authority's system administrator imports records (children, families,
    open cases) from its old system; nobody else does (imports app)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return getattr(user, "role", None) == User.Role.SYSTEM_ADMINISTRATOR


def ensure_can_import_records(user: User | AnonymousUser) -> None:
    """Raises ``Http404``: to anyone else the import pages do not exist."""
    if not can_import_records(user):
        raise Http404("Nothing found")


# --- Who may read the audit trail ----------------------------------------------------


def is_information_governance(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_information_governance


def can_read_access_report(user: User, case: Case) -> bool:
    """Who looked at the case: its lead professional, their team managers, and
    information governance."""
    if is_information_governance(user):
        return True
    if is_lead_professional(user, case):
        return True
    leads = case.lead_assignments.active()
    return leads.filter(professional__team__managers=user).exists()


def can_read_professional_access_report(user: User, professional: User) -> bool:
    """What one professional looked at: their team managers, and information governance."""
    if is_information_governance(user):
        return True
    return (
        professional.team_id is not None
        and user.managed_teams.filter(pk=professional.team_id).exists()
    )


def can_read_case_history(user: User | AnonymousUser, case: Case) -> bool:
    """The change history of a case: information governance for any case, and those who
    run it (its lead professional, their manager, the coordinator) for theirs.

    Restricted items stay masked for those who run the case (``cases.masking``).
    """
    if is_information_governance(user):
        return True
    if not isinstance(user, User):
        return False
    return can_see_case(user, case) and can_run_case(user, case)


# --- Subject access requests (DOMAIN §6.3) -------------------------------------------


def can_handle_subject_access(user: User | AnonymousUser) -> bool:
    """Logging, reviewing and disclosing subject access requests: information governance
    only. The officer reads every record held about the person, whatever case it is on,
    and every look is logged (``AccessPurpose.SUBJECT_ACCESS``)."""
    return is_information_governance(user)


def ensure_can_handle_subject_access(user: User | AnonymousUser) -> None:
    """The subject access pages do not exist for anyone else (``Http404``)."""
    if not can_handle_subject_access(user):
        raise Http404("Not found")


# --- Retention and legal holds (DOMAIN §6.4, §11.4) -------------------------------------

MSG_NOT_RETENTION = "Only information governance may dispose of records or place legal holds."


def can_manage_retention(user: User | AnonymousUser) -> bool:
    """Who reviews records due for disposal, confirms their disposal, and places and
    lifts legal holds: information governance, and nobody else (not even the
    coordinator, who runs cases, or the system administrator, who configures)."""
    return is_information_governance(user)


def ensure_can_manage_retention(user: User | AnonymousUser) -> None:
    """For the retention services: ``PermissionDenied`` for anyone else."""
    if not can_manage_retention(user):
        raise PermissionDenied(MSG_NOT_RETENTION)


def ensure_can_see_retention(user: User | AnonymousUser) -> None:
    """For the retention pages: they do not exist for anyone else (``Http404``)."""
    if not can_manage_retention(user):
        raise Http404("Not found")


# --- Saying who to ask, on a refusal ---------------------------------------------------


def lead_to_ask(user: User | AnonymousUser, pk: int | str) -> User | None:
    """On a refusal (403) about case ``pk``: its lead professional, to name as the person
    to ask, only when ``user`` may see the case. For a case they may not see (or that
    does not exist) there is nobody to name: the page must not tell the two apart.
    Nothing of the child is shown, so nothing is logged.
    """
    if not isinstance(user, User) or not can_work_on_cases(user):
        return None
    try:
        case = Case.objects.visible_to(user).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        return None
    assignment = case.lead_assignment
    return assignment.professional if assignment else None


# --- Fetching for a person, with the read logged -------------------------------------


def get_case_for_user(request: HttpRequest, pk: int | str, *, purpose: str) -> Case:
    """The case with ``pk`` if the signed-in user may see it; the read is logged.

    Raises ``Http404`` both when the case does not exist and when the user has no
    legitimate relationship with it, so the two cannot be told apart. ``purpose``
    (an ``AccessPurpose``) says what the case was opened for, in the access log.
    """
    case = _remember_answers(request, _visible_case(request, pk))
    log_case_read(request, case, purpose=purpose)
    return case


def get_case_to_run(request: HttpRequest, pk: int | str, *, purpose: str) -> Case:
    """The case if the user may see it (else 404) and run it (else 403, and nothing is
    logged: nothing was shown); the read is logged."""
    case = _visible_case(request, pk)
    ensure_can_run_case(_user(request), case)
    log_case_read(request, case, purpose=purpose)
    return case


def get_case_to_keep_details(request: HttpRequest, pk: int | str, *, purpose: str) -> Case:
    """The case if the user may see it (else 404) and change its family's details (else
    403, and nothing is logged: nothing was shown); the read is logged."""
    case = _visible_case(request, pk)
    ensure_can_change_family_details(_user(request), case)
    log_case_read(request, case, purpose=purpose)
    return case


def _visible_case(request: HttpRequest, pk: int | str) -> Case:
    user = _user(request)
    relationship = visible_cases_filter(user, include_break_glass=False)
    # Whether a relationship (not an emergency grant) lets the user see it, in the same
    # query: the access rule is asked once for a page.
    by_relationship = (
        ExpressionWrapper(relationship, output_field=BooleanField())
        if relationship
        else Value(True)
    )
    try:
        return (
            Case.objects.visible_to(user)
            .select_related("family", "current_level")
            .annotate(_tac_by_relationship=by_relationship)
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case found") from None


def get_case_record_for_user(
    request: HttpRequest,
    records: QuerySet[_Record],
    pk: int | str,
    *,
    purpose: str,
    child_field: str | None = None,
) -> _Record:
    """A record of a case (a meeting, an action, an assessment…) if the user may see the
    case it belongs to; the read is logged.

    ``records`` is the model's queryset (with any ``select_related``); the record must
    have a ``case`` foreign key. Missing and invisible records are both ``Http404``.
    Every child of the case is logged as shown, or only the record's own child when
    ``child_field`` names it (an assessment is about one child).
    """
    visible = Case.objects.visible_to(_user(request))
    try:
        record = records.filter(case__in=visible).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Nothing found") from None
    case_id: int = record.case_id  # type: ignore[attr-defined]
    if child_field is None:
        log_case_read(request, record.case, purpose=purpose)  # type: ignore[attr-defined]
    else:
        child_id: int = getattr(record, child_field)
        record_records_shown(request, [(child_id, case_id)], purpose=purpose)
    return record


MSG_DOCUMENT_RESTRICTED = (
    "This document is restricted: only whoever added it and the people they named can open it."
)


def get_document_for_user(
    request: HttpRequest, documents: QuerySet[_Record], pk: int | str, *, to_open: bool
) -> _Record:
    """A document of a case the user may see (else ``Http404``, missing or not); the read
    is logged with the purpose "document".

    ``documents`` is the documents' queryset (deleted ones left out by the caller). With
    ``to_open`` (its file is about to be sent) the user must also be allowed to open it
    (``can_open_document``), else ``PermissionDenied`` and nothing is logged: nothing
    was shown.
    """
    user = _user(request)
    visible = Case.objects.visible_to(user)
    try:
        document = documents.select_related("case").filter(case__in=visible).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Nothing found") from None
    case: Case = document.case  # type: ignore[attr-defined]
    if to_open and not can_open_document(
        user,
        case,
        visibility=document.visibility,  # type: ignore[attr-defined]
        added_by_id=document.added_by_id,  # type: ignore[attr-defined]
        named_user_ids=[u.pk for u in document.named_users.all()],  # type: ignore[attr-defined]
        break_glass_only=break_glass_grant_in_use(user, case) is not None,
    ):
        raise PermissionDenied(MSG_DOCUMENT_RESTRICTED)
    log_case_read(request, case, purpose=AccessPurpose.DOCUMENT)
    return document


def get_case_for_history(request: HttpRequest, pk: int | str) -> Case:
    """The case whose change history the user may read (``can_read_case_history``).

    Information governance officers may open it for any case, and those who run a case
    for that case. Anyone else gets ``Http404`` if they cannot see the case, exactly
    as for a missing one, and ``PermissionDenied`` if they see it but do not run it.
    """
    try:
        case = Case.objects.select_related("family").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case found") from None
    user = request.user
    if not can_read_case_history(user, case):
        if isinstance(user, User) and can_see_case(user, case):
            raise PermissionDenied(MSG_NOT_HISTORY)
        raise Http404("No case found")
    log_case_read(request, case, purpose=AccessPurpose.HISTORY)
    return case


def get_case_for_access_report(request: HttpRequest, pk: int | str) -> Case:
    """The case whose access report the user may read (``can_read_access_report``).

    Anyone else gets ``Http404``, exactly as for a missing case.
    """
    try:
        case = Case.objects.select_related("family").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("No case found") from None
    if not can_read_access_report(_user(request), case):
        raise Http404("No case found")
    log_case_read(request, case, purpose=AccessPurpose.ACCESS_REPORT)
    return case


def get_professional_for_access_report(request: HttpRequest, pk: int | str) -> User:
    """The professional whose access report the user may read; ``Http404`` otherwise."""
    try:
        professional = User.objects.get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No professional found") from None
    if not can_read_professional_access_report(_user(request), professional):
        raise Http404("No professional found")
    return professional


def ensure_information_governance(user: User | AnonymousUser) -> None:
    """Information governance's own pages do not exist for anyone else (``Http404``)."""
    if not is_information_governance(user):
        raise Http404("Not found")


def log_case_read(request: HttpRequest, case: Case, *, purpose: str) -> int:
    """Log every child of ``case`` as shown: a page about the whole case."""
    child_ids = CaseSubject.objects.filter(case=case).values_list("child_id", flat=True)
    user = getattr(request, "user", None)
    grants = None
    if isinstance(user, User) and _ANSWERS_ATTRIBUTE in case.__dict__:
        # A GET: the page asks again whether the case is seen by emergency access.
        grant_id = _grant_in_use(user, case)
        grants = {case.pk: grant_id} if grant_id is not None else {}
    return record_records_shown(
        request, [(child_id, case.pk) for child_id in child_ids], purpose=purpose, grants=grants
    )


#: The (child id, case id) pairs already logged for a request: a page that reaches the
#: same case twice (say a meeting and then its case) logs each child once.
_LOGGED_ATTRIBUTE = "_tac_records_logged"


def record_records_shown(
    request: HttpRequest,
    shown: Iterable[tuple[int, int | None]],
    *,
    purpose: str,
    client_id: str = "",
    grants: dict[int, int] | None = None,
) -> int:
    """Write one access-log row per (child id, case id) shown in answer to ``request``.

    Lists, search results and the partner API call this with what they showed; pages
    about one case log through the fetch functions above. Returns the number of rows
    written: a pair already logged for this request is not written again. A row for a
    case the viewer sees only by emergency access carries the grant's id (one query).
    ``grants``, when the caller already asked ``grants_in_use`` for the cases shown,
    saves that query. ``client_id`` names a partner system reading through the API.
    """
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        user = None  # anonymous, or a partner system (``client_id`` says which)
    already: set[tuple[int, int | None]] = getattr(request, _LOGGED_ATTRIBUTE, set())
    pairs = [pair for pair in dict.fromkeys(shown) if pair not in already]
    if not pairs:
        return 0
    match = getattr(request, "resolver_match", None)
    route = match.view_name if match else request.path
    if grants is None:
        grants = {}
        if user is not None:
            grants = grants_in_use(user, {case_id for _, case_id in pairs if case_id is not None})
    # One INSERT, without a model instance per row (a list page shows hundreds of
    # children): what every row shares once, the children, cases and grants as arrays.
    # The same columns and values as ``RecordAccess`` would write.
    shared: list[Any] = [
        timezone.now(),
        user.pk if user is not None else None,
        client_id,
        route[:100],
        purpose,
        getattr(request, "request_id", ""),
        connection.ops.adapt_ipaddressfield_value(client_ip(request)),
    ]
    arrays: list[list[int | None]] = [
        [child_id for child_id, _ in pairs],
        [case_id for _, case_id in pairs],
        [grants.get(case_id) if case_id is not None else None for _, case_id in pairs],
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            # Fixed table and column names, placeholders for every value.
            f"INSERT INTO {_ACCESS_LOG_TABLE} ({', '.join(_ACCESS_LOG_COLUMNS)}) "  # noqa: S608  # nosec B608 (fixed names; values are parameters)
            "SELECT %s::timestamptz, %s::bigint, %s, %s, %s, %s, %s::inet, "
            "r.child, r.case_id, r.grant_id "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) "
            "AS r(child, case_id, grant_id)",
            [*shared, *arrays],
        )
    setattr(request, _LOGGED_ATTRIBUTE, already | set(pairs))
    return len(pairs)


_ACCESS_LOG_TABLE = RecordAccess._meta.db_table
_ACCESS_LOG_COLUMNS: tuple[str, ...] = tuple(
    str(RecordAccess._meta.get_field(name).column)  # type: ignore[union-attr]
    for name in (
        "at",
        "user",
        "client_id",
        "route",
        "purpose",
        "request_id",
        "ip_address",
        "child",
        "case",
        "break_glass_grant_id",
    )
)


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404("Nothing found")
    return user
