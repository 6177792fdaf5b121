"""Arranging a meeting, its record, invitations and replies, written updates and the
family's copy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import (
    ensure_can_contribute,
    get_case_to_run,
)
from cases.models import AccessPurpose
from meetings import forms
from meetings.models import (
    Action,
    Meeting,
)
from meetings.services import contributions as contributions_services
from meetings.services.common import (
    active_membership,
    can_run_meeting,
)
from meetings.services.emails import text_reminder_states, undelivered_invitations
from meetings.services.scheduling import (
    cancel_meeting,
    invite_to_meeting,
    record_response,
    reschedule_meeting,
    schedule_meeting,
)
from meetings.views.common import invitation_of, meeting_for_user, runnable_meeting
from tac_portal.concurrency import StaleEdit


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_to_run(request, case_pk, purpose=AccessPurpose.MEETING)
    form = forms.ScheduleMeetingForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            meeting = schedule_meeting(
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
            messages.success(request, "Meeting arranged. Invitations are on their way.")
            return redirect("meetings:detail", meeting.pk)

        try:
            # Sent twice, the meeting is arranged (and its invitations sent) once.
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
    return render(request, "meetings/schedule.html", {"case": case, "form": form})


def _detail_context(request: AuthenticatedHttpRequest, meeting: Meeting) -> dict[str, Any]:
    invitations = list(meeting.invitations.select_related("professional__agency"))
    mine = next((i for i in invitations if i.professional_id == request.user.pk), None)
    decisions = list(meeting.decisions.prefetch_related("dissents"))
    can_run = can_run_meeting(request.user, meeting)
    return {
        "meeting": meeting,
        "case": meeting.case,
        "invitations": sorted(invitations, key=lambda i: (not i.is_family, i.pk)),
        "my_invitation": mine,
        "response_form": forms.ResponseForm(initial={"version": mine.version if mine else 1}),
        "reply_form": forms.RecordReplyForm(),
        "contribution_form": forms.ContributionForm(),
        "written": list(meeting.contributions.select_related("author").order_by("created_at")),
        "decisions": decisions,
        "actions": list(
            meeting.actions.select_related(
                "owner_professional__agency", "owner_family_member", "child"
            )
        ),
        "outcomes": list(meeting.outcomes.select_related("child")),
        "can_run": can_run,
        "is_member": active_membership(request.user, meeting.case) is not None,
        # Those who run the meeting see whose invitation did not arrive, to tell them.
        "undelivered": undelivered_invitations(meeting) if can_run else [],
        # And whether each family member's text reminder went (GOV.UK Notify).
        "family_texts": text_reminder_states(meeting) if can_run else [],
    }


@login_required
@require_http_methods(["GET"])
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Invite more people to a meeting already arranged; only they are emailed."""
    meeting = runnable_meeting(request, pk)
    if meeting.status != Meeting.Status.SCHEDULED or not meeting.case.is_open:
        raise Http404("This meeting is not still to happen")
    form = forms.InviteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            invite_to_meeting(
                meeting, by=request.user, members=list(data["members"]), externals=data["externals"]
            )
            messages.success(request, "Invitations are on their way to the people you added.")
            return redirect("meetings:detail", meeting.pk)

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
    return render(request, "meetings/invite.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    local = timezone.localtime(meeting.starts_at)
    initial = {
        "day": local.date(),
        "starts": local.time(),
        "ends": timezone.localtime(meeting.ends_at).time() if meeting.ends_at else None,
        "mode": meeting.mode,
        "location": meeting.location,
        "version": meeting.version,
    }
    form = forms.RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reschedule_meeting(
                meeting,
                by=request.user,
                starts_at=form.starts_at,
                ends_at=form.ends_at,
                mode=form.cleaned_data["mode"],
                location=form.cleaned_data["location"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
            meeting.refresh_from_db()
        else:
            messages.success(request, "Meeting moved. Everyone invited has been told.")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/reschedule.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = runnable_meeting(request, pk)
    form = forms.CancelForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            cancel_meeting(
                meeting,
                by=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            forms.apply_service_error(form, error)
            meeting.refresh_from_db()
        else:
            messages.success(request, "Meeting cancelled. Everyone invited has been told.")
            return redirect("cases:detail", meeting.case_id)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def respond(request: AuthenticatedHttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    meeting = meeting_for_user(request, pk)
    invitation = invitation_of(meeting, invitation_pk)
    form = forms.ResponseForm(request.POST)
    if form.is_valid():
        try:
            record_response(
                invitation,
                by=request.user,
                response=form.cleaned_data["response"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            # Both versions, in words: the reply it holds now and the one not saved.
            choices = dict(form.fields["response"].choices)  # type: ignore[attr-defined]
            wrote = choices.get(form.cleaned_data["response"], "")
            now = error.current.get_response_display() if error.current else ""
            messages.error(
                request,
                f"{' '.join(error.messages)} What it says now: {now}. What you sent: {wrote}.",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Reply recorded.")
    else:
        messages.error(request, "Choose attending or apologies.")
    return redirect("meetings:detail", meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def written_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A TAC member sends a written update for the meeting (read out with equal weight)."""
    meeting = meeting_for_user(request, pk)
    form = forms.ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            contributions_services.add_contribution(
                meeting.case, by=request.user, body=form.cleaned_data["body"], meeting=meeting
            )
            messages.success(request, "Written update added to the meeting record.")
            return redirect("meetings:detail", meeting.pk)

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
    ensure_can_contribute(request.user, meeting.case)
    return render(request, "meetings/written_update.html", {"meeting": meeting, "form": form})


@login_required
@require_http_methods(["GET"])
def family_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The family's own printable copy: plan, decisions and their words. No dissent."""
    meeting = meeting_for_user(request, pk, purpose=AccessPurpose.FAMILY_COPY)
    case = meeting.case
    return render(
        request,
        "meetings/family_copy.html",
        {
            "meeting": meeting,
            "case": case,
            "children": [s.child for s in case.subjects.select_related("child")],
            "decisions": list(meeting.decisions.all()),
            "outcomes": list(
                case.outcomes.exclude(status="no_longer_relevant").select_related("child")
            ),
            "actions": list(
                case.actions.filter(status__in=Action.OPEN_STATUSES).select_related(
                    "owner_professional__agency", "owner_family_member", "child"
                )
            ),
            "lead": case.lead_assignment,
        },
    )
