"""Emergency (break-glass) access and the access reports (who looked at what)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from agencies.http import AuthenticatedHttpRequest
from agencies.models import PartnerClient
from agencies.submissions import submit_once
from audit import reports, services
from audit.forms import (
    AccessReportFilterForm,
    BreakGlassRequestForm,
    BreakGlassReviewForm,
    RestrictionForm,
    RestrictionReviewForm,
    UnmaskForm,
)
from cases.access import (
    break_glass_grant_in_use,
    can_read_case_history,
    can_see_case,
    can_unmask,
    can_work_on_cases,
    ensure_can_restrict,
    ensure_information_governance,
    get_case_for_access_report,
    get_case_for_user,
    get_case_record_for_user,
    get_professional_for_access_report,
    record_records_shown,
)
from cases.models import AccessPurpose, BreakGlassGrant, Case, RecordAccess, Restriction
from cases.search import open_cases_matching
from tac_portal.csv_export import csv_lines
from tac_portal.forms import add_service_errors, seen_on_page

PAGE_SIZE = 50

security_log = logging.getLogger("tac.security")


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for time-limited access to a case, found by its reference or by the child.

    Until the reason is given the page answers the same whether or not anything
    matches: the search runs only on a complete form. A reference that names one
    open case grants access at once; a search by name shows the open cases that match,
    and access is granted to the one chosen.
    """
    if not can_work_on_cases(request.user):
        raise PermissionDenied(
            "Emergency access is for professionals who work with children and families. "
            "Your role does not work on cases."
        )
    form = BreakGlassRequestForm(request.POST or None)
    hours = settings.TAC_BREAK_GLASS_HOURS
    if request.method != "POST" or not form.is_valid():
        return render(request, "audit/break_glass_request.html", {"form": form, "hours": hours})
    data = form.cleaned_data
    matches = open_cases_matching(data["reference"], form.query())
    security_log.info(
        "emergency access search",
        extra={
            "user_id": request.user.pk,
            "criteria": ",".join(["reference"] if data["reference"] else form.query().kinds),
            "shown": len(matches),
        },
    )
    chosen = next((c for c in matches if c.pk == data["case"]), None)
    if chosen is None and data["reference"] and len(matches) == 1:
        chosen = matches[0]
    if chosen is not None:
        if not can_see_case(request.user, chosen):
            services.grant_break_glass(
                chosen,
                user=request.user,
                reason_code=data["reason_code"],
                justification=data["justification"],
            )
        return redirect("cases:detail", pk=chosen.pk)
    record_records_shown(
        request,
        [(child.pk, case.pk) for case in matches for child in case.children.all()],
        purpose=AccessPurpose.SEARCH,
    )
    return render(
        request,
        "audit/break_glass_matches.html",
        {
            "form": form,
            "matches": matches,
            "hours": hours,
            "carried": [
                (name, value)
                for name, value in request.POST.items()
                if name not in ("csrfmiddlewaretoken", "case")
            ],
        },
    )


