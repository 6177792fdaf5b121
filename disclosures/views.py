"""Subject access requests, for information governance: log, search, review, export.

Every page is refused (404) to anyone else (``cases.access``), and every page that shows
a child's records logs them as shown for a subject access request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import ensure_can_handle_subject_access, record_records_shown
from cases.models import AccessPurpose, CaseSubject, Child, FamilyMember
from cases.search import ChildQuery, find_children
from disclosures import services
from disclosures.forms import (
    ExtendForm,
    FindPersonForm,
    LogRequestForm,
    RedactionForm,
    WithdrawForm,
    WithholdForm,
)
from disclosures.models import Disclosure, DisclosureItem, Redaction, SubjectAccessRequest
from tac_portal.forms import add_service_errors

#: At most this many adults are offered for one search.
ADULT_LIMIT = 25


def _get_request(request: AuthenticatedHttpRequest, pk: int) -> SubjectAccessRequest:
    """The request, for information governance only (else 404); a child it is about is
    logged as shown, with each of their cases."""
    ensure_can_handle_subject_access(request.user)
    sar = get_object_or_404(
        SubjectAccessRequest.objects.select_related("child", "family_member", "logged_by"), pk=pk
    )
    if sar.child_id is not None:
        case_ids = CaseSubject.objects.filter(child_id=sar.child_id).values_list(
            "case_id", flat=True
        )
        shown: list[tuple[int, int | None]] = [(sar.child_id, case_id) for case_id in case_ids]
        record_records_shown(
            request, shown or [(sar.child_id, None)], purpose=AccessPurpose.SUBJECT_ACCESS
        )
    return sar


@login_required
@require_GET
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    ensure_can_handle_subject_access(request.user)
    requests = SubjectAccessRequest.objects.select_related("child", "family_member").order_by(
        "status", "received_on", "pk"
    )
    open_requests = [r for r in requests if r.is_open]
    closed = [r for r in requests if not r.is_open]
    record_records_shown(
        request,
        [(r.child_id, None) for r in requests if r.child_id is not None],
        purpose=AccessPurpose.SUBJECT_ACCESS,
    )
    return render(
        request,
        "disclosures/request_list.html",
        {"open_requests": open_requests, "closed": closed, "today": timezone.localdate()},
    )


def _child_label(child: Child) -> str:
    born = child.date_of_birth
    return f"{child.full_name}, born {born.day} {born:%B %Y}" if born else child.full_name


def _people(form: FindPersonForm) -> list[tuple[str, str]]:
    """The people matching a valid search, as (choice value, label)."""
    data = form.cleaned_data
    born = data.get("date_of_birth")
    if data["subject_kind"] == SubjectAccessRequest.SubjectKind.CHILD:
        query = ChildQuery(
            given_names=data.get("given_names", ""),
            family_name=data["family_name"],
            date_of_birth=born,
        )
        return [(f"child:{m.child.pk}", _child_label(m.child)) for m in find_children(query)]
    adults = FamilyMember.objects.filter(family_name__iexact=data["family_name"]).select_related(
        "family"
    )
    if data.get("given_names"):
        adults = adults.filter(given_names__istartswith=data["given_names"].split()[0])
    if born:
        adults = adults.filter(date_of_birth=born)
    return [
        (
            f"adult:{a.pk}",
            f"{a.full_name} ({a.get_relationship_display().lower()}), {a.family}",
        )
        for a in adults.order_by("family_name", "given_names", "pk")[:ADULT_LIMIT]
    ]


def _log_children_shown(request: AuthenticatedHttpRequest, people: list[tuple[str, str]]) -> None:
    record_records_shown(
        request,
        [(int(value.split(":")[1]), None) for value, _ in people if value.startswith("child:")],
        purpose=AccessPurpose.SUBJECT_ACCESS,
    )


def _carried(request: AuthenticatedHttpRequest) -> list[tuple[str, str]]:
    search_fields = ("subject_kind", "given_names", "family_name")
    date_parts = ("date_of_birth_day", "date_of_birth_month", "date_of_birth_year")
    return [(n, request.POST.get(n, "")) for n in (*search_fields, *date_parts)]


@login_required
@require_http_methods(["GET", "POST"])
def find_person(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the person the request is about. The search is posted: no name in a URL."""
    ensure_can_handle_subject_access(request.user)
    form = FindPersonForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "disclosures/find_person.html", {"form": form})
    people = _people(form)
    _log_children_shown(request, people)
    return render(
        request,
        "disclosures/log_request.html",
        {
            "people": people,
            "form": LogRequestForm(people=people),
            "carried": _carried(request),
        },
    )


@login_required
@require_POST
def log_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    ensure_can_handle_subject_access(request.user)
    search = FindPersonForm(request.POST)
    if not search.is_valid():
        return redirect("disclosures:new")
    people = _people(search)
    form = LogRequestForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            sar = services.log_subject_access_request(
                form.subject(),
                by=request.user,
                requester_name=data["requester_name"],
                requester_relationship=data["requester_relationship"],
                received_on=data["received_on"],
                child_consulted=data["child_consulted"],
                child_consulted_note=data["child_consulted_note"],
            )
            return redirect("disclosures:detail", pk=sar.pk)

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            form.add_error(None, error)
    _log_children_shown(request, people)
    return render(
        request,
        "disclosures/log_request.html",
        {"people": people, "form": form, "carried": _carried(request)},
    )


