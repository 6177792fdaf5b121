"""Meeting mode: htmx answers with the section that changed, plain form posts with a redirect
back, so it works without JavaScript too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.models import Case, Child
from meetings import forms
from meetings.drafts import draft_key
from meetings.models import (
    Action,
    Decision,
    Meeting,
)
from meetings.services import meeting_mode as meeting_mode_services
from meetings.services import plan as plan_services
from meetings.services.common import (
    VersionConflict,
)
from meetings.services.meeting_mode import (
    agree_lead_professional,
    finish_meeting,
    publish_minutes,
    record_attendance,
    save_invitation_update,
    save_meeting_text,
    set_meeting_next_review,
)
from meetings.services.plan import Owner
from meetings.views.common import invitation_of, is_htmx, meeting_for_user, runnable_meeting, saved
from tac_portal.forms import ErrorSummary, seen_on_page


def _run_context(
    request: AuthenticatedHttpRequest, meeting: Meeting, **overrides: Any
) -> dict[str, Any]:
    """Everything meeting mode shows, in a fixed number of queries."""
    case = meeting.case
    lead = case.lead_assignment
    invitations = sorted(
        meeting.invitations.select_related("professional__agency"),
        key=lambda i: (not i.is_family, i.pk),
    )
    memberships = list(
        case.memberships.active()
        .select_related("professional__agency", "family_member")
        .order_by("kind", "id")
    )
    actions = list(
        case.actions.select_related("owner_professional__agency", "owner_family_member", "child")
        .prefetch_related("updates")
        .order_by("due_on", "id")
    )
    children = _children(case)
    context: dict[str, Any] = {
        "meeting": meeting,
        "case": case,
        "invitations": invitations,
        "written": list(meeting.contributions.select_related("author").order_by("created_at")),
        "previous_actions": [a for a in actions if a.meeting_id != meeting.pk],
        "new_actions": [a for a in actions if a.meeting_id == meeting.pk],
        "outcomes": list(case.outcomes.select_related("child").order_by("id")),
        "decisions": list(meeting.decisions.prefetch_related("dissents")),
        "lead": lead,
        "draft_key": draft_key(request.user),
        "action_form": forms.ActionForm(case=case, memberships=memberships, children=children),
        "outcome_form": forms.OutcomeForm(children=children),
        "decision_form": forms.DecisionForm(),
        "dissent_form": forms.DissentForm(meeting=meeting),
        # Under every other decision: an empty copy, so errors show only where they belong.
        "new_dissent_form": forms.DissentForm(meeting=meeting),
        "attendance_form": forms.AttendanceForm(),
        "lead_form": forms.LeadForm(
            case=case,
            initial={"seen_lead": str(lead.pk) if lead else ""},
        ),
        "next_review_form": forms.NextReviewForm(
            initial={
                "next_review_on": meeting.next_review_on,
                "seen": meeting.next_review_on.isoformat() if meeting.next_review_on else "",
            }
        ),
        "review_form": forms.ActionReviewForm(),
        "text_fields": [
            {
                "name": name,
                "label": label,
                "value": getattr(meeting, name),
                "version": meeting.text_version(name),
            }
            for name, label in (
                ("family_views", "The family's views, in their own words"),
                ("child_views", "The child's views, in their own words"),
                ("progress_summary", "Summary of progress"),
            )
        ],
        "today": timezone.localdate(),
    }
    context.update(overrides)
    # Under each earlier action, a form carrying the version shown; the one refused keeps
    # what was typed.
    refused = context.get("reviewed_action")
    previous: list[Action] = context["previous_actions"]
    context["previous_actions"] = [
        (
            action,
            context["review_form"]
            if action.pk == refused
            else forms.ActionReviewForm(initial={"version": action.version}),
        )
        for action in previous
    ]
    return context


def _children(case: Case) -> list[Child]:
    """The case's children, for "Who is it for?" on its outcomes and actions."""
    return list(case.children.order_by("pk"))


def _section(
    request: AuthenticatedHttpRequest, meeting: Meeting, section: str, **overrides: Any
) -> HttpResponse:
    if is_htmx(request):
        fresh = meeting_for_user(request, meeting.pk)
        return render(
            request, f"meetings/run.html#{section}", _run_context(request, fresh, **overrides)
        )
    if overrides:
        fresh = meeting_for_user(request, meeting.pk)
        return render(request, "meetings/run.html", _run_context(request, fresh, **overrides))
    return redirect(f"{reverse('meetings:run', args=[meeting.pk])}#{section}")


