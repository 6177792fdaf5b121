"""Reviews without a meeting, the family's feedback, contributions and reflective discussions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import (
    can_discuss,
    ensure_can_contribute,
    get_case_for_user,
    get_case_record_for_user,
    get_case_to_run,
)
from cases.models import AccessPurpose
from meetings import forms
from meetings.models import (
    CaseDiscussion,
    FamilyFeedback,
    Review,
)
from meetings.services import contributions as contributions_services
from meetings.services import reviews as reviews_services
from meetings.services.contributions import record_case_discussion
from meetings.services.reviews import record_family_feedback, record_review_without_meeting


@login_required
@require_http_methods(["GET", "POST"])
def review_without_meeting(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_to_run(request, case_pk, purpose=AccessPurpose.MEETING)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            review = record_review_without_meeting(
                case,
                by=request.user,
                child_views=data["child_views"],
                parent_views=data["parent_views"],
                summary=data["summary"],
                progress=data["progress"],
                next_review_on=data["next_review_on"],
                beyond_guideline_reason=data["beyond_guideline_reason"],
            )
            messages.success(
                request,
                "Review recorded. The next review date has moved. "
                "Now ask the family: is this working for you?",
            )
            return redirect("meetings:feedback", case.pk, review.pk)

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("submission_token")

        def create() -> HttpResponse:
            record_family_feedback(review, by=request.user, **data)
            messages.success(request, "Family feedback recorded.")
            return redirect(f"{reverse('cases:detail', args=[case.pk])}#meetings")

        try:
            return submit_once(request, token, create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
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
    reviews_services.stop_quoting_feedback(feedback, by=request.user)
    messages.success(request, "Their words are no longer shown to managers.")
    return redirect("meetings:feedback", case.pk, review_pk)


@login_required
@require_http_methods(["GET", "POST"])
def add_contribution(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.CASE_WORK)
    ensure_can_contribute(request.user, case)
    form = forms.ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            contributions_services.add_contribution(
                case, by=request.user, body=form.cleaned_data["body"]
            )
            messages.success(request, "Contribution added.")
            return redirect(f"{reverse('cases:detail', args=[case.pk])}#contributions")

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
    return render(request, "meetings/contribution_form.html", {"case": case, "form": form})


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

        def create() -> HttpResponse:
            discussion = record_case_discussion(
                case,
                by=request.user,
                held_on=data["held_on"],
                question=data["question"],
                hypotheses=data["hypotheses"],
                learning=data["learning"],
                next_steps=data["next_steps"],
                participants=list(data["participants"]),
            )
            messages.success(request, "Case discussion recorded.")
            return redirect("meetings:discussion", discussion.pk)

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            forms.apply_service_error(form, error)
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