@login_required
@require_GET
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sar = _get_request(request, pk)
    return render(
        request,
        "disclosures/request_detail.html",
        {
            "sar": sar,
            "today": timezone.localdate(),
            "events": sar.events.select_related("actor"),
            "disclosures": sar.disclosures.select_related("requested_by").defer("package"),
            "item_count": sar.items.filter(still_held=True).count(),
        },
    )


def _change_with_reason(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: type[forms.Form],
    change: Callable[..., object],
    template: str,
) -> HttpResponse:
    """A change to the request that asks why (extend the deadline, or withdraw it), made
    against the version of the request the officer saw."""
    sar = _get_request(request, pk)
    form = form_class(request.POST or None, initial={"version": sar.version})
    if request.method == "POST" and form.is_valid():
        try:
            change(
                sar,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            return redirect("disclosures:detail", pk=sar.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, template, {"sar": sar, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def extend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _change_with_reason(
        request, pk, ExtendForm, services.extend_deadline, "disclosures/extend.html"
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _change_with_reason(
        request, pk, WithdrawForm, services.withdraw_request, "disclosures/withdraw.html"
    )


@login_required
@require_POST
def search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sar = _get_request(request, pk)
    try:
        services.search_for_subject(sar, by=request.user)
    except ValidationError as error:
        return render(
            request, "disclosures/refused.html", {"sar": sar, "message": error.messages[0]}
        )
    return redirect("disclosures:review", pk=sar.pk)


def _log_children_of_cases(request: AuthenticatedHttpRequest, sar: SubjectAccessRequest) -> None:
    """An adult's records name the children of their family's cases: logged as shown."""
    if sar.family_member_id is None:
        return
    subject = services.subject_of(sar)
    shown = CaseSubject.objects.filter(case_id__in=subject.case_ids).values_list(
        "child_id", "case_id"
    )
    record_records_shown(request, list(shown), purpose=AccessPurpose.SUBJECT_ACCESS)


@login_required
@require_GET
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every record found, with what is flagged for redaction and the decisions made."""
    sar = _get_request(request, pk)
    items = list(
        sar.items.filter(still_held=True)
        .prefetch_related("redactions__decided_by")
        .order_by("position", "pk")
    )
    _log_children_of_cases(request, sar)
    rows: list[dict[str, Any]] = []
    for item in items:
        redactions = list(item.redactions.all())
        rows.append(
            {
                "item": item,
                "fields": [
                    (label, services.redact(text, redactions)) for label, text in item.fields
                ],
                "redactions": redactions,
            }
        )
    flagged = sum(len(r["redactions"]) for r in rows)
    return render(
        request,
        "disclosures/review.html",
        {"sar": sar, "rows": rows, "flagged": flagged},
    )


def _redaction(request: AuthenticatedHttpRequest, pk: int) -> Redaction:
    ensure_can_handle_subject_access(request.user)
    return get_object_or_404(Redaction.objects.select_related("item__request"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def redaction(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Redact or disclose one flagged piece of text, with the reason."""
    flagged = _redaction(request, pk)
    sar = _get_request(request, flagged.item.request_id)
    form = RedactionForm(
        request.POST or None,
        initial={"version": flagged.version, "redacted": "yes" if flagged.redacted else "no"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_redaction(
                flagged,
                by=request.user,
                redacted=form.cleaned_data["redacted"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            return redirect(
                reverse("disclosures:review", args=[sar.pk]) + f"#item-{flagged.item_id}"
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request, "disclosures/redaction.html", {"sar": sar, "redaction": flagged, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def withhold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Include a record in the package, or withhold it under an exemption."""
    ensure_can_handle_subject_access(request.user)
    item = get_object_or_404(DisclosureItem, pk=pk)
    sar = _get_request(request, item.request_id)
    form = WithholdForm(
        request.POST or None,
        initial={
            "version": item.version,
            "withheld": "yes" if item.withheld else "no",
            "reason": item.withheld_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.withhold_item(
                item,
                by=request.user,
                withheld=form.cleaned_data["withheld"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
            return redirect(reverse("disclosures:review", args=[sar.pk]) + f"#item-{item.pk}")
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "disclosures/withhold.html", {"sar": sar, "item": item, "form": form})


@login_required
@require_POST
def export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    sar = _get_request(request, pk)
    try:
        disclosure = services.start_disclosure(sar, by=request.user)
    except ValidationError as error:
        return render(
            request, "disclosures/refused.html", {"sar": sar, "message": error.messages[0]}
        )
    return redirect("disclosures:export_status", pk=disclosure.pk)


def _disclosure(request: AuthenticatedHttpRequest, pk: int, *, with_package: bool) -> Disclosure:
    ensure_can_handle_subject_access(request.user)
    disclosures = Disclosure.objects.select_related("request", "requested_by")
    if not with_package:
        disclosures = disclosures.defer("package")
    return get_object_or_404(disclosures, pk=pk)


@login_required
@require_GET
def export_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The export's progress; the page reloads itself until the package is ready."""
    disclosure = _disclosure(request, pk, with_package=False)
    sar = _get_request(request, disclosure.request_id)
    running = disclosure.status in (Disclosure.Status.QUEUED, Disclosure.Status.BUILDING)
    return render(
        request,
        "disclosures/export_status.html",
        {"sar": sar, "disclosure": disclosure, "running": running},
    )


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The package, as an attachment; each download is a step on the request."""
    disclosure = _disclosure(request, pk, with_package=True)
    if disclosure.status != Disclosure.Status.READY or disclosure.package is None:
        raise Http404("No package")
    sar = _get_request(request, disclosure.request_id)
    services.record_download(disclosure, by=request.user)
    response = HttpResponse(bytes(disclosure.package), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{sar.reference}.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
