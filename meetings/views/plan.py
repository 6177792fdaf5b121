"""The plan between meetings: updating, changing and cancelling an action, reviewing an outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from cases.access import (
    ensure_can_run_case,
    get_case_record_for_user,
)
from cases.models import AccessPurpose, TeamMembership
from meetings import forms
from meetings.models import (
    Action,
    Outcome,
)
from meetings.services import plan as plan_services
from meetings.services.plan import Owner, can_update_action
from meetings.views.common import action_for_user, saved


@login_required
@require_http_methods(["GET", "POST"])
def update_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The owner of an action (or the lead) records progress, from "My work"."""
    action = action_for_user(request, pk)
    if not can_update_action(request.user, action):
        raise PermissionDenied("Only the action's owner or the lead professional can update it.")
    form = forms.ActionUpdateForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST":
        if saved(
            form,
            lambda data: plan_services.update_action(
                action,
                by=request.user,
                status=data["status"] or None,
                progress_note=data["progress_note"],
                expected_version=data["version"],
            ),
        ):
            messages.success(request, "Action updated.")
            return redirect("cases:my_cases")
        action.refresh_from_db()
        _show_latest_version(form, action, "version")
    updates = list(action.updates.select_related("by__agency"))
    return render(
        request,
        "meetings/action_update.html",
        {"action": action, "form": form, "updates": updates, "case": action.case},
    )


def _current_owner_choice(action: Action, memberships: list[TeamMembership]) -> str:
    """The owner option that keeps the action where it is."""
    for m in memberships:
        if action.owner_professional_id and m.professional_id == action.owner_professional_id:
            return str(m.pk)
        if action.owner_family_member_id and m.family_member_id == action.owner_family_member_id:
            return str(m.pk)
        external = not m.professional_id and not m.family_member_id
        if action.owner_name and external and m.external_name == action.owner_name:
            return str(m.pk)
    if action.owner_professional_id or action.owner_family_member_id:
        return forms.KEEP_OWNER  # they have left the TAC
    return forms.NETWORK_OWNER


def _change_action_form(
    action: Action, memberships: list[TeamMembership], data: Any = None
) -> forms.ChangeActionForm:
    owner = _current_owner_choice(action, memberships)
    return forms.ChangeActionForm(
        data,
        memberships=memberships,
        former_owner=action.owner_display if owner == forms.KEEP_OWNER else "",
        initial={
            "due_on": action.due_on,
            "owner": owner,
            "network_name": action.owner_name if owner == forms.NETWORK_OWNER else "",
            "version": action.version,
        },
    )


def _show_latest_version(form: Any, record: Action | Outcome, key: str) -> None:
    """After a refusal, the form carries the record's latest version: what the person
    typed is kept, and sending it again (having looked) is not refused a second time."""
    form.data = form.data.copy()
    form.data[key] = str(record.version)


def _change_page(
    request: AuthenticatedHttpRequest,
    action: Action,
    *,
    change_form: forms.ChangeActionForm,
    cancel_form: forms.CancelActionForm,
) -> HttpResponse:
    return render(
        request,
        "meetings/action_change.html",
        {
            "action": action,
            "case": action.case,
            "change_form": change_form,
            "cancel_form": cancel_form,
            "updates": list(action.updates.select_related("by__agency")),
        },
    )


def _action_to_manage(request: AuthenticatedHttpRequest, pk: int) -> Action:
    action = action_for_user(request, pk)
    ensure_can_run_case(request.user, action.case)
    if not action.is_open or not action.case.is_open:
        raise Http404("This action is finished, or its case is closed")
    return action


@login_required
@require_http_methods(["GET", "POST"])
def change_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The lead or a manager moves an action's due date or hands it to someone else."""
    action = _action_to_manage(request, pk)
    memberships = list(
        action.case.memberships.active().select_related("professional__agency", "family_member")
    )
    form = _change_action_form(action, memberships, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_services.change_action(
                action,
                by=request.user,
                due_on=data["due_on"],
                owner=None
                if form.keeps_owner()
                else Owner(membership=form.owner_membership(), network_name=data["network_name"]),
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
            action.refresh_from_db()
            _show_latest_version(form, action, "version")
        else:
            messages.success(request, "Action changed. Its reminders have moved with it.")
            return redirect(f"{reverse('cases:detail', args=[action.case_id])}#plan")
    cancel_form = forms.CancelActionForm(initial={"version": action.version}, prefix="cancel")
    return _change_page(request, action, change_form=form, cancel_form=cancel_form)


@login_required
@require_POST
def cancel_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The lead or a manager takes an action out of the plan, saying why."""
    action = _action_to_manage(request, pk)
    form = forms.CancelActionForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            plan_services.cancel_action(
                action,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
            action.refresh_from_db()
            _show_latest_version(form, action, "cancel-version")
        else:
            messages.success(request, "Action taken out of the plan. Its reminders are cancelled.")
            return redirect(f"{reverse('cases:detail', args=[action.case_id])}#plan")
    memberships = list(
        action.case.memberships.active().select_related("professional__agency", "family_member")
    )
    change_form = _change_action_form(action, memberships)
    return _change_page(request, action, change_form=change_form, cancel_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def review_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The lead or a manager records where an outcome stands, at or between reviews."""
    outcomes = Outcome.objects.select_related("case")
    outcome = get_case_record_for_user(request, outcomes, pk, purpose=AccessPurpose.PLAN)
    ensure_can_run_case(request.user, outcome.case)
    if not outcome.case.is_open:
        raise Http404("This case is closed")
    initial = {
        "status": outcome.status,
        "current_scale": outcome.current_scale,
        "note": outcome.review_note,
        "version": outcome.version,
    }
    form = forms.OutcomeReviewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if saved(
            form,
            lambda data: plan_services.review_outcome(
                outcome,
                by=request.user,
                status=data["status"],
                current_scale=data["current_scale"],
                note=data["note"],
                expected_version=data["version"],
            ),
        ):
            messages.success(request, "Outcome reviewed.")
            return redirect(f"{reverse('cases:detail', args=[outcome.case_id])}#plan")
        outcome.refresh_from_db()
        _show_latest_version(form, outcome, "version")
    return render(
        request,
        "meetings/outcome_review.html",
        {"outcome": outcome, "case": outcome.case, "form": form},
    )
