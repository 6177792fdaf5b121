from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from agencies.http import AuthenticatedHttpRequest
from cases.access import (
    ensure_can_run_case,
    get_case_record_for_user,
    get_case_to_run,
    record_records_shown,
)
from cases.models import AccessPurpose
from cases.services.reviews import LateReasonError, record_review_late_reason
from dashboards import charts, drilldowns, exports, leavers, metrics, sections
from dashboards.forms import AnnexAForm, FilterForm, LateReasonForm
from meetings.models import Action
from meetings.services.plan import record_action_late_reason
from tac_portal.concurrency import StaleEdit
from tac_portal.forms import add_service_errors, seen_on_page

DRILLDOWNS = {
    "overdue-reviews": "Overdue reviews",
    "overdue-actions": "Overdue actions",
}


def _filter_form(
    request: AuthenticatedHttpRequest, scope: metrics.Scope
) -> tuple[FilterForm, metrics.Choices]:
    choices = metrics.dashboard_choices(scope)
    form = FilterForm(request.GET or None, scope=scope, choices=choices)
    return form, choices


def _filters(form: FilterForm) -> metrics.Filters:
    return form.filters() if form.is_bound else metrics.Filters()


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The caseload dashboard: the authority for the coordinator, their teams for a manager."""
    scope = metrics.dashboard_scope(request.user)
    form, choices = _filter_form(request, scope)
    filters = _filters(form)
    board = sections.build_dashboard(scope, filters, choices)
    left, left_total = leavers.leavers_with_open_work(scope)
    chart_specs = {}
    if board.refresh is not None:
        chart_specs = {
            "m1_level": charts.bar_chart(board.tables["m1_level"]),
            "m1_trend": charts.column_chart(board.tables["m1_trend"]),
            "m5_trend": charts.column_chart(board.tables["m5_trend"]),
            "m7": charts.column_chart(board.tables["m7"]),
            "m9": charts.bar_chart(board.tables["m9"]),
            "m9_trend": charts.column_chart(board.tables["m9_trend"]),
            "m2_source": charts.bar_chart(board.tables["m2_source"]),
        }
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "board": board,
            "form": form,
            "charts": chart_specs,
            "query": filters.as_query(),
            "target": metrics.assessment_target_working_days(),
            "stale": metrics.figures_are_stale(board.refresh),
            "can_export_annex_a": metrics.can_export_annex_a(request.user),
            "leavers": left,
            "leavers_total": left_total,
            "feedback_sample": drilldowns.recent_family_feedback(
                request.user, scope, filters, since=board.period_start
            )
            if board.refresh is not None
            else [],
        },
    )


def _csv_response(name: str, lines: Iterable[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_table(request: AuthenticatedHttpRequest, table: str) -> StreamingHttpResponse:
    """One dashboard table as CSV, with the same filters as the page. Counts only."""
    scope = metrics.dashboard_scope(request.user)
    form, choices = _filter_form(request, scope)
    # The CSV lists every agency (the page, those leading the most).
    board = sections.build_dashboard(scope, _filters(form), choices, agency_limit=None)
    found = board.tables.get(table)
    if found is None:
        raise Http404("No such table")
    as_of = board.refresh.as_of.isoformat() if board.refresh else "none"
    return _csv_response(
        f"dashboard-{found.key}-{as_of}.csv", exports.csv_lines(found.columns, found.rows)
    )


def _drilldown_page(
    request: AuthenticatedHttpRequest, kind: str, page: drilldowns.PageRequest
) -> tuple[
    metrics.Scope,
    FilterForm,
    drilldowns.Page[drilldowns.ReviewRow] | None,
    drilldowns.Page[drilldowns.ActionRow] | None,
]:
    """One page of an overdue list, its records logged as shown."""
    if kind not in DRILLDOWNS:
        raise Http404("No such list")
    scope = metrics.dashboard_scope(request.user)
    form, _choices = _filter_form(request, scope)
    filters = _filters(form)
    today = timezone.localdate()
    if kind == "overdue-reviews":
        reviews = drilldowns.overdue_reviews(request.user, scope, filters, today=today, page=page)
        record_records_shown(
            request, drilldowns.shown_in_reviews(reviews.rows), purpose=AccessPurpose.DASHBOARD
        )
        return scope, form, reviews, None
    actions = drilldowns.overdue_actions(request.user, scope, filters, today=today, page=page)
    record_records_shown(
        request, drilldowns.shown_in_actions(actions.rows), purpose=AccessPurpose.DASHBOARD
    )
    return scope, form, None, actions


@login_required
@require_GET
def drilldown(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """The cases or actions behind an overdue figure, each with its "why late", a page
    at a time."""
    page = drilldowns.PageRequest.from_query(request.GET)
    scope, form, reviews, actions = _drilldown_page(request, kind, page)
    shown = reviews or actions
    assert shown is not None  # noqa: S101  (one of the two kinds)
    return render(
        request,
        "dashboards/drilldown.html",
        {
            "kind": kind,
            "title": DRILLDOWNS[kind],
            "scope": scope,
            "form": form,
            "reviews": reviews.rows if reviews else [],
            "actions": actions.rows if actions else [],
            "page": shown,
            "first_page": page.is_first,
            "csv_limit": drilldowns.CSV_LIMIT,
            "query": _filters(form).as_query(),
            "next": request.get_full_path(),
        },
    )


@login_required
@require_GET
def drilldown_csv(request: AuthenticatedHttpRequest, kind: str) -> StreamingHttpResponse:
    """The whole list, most overdue first, up to ``CSV_LIMIT`` rows."""
    _scope, _form, reviews, actions = _drilldown_page(
        request, kind, drilldowns.PageRequest(size=drilldowns.CSV_LIMIT)
    )
    if reviews is not None:
        header = ["Case", "Children", "Level of need", "Lead professional", "Lead's agency",
                  "Review due", "Days overdue", "Why late"]  # fmt: skip
        rows = []
        for r in reviews.rows:
            lead = r.case.lead_assignment
            rows.append(
                [
                    r.case.reference,
                    ", ".join(s.child.full_name for s in r.case.subjects.all()),
                    r.case.current_level.label if r.case.current_level else "",
                    lead.professional.full_name if lead else "",
                    str(lead.agency) if lead and lead.agency else "",
                    r.case.next_review_due.isoformat() if r.case.next_review_due else "",
                    r.days_overdue,
                    r.case.review_late_reason,
                ]
            )
    else:
        assert actions is not None  # noqa: S101  (one of the two kinds)
        header = ["Case", "Children", "Action", "Owner", "Owner agency", "Due",
                  "Days overdue", "Why late"]  # fmt: skip
        rows = [
            [
                a.action.case.reference,
                ", ".join(s.child.full_name for s in a.subjects),
                a.action.description,
                _owner(a.action),
                str(a.action.owner_agency) if a.action.owner_agency else "",
                a.action.due_on.isoformat(),
                a.days_overdue,
                a.action.late_reason,
            ]
            for a in actions.rows
        ]
    stamp = timezone.localdate().isoformat()
    return _csv_response(f"{kind}-{stamp}.csv", exports.csv_lines(header, rows))


def _owner(action: Action) -> str:
    if action.owner_professional is not None:
        return action.owner_professional.full_name
    if action.owner_family_member is not None:
        return action.owner_family_member.full_name
    return action.owner_name


def _after_reason(request: AuthenticatedHttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("cases:my_cases"))


def _safe_next(request: AuthenticatedHttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def review_late_reason(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Say why a case's overdue review is late: the lead, a manager or the coordinator."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.CASE_WORK)
    form = LateReasonForm(
        request.POST or None,
        initial={"reason": case.review_late_reason, "seen": case.review_late_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_review_late_reason(
                case,
                by=request.user,
                reason=form.cleaned_data["reason"],
                seen=seen_on_page(form),
            )
        except StaleEdit as error:
            add_service_errors(form, error)
        except LateReasonError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, f"Saved why the review of {case.reference} is late.")
            return _after_reason(request)
    return render(
        request,
        "dashboards/late_reason.html",
        {
            "form": form,
            "case": case,
            "what": "review",
            "due": case.next_review_due,
            "next": _safe_next(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_late_reason(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Say why an overdue action is late: the lead, a manager or the coordinator."""
    actions = Action.objects.select_related("case", "owner_agency")
    action = get_case_record_for_user(request, actions, pk, purpose=AccessPurpose.PLAN)
    ensure_can_run_case(request.user, action.case)
    form = LateReasonForm(
        request.POST or None, initial={"reason": action.late_reason, "seen": action.late_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_action_late_reason(
                action,
                by=request.user,
                reason=form.cleaned_data["reason"],
                seen=seen_on_page(form),
            )
        except StaleEdit as error:
            add_service_errors(form, error)
        except LateReasonError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, f"Saved why an action on {action.case.reference} is late.")
            return _after_reason(request)
    return render(
        request,
        "dashboards/late_reason.html",
        {
            "form": form,
            "case": action.case,
            "action": action,
            "what": "action",
            "due": action.due_on,
            "next": _safe_next(request),
        },
    )


def _annex_a_user(request: AuthenticatedHttpRequest) -> None:
    if not metrics.can_export_annex_a(request.user):
        raise Http404("No such page")


@login_required
@require_GET
def annex_a(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the six months for the Ofsted Annex A List 2 (early help) extract."""
    _annex_a_user(request)
    form = AnnexAForm(initial={"end": timezone.localdate()})
    return render(request, "dashboards/annex_a.html", {"form": form})


@login_required
@require_GET
def annex_a_export(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The Annex A List 2 CSV. Every child in it is written to the access log."""
    _annex_a_user(request)
    form = AnnexAForm(request.GET)
    if not form.is_valid():
        return render(request, "dashboards/annex_a.html", {"form": form}, status=400)
    window = exports.AnnexAWindow.ending(form.cleaned_data["end"])
    assessments = list(exports.annex_a_assessments(window))
    record_records_shown(
        request, [(a.child_id, a.case_id) for a in assessments], purpose=AccessPurpose.DASHBOARD
    )
    restricted = exports.annex_a_restrictions(assessments)
    rows = (
        exports.annex_a_row(a, window, restricted=restricted.get(a.child_id, set()))
        for a in assessments
    )
    return _csv_response(
        f"annex-a-list-2-{window.start.isoformat()}-to-{window.end.isoformat()}.csv",
        exports.csv_lines(exports.ANNEX_A_COLUMNS, rows),
    )