@login_required
@require_GET
def case_access_report(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """Who looked at a case's children, when, what, and whether by emergency access."""
    case = get_case_for_access_report(request, case_pk)
    rows = (
        RecordAccess.objects.filter(case=case).select_related("user__agency").order_by("-at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _name_partner_systems(page.object_list)
    grants = BreakGlassGrant.objects.filter(case=case).select_related("user__agency")
    return render(
        request,
        "audit/case_access_report.html",
        {
            "case": case,
            "page": page,
            "grants": grants,
            "can_read_history": can_read_case_history(request.user, case),
        },
    )


def _name_partner_systems(rows: Any) -> None:
    """Give each partner system's row its client record (name, agency, sharing agreement)."""
    ids = {row.client_id for row in rows if row.client_id}
    if not ids:
        return
    partners = {
        p.client_id: p
        for p in PartnerClient.objects.filter(application__client_id__in=ids).select_related(
            "application", "agency"
        )
    }
    for row in rows:
        row.partner = partners.get(row.client_id)


@login_required
@require_GET
def professional_access_report(request: AuthenticatedHttpRequest, user_pk: int) -> HttpResponse:
    """What one professional has looked at."""
    professional = get_professional_for_access_report(request, user_pk)
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
def access_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every access to a child's record, one row per access, filtered by person, case,
    dates and kind: information governance only (anyone else gets a 404)."""
    ensure_information_governance(request.user)
    form = AccessReportFilterForm(request.GET if _filtering(request) else None)
    filters = form.filters() if form.is_bound else reports.AccessFilters()
    page = Paginator(reports.accesses(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = reports.describe(list(page.object_list))  # type: ignore[assignment]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/access_report.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
        },
    )


@login_required
@require_GET
def access_report_csv(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The access report as CSV, with the same filters; cells are neutralised."""
    ensure_information_governance(request.user)
    form = AccessReportFilterForm(request.GET if _filtering(request) else None)
    if form.is_bound and not form.is_valid():
        # Never export something other than what was asked for: show the errors.
        return redirect(f"{reverse('audit:access_report')}?{request.GET.urlencode()}")
    filters = form.filters() if form.is_bound else reports.AccessFilters()
    day = timezone.localdate().isoformat()
    response = StreamingHttpResponse(
        csv_lines(reports.CSV_HEADER, reports.csv_rows(filters)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="access-report-{day}.csv"'
    return response


def _filtering(request: AuthenticatedHttpRequest) -> bool:
    return any(key != "page" for key in request.GET)


@login_required
@require_GET
def break_glass_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every emergency access grant, newest first, for information governance."""
    ensure_information_governance(request.user)
    grants = BreakGlassGrant.objects.select_related("user__agency", "case", "reviewed_by").order_by(
        "-granted_at", "-id"
    )
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/break_glass_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Information governance records whether an emergency access was appropriate."""
    ensure_information_governance(request.user)
    grant = get_object_or_404(BreakGlassGrant.objects.select_related("user", "case"), pk=pk)
    initial = {
        "review_outcome": grant.review_outcome,
        "review_note": grant.review_note,
        "seen": services.review_seen(grant),
    }
    form = BreakGlassReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_break_glass(
                grant,
                by=request.user,
                outcome=form.cleaned_data["review_outcome"],
                note=form.cleaned_data["review_note"],
                seen=seen_on_page(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("audit:break_glass_list")
    return render(request, "audit/break_glass_review.html", {"grant": grant, "form": form})


# --- Restricted items --------------------------------------------------------


def _case_for_restrictions(request: AuthenticatedHttpRequest, case_pk: int) -> Case:
    """The case, if visible (else 404) and run by the user (else 403)."""
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.RESTRICTIONS)
    ensure_can_restrict(request.user, case)
    return case


@login_required
@require_http_methods(["GET", "POST"])
def case_restrictions(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    """The restrictions on a case, and a form to add one."""
    case = _case_for_restrictions(request, case_pk)
    form = RestrictionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        target, target_id, field_name = form.cleaned_data["item"]

        def create() -> HttpResponse:
            services.set_restriction(
                case,
                by=request.user,
                target=target,
                target_id=target_id,
                field_name=field_name,
                reason=form.cleaned_data["reason"],
                named_users=form.named(),
            )
            messages.success(request, "The detail is now restricted.")
            return redirect("audit:case_restrictions", case_pk=case.pk)

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            _add_errors(form, error)
    restrictions = (
        Restriction.objects.filter(case=case)
        .select_related("set_by__agency", "lifted_by")
        .prefetch_related("named_users")
        .order_by("lifted_at", "-set_at")
    )
    return render(
        request,
        "audit/case_restrictions.html",
        {"case": case, "form": form, "restrictions": restrictions, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def restriction_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Keep a restriction for another 90 days, or lift it."""
    restriction = get_case_record_for_user(
        request, Restriction.objects.all(), pk, purpose=AccessPurpose.RESTRICTIONS
    )
    case = _case_for_restrictions(request, restriction.case_id)
    form = RestrictionReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_restriction(
                restriction,
                by=request.user,
                keep=form.cleaned_data["decision"] == "keep",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The review is recorded.")
            return redirect("audit:case_restrictions", case_pk=case.pk)
    return render(
        request,
        "audit/restriction_review.html",
        {"case": case, "restriction": restriction, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unmask(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask to see a restricted value: only the people it names, with a reason."""
    restriction = get_case_record_for_user(
        request, Restriction.objects.in_force(), pk, purpose=AccessPurpose.RESTRICTIONS
    )
    break_glass_only = break_glass_grant_in_use(request.user, restriction.case) is not None
    if not can_unmask(request.user, restriction, break_glass_only=break_glass_only):
        raise PermissionDenied("You are not named on this restriction.")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = UnmaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unmask(restriction, request=request, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(next_url or reverse("cases:detail", args=[restriction.case_id]))
    return render(
        request,
        "audit/unmask.html",
        {"restriction": restriction, "form": form, "next": next_url},
    )


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field_name, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field_name if field_name in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)
