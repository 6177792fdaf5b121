"""Inviting someone with no account yet to a case's team (DOMAIN §8.2).

Those who run a case invite a professional by name, agency and work email. The invitation
waits for an administrator of that agency (or of the authority, where the agency has
none) to approve an account; the administrator sees who is invited and by whom, never
the case. Approving makes the account and emails the person a link to set a password.
They join the team when they first sign in, and the person who invited them is told.
Declining, or withdrawing the invitation, tells the other side.

Until they join, the invited person sees nothing of the case: an account alone gives no
access (the access policy reads active memberships only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agencies.models import Agency, User
from cases.access import (
    account_requests_for,
    can_invite_to_team,
    ensure_can_decide_account_request,
    ensure_can_manage_team,
)
from cases.models import ROLES_FOR_KIND, Case, Involvement, TACRole, TeamInvitation, TeamMembership
from cases.services.common import CaseError, lock_case, record_event
from cases.services.teams import add_professional_to_team
from notifications.outbox import Email, queue_email
from notifications.services import notify
from tac_portal.concurrency import bump, ensure_current

if TYPE_CHECKING:
    from collections.abc import Iterable

MSG_CANNOT_INVITE = "Only the lead professional, their manager or the coordinator can invite."
MSG_NAME_REQUIRED = "Enter their full name"
MSG_EMAIL_INVALID = "Enter their work email address, like name@agency.example"
MSG_HAS_ACCOUNT = (
    "{name} already has an account: add them from the directory instead of inviting them"
)
MSG_ACCOUNT_INACTIVE = (
    "An account with this email address has been closed. Ask your administrator to reopen it"
)
MSG_DECIDED = "This invitation has already been decided."
MSG_REASON_REQUIRED = "Enter why the account is declined"
MSG_NOT_OPEN = "This invitation is no longer open."
MSG_CASE_CLOSED = "The case is closed: its team can no longer change."

TITLE_ACCOUNT_REQUEST = "Someone has been invited to a team and needs an account"
TITLE_JOINED = "Someone you invited has joined a team around the child"
TITLE_DECLINED = "An account for someone you invited to a team was declined"
TITLE_WELCOME = "You have joined a team around the child"

SUBJECT_WELCOME = "Your TAC Portal account: set your password"


def _team_link(case: Case) -> str:
    return reverse("cases:team", args=[case.pk])


def _ensure_details(full_name: str, email: str, agency: Agency | None) -> tuple[str, str, Agency]:
    errors: dict[str, ValidationError] = {}
    full_name = " ".join(full_name.split())
    if not full_name:
        errors["full_name"] = ValidationError(MSG_NAME_REQUIRED, code="required")
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(MSG_EMAIL_INVALID, code="invalid")
    if agency is None:
        errors["agency"] = ValidationError("Choose their agency", code="required")
    if errors or agency is None:
        raise CaseError(errors)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        message = MSG_HAS_ACCOUNT.format(name=existing.full_name)
        if not existing.is_active:
            message = MSG_ACCOUNT_INACTIVE
        raise CaseError({"email": ValidationError(message, code="has_account")})
    return full_name, email, agency


@transaction.atomic
def invite_to_team(
    case: Case,
    *,
    full_name: str,
    email: str,
    agency: Agency | None,
    by: User,
    job_title: str = "",
    role: str = TACRole.PRACTITIONER,
    involvement: str = Involvement.CORE,
) -> TeamInvitation:
    """Invite someone with no account to ``case``'s team; inviting the same email address
    again while the first invitation is open returns the first one."""
    locked = lock_case(case)
    ensure_can_manage_team(by, locked)
    if not can_invite_to_team(by, locked):
        raise CaseError(MSG_CASE_CLOSED, code="case_closed")
    open_invitations = locked.invitations.filter(
        status__in=TeamInvitation.OPEN_STATUSES, email__iexact=email.strip()
    )
    if (existing := open_invitations.first()) is not None:
        return existing
    full_name, email, agency = _ensure_details(full_name, email, agency)
    if role not in ROLES_FOR_KIND[TeamMembership.Kind.PROFESSIONAL]:
        raise CaseError({"role": ValidationError("Choose their role on the team")})
    if involvement not in Involvement.values:
        raise CaseError({"involvement": ValidationError("Choose how closely they will work")})
    try:
        with transaction.atomic():
            invitation = TeamInvitation.objects.create(
                case=locked,
                full_name=full_name,
                email=email,
                agency=agency,
                job_title=job_title.strip(),
                role=role,
                involvement=involvement,
                invited_by=by,
                invited_at=timezone.now(),
            )
    except IntegrityError:
        # The same invitation, sent at the same moment: the first one stands.
        return locked.invitations.get(status__in=TeamInvitation.OPEN_STATUSES, email__iexact=email)
    record_event(
        locked,
        "team.invited",
        by=by,
        at=invitation.invited_at,
        summary=f"{by} invited {full_name} ({agency}) to the TAC; their account is "
        "waiting for approval",
        data={"invitation": invitation.pk},
    )
    for administrator in _deciders(invitation):
        notify(administrator, title=TITLE_ACCOUNT_REQUEST, link=reverse("cases:account_requests"))
    return invitation


def _deciders(invitation: TeamInvitation) -> Iterable[User]:
    """The administrators who will see this request in their list."""
    administrators = User.objects.filter(role=User.Role.SYSTEM_ADMINISTRATOR, is_active=True)
    return [
        admin
        for admin in administrators.order_by("pk")
        if account_requests_for(admin).filter(pk=invitation.pk).exists()
    ]


def _locked(invitation: TeamInvitation) -> TeamInvitation:
    return (
        TeamInvitation.objects.select_for_update(of=("self",))
        .select_related("case", "agency", "invited_by")
        .get(pk=invitation.pk)
    )


def set_password_link(user: User) -> str:
    """An absolute link that lets ``user`` set their first password (it expires like a
    password reset link, and once the password is set it no longer works)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("agencies:password_reset_confirm", args=[uid, token])
    return f"{settings.SITE_URL}{path}"


