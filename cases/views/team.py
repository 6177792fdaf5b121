"""The team page of a case: who is on the team around the child, who was, and changing it.

Everyone who sees the case sees its team and the team's history. Those who run the case
(``cases.access.can_manage_team``) add professionals from the directory and family
members from the family record, set roles and end places; any professional member may
leave. The rules live in ``cases.services.teams``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.directory import find_professionals
from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import (
    can_end_membership,
    can_manage_team,
    can_see_case,
    get_case_for_user,
    get_case_to_run,
)
from cases.forms.team import (
    AddFamilyMemberForm,
    AddProfessionalForm,
    AskToJoinForm,
    DirectorySearchForm,
    EndMembershipForm,
    InviteForm,
    JoinDecisionForm,
    MemberRoleForm,
    NewFamilyMemberForm,
    WithdrawInvitationForm,
)
from cases.masking import CaseMasks, masks_for
from cases.models import (
    AccessPurpose,
    Case,
    FamilyMember,
    JoinRequest,
    TACRole,
    TeamInvitation,
    TeamMembership,
)
from cases.search import KnownElsewhere
from cases.services import invitations, joining
from cases.services import teams as team_services
from tac_portal import sealing
from tac_portal.forms import add_service_errors

#: The sealing purpose of the join offers "find a child" makes (and so their own key).
OFFER_SEALED_AS = "tac-join-offers"


def _memberships(case: Case) -> Any:
    return case.memberships.select_related(
        "professional__agency", "professional__team", "family_member", "added_by", "ended_by"
    ).order_by("joined_at", "id")


def _add_errors(form: Form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, f"You can no longer do this. {error}")
    else:
        add_service_errors(form, error)


def _member(case: Case, membership_pk: int) -> TeamMembership:
    membership: TeamMembership = get_object_or_404(_memberships(case), pk=membership_pk)
    return membership


@login_required
@require_GET
def team(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The team: current members by kind, then everyone whose place has ended."""
    case = get_case_for_user(request, pk, purpose=AccessPurpose.TEAM)
    memberships = list(_memberships(case))
    current = [m for m in memberships if m.left_at is None]
    user = request.user
    return render(
        request,
        "cases/team/team.html",
        {
            "case": case,
            "professionals": [m for m in current if m.kind == TeamMembership.Kind.PROFESSIONAL],
            "family": [m for m in current if m.kind == TeamMembership.Kind.FAMILY],
            "external": [m for m in current if m.kind == TeamMembership.Kind.EXTERNAL],
            "ended": sorted(
                (m for m in memberships if m.left_at is not None),
                key=lambda m: (m.left_at, m.pk),
                reverse=True,
            ),
            "can_manage": case.is_open and can_manage_team(user, case),
            "own_membership": next((m for m in current if m.professional_id == user.pk), None),
            "masks": masks_for(case, user, request),
            "invitations": case.invitations.filter(
                status__in=TeamInvitation.OPEN_STATUSES
            ).select_related("agency", "invited_by"),
            "join_requests": (
                case.join_requests.filter(status=JoinRequest.Status.PENDING)
                .select_related("requester__agency")
                .order_by("requested_at", "pk")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_professional(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Search the directory, then choose who to add with their role."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    search = DirectorySearchForm(request.POST if request.POST.get("action") == "search" else None)
    found: list[Any] | None = None
    form: AddProfessionalForm | None = None
    if request.method == "POST" and request.POST.get("action") == "search":
        if search.is_valid():
            found = _not_on_team(case, find_professionals(search.cleaned_data["query"]))
            form = AddProfessionalForm(found=found, initial={"query": search.cleaned_data["query"]})
    elif request.method == "POST":
        query = request.POST.get("query", "")[:100]
        found = _not_on_team(case, find_professionals(query))
        search = DirectorySearchForm(initial={"query": query})
        form = AddProfessionalForm(request.POST, found=found)
        if form.is_valid():
            data = form.cleaned_data
            try:
                return submit_once(
                    request,
                    data["submission_token"],
                    lambda: _add_professional(request, case, data),
                )
            except (ValidationError, PermissionDenied) as error:
                _add_errors(form, error)
    return render(
        request,
        "cases/team/add_professional.html",
        {"case": case, "search": search, "form": form, "found": found},
    )


def _not_on_team(case: Case, people: list[Any]) -> list[Any]:
    on_team = set(
        case.memberships.active()
        .filter(professional__isnull=False)
        .values_list("professional_id", flat=True)
    )
    return [p for p in people if p.pk not in on_team]


def _add_professional(
    request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]
) -> HttpResponse:
    membership = team_services.add_professional(
        case,
        professional=data["professional"],
        by=request.user,
        role=data["role"],
        involvement=data["involvement"],
    )
    messages.success(request, f"{membership.display_name} is now on the team.")
    return redirect("cases:team", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite someone who has no account yet: their agency's administrator approves one."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return submit_once(
                request, data["submission_token"], lambda: _invite(request, case, data)
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
    return render(request, "cases/team/invite.html", {"case": case, "form": form})


def _invite(request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]) -> HttpResponse:
    invitation = invitations.invite_to_team(
        case,
        full_name=data["full_name"],
        email=data["email"],
        agency=data["agency"],
        job_title=data["job_title"],
        role=data["role"],
        involvement=data["involvement"],
        by=request.user,
    )
    messages.success(
        request,
        f"{invitation.full_name} is invited. An administrator of {invitation.agency} will "
        "approve their account; they join the team when they first sign in.",
    )
    return redirect("cases:team", pk=case.pk)


@login_required
@require_http_methods(["POST"])
def withdraw_invitation(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    invitation = get_object_or_404(case.invitations, pk=invitation_pk)
    form = WithdrawInvitationForm(request.POST)
    if form.is_valid():
        try:
            invitations.withdraw_invitation(
                invitation, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The invitation to {invitation.full_name} is withdrawn.")
    else:
        messages.error(
            request, "The invitation could not be withdrawn: reload the page and try again."
        )
    return redirect("cases:team", pk=case.pk)


def _family_label(masks: CaseMasks) -> Any:
    def label(member: FamilyMember) -> str:
        return f"{masks.value(member, 'full_name')} ({member.get_relationship_display()})"

    return label


@login_required
@require_http_methods(["GET", "POST"])
def add_family_member(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Choose someone from the family record to join the team."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    candidates = (
        FamilyMember.objects.filter(family_id=case.family_id)
        .exclude(memberships__case=case, memberships__left_at__isnull=True)
        .order_by("family_name", "given_names", "pk")
    )
    masks = masks_for(case, request.user, request)
    form = AddFamilyMemberForm(
        request.POST if request.method == "POST" else None,
        candidates=candidates,
        label_for=_family_label(masks),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return submit_once(
                request,
                data["submission_token"],
                lambda: _add_family_member(request, case, data),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
    return render(
        request,
        "cases/team/add_family_member.html",
        {"case": case, "form": form, "has_candidates": candidates.exists()},
    )


def _add_family_member(
    request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]
) -> HttpResponse:
    team_services.add_family_member(
        case,
        family_member=data["family_member"],
        by=request.user,
        role=data["role"],
        involvement=data["involvement"],
    )
    messages.success(request, "The family member is now on the team.")
    return redirect("cases:team", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def add_new_family_member(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Someone not yet in the family's record joins the record and the team together."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    form = NewFamilyMemberForm(
        request.POST if request.method == "POST" else None,
        initial={"role": TACRole.FAMILY_NETWORK_MEMBER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            return submit_once(
                request,
                data["submission_token"],
                lambda: _add_new_family_member(request, case, data),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
    return render(request, "cases/team/add_new_family_member.html", {"case": case, "form": form})


def _add_new_family_member(
    request: AuthenticatedHttpRequest, case: Case, data: dict[str, Any]
) -> HttpResponse:
    team_services.add_new_family_member(
        case,
        given_names=data["given_names"],
        family_name=data["family_name"],
        relationship=data["relationship"],
        parental_responsibility=data["parental_responsibility"],
        by=request.user,
        role=data["role"],
        involvement=data["involvement"],
    )
    messages.success(request, "They are now in the family's record and on the team.")
    return redirect("cases:team", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    membership = _member(case, membership_pk)
    form = MemberRoleForm(request.POST if request.method == "POST" else None, membership=membership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_services.set_member_role(
                membership,
                role=data.get("role", membership.role),
                involvement=data["involvement"],
                by=request.user,
                expected_version=data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Their role on the team is changed.")
            return redirect("cases:team", pk=case.pk)
    return render(
        request,
        "cases/team/member_role.html",
        {
            "case": case,
            "membership": membership,
            "form": form,
            "masks": masks_for(case, request.user, request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def end_membership(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """End a place on the team with a reason (those who run the case), or leave it."""
    case = get_case_for_user(request, pk, purpose=AccessPurpose.TEAM)
    membership = _member(case, membership_pk)
    if not can_end_membership(request.user, case, professional_id=membership.professional_id):
        raise PermissionDenied
    leaving = membership.professional_id == request.user.pk
    form = EndMembershipForm(
        request.POST if request.method == "POST" else None,
        initial={"version": membership.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            team_services.end_membership(
                membership,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            if leaving:
                messages.success(request, "You have left the team.")
            else:
                messages.success(request, f"{membership.display_name}'s place on the team ended.")
            # Someone who left may no longer see the case.
            if can_see_case(request.user, case):
                return redirect("cases:team", pk=case.pk)
            return redirect("cases:my_cases")
    return render(
        request,
        "cases/team/end_membership.html",
        {
            "case": case,
            "membership": membership,
            "form": form,
            "leaving": leaving,
            "masks": masks_for(case, request.user, request),
        },
    )


# --- Asking to join, and the decision ---------------------------------------------------


def offer_to_join(request: AuthenticatedHttpRequest, found: list[KnownElsewhere]) -> None:
    """Give each child "find a child" found in a case the user cannot see an opaque offer
    to ask to join that case's team: the case's id and the user's, sealed (encrypted and
    signed, ``tac_portal.sealing``). The page shows no case id, an offer works for the
    user it was made for only and for as long as a session lasts, and making one writes
    nothing (no session save per search)."""
    for entry in found:
        if entry.case_id is not None:
            entry.offer = sealing.seal(
                f"{request.user.pk}:{entry.case_id}".encode(), purpose=OFFER_SEALED_AS
            )


def _offered_case(request: AuthenticatedHttpRequest, offer: str) -> Case:
    try:
        opened = sealing.unseal(offer, purpose=OFFER_SEALED_AS, max_age=settings.SESSION_COOKIE_AGE)
        user_id, case_id = (int(part) for part in opened.decode().split(":"))
    except (sealing.Unreadable, ValueError):
        raise Http404("Nothing found") from None
    if user_id != request.user.pk:
        raise Http404("Nothing found")
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        raise Http404("Nothing found")
    return case


@login_required
@require_http_methods(["POST"])
def ask_to_join(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask to join the team of a case "find a child" offered; the reason comes first."""
    if request.POST.get("step") != "send":
        offer = request.POST.get("offer", "")
        _offered_case(request, offer)
        form = AskToJoinForm(initial={"offer": offer})
        return render(request, "cases/team/ask_to_join.html", {"form": form})
    form = AskToJoinForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        case = _offered_case(request, data["offer"])
        try:
            return submit_once(
                request, data["submission_token"], lambda: _ask(request, case, data["reason"])
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
    else:
        _offered_case(request, request.POST.get("offer", ""))
    return render(request, "cases/team/ask_to_join.html", {"form": form})


def _ask(request: AuthenticatedHttpRequest, case: Case, reason: str) -> HttpResponse:
    joining.ask_to_join(case, by=request.user, reason=reason)
    messages.success(
        request,
        "Your request to join the team was sent to the lead professional. You will be "
        "told when they decide.",
    )
    return redirect("cases:my_cases")


@login_required
@require_http_methods(["GET", "POST"])
def decide_join_request(
    request: AuthenticatedHttpRequest, pk: int, request_pk: int
) -> HttpResponse:
    case = get_case_to_run(request, pk, purpose=AccessPurpose.TEAM)
    join_request = get_object_or_404(
        case.join_requests.select_related("requester__agency", "requester__team"),
        pk=request_pk,
    )
    form = JoinDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"version": join_request.version, "role": TACRole.PRACTITIONER},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            joining.decide_join_request(
                join_request,
                approve=approve,
                by=request.user,
                expected_version=data["version"],
                role=data["role"],
                involvement=data["involvement"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            name = join_request.requester.full_name
            messages.success(
                request,
                f"{name} is now on the team." if approve else f"{name}'s request was declined.",
            )
            return redirect("cases:team", pk=case.pk)
    return render(
        request,
        "cases/team/join_decision.html",
        {"case": case, "join_request": join_request, "form": form},
    )