def _section_form(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    section: str,
    form: Any,
    form_name: str,
    save: Callable[[dict[str, Any]], object],
    **extra: Any,
) -> HttpResponse:
    """Save a meeting-mode form through ``save`` and show its section again.

    An invalid form, or one the service refuses, is shown with its errors and
    what was typed.
    """
    if saved(form, save):
        return _section(request, meeting, section)
    return _section(request, meeting, section, **{form_name: form}, **extra)


def _section_create(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    section: str,
    form: Any,
    form_name: str,
    save: Callable[[dict[str, Any]], object],
    *,
    token_for: str = "",
    **extra: Any,
) -> HttpResponse:
    """Like ``_section_form``, for a form that creates a record: once per submission token.

    Sent twice, the section is shown as the first submit left it, with a fresh form.
    ``token_for`` keeps apart the copies of one rendered form (its token) drawn for
    different records, say under each decision.
    """
    if form.is_valid():
        data = form.cleaned_data
        token = data["submission_token"]

        def create() -> HttpResponse:
            save(data)
            return _section(request, meeting, section)

        def show_section() -> HttpResponse:
            return _section(request, meeting, section)

        try:
            return submit_once(
                request,
                f"{token}:{token_for}" if token and token_for else token,
                create,
                location=f"{reverse('meetings:run', args=[meeting.pk])}#{section}",
                replay=show_section if is_htmx(request) else None,
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
    return _section(request, meeting, section, **{form_name: form}, **extra)


@login_required
@require_http_methods(["GET"])
def run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    return render(request, "meetings/run.html", _run_context(request, meeting))


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    invitation = invitation_of(meeting, invitation_pk)
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        try:
            record_attendance(
                invitation,
                by=request.user,
                attendance=form.cleaned_data["attendance"],
                seen=seen_on_page(form),
            )
        except ValidationError as error:
            return _section(
                request,
                meeting,
                "attendance",
                attendance_error=ErrorSummary.linking(
                    f"id_attendance-{invitation.pk}", error.messages[:1]
                ),
            )
    return _section(request, meeting, "attendance")


def _autosave_response(
    request: AuthenticatedHttpRequest,
    *,
    pk: int,
    target: str,
    version: int,
    conflict: VersionConflict | None = None,
    error: str = "",
) -> HttpResponse:
    context = {"target": target, "version": version, "conflict": conflict, "error": error}
    if is_htmx(request):
        return render(request, "meetings/_autosave_status.html", context)
    if conflict is None and not error:
        return redirect(f"{reverse('meetings:run', args=[pk])}#{target}")
    return render(request, "meetings/autosave_page.html", context | {"meeting_pk": pk})


def _not_saved(form: forms.AutosaveForm) -> str:
    # What is wrong with the text (too long, hidden characters), else a tampered version.
    return " ".join(["Not saved.", *form.errors.get("text", [])])


@login_required
@require_POST
def autosave_meeting(request: AuthenticatedHttpRequest, pk: int, field: str) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    form = forms.AutosaveForm(request.POST)
    target = f"text-{field}"
    if not form.is_valid():
        return _autosave_response(
            request,
            pk=pk,
            target=target,
            version=meeting.text_version(field),
            error=_not_saved(form),
        )
    try:
        saved = save_meeting_text(
            meeting,
            by=request.user,
            field=field,
            text=form.cleaned_data["text"],
            version=form.effective_version,
        )
    except VersionConflict as conflict:
        return _autosave_response(
            request, pk=pk, target=target, version=form.cleaned_data["version"], conflict=conflict
        )
    except ValidationError as error:
        return _autosave_response(
            request,
            pk=pk,
            target=target,
            version=meeting.text_version(field),
            error=" ".join(error.messages),
        )
    return _autosave_response(request, pk=pk, target=target, version=saved.text_version(field))


@login_required
@require_POST
def autosave_update(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    invitation = invitation_of(meeting, invitation_pk)
    form = forms.AutosaveForm(request.POST)
    target = f"update-{invitation.pk}"
    if not form.is_valid():
        return _autosave_response(
            request, pk=pk, target=target, version=invitation.version, error=_not_saved(form)
        )
    try:
        saved = save_invitation_update(
            invitation,
            by=request.user,
            text=form.cleaned_data["text"],
            version=form.effective_version,
        )
    except VersionConflict as conflict:
        return _autosave_response(
            request, pk=pk, target=target, version=form.cleaned_data["version"], conflict=conflict
        )
    except ValidationError as error:
        return _autosave_response(
            request,
            pk=pk,
            target=target,
            version=invitation.version,
            error=" ".join(error.messages),
        )
    return _autosave_response(request, pk=pk, target=target, version=saved.version)


@login_required
@require_POST
def review_action(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    action = _action_on_case(meeting.case, action_pk)
    form = forms.ActionReviewForm(request.POST)
    reviewed = saved(
        form,
        lambda data: plan_services.review_action(
            action,
            by=request.user,
            meeting=meeting,
            status=data["status"],
            note=data["note"],
            expected_version=data["version"],
        ),
    )
    if reviewed:
        return _section(request, meeting, "previous-actions")
    return _section(
        request, meeting, "previous-actions", review_form=form, reviewed_action=action.pk
    )


def _action_on_case(case: Case, action_pk: int) -> Action:
    try:
        return case.actions.get(pk=action_pk)
    except Action.DoesNotExist:
        raise Http404("No action found") from None


@login_required
@require_POST
def add_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    case = meeting.case
    memberships = list(case.memberships.active().select_related("professional", "family_member"))
    form = forms.ActionForm(
        request.POST, case=case, memberships=memberships, children=_children(case)
    )
    if form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            plan_services.add_action(
                case,
                by=request.user,
                meeting=meeting,
                description=data["description"],
                owner=Owner(membership=form.owner_membership(), network_name=data["network_name"]),
                start_on=data["start_on"],
                due_on=data["due_on"],
                outcomes=list(data["outcomes"]),
                child=form.chosen_child(),
            )
            return _section(request, meeting, "plan")

        def show_plan() -> HttpResponse:
            # Sent twice: the plan as the first submit left it, with a fresh form.
            return _section(request, meeting, "plan")

        try:
            return submit_once(
                request,
                data["submission_token"],
                create,
                location=f"{reverse('meetings:run', args=[meeting.pk])}#plan",
                replay=show_plan if is_htmx(request) else None,
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
    return _section(request, meeting, "plan", action_form=form)


@login_required
@require_POST
def add_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    form = forms.OutcomeForm(request.POST, children=_children(meeting.case))
    return _section_create(
        request,
        meeting,
        "plan",
        form,
        "outcome_form",
        lambda data: plan_services.add_outcome(
            meeting.case,
            by=request.user,
            meeting=meeting,
            statement=data["statement"],
            framework_tags=data["framework_tags"],
            how_we_will_know=data["how_we_will_know"],
            baseline_scale=data["baseline_scale"],
            target_scale=data["target_scale"],
            child=form.chosen_child(),
        ),
    )


@login_required
@require_POST
def add_decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    form = forms.DecisionForm(request.POST)
    return _section_create(
        request,
        meeting,
        "decisions",
        form,
        "decision_form",
        lambda data: meeting_mode_services.add_decision(
            meeting, by=request.user, text=data["text"], rationale=data["rationale"]
        ),
    )


@login_required
@require_POST
def add_dissent(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    try:
        decision = meeting.decisions.get(pk=decision_pk)
    except Decision.DoesNotExist:
        raise Http404("No decision found") from None
    form = forms.DissentForm(request.POST, meeting=meeting)
    return _section_create(
        request,
        meeting,
        "decisions",
        form,
        "dissent_form",
        lambda data: meeting_mode_services.add_dissent(
            decision, by=request.user, invitation=data["invitation"], text=data["dissent"]
        ),
        token_for=f"decision-{decision.pk}",
        dissent_decision=decision.pk,
    )


@login_required
@require_POST
def agree_lead(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    form = forms.LeadForm(request.POST, case=meeting.case)
    return _section_form(
        request,
        meeting,
        "lead",
        form,
        "lead_form",
        lambda data: agree_lead_professional(
            meeting,
            by=request.user,
            professional=data["professional"],
            family_preference=data["family_preference"],
            seen_lead=seen_on_page(form, "seen_lead"),
        ),
    )


@login_required
@require_POST
def next_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    form = forms.NextReviewForm(request.POST)
    return _section_form(
        request,
        meeting,
        "next-review",
        form,
        "next_review_form",
        lambda data: set_meeting_next_review(
            meeting,
            by=request.user,
            next_review_on=data["next_review_on"],
            beyond_guideline_reason=data["beyond_guideline_reason"],
            seen=seen_on_page(form),
        ),
    )


@login_required
@require_POST
def finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    try:
        finish_meeting(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:run", meeting.pk)
    messages.success(request, "Meeting recorded as held. Check the record, then publish.")
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    try:
        publish_minutes(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Minutes published. TAC members have been told.")
    return redirect("meetings:detail", meeting.pk)
