"""Pages for the episode steps: handover, step-up and its decision, step-down in, closure."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import answer_if_submitted, submit_once
from cases.access import can_open_stepped_down_case, can_see_case, get_case_to_run
from cases.forms.episode import (
    ClosureForm,
    HandoverForm,
    StageForm,
    StepDownForm,
    StepUpDecisionForm,
    StepUpForm,
)
from cases.models import AccessPurpose, Case
from cases.search import SearchOutcome
from cases.services.closure import close_case
from cases.services.handover import hand_over_lead
from cases.services.lifecycle import MANUAL_STEPS, move_to_stage
from cases.services.step_down import MSG_STEP_DOWN_NOT_ALLOWED, open_stepped_down_case
from cases.services.step_up import pending_step_up, record_step_up_decision, request_step_up
from cases.views.journeys import match_signature, search_children
from tac_portal.forms import add_service_errors


def _case_for_step(request: AuthenticatedHttpRequest, pk: int) -> Case:
    """The case, if the user may see it (else 404) and run its episode (else 403)."""
    return get_case_to_run(request, pk, purpose=AccessPurpose.CASE_WORK)


def _add_errors(form: Form, error: ValidationError | PermissionDenied) -> None:
    """Put a service's errors on the form fields they name, the rest at the top.

    ``PermissionDenied`` here means the user's role changed while they were
    typing (say, the lead was handed over): say so and keep what they wrote.
    """
    if isinstance(error, PermissionDenied):
        form.add_error(None, f"You can no longer do this. {error}")
    else:
        add_service_errors(form, error)


def _data(request: AuthenticatedHttpRequest) -> Any:
    # Not ``request.POST or None``: an empty POST must show its errors, not a fresh form.
    return request.POST if request.method == "POST" else None


def _yes(value: str) -> bool:
    return value == "yes"


@login_required
@require_http_methods(["GET", "POST"])
def lead_handover(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for_step(request, pk)
    current = case.lead_assignment
    form = HandoverForm(
        _data(request),
        case=case,
        exclude=current.professional if current else None,
        initial={"expected_assignment": current.pk if current else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hand_over_lead(
                case,
                to=data["to"],
                by=request.user,
                expected_assignment_id=data["expected_assignment"],
                basis=data["basis"],
                reason=data["reason"],
                reason_detail=data["reason_detail"],
                note=data["note"],
                family_consulted=_yes(data["family_consulted"]),
                family_note=data["family_note"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{data['to']} is now the lead professional.")
            return _after(request, case)
    has_candidates = form.fields["to"].queryset.exists()  # type: ignore[attr-defined]
    return _render(
        request,
        "cases/episode/lead_handover.html",
        case,
        form,
        current=current,
        has_candidates=has_candidates,
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_up_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for_step(request, pk)
    initial: dict[str, Any] = {}
    if case.memberships.active().filter(professional=request.user).exists():
        initial["referred_by"] = request.user.pk
    form = StepUpForm(_data(request), case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            request_step_up(
                case,
                by=request.user,
                referred_at=data["referred_at"],
                referred_by=data["referred_by"],
                reason=data["reason"],
                family_informed=_yes(data["family_informed"]),
                family_not_informed_reason=data["family_not_informed_reason"],
            )
            messages.success(
                request,
                "Step-up recorded. The case stays open with its lead professional "
                "until children's social care decides.",
            )
            return _after(request, case)

        try:
            return submit_once(request, data["submission_token"], create)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
    return _render(request, "cases/episode/step_up_request.html", case, form)


@login_required
@require_http_methods(["GET", "POST"])
def step_up_decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for_step(request, pk)
    referral = pending_step_up(case)
    form = StepUpDecisionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accepted = data["decision"] == "accepted"
        try:
            record_step_up_decision(
                case,
                by=request.user,
                accepted=accepted,
                decided_at=data["decided_at"],
                note=data["note"],
                social_worker_name=data["social_worker_name"],
                social_worker_agency=data["social_worker_agency"],
                social_worker_email=data["social_worker_email"],
                decline_outcome=data["decline_outcome"],
            )
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            if accepted:
                messages.success(request, "The case is closed: children's social care leads now.")
            else:
                case.refresh_from_db()
                messages.success(
                    request,
                    "The case is active again. Hold a TAF review by "
                    f"{case.next_review_due:%d %B %Y}.",
                )
            return _after(request, case)
    return _render(request, "cases/episode/step_up_decision.html", case, form, referral=referral)


@login_required
@require_http_methods(["GET", "POST"])
def closure(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _case_for_step(request, pk)
    form = ClosureForm(_data(request), stage=case.status)
    if request.method == "POST" and form.is_valid():
        try:
            close_case(case, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The case is closed.")
            return _after(request, case)
    return _render(request, "cases/episode/closure.html", case, form)


@login_required
@require_http_methods(["GET", "POST"])
def step_down_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A team manager or the coordinator opens a case stepped down from social care.

    Each child is matched against the children already known first (as when a
    child is added). Likely matches the user may see are shown: the user either
    chooses the existing child or says why this is a different one. Nothing is
    written until the matches have been seen and answered.
    """
    if not can_open_stepped_down_case(request.user):
        raise PermissionDenied(MSG_STEP_DOWN_NOT_ALLOWED)
    form = StepDownForm(_data(request))
    signature = ""
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission_token"]
        if (earlier := answer_if_submitted(request, token)) is not None:
            return earlier
        matches = {
            n: outcome
            for n, query in form.queries().items()
            if _has_matches(outcome := search_children(request, query))
        }
        signature = _step_down_signature(matches)
        confirm = request.POST.get("seen_matches") == signature
        form = StepDownForm(request.POST, matches=matches, confirm=confirm)
        if form.is_valid() and (confirm or not matches):
            data = form.cleaned_data
            family, children, parent = form.records()

            def create() -> HttpResponse:
                step_down = open_stepped_down_case(
                    family,
                    children=children,
                    agreement_given_by=parent,
                    agreement_given_on=data["agreement_on"],
                    lead=data["lead"],
                    by=request.user,
                    summary=data["summary"],
                    outstanding_actions=data["outstanding_actions"],
                    handover_meeting_on=data["meeting_on"],
                    social_worker_name=data["social_worker_name"],
                    social_worker_agency=data["social_worker_agency"],
                    social_worker_email=data["social_worker_email"],
                )
                case = step_down.case
                messages.success(
                    request, f"Case {case.reference} opened; {data['lead']} is lead professional."
                )
                return _after(request, case)

            try:
                return submit_once(request, token, create)
            except ValidationError as error:
                _add_errors(form, form.renumbered(error))
            except PermissionDenied as error:
                _add_errors(form, error)
    return render(
        request,
        "cases/episode/step_down_in.html",
        {"form": form, "signature": signature, "has_matches": bool(signature)},
    )


