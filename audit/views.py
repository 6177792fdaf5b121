"""Emergency (break-glass) access and the access reports (who looked at what)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit import access, services
from audit.forms import BreakGlassRequestForm, BreakGlassReviewForm
from audit.models import BreakGlassGrant, RecordAccess
from cases.access import can_see_case
from tac_portal.http import AuthenticatedHttpRequest

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for time-limited access to a case by its reference."""
    if request.user.is_system_administrator:
        raise PermissionDenied("System administrators cannot use emergency access.")
    form = BreakGlassRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["case"]
        if not can_see_case(request.user, case):
            services.grant_break_glass(
                case,
                user=request.user,
                reason_code=form.cleaned_data["reason_code"],
                justification=form.cleaned_data["justification"],
            )
        return redirect("cases:detail", pk=case.pk)
    hours = settings.TAC_BREAK_GLASS_HOURS
    return render(request, "audit/break_glass_request.html", {"form": form, "hours": hours})


@login_required
@require_GET
def case_access_report(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Who looked at a case's children, when, what, and whether by emergency access."""
    case = access.get_case_for_access_report(request.user, case_pk)
    rows = (
        RecordAccess.objects.filter(case=case).select_related("user__agency").order_by("-at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    grants = BreakGlassGrant.objects.filter(case=case).select_related("user__agency")
    return render(
        request,
        "audit/case_access_report.html",
        {"case": case, "page": page, "grants": grants},
    )


@login_required
@require_GET
def professional_access_report(request: AuthenticatedHttpRequest, user_pk: int) -> HttpResponse:
    """What one professional has looked at."""
    professional = access.get_professional_for_access_report(request.user, user_pk)
    rows = (
        RecordAccess.objects.filter(user=professional).select_related("case").order_by("-at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/professional_access_report.html",
        {"professional": professional, "page": page},
    )


@login_required
@require_GET
def break_glass_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every emergency access grant, newest first, for information governance."""
    access.ensure_governance(request.user)
    grants = BreakGlassGrant.objects.select_related("user__agency", "case", "reviewed_by").order_by(
        "-granted_at", "-id"
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/break_glass_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Information governance records whether an emergency access was appropriate."""
    grant = access.get_grant_for_review(request.user, pk)
    initial = {"review_outcome": grant.review_outcome, "review_note": grant.review_note}
    form = BreakGlassReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.review_break_glass(
            grant,
            by=request.user,
            outcome=form.cleaned_data["review_outcome"],
            note=form.cleaned_data["review_note"],
        )
        return redirect("audit:break_glass_list")
    return render(request, "audit/break_glass_review.html", {"grant": grant, "form": form})
