"""Retention pages for information governance: records due for disposal, the disposal
register, and legal holds. They name cases by reference and records by number, never
a child, so they show nothing that the access log would record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import ensure_can_see_retention
from retention import services
from retention.classes import record_class, record_classes
from retention.forms import ConfirmDisposalForm, LiftLegalHoldForm, PlaceLegalHoldForm
from retention.models import DisposalItem, LegalHold
from tac_portal.forms import add_service_errors

PAGE_SIZE = 50


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The records due for disposal, oldest due first, each marked if a hold covers it."""
    ensure_can_see_retention(request.user)
    holds = services.active_holds()
    page = Paginator(DisposalItem.objects.due().order_by("due_on", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for item in page.object_list:
        record_class_ = record_class(item.record_class)
        held = record_class_ is not None and record_class_.is_held(item.record_key, holds)
        rows.append((item, record_class_, held))
    return render(
        request,
        "retention/index.html",
        {
            "page": page,
            "rows": rows,
            "classes": record_classes(),
            "active_holds": LegalHold.objects.active().count(),
        },
    )


@login_required
@require_GET
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The disposal register: every confirmed disposal (the tombstones), newest first."""
    ensure_can_see_retention(request.user)
    items = (
        DisposalItem.objects.disposed()
        .select_related("confirmed_by")
        .order_by("-disposed_at", "-id")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "retention/register.html", {"page": page})


def _review(
    request: AuthenticatedHttpRequest, item: DisposalItem, form: ConfirmDisposalForm
) -> HttpResponse:
    record_class_ = record_class(item.record_class)
    holds = services.active_holds()
    held = record_class_ is not None and record_class_.is_held(item.record_key, holds)
    return render(
        request,
        "retention/item.html",
        {"item": item, "record_class": record_class_, "held": held, "form": form},
    )


@login_required
@require_GET
def item(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One record due for disposal: what it is, its schedule, and the confirmation."""
    ensure_can_see_retention(request.user)
    found = get_object_or_404(DisposalItem.objects.select_related("confirmed_by"), pk=pk)
    return _review(request, found, ConfirmDisposalForm(initial={"version": found.version}))


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm one record's disposal: it is destroyed or anonymised now."""
    ensure_can_see_retention(request.user)
    found = get_object_or_404(DisposalItem, pk=pk)
    form = ConfirmDisposalForm(request.POST)
    if form.is_valid():
        try:
            done = services.confirm_disposal(
                found, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if done.status == DisposalItem.Status.WITHDRAWN:
                messages.info(request, services.MSG_NOT_DUE)
            else:
                messages.success(request, f"{done.label}: {done.get_disposal_display().lower()}.")
            return redirect("retention:index")
        found.refresh_from_db()
    return _review(request, found, form)


@login_required
@require_GET
def holds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Legal holds: those in force, then those lifted."""
    ensure_can_see_retention(request.user)
    all_holds = LegalHold.objects.select_related("case", "placed_by", "lifted_by").order_by(
        "-placed_at", "-id"
    )
    page = Paginator(all_holds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "retention/holds.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def place_hold(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Place a legal hold on a case, or on its children, found by the case reference."""
    ensure_can_see_retention(request.user)
    form = PlaceLegalHoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            placed = services.place_legal_hold(
                data["reference"],
                by=request.user,
                reason=data["reason"],
                on_children=data["scope"] == "children",
            )
            what = "hold" if len(placed) == 1 else f"{len(placed)} holds"
            messages.success(request, f"Legal {what} placed on {data['reference'].reference}.")
            return redirect("retention:holds")

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "retention/place_hold.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def lift_hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Lift a legal hold, with the reason."""
    ensure_can_see_retention(request.user)
    hold = get_object_or_404(LegalHold.objects.select_related("case", "placed_by"), pk=pk)
    form = LiftLegalHoldForm(
        request.POST if request.method == "POST" else None, initial={"version": hold.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_legal_hold(
                hold,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Legal hold lifted.")
            return redirect("retention:holds")
    return render(request, "retention/lift_hold.html", {"hold": hold, "form": form})
