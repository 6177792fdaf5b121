"""Practitioner journeys: find a child, add one, start early help, triage, consent,
disclosure decisions and safeguarding concerns. Thin views over ``cases.services``."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.models import Agency, User
from agencies.submissions import answer_if_submitted, submit_once
from cases.access import (
    can_see_case,
    can_triage,
    can_work_on_cases,
    get_case_for_user,
    record_records_shown,
    requests_visible_to,
)
from cases.forms.journeys import (
    ChildSearchForm,
    ConcernForm,
    ConsentForm,
    DisclosureForm,
    NewChildForm,
    NextStep,
    TriageForm,
    WithdrawConsentForm,
)
from cases.masking import is_field_restricted, restricted_fields
from cases.models import (
    AccessPurpose,
    Case,
    CaseSubject,
    Child,
    ConsentRecord,
    FamilyMember,
    RequestForSupport,
    RestrictionTarget,
    SafeguardingConcern,
)
from cases.search import (
    ChildQuery,
    SearchOutcome,
    find_children,
    known_to_early_help,
    resolve_for_user,
)
from cases.services import children as children_services
from cases.services.children import NewChild
from cases.services.common import ChildAlreadyInOpenCase
from cases.services.consent import (
    raise_safeguarding_concern,
    record_consent,
    record_disclosure_decision,
    withdraw_consent,
)
from cases.services.lifecycle import start_case_for_child
from cases.services.requests import (
    log_request_for_support,
    submit_request_for_support,
    triage_request,
)
from cases.views.team import offer_to_join
from tac_portal.forms import add_service_errors

security_log = logging.getLogger("tac.security")

TRIAGE_PAGE_SIZE = 50
SEARCH_FIELDS = (
    "given_names",
    "family_name",
    "date_of_birth_day",
    "date_of_birth_month",
    "date_of_birth_year",
    "postcode",
    "nhs_number",
)


def _not_administrator(user: User) -> None:
    # Administrators configure the service; case work is not theirs.
    if not can_work_on_cases(user):
        raise Http404("Not found")


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its fields where it names them, and a
    stale edit beside what the record says now (``tac_portal.forms.add_service_errors``)."""
    add_service_errors(form, error)


def search_children(request: AuthenticatedHttpRequest, query: ChildQuery) -> SearchOutcome:
    """Run the matching, log what was shown and that a search happened (ids only).

    Every page that shows the duplicate check's matches runs it through here.
    """
    outcome = resolve_for_user(request.user, find_children(query))
    restricted = restricted_fields(RestrictionTarget.CHILD, [r.child.pk for r in outcome.visible])
    outcome.restricted_addresses = frozenset(
        pk for pk, fields in restricted.items() if is_field_restricted(fields, "postcode")
    )
    record_records_shown(request, outcome.shown, purpose=AccessPurpose.SEARCH)
    offer_to_join(request, outcome.known_elsewhere)
    security_log.info(
        "child search",
        extra={
            "user_id": request.user.pk,
            "route": request.resolver_match.view_name if request.resolver_match else "",
            "criteria": ",".join(query.kinds),
            "shown": len(outcome.visible),
            "known_elsewhere": len(outcome.known_elsewhere),
            "not_shown": outcome.hidden,
        },
    )
    return outcome


def _query_from(cleaned: dict[str, Any]) -> ChildQuery:
    return ChildQuery(
        given_names=cleaned.get("given_names", "").strip(),
        family_name=cleaned.get("family_name", "").strip(),
        date_of_birth=cleaned.get("date_of_birth"),
        postcode=cleaned.get("postcode", ""),
        nhs_number=cleaned.get("nhs_number", ""),
    )


