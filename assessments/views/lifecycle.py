"""An assessment's life: starting it, consent, moving it on, and the family's copy."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from assessments.definition import Definition
from assessments.forms import (
    CHILD_CHOICE,
    ConsentForm,
    EscalationForm,
    FamilyCopyForm,
    ReasonForm,
    StartForm,
)
from assessments.models import Assessment
from assessments.services import consent as consent_services
from assessments.services.common import can_start
from assessments.services.content import (
    parents_and_carers,
)
from assessments.services.lifecycle import (
    abandon_assessment,
    begin_assessment,
    complete_assessment,
    escalate_safeguarding,
    mark_awaiting_consent,
    record_family_copy_given,
    resume_after_escalation,
    revise_assessment,
    share_with_family,
)
from assessments.services.starting import start_assessment
from assessments.views.common import messages_of, open_assessment
from assessments.views.overview import render_detail
from assessments.views.sections import render_section
from cases.access import get_case_for_user
from cases.models import AccessPurpose, CaseSubject, Child
from tac_portal.forms import ErrorSummary, add_service_errors, seen_on_page


@login_required
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest, case_pk: int, child_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk, purpose=AccessPurpose.ASSESSMENT)
    subject = CaseSubject.objects.filter(case=case, child_id=child_pk).select_related("child")
    found = subject.first()
    if found is None:
        raise Http404("No such child in this case")
    child: Child = found.child
    if not can_start(request.user, case):
        raise PermissionDenied("Only the lead professional or a TAC member can start one.")
    siblings = list(
        Assessment.objects.filter(case=case)
        .exclude(child=child)
        .exclude(status=Assessment.Status.ABANDONED)
        .select_related("child")
        .order_by("child_id", "-started_at")
    )
    form = StartForm(request.POST or None, siblings=siblings)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            assessment = start_assessment(
                case, child=child, by=request.user, copy_from=form.chosen_sibling()
            )
            messages.success(request, "Assessment started.")
            return redirect("assessments:detail", assessment.pk)

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            errors = messages_of(error)
    return render(
        request,
        "assessments/start.html",
        {
            "case": case,
            "child": child,
            "form": form,
            "errors": ErrorSummary.linking("id_copy_from", errors),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def record_consent(request: AuthenticatedHttpRequest, pk: int, stage: str) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=True)
    if stage not in ("start", "completion"):
        raise Http404("No such consent statement")
    consent_section = Definition(assessment.template.definition).section_of_kind("consent")
    if consent_section is None:
        raise Http404("No such section")
    members = parents_and_carers(assessment)
    forms = {
        s: ConsentForm(
            request.POST if s == stage else None,
            members=members,
            child_name=assessment.child.full_name,
            prefix=s,
            initial={"given_on": timezone.localdate(), "information_level": "additional"},
        )
        for s in ("start", "completion")
    }
    form = forms[stage]
    if form.is_valid():
        try:
            consent_services.record_consent(
                assessment,
                stage=stage,
                given_by=form.giver(),
                given_by_child=form.cleaned_data["given_by"] == CHILD_CHOICE,
                method=form.cleaned_data["method"],
                capacity_basis=form.cleaned_data["capacity_basis"],
                given_on=form.cleaned_data["given_on"],
                information_level=form.cleaned_data["information_level"] or "basic",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("assessments:section", assessment.pk, consent_section["key"])
    return render_section(
        request, assessment, consent_section["key"], override={"consent": forms}, status=400
    )


def _transition(
    request: AuthenticatedHttpRequest,
    pk: int,
    step: Callable[[Assessment], Assessment],
    done: str,
    *,
    edit: bool = True,
) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=edit)
    try:
        result = step(assessment)
    except ValidationError as error:
        assessment.refresh_from_db()
        return render_detail(request, assessment, errors=messages_of(error))
    messages.success(request, done)
    return redirect("assessments:detail", result.pk)


def _step_view(
    step: Callable[..., Assessment], done: str
) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
    """A page that takes one lifecycle step (a service called with ``by=``) and says so."""

    @login_required
    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        return _transition(request, pk, lambda a: step(a, by=request.user), done)

    return view


awaiting_consent = _step_view(mark_awaiting_consent, "Marked as waiting for the family's consent.")
begin = _step_view(begin_assessment, "Assessment in progress.")
share = _step_view(share_with_family, "Recorded that the draft was shared with the family.")
complete = _step_view(complete_assessment, "Assessment completed. It can no longer be changed.")
resume = _step_view(resume_after_escalation, "Assessment resumed.")
revise = _step_view(
    revise_assessment, "New version started. The completed one is kept until this one is completed."
)


@login_required
@require_POST
def abandon(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render_detail(request, assessment, forms={"reason": form})
    return _transition(
        request,
        pk,
        lambda a: abandon_assessment(a, reason=form.cleaned_data["reason"], by=request.user),
        "Assessment stopped.",
    )


@login_required
@require_POST
def escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = EscalationForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _transition(
        request,
        pk,
        lambda a: escalate_safeguarding(a, note=note, by=request.user),
        "Safeguarding concern recorded. Follow your local safeguarding procedures now.",
        edit=False,
    )


@login_required
@require_POST
def family_copy_given(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = open_assessment(request, pk, edit=True)
    form = FamilyCopyForm(request.POST)
    if form.is_valid():
        try:
            record_family_copy_given(
                assessment,
                given_on=form.cleaned_data["given_on"],
                by=request.user,
                seen=seen_on_page(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recorded the date the family was given its copy.")
            return redirect("assessments:detail", assessment.pk)
    return render_detail(request, assessment, forms={"family_copy": form})
