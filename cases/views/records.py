"""A child's record over its life: an unborn child recorded against the expectant
mother, the birth recorded on the same record, and two records of one child merged (or
the merge undone). Thin views over ``cases.services.unborn`` and ``cases.services.merging``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import submit_once
from cases.access import can_merge_children, get_case_to_keep_details
from cases.forms.people import (
    BirthForm,
    MergeForm,
    NewHouseholdUnbornForm,
    UnbornChildForm,
    UndoMergeForm,
)
from cases.models import AccessPurpose, Case, Child, ChildMerge, FamilyMember
from cases.search import ChildQuery, children_visible_to
from cases.services.lifecycle import start_case_for_child
from cases.services.merging import merge_children, undo_merge, undoable_merges
from cases.services.unborn import (
    NewUnbornChild,
    add_unborn_child,
    add_unborn_child_to_case,
    record_birth,
)
from cases.views.journeys import _apply_errors, _not_administrator, search_children
from cases.views.people import _case_url, _subject_child, follows_merged_records


def _details(form: UnbornChildForm, case: Case | None = None) -> NewUnbornChild:
    data = form.cleaned_data
    return NewUnbornChild(
        expected_date_of_delivery=data["expected_date_of_delivery"],
        mother_given_names=data.get("mother_given_names", ""),
        mother_family_name=data.get("mother_family_name", ""),
        mother_date_of_birth=data.get("mother_date_of_birth"),
        address=data.get("address", "") if case is None else case.family.address,
        postcode=data.get("postcode", "") if case is None else case.family.postcode,
        another_baby=data.get("another_baby", False),
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_unborn(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Record an unborn child against the expectant mother, and start early help with the
    practitioner as interim lead."""
    _not_administrator(request.user)
    form = NewHouseholdUnbornForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            child = add_unborn_child(_details(form), by=request.user)
            case = start_case_for_child([child], by=request.user)
            messages.success(request, f"Case {case.reference} started. You are the interim lead.")
            return redirect("cases:detail", pk=case.pk)

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "cases/people/add_unborn.html", {"form": form, "case": None})


@login_required
@require_http_methods(["GET", "POST"])
def add_unborn_to_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An unborn brother or sister joins the case, recorded against the expectant mother."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    if not case.is_open:
        raise PermissionDenied("A child can be added only to an open case.")
    adults = list(
        FamilyMember.objects.filter(family_id=case.family_id).order_by("created_at", "pk")
    )
    form = UnbornChildForm(request.POST if request.method == "POST" else None, adults=adults)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            child = add_unborn_child_to_case(
                case, _details(form, case), mother=form.chosen_mother(), by=request.user
            )
            messages.success(request, "The unborn child was added to this case.")
            return redirect(_case_url(case, f"child-{child.pk}"))

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "cases/people/add_unborn.html", {"form": form, "case": case})


@login_required
@require_http_methods(["GET", "POST"])
@follows_merged_records
def birth(request: AuthenticatedHttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """Record the birth: the unborn child's record becomes the child's."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    child = _subject_child(case, child_pk)
    if not child.is_unborn:
        messages.info(request, "This child's birth has already been recorded.")
        return redirect(_case_url(case, f"child-{child.pk}"))
    if request.method == "POST":
        form = BirthForm(request.POST)
    else:
        form = BirthForm(
            initial={"version": child.version, "family_name": child.family_name, "sex": ""}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_birth(
                child,
                case=case,
                date_of_birth=data["date_of_birth"],
                given_names=data["given_names"],
                family_name=data["family_name"],
                sex=data["sex"],
                expected_version=data["version"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"The birth of {child.full_name} was recorded.")
            return redirect(_case_url(case, f"child-{child.pk}"))
    return render(
        request, "cases/people/record_birth.html", {"case": case, "child": child, "form": form}
    )


# --- Merging two records of one child ---------------------------------------------------


def _candidates(request: AuthenticatedHttpRequest, child: Child) -> list[Child]:
    """Records the duplicate check finds for this child that the manager may merge."""
    outcome = search_children(
        request,
        ChildQuery(
            given_names=child.given_names,
            family_name=child.family_name,
            date_of_birth=child.date_of_birth,
            nhs_number=child.nhs_number,
        ),
    )
    found = [r.child for r in outcome.visible if r.child.pk != child.pk]
    ids = children_visible_to(request.user, [c.pk for c in found])
    return [
        c
        for c in found
        if c.pk in ids
        and c.merged_into_id is None
        and can_merge_children(request.user, [child.pk, c.pk])
    ]


@login_required
@require_http_methods(["GET", "POST"])
@follows_merged_records
def merge(request: AuthenticatedHttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """A manager merges this child's record with another record of the same child."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    child = _subject_child(case, child_pk)
    if not can_merge_children(request.user, [child.pk]):
        raise PermissionDenied("Only a team manager or the coordinator can merge records.")
    candidates = _candidates(request, child)
    if request.method == "POST":
        form = MergeForm(request.POST, candidates=candidates)
    else:
        initial = {"version": child.version, "other": request.GET.get("other", "")}
        form = MergeForm(initial=initial, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        other = form.chosen()
        keep_this = form.cleaned_data["keep"] == "this"
        kept, merged = (child, other) if keep_this else (other, child)
        try:
            if form.cleaned_data["version"] != child.version:
                raise ValidationError(
                    "This child's record changed while you were looking at it. "
                    "Check the records again."
                )
            merge_children(
                kept=kept, merged=merged, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The two records are now one.")
            return redirect(_case_url(case, f"child-{kept.pk}"))
    return render(
        request,
        "cases/people/merge.html",
        {
            "case": case,
            "child": child,
            "form": form,
            "candidates": candidates,
            "undo_days": settings.TAC_MERGE_UNDO_DAYS,
        },
    )


@login_required
@require_POST
def merge_undo(request: AuthenticatedHttpRequest, pk: int, merge_pk: int) -> HttpResponse:
    """Undo a merge into one of this case's children, within the window."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    found = ChildMerge.objects.filter(pk=merge_pk, kept__case_subjects__case=case).first()
    if found is None:
        raise Http404("No merge found")
    if not can_merge_children(request.user, [found.kept_id]):
        raise PermissionDenied("Only a team manager or the coordinator can undo a merge.")
    form = UndoMergeForm(request.POST)
    if form.is_valid():
        try:
            undo_merge(
                found,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "The merge was undone: the two records are apart again.")
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect(_case_url(case, f"child-{found.kept_id}"))


def undo_forms(child: Child) -> list[tuple[ChildMerge, UndoMergeForm]]:
    return [(m, UndoMergeForm(initial={"version": child.version})) for m in undoable_merges(child)]
