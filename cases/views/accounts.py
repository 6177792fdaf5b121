"""Account requests: people invited to a team before they had an account.

An administrator of the invited person's agency (or of the authority, where the agency
has none) approves an account or declines it. The page shows who is invited, by whom and
for which agency, never the case (``cases.services.invitations``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from agencies.http import AuthenticatedHttpRequest
from cases.access import account_requests_for, is_system_administrator
from cases.forms.team import AccountDecisionForm
from cases.models import TeamInvitation
from cases.services.invitations import decide_account_request
from tac_portal.forms import add_service_errors


def _requests(request: AuthenticatedHttpRequest) -> object:
    if not is_system_administrator(request.user):
        raise Http404("No such page")
    return account_requests_for(request.user).select_related("agency", "invited_by__agency")


@login_required
@require_GET
def account_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The invitations waiting for an account that this administrator may decide on."""
    waiting = _requests(request)
    return render(request, "cases/accounts/requests.html", {"waiting": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def account_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    waiting = _requests(request)
    invitation: TeamInvitation | None = waiting.filter(pk=pk).first()  # type: ignore[attr-defined]
    if invitation is None:
        raise Http404("No such request")
    form = AccountDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"version": invitation.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approve = data["decision"] == "approve"
        try:
            decide_account_request(
                invitation,
                approve=approve,
                by=request.user,
                expected_version=data["version"],
                reason=data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error(None, f"You can no longer do this. {error}")
            else:
                add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The account for {invitation.full_name} is made and they have been emailed a "
                "link to set their password."
                if approve
                else f"The account for {invitation.full_name} was declined.",
            )
            return redirect("cases:account_requests")
    return render(request, "cases/accounts/request.html", {"invitation": invitation, "form": form})
