"""Meeting, plan, review and contribution pages: thin views over meetings.services.

Every page reaches its meeting, action or discussion through a case the user
can see (404 otherwise) and logs which children's records it showed. Meeting
mode answers htmx requests with the section that changed, and plain form posts
with a redirect back to the page, so it works without JavaScript too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from cases.access import (
    can_discuss,
    ensure_can_contribute,
    ensure_can_run_case,
    get_case_for_user,
    get_case_record_for_user,
    get_case_to_run,
)
from cases.models import AccessPurpose, Case, TeamMembership
from meetings import forms, services
from meetings.models import (
    Action,
    CaseDiscussion,
    Decision,
    FamilyFeedback,
    Invitation,
    Meeting,
    Outcome,
    Review,
)
from tac_portal.forms import ErrorSummary


def _meeting_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, purpose: str = AccessPurpose.MEETING
) -> Meeting:
    """The meeting if its case is visible to the user (404 for missing and invisible alike);
    the read is logged."""
    meetings = Meeting.objects.select_related("case__family", "chair__agency", "note_taker__agency")
    return get_case_record_for_user(request, meetings, pk, purpose=purpose)


def _runnable_meeting(request: AuthenticatedHttpRequest, pk: int) -> Meeting:
    meeting = _meeting_for_user(request, pk)
    services.ensure_can_run_meeting(request.user, meeting)
    return meeting


def _is_htmx(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- Scheduling and the meeting record ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_to_run(request, case_pk, purpose=AccessPurpose.MEETING)
    form = forms.ScheduleMeetingForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                case,
                by=request.user,
                kind=data["kind"],
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                mode=data["mode"],
                location=data["location"],
                chair=data["chair"],
                note_taker=data["note_taker"],
                members=list(data["members"]),
                externals=data["externals"],
                professionals_only=data["professionals_only"],
                professionals_only_reason=data["professionals_only_reason"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, "Meeting arranged. Invitations are on their way.")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/schedule.html", {"case": case, "form": form})


def _detail_context(request: AuthenticatedHttpRequest, meeting: Meeting) -> dict[str, Any]:
    invitations = list(meeting.invitations.select_related("professional__agency"))
    mine = next((i for i in invitations if i.professional_id == request.user.pk), None)
    decisions = list(meeting.decisions.prefetch_related("dissents"))
    can_run = services.can_run_meeting(request.user, meeting)
    return {
        "meeting": meeting,
        "case": meeting.case,
        "invitations": sorted(invitations, key=lambda i: (not i.is_family, i.pk)),
        "my_invitation": mine,
        "response_form": forms.ResponseForm(),
        "reply_form": forms.RecordReplyForm(),
        "contribution_form": forms.ContributionForm(),
        "written": list(meeting.contributions.select_related("author").order_by("created_at")),
        "decisions": decisions,
        "actions": list(
            meeting.actions.select_related("owner_professional__agency", "owner_family_member")
        ),
        "outcomes": list(meeting.outcomes.all()),
        "can_run": can_run,
        "is_member": services.active_membership(request.user, meeting.case) is not None,
        # Those who run the meeting see whose invitation did not arrive, to tell them.
        "undelivered": services.undelivered_invitations(meeting) if can_run else [],
    }


@login_required
@require_http_methods(["GET"])
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_user(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite more people to a meeting already arranged; only they are emailed."""
    meeting = _runnable_meeting(request, pk)
    if meeting.status != Meeting.Status.SCHEDULED or not meeting.case.is_open:
        raise Http404("This meeting is not still to happen")
    form = forms.InviteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and _saved(
        form,
        lambda data: services.invite_to_meeting(
            meeting, by=request.user, members=list(data["members"]), externals=data["externals"]
        ),
    ):
        messages.success(request, "Invitations are on their way to the people you added.")
        return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/invite.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    local = timezone.localtime(meeting.starts_at)
    initial = {
        "day": local.date(),
        "starts": local.time(),
        "ends": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
        "mode": meeting.mode,
        "location": meeting.location,
    }
    form = forms.RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_meeting(
                meeting,
                by=request.user,
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                mode=form.cleaned_data["mode"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, "Meeting moved. Everyone invited has been told.")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/reschedule.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(meeting, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, "Meeting cancelled. Everyone invited has been told.")
            return redirect("cases:detail", meeting.case_id)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def respond(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = _meeting_for_user(request, pk)
    invitation = _invitation(meeting, invitation_pk)
    form = forms.ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.record_response(
                invitation, by=request.user, response=form.cleaned_data["response"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Reply recorded.")
    else:
        messages.error(request, "Choose attending or apologies.")
    return redirect("meetings:detail", meeting.pk)


def _invitation(meeting: Meeting, invitation_pk: int) -> Invitation:
    try:
        return meeting.invitations.select_related("meeting").get(pk=invitation_pk)
    except Invitation.DoesNotExist:
        raise Http404("No invitation found") from None


@login_required
@require_http_methods(["GET", "POST"])
def written_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A TAC member sends a written update for the meeting (read out with equal weight)."""
    meeting = _meeting_for_user(request, pk)
    form = forms.ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contribution(
                meeting.case, by=request.user, body=form.cleaned_data["body"], meeting=meeting
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, "Written update added to the meeting record.")
            return redirect("meetings:detail", meeting.pk)
    ensure_can_contribute(request.user, meeting.case)
    return render(request, "meetings/written_update.html", {"meeting": meeting, "form": form})


# --- Meeting mode ------------------------------------------------------------


def _run_context(
    request: AuthenticatedHttpRequest, meeting: Meeting, **overrides: Any
) -> dict[str, Any]:
    """Everything meeting mode shows, in a fixed number of queries."""
    case = meeting.case
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
        case.actions.select_related("owner_professional__agency", "owner_family_member")
        .prefetch_related("updates")
        .order_by("due_on", "id")
    )
    context = {
        "meeting": meeting,
        "case": case,
        "invitations": invitations,
        "written": list(meeting.contributions.select_related("author").order_by("created_at")),
        "previous_actions": [a for a in actions if a.meeting_id != meeting.pk],
        "new_actions": [a for a in actions if a.meeting_id == meeting.pk],
        "outcomes": list(case.outcomes.order_by("id")),
        "decisions": list(meeting.decisions.prefetch_related("dissents")),
        "lead": case.lead_assignment,
        "action_form": forms.ActionForm(case=case, memberships=memberships),
        "outcome_form": forms.OutcomeForm(),
        "decision_form": forms.DecisionForm(),
        "dissent_form": forms.DissentForm(meeting=meeting),
        # Under every other decision: an empty copy, so errors show only where they belong.
        "new_dissent_form": forms.DissentForm(meeting=meeting),
        "attendance_form": forms.AttendanceForm(),
        "lead_form": forms.LeadForm(case=case),
        "next_review_form": forms.NextReviewForm(
            initial={"next_review_on": meeting.next_review_on}
        ),
        "review_form": forms.ActionReviewForm(),
        # Under every action but one refused (which keeps what was typed): an empty copy.
        "new_review_form": forms.ActionReviewForm(),
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
    return context


def _section(
    request: AuthenticatedHttpRequest, meeting: Meeting, section: str, **overrides: Any
) -> HttpResponse:
    if _is_htmx(request):
        fresh = _meeting_for_user(request, meeting.pk)
        return render(
            request, f"meetings/run.html#{section}", _run_context(request, fresh, **overrides)
        )
    if overrides:
        fresh = _meeting_for_user(request, meeting.pk)
        return render(request, "meetings/run.html", _run_context(request, fresh, **overrides))
    return redirect(f"{reverse('meetings:run', args=[meeting.pk])}#{section}")


def _saved(form: Any, save: Callable[[dict[str, Any]], object]) -> bool:
    """Check ``form`` and hand its data to ``save`` (a service call).

    False when the form is invalid or the service refuses: its errors are then on
    the form's fields, with what was typed.
    """
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        forms.apply_service_error(form, error)
        return False
    return True


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
    if _saved(form, save):
        return _section(request, meeting, section)
    return _section(request, meeting, section, **{form_name: form}, **extra)


@login_required
@require_http_methods(["GET"])
def run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    return render(request, "meetings/run.html", _run_context(request, meeting))


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    invitation = _invitation(meeting, invitation_pk)
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_attendance(
                invitation, by=request.user, attendance=form.cleaned_data["attendance"]
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
    conflict: services.VersionConflict | None = None,
    error: str = "",
) -> HttpResponse:
    context = {"target": target, "version": version, "conflict": conflict, "error": error}
    if _is_htmx(request):
        return render(request, "meetings/_autosave_status.html", context)
    if conflict is None and not error:
        return redirect(f"{reverse('meetings:run', args=[pk])}#{target}")
    return render(request, "meetings/autosave_page.html", context | {"meeting_pk": pk})


@login_required
@require_POST
def autosave_meeting(request: AuthenticatedHttpRequest, pk: int, field: str) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    form = forms.AutosaveForm(request.POST)
    target = f"text-{field}"
    if not form.is_valid():
        return _autosave_response(
            request, pk=pk, target=target, version=meeting.text_version(field), error="Not saved."
        )
    try:
        saved = services.save_meeting_text(
            meeting,
            by=request.user,
            field=field,
            text=form.cleaned_data["text"],
            version=form.effective_version,
        )
    except services.VersionConflict as conflict:
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
    meeting = _runnable_meeting(request, pk)
    invitation = _invitation(meeting, invitation_pk)
    form = forms.AutosaveForm(request.POST)
    target = f"update-{invitation.pk}"
    if not form.is_valid():
        return _autosave_response(
            request, pk=pk, target=target, version=invitation.version, error="Not saved."
        )
    try:
        saved = services.save_invitation_update(
            invitation,
            by=request.user,
            text=form.cleaned_data["text"],
            version=form.effective_version,
        )
    except services.VersionConflict as conflict:
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
    meeting = _runnable_meeting(request, pk)
    action = _action_on_case(meeting.case, action_pk)
    form = forms.ActionReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_action(
                action,
                by=request.user,
                meeting=meeting,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            return _section(
                request,
                meeting,
                "previous-actions",
                review_error=ErrorSummary.linking(f"id_status-{action.pk}", error.messages[:1]),
                review_form=form,
                reviewed_action=action.pk,
            )
    else:
        return _section(
            request, meeting, "previous-actions", review_form=form, reviewed_action=action.pk
        )
    return _section(request, meeting, "previous-actions")


def _action_on_case(case: Case, action_pk: int) -> Action:
    try:
        return case.actions.get(pk=action_pk)
    except Action.DoesNotExist:
        raise Http404("No action found") from None


@login_required
@require_POST
def add_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    case = meeting.case
    memberships = list(case.memberships.active().select_related("professional", "family_member"))
    form = forms.ActionForm(request.POST, case=case, memberships=memberships)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_action(
                case,
                by=request.user,
                meeting=meeting,
                description=data["description"],
                owner=services.Owner(
                    membership=form.owner_membership(), network_name=data["network_name"]
                ),
                start_on=data["start_on"],
                due_on=data["due_on"],
                outcomes=list(data["outcomes"]),
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            return _section(request, meeting, "plan")
    return _section(request, meeting, "plan", action_form=form)


@login_required
@require_POST
def add_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    form = forms.OutcomeForm(request.POST)
    return _section_form(
        request,
        meeting,
        "plan",
        form,
        "outcome_form",
        lambda data: services.add_outcome(
            meeting.case,
            by=request.user,
            meeting=meeting,
            statement=data["statement"],
            framework_tags=data["framework_tags"],
            how_we_will_know=data["how_we_will_know"],
            baseline_scale=data["baseline_scale"],
            target_scale=data["target_scale"],
        ),
    )


@login_required
@require_POST
def add_decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    form = forms.DecisionForm(request.POST)
    return _section_form(
        request,
        meeting,
        "decisions",
        form,
        "decision_form",
        lambda data: services.add_decision(
            meeting, by=request.user, text=data["text"], rationale=data["rationale"]
        ),
    )


@login_required
@require_POST
def add_dissent(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    try:
        decision = meeting.decisions.get(pk=decision_pk)
    except Decision.DoesNotExist:
        raise Http404("No decision found") from None
    form = forms.DissentForm(request.POST, meeting=meeting)
    return _section_form(
        request,
        meeting,
        "decisions",
        form,
        "dissent_form",
        lambda data: services.add_dissent(
            decision, by=request.user, invitation=data["invitation"], text=data["dissent"]
        ),
        dissent_decision=decision.pk,
    )


@login_required
@require_POST
def agree_lead(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    form = forms.LeadForm(request.POST, case=meeting.case)
    return _section_form(
        request,
        meeting,
        "lead",
        form,
        "lead_form",
        lambda data: services.agree_lead_professional(
            meeting,
            by=request.user,
            professional=data["professional"],
            family_preference=data["family_preference"],
        ),
    )


@login_required
@require_POST
def next_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    form = forms.NextReviewForm(request.POST)
    return _section_form(
        request,
        meeting,
        "next-review",
        form,
        "next_review_form",
        lambda data: services.set_meeting_next_review(
            meeting, by=request.user, next_review_on=data["next_review_on"]
        ),
    )


@login_required
@require_POST
def finish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    try:
        services.finish_meeting(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:run", meeting.pk)
    messages.success(request, "Meeting recorded as held. Check the record, then publish.")
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = _runnable_meeting(request, pk)
    try:
        services.publish_minutes(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Minutes published. TAC members have been told.")
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_http_methods(["GET"])
def family_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The family's own printable copy: plan, decisions and their words. No dissent."""
    meeting = _meeting_for_user(request, pk, purpose=AccessPurpose.FAMILY_COPY)
    case = meeting.case
    return render(
        request,
        "meetings/family_copy.html",
        {
            "meeting": meeting,
            "case": case,
            "children": [s.child for s in case.subjects.select_related("child")],
            "decisions": list(meeting.decisions.all()),
            "outcomes": list(case.outcomes.exclude(status="no_longer_relevant")),
            "actions": list(
                case.actions.filter(status__in=Action.OPEN_STATUSES).select_related(
                    "owner_professional__agency", "owner_family_member"
                )
            ),
            "lead": case.lead_assignment,
        },
    )


# --- Reviews, contributions, actions, discussions -----------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_without_meeting(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_to_run(request, case_pk, purpose=AccessPurpose.MEETING)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.record_review_without_meeting(
                case,
                by=request.user,
                child_views=data["child_views"],
                parent_views=data["parent_views"],
                summary=data["summary"],
                progress=data["progress"],
                next_review_on=data["next_review_on"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(
                request,
                "Review recorded. The next review date has moved. "
                "Now ask the family: is this working for you?",
            )
            return redirect("meetings:feedback", case.pk, review.pk)
    return render(request, "meetings/review_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def family_feedback(
    request: AuthenticatedHttpRequest, case_pk: int, review_pk: int
) -> HttpResponse:
    """Record the family's answer to "is this working for you?" at a review."""
    case = get_case_to_run(request, case_pk, purpose=AccessPurpose.MEETING)
    if not case.is_open:
        raise Http404("This case is closed")
    review = get_object_or_404(Review, pk=review_pk, case=case)
    form = forms.FamilyFeedbackForm(request.POST or None)
    if request.method == "POST" and _saved(
        form, lambda data: services.record_family_feedback(review, by=request.user, **data)
    ):
        messages.success(request, "Family feedback recorded.")
        return redirect(f"{reverse('cases:detail', args=[case.pk])}#meetings")
    return render(
        request,
        "meetings/feedback_form.html",
        {
            "case": case,
            "review": review,
            "form": form,
            "given": list(review.feedback.order_by("recorded_at", "id")),
        },
    )


@login_required
@require_POST
def stop_quoting_feedback(
    request: AuthenticatedHttpRequest, case_pk: int, review_pk: int, pk: int
) -> HttpResponse:
    """The family withdrew their agreement to be quoted."""
    case = get_case_to_run(request, case_pk, purpose=AccessPurpose.MEETING)
    feedback = get_object_or_404(FamilyFeedback, pk=pk, review_id=review_pk, review__case=case)
    services.stop_quoting_feedback(feedback, by=request.user)
    messages.success(request, "Their words are no longer shown to managers.")
    return redirect("meetings:feedback", case.pk, review_pk)


@login_required
@require_http_methods(["GET", "POST"])
def add_contribution(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.CASE_WORK)
    ensure_can_contribute(request.user, case)
    form = forms.ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contribution(case, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, "Contribution added.")
            return redirect(f"{reverse('cases:detail', args=[case.pk])}#contributions")
    return render(request, "meetings/contribution_form.html", {"case": case, "form": form})


def _action_for_user(request: AuthenticatedHttpRequest, pk: int) -> Action:
    """The action if its case is visible to the user (else 404); the read is logged."""
    actions = Action.objects.select_related(
        "case__family", "owner_professional__agency", "owner_family_member"
    )
    return get_case_record_for_user(request, actions, pk, purpose=AccessPurpose.PLAN)


@login_required
@require_http_methods(["GET", "POST"])
def update_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The owner of an action (or the lead) records progress, from "My work"."""
    action = _action_for_user(request, pk)
    if not services.can_update_action(request.user, action):
        raise PermissionDenied("Only the action's owner or the lead professional can update it.")
    form = forms.ActionUpdateForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST":
        if _saved(
            form,
            lambda data: services.update_action(
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
    action = _action_for_user(request, pk)
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
            services.change_action(
                action,
                by=request.user,
                due_on=data["due_on"],
                owner=None
                if form.keeps_owner()
                else services.Owner(
                    membership=form.owner_membership(), network_name=data["network_name"]
                ),
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
            services.cancel_action(
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
        if _saved(
            form,
            lambda data: services.review_outcome(
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


@login_required
@require_http_methods(["GET", "POST"])
def new_discussion(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.CASE_WORK)
    if not can_discuss(request.user, case):
        raise PermissionDenied("Only the team around the child can record a discussion.")
    form = forms.DiscussionForm(
        request.POST or None, case=case, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            discussion = services.record_case_discussion(
                case,
                by=request.user,
                held_on=data["held_on"],
                question=data["question"],
                hypotheses=data["hypotheses"],
                learning=data["learning"],
                next_steps=data["next_steps"],
                participants=list(data["participants"]),
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
        else:
            messages.success(request, "Case discussion recorded.")
            return redirect("meetings:discussion", discussion.pk)
    return render(request, "meetings/discussion_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET"])
def discussion(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A reflective discussion: only its participants can open it (404 for anyone else)."""
    discussions = CaseDiscussion.objects.select_related("case__family", "created_by").filter(
        participants=request.user
    )
    record = get_case_record_for_user(request, discussions, pk, purpose=AccessPurpose.CASE_WORK)
    return render(
        request,
        "meetings/discussion.html",
        {
            "discussion": record,
            "case": record.case,
            "participants": list(record.participants.select_related("agency")),
        },
    )