# --- Find a child ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def find_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search by name (typo and sound-alike tolerant), date of birth, postcode, NHS number."""
    _not_administrator(request.user)
    form = ChildSearchForm(request.POST if request.method == "POST" else None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = search_children(request, _query_from(form.cleaned_data))
    # What was typed goes on to "Add a new child" in the body, never in a URL.
    carried = [(name, request.POST.get(name, "")) for name in SEARCH_FIELDS]
    return render(
        request,
        "cases/find_child.html",
        {"form": form, "outcome": outcome, "carried": carried},
    )


# --- Add a child (always after the same matching) ---------------------------------------


def match_signature(outcome: SearchOutcome) -> str:
    ids = sorted(r.child.pk for r in outcome.visible)
    text = f"{ids}|{len(outcome.known_elsewhere)}|{outcome.hidden}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@login_required
@require_http_methods(["GET", "POST"])
def add_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a child, then start early help or send a request for support.

    The details are matched against existing children first. Likely matches are
    shown; adding anyway needs the practitioner to confirm they looked and say why.
    """
    _not_administrator(request.user)
    if request.method == "GET" or request.POST.get("from_search"):
        initial = {}
        if request.method == "POST":
            search = ChildSearchForm(request.POST)
            if search.is_valid():
                initial = {
                    k: v
                    for k, v in search.cleaned_data.items()
                    if k in {"given_names", "family_name", "date_of_birth", "postcode"} and v
                }
                initial["nhs_number"] = search.cleaned_data.get("nhs_number", "")
        form = NewChildForm(initial=initial, triage=can_triage(request.user))
        return render(request, "cases/add_child.html", {"form": form, "outcome": None})

    form = NewChildForm(request.POST, triage=can_triage(request.user))
    outcome = None
    if form.is_valid():
        token = form.cleaned_data["submission_token"]
        if (earlier := answer_if_submitted(request, token)) is not None:
            return earlier
        outcome = search_children(request, _query_from(form.cleaned_data))
        has_matches = bool(outcome.visible or outcome.known_elsewhere or outcome.hidden)
        signature = match_signature(outcome) if has_matches else ""
        if has_matches and request.POST.get("seen_matches") != signature:
            # First time these matches are shown: ask the practitioner to look at them.
            return render(
                request,
                "cases/add_child.html",
                {"form": form, "outcome": outcome, "signature": signature, "warn": True},
            )
        if has_matches:
            form = NewChildForm(
                request.POST, possible_matches=True, triage=can_triage(request.user)
            )
            form.is_valid()
        if form.is_valid():
            data = form.cleaned_data
            details = NewChild(
                given_names=data["given_names"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                sex=data["sex"],
                postcode=data["postcode"],
                address=data["address"],
                nhs_number=data["nhs_number"],
                carer_given_names=data["carer_given_names"],
                carer_family_name=data["carer_family_name"],
                carer_relationship=data["carer_relationship"],
                carer_parental_responsibility=data["carer_parental_responsibility"]
                or FamilyMember.ParentalResponsibility.UNKNOWN,
            )
            try:
                target = submit_once(
                    request,
                    token,
                    lambda: _add_and_continue(request, details, data, outcome),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return target
        return render(
            request,
            "cases/add_child.html",
            {"form": form, "outcome": outcome, "signature": signature, "warn": False},
        )
    return render(request, "cases/add_child.html", {"form": form, "outcome": outcome})


def _add_and_continue(
    request: AuthenticatedHttpRequest,
    details: NewChild,
    data: dict[str, Any],
    outcome: SearchOutcome,
) -> HttpResponse:
    with transaction.atomic():
        child = children_services.add_child(
            details,
            by=request.user,
            possible_matches=outcome.matched_ids,
            reason=data.get("duplicate_reason", "") if _has_matches(outcome) else "",
        )
        if data["next_step"] == NextStep.START_CASE:
            case = start_case_for_child([child], by=request.user)
            messages.success(request, f"Case {case.reference} started. You are the interim lead.")
            return redirect("cases:detail", pk=case.pk)
        if data["next_step"] == NextStep.LOG_REQUEST:
            logged = log_request_for_support(
                logged_by=request.user,
                requester_name=data["requester_name"],
                requester_agency=data["requester_agency"],
                source_code=data["source_code"],
                summary_of_need=data["summary_of_need"],
                subjects=[child],
                family_aware=data["family_aware"],
                consent_obtained=data["consent_obtained"],
            )
            messages.success(request, "Request logged. Triage it now, or later from the queue.")
            return redirect("cases:triage", pk=logged.pk)
        support = submit_request_for_support(
            by=request.user,
            source_code=data["source_code"],
            summary_of_need=data["summary_of_need"],
            subjects=[child],
            family=child.family,
            family_aware=data["family_aware"],
            consent_obtained=data["consent_obtained"],
        )
    return redirect("cases:request_sent", pk=support.pk)


def _has_matches(outcome: SearchOutcome) -> bool:
    return bool(outcome.visible or outcome.known_elsewhere or outcome.hidden)


@login_required
@require_POST
def start_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start early help for a child the practitioner can see who has no open case."""
    _not_administrator(request.user)
    visible = Case.objects.visible_to(request.user).values("pk")
    child_id = request.POST.get("child", "")
    subject = (
        CaseSubject.objects.filter(child_id=int(child_id), case__in=visible)
        .select_related("child__family")
        .first()
        if child_id.isdecimal()
        else None
    )
    if subject is None:
        raise Http404("No child found")
    try:
        case = start_case_for_child([subject.child], by=request.user)
    except ChildAlreadyInOpenCase as error:
        if can_see_case(request.user, error.existing):
            messages.info(request, "This child already has an open case.")
            return redirect("cases:detail", pk=error.existing.pk)
        # Never name a case the user cannot see: say who to contact instead.
        messages.info(request, known_to_early_help(error.existing))
        return redirect("cases:find_child")
    messages.success(request, f"Case {case.reference} started. You are the interim lead.")
    return redirect("cases:detail", pk=case.pk)


# --- Requests for support and triage -----------------------------------------------------


def _request_for(request: AuthenticatedHttpRequest, pk: int) -> RequestForSupport:
    """A request its requester, or anyone who triages, may see; others get a 404.

    The children it names are logged as shown.
    """
    queryset = (
        requests_visible_to(request.user)
        .select_related(
            "requester__agency",
            "requester_agency",
            "triaged_by",
            "level_of_need_at_triage",
            "case",
            "family",
        )
        .prefetch_related("subjects")
    )
    try:
        support = queryset.get(pk=pk)
    except RequestForSupport.DoesNotExist:
        raise Http404("No request found") from None
    record_records_shown(
        request,
        [(c.pk, support.case_id) for c in support.subjects.all()],
        purpose=AccessPurpose.REQUEST,
    )
    return support


@login_required
def request_sent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    support = _request_for(request, pk)
    return render(request, "cases/request_sent.html", {"support": support})


@login_required
def triage_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Requests waiting for the hub's decision, oldest first (coordinators and managers)."""
    if not can_triage(request.user):
        raise Http404("Not found")
    waiting = list(
        RequestForSupport.objects.filter(status=RequestForSupport.Status.RECEIVED)
        .select_related("requester__agency", "requester_agency", "family", "existing_case")
        .prefetch_related(Prefetch("subjects", queryset=Child.objects.order_by("pk")))
        .order_by("received_at", "pk")[:TRIAGE_PAGE_SIZE]
    )
    record_records_shown(
        request,
        [(c.pk, None) for r in waiting for c in r.subjects.all()],
        purpose=AccessPurpose.REQUEST,
    )
    return render(
        request,
        "cases/triage_queue.html",
        {"waiting": waiting, "truncated": len(waiting) == TRIAGE_PAGE_SIZE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def triage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not can_triage(request.user):
        raise Http404("Not found")
    support = _request_for(request, pk)
    form = TriageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            triaged = triage_request(
                support,
                by=request.user,
                decision=form.cleaned_data["decision"],
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
                lead=form.cleaned_data["lead"],
                family_preference=form.cleaned_data["family_preference"],
            )
            messages.success(request, f"Request triaged: {triaged.get_triage_decision_display()}")
            if triaged.case_id:
                return redirect("cases:detail", pk=triaged.case_id)
            return redirect("cases:triage_queue")

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "cases/triage.html", {"support": support, "form": form})


# --- Consent and sharing ----------------------------------------------------------------


def _case_for_work(request: AuthenticatedHttpRequest, pk: int) -> Case:
    _not_administrator(request.user)
    return get_case_for_user(request, pk, purpose=AccessPurpose.CASE_WORK)


def _consent_form(case: Case, data: Any = None) -> ConsentForm:
    members = list(FamilyMember.objects.filter(family=case.family).order_by("pk"))
    subjects = list(Child.objects.filter(case_subjects__case=case).order_by("pk"))
    agencies = list(
        Agency.objects.filter(
            professionals__tac_memberships__case=case,
            professionals__tac_memberships__left_at__isnull=True,
        )
        .distinct()
        .order_by("name")
    )
    return ConsentForm(data, case=case, members=members, subjects=subjects, agencies=agencies)


@login_required
@require_http_methods(["GET", "POST"])
def consent_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the family's agreement to early help or an assessment, or a sharing preference."""
    case = _case_for_work(request, pk)
    form = _consent_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given_by, given_by_child = data["given_by"]

        def create() -> HttpResponse:
            record_consent(
                case,
                by=request.user,
                kind=data["kind"],
                given_by=given_by,
                given_by_child=given_by_child,
                subject_children=data["subject_children"],
                capacity_basis=data["capacity_basis"],
                capacity_note=data["capacity_note"],
                method=data["method"],
                given_at=_at_noon(data["given_on"]),
                information_level=data["information_level"],
                agencies_allowed=list(data["agencies_allowed"]),
                agencies_excluded=list(data["agencies_excluded"]),
            )
            messages.success(request, "Recorded")
            return redirect(f"{reverse('cases:detail', args=[case.pk])}#family")

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "cases/consent_form.html", {"case": case, "form": form})


def _at_noon(day: Any) -> datetime:
    """A date the family gave something on, as a time no later than now."""
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    return min(moment, timezone.now())


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = _case_for_work(request, pk)
    try:
        consent = ConsentRecord.objects.select_related("given_by", "given_by_child").get(
            pk=consent_pk, case=case
        )
    except ConsentRecord.DoesNotExist:
        raise Http404("Not found") from None
    form = WithdrawConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_consent(consent, by=request.user, note=form.cleaned_data["withdrawal_note"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{consent.get_kind_display()} withdrawn")
            return redirect(f"{reverse('cases:detail', args=[case.pk])}#family")
    return render(
        request, "cases/consent_withdraw.html", {"case": case, "consent": consent, "form": form}
    )


# --- Disclosure decisions ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def disclosures(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The case's log of decisions to share or not to share, and a form to add one."""
    case = _case_for_work(request, pk)
    form = DisclosureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            record_disclosure_decision(
                case,
                by=request.user,
                decision=data["decision"],
                recipient=data["recipient"],
                information=data["information"],
                purpose=data["purpose"],
                reason=data["reason"],
                lawful_basis=data["lawful_basis"],
                with_consent=data["with_consent"],
                decided_at=_at_noon(data["decided_on"]),
            )
            messages.success(request, "Disclosure decision recorded")
            return redirect("cases:disclosures", pk=case.pk)

        try:
            return submit_once(request, data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    decisions = case.disclosures.select_related("decided_by__agency")
    return render(
        request,
        "cases/disclosures.html",
        {"case": case, "form": form, "decisions": decisions},
    )


# --- Safeguarding concerns ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def raise_concern(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask what was seen or heard, then record the concern and show the MASH contact.

    Nothing is recorded until the professional has said what they saw or heard; it
    never waits on any other step. Linked from the case page, meeting mode, the
    assessment and reviews.
    """
    case = _case_for_work(request, pk)
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        words = form.cleaned_data["what_was_seen_or_heard"]

        def record() -> HttpResponse:
            raised = raise_safeguarding_concern(case, by=request.user, what_was_seen_or_heard=words)
            return redirect("cases:concern", pk=case.pk, concern_pk=raised.pk)

        try:
            return submit_once(request, form.cleaned_data["submission_token"], record)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "cases/raise_concern.html",
        {"case": case, "form": form, "mash_contact": settings.TAC_MASH_CONTACT},
    )


@login_required
def concern(request: AuthenticatedHttpRequest, pk: int, concern_pk: int) -> HttpResponse:
    case = _case_for_work(request, pk)
    try:
        raised = SafeguardingConcern.objects.select_related("raised_by").get(
            pk=concern_pk, case=case
        )
    except SafeguardingConcern.DoesNotExist:
        raise Http404("Not found") from None
    return render(request, "cases/concern.html", {"case": case, "concern": raised})