def _has_matches(outcome: SearchOutcome) -> bool:
    return bool(outcome.visible or outcome.known_elsewhere or outcome.hidden)


def _step_down_signature(matches: dict[int, SearchOutcome]) -> str:
    """Which matches were shown for which child: answers count only for these."""
    if not matches:
        return ""
    return "-".join(f"{n}.{match_signature(outcome)}" for n, outcome in sorted(matches.items()))


def _after(request: AuthenticatedHttpRequest, case: Case) -> HttpResponse:
    # Someone acting for another team may no longer see the case afterwards.
    if can_see_case(request.user, case):
        return redirect("cases:detail", pk=case.pk)
    return redirect("cases:my_cases")


def _render(
    request: AuthenticatedHttpRequest, template: str, case: Case, form: Form, **extra: Any
) -> HttpResponse:
    return render(request, template, {"case": case, "form": form, **extra})


#: The moves chosen on the case page, as their pages name and explain them.
_STAGE_PAGES: dict[str, tuple[str, str]] = {
    Case.Status.CONSENT_PENDING: (
        "Ask the family for their agreement",
        "Early help is voluntary. Explain it to the family and ask whether they agree; "
        "record their agreement when they give it, then start the assessment with them.",
    ),
    Case.Status.CLOSING: (
        "Agree that the case should close",
        "Closure is agreed with the family and the team, usually at a final review. "
        "Next you record the closure, with the family's and the child's views.",
    ),
    Case.Status.ACTIVE: (
        "Return to the plan without a new assessment",
        "The plan carries on as it is; the reassessment is not needed.",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def stage(request: AuthenticatedHttpRequest, pk: int, to: str) -> HttpResponse:
    """A move chosen in "What happens next" that needs no other record."""
    if to not in _STAGE_PAGES:
        raise Http404("No such step")
    case = _case_for_step(request, pk)
    if (case.status, to) not in MANUAL_STEPS:
        messages.info(request, f"This case is now '{case.get_status_display()}'.")
        return redirect("cases:detail", pk=case.pk)
    form = StageForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            move_to_stage(case, to=to, by=request.user, note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"The case is now '{Case.Status(to).label}'.")
            return _after(request, case)
    heading, explanation = _STAGE_PAGES[to]
    return _render(
        request,
        "cases/episode/stage.html",
        case,
        form,
        heading=heading,
        explanation=explanation,
        to_label=Case.Status(to).label,
    )