def _welcome_email(user: User) -> Email:
    link = set_password_link(user)
    text = (
        f"Hello {user.full_name},\n\n"
        "A TAC Portal account has been made for you, so that you can join a team around "
        "a child you were invited to.\n\n"
        f"Set your password here:\n{link}\n\n"
        "The link works once and expires in a few days. If it has expired, use "
        '"Forgotten your password?" on the sign-in page.\n\n'
        "When you first sign in, you will find the case in My work.\n"
    )
    return Email(subject=SUBJECT_WELCOME, text=text)


@transaction.atomic
def decide_account_request(
    invitation: TeamInvitation,
    *,
    approve: bool,
    by: User,
    expected_version: int | None,
    reason: str = "",
) -> TeamInvitation:
    """Approve (the account is made and the person emailed a set-password link) or
    decline (with a reason; the person who invited them is told)."""
    locked = _locked(invitation)
    ensure_can_decide_account_request(by, locked)
    ensure_current(locked, expected_version)
    if locked.status != TeamInvitation.Status.PENDING:
        raise CaseError(MSG_DECIDED, code="decided")
    reason = reason.strip()
    if not approve and not reason:
        raise CaseError({"reason": ValidationError(MSG_REASON_REQUIRED, code="required")})
    now = timezone.now()
    fields = ["status", "decided_by", "decided_at", "decision_reason", *bump(locked)]
    if approve:
        account = User.objects.filter(email=locked.email.lower()).first()
        if account is None:
            account = User.objects.create_user(
                locked.email,
                None,
                full_name=locked.full_name,
                agency=locked.agency,
                job_title=locked.job_title,
                role=User.Role.PRACTITIONER,
            )
            queue_email(account.email, _welcome_email(account), recipient=account)
        locked.account = account
        fields.append("account")
        locked.status = TeamInvitation.Status.APPROVED
    else:
        locked.status = TeamInvitation.Status.DECLINED
    locked.decided_by = by
    locked.decided_at = now
    locked.decision_reason = reason
    locked.save(update_fields=fields)
    record_event(
        locked.case,
        "team.invitation_approved" if approve else "team.invitation_declined",
        by=by,
        at=now,
        summary=(
            f"An account was made for {locked.full_name}, who joins the TAC when they first sign in"
            if approve
            else f"The account for {locked.full_name} was declined: {reason}"
        ),
        data={"invitation": locked.pk},
    )
    if not approve:
        notify(locked.invited_by, title=TITLE_DECLINED, link=_team_link(locked.case))
    if approve and locked.account is not None and locked.account.last_login is not None:
        # They already had an account and have signed in before: they join now.
        join_invited_teams(locked.account)
    return locked


@transaction.atomic
def withdraw_invitation(
    invitation: TeamInvitation, *, by: User, expected_version: int | None
) -> TeamInvitation:
    """Those who run the case withdraw an invitation nobody has acted on yet."""
    locked = _locked(invitation)
    ensure_can_manage_team(by, locked.case)
    ensure_current(locked, expected_version)
    if locked.status not in TeamInvitation.OPEN_STATUSES:
        raise CaseError(MSG_NOT_OPEN, code="not_open")
    now = timezone.now()
    locked.status = TeamInvitation.Status.WITHDRAWN
    locked.decided_by = by
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_by", "decided_at", *bump(locked)])
    record_event(
        locked.case,
        "team.invitation_withdrawn",
        by=by,
        at=now,
        summary=f"{by} withdrew the invitation to {locked.full_name}",
        data={"invitation": locked.pk},
    )
    return locked


def join_invited_teams(user: User) -> list[TeamMembership]:
    """Put ``user`` on every open case's team they were invited to and whose account was
    approved; called when they sign in. Invitations to cases closed since are ended."""
    joined: list[TeamMembership] = []
    waiting = TeamInvitation.objects.filter(account=user, status=TeamInvitation.Status.APPROVED)
    for invitation_id in waiting.values_list("pk", flat=True):
        membership = _join(invitation_id, user)
        if membership is not None:
            joined.append(membership)
    return joined


@transaction.atomic
def _join(invitation_id: int, user: User) -> TeamMembership | None:
    locked = _locked(TeamInvitation(pk=invitation_id))
    if locked.status != TeamInvitation.Status.APPROVED or locked.account_id != user.pk:
        return None
    case = lock_case(locked.case)
    if not case.is_open or not user.is_active:
        locked.status = TeamInvitation.Status.WITHDRAWN
        locked.save(update_fields=["status", *bump(locked)])
        return None
    try:
        membership = add_professional_to_team(
            case,
            professional=user,
            by=locked.invited_by,
            role=locked.role,
            involvement=locked.involvement,
        )
    except (CaseError, PermissionDenied):
        return None
    locked.status = TeamInvitation.Status.JOINED
    locked.membership = membership
    locked.save(update_fields=["status", "membership", *bump(locked)])
    notify(user, title=TITLE_WELCOME, link=_team_link(case), case=case)
    notify(locked.invited_by, title=TITLE_JOINED, link=_team_link(case), case=case)
    return membership
