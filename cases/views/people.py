"""Keeping a family's record true from the case page: a child's details (with their
history and the duplicate check run again), the family's details, the adults around the
child, and a sibling joining the case. Thin views over ``cases.services``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.submissions import answer_if_submitted, submit_once
from cases.access import can_merge_children, get_case_to_keep_details
from cases.forms.people import (
    ChangeFamilyMemberForm,
    ChildDetailsForm,
    FamilyDetailsForm,
    NewFamilyMemberForm,
    RelationshipToChildForm,
    SiblingForm,
)
from cases.masking import MASK, CaseMasks, masks_for
from cases.models import (
    AccessPurpose,
    Case,
    CaseSubject,
    Child,
    DetailChange,
    FamilyMember,
)
from cases.search import ChildQuery, SearchOutcome, children_visible_to
from cases.services.children import (
    NewChild,
    add_existing_child_to_case,
    add_sibling,
    change_child_details,
)
from cases.services.family import (
    add_family_member,
    change_family_details,
    change_family_member,
    set_relationship_to_child,
)
from cases.services.merging import final_record
from cases.views.journeys import _apply_errors, match_signature, search_children
from tac_portal.forms import SubmissionTokenField

MSG_RESTRICTED_MEMBER = (
    "This person's record is restricted. Unmask it from the case page before changing it."
)

# --- What the case page shows ----------------------------------------------------------


@dataclass
class ChangeRow:
    """One line of a detail's history, as this reader may see it."""

    change: DetailChange
    old: str
    new: str


def change_rows(changes: Iterable[DetailChange], masks: CaseMasks) -> list[ChangeRow]:
    """The history lines, with restricted values shown as "Restricted"."""
    rows = []
    for change in changes:
        obj: Any = change.family_member or change.child or change.family
        field_name = "address" if change.field_name == "postcode" else change.field_name
        hidden = masks.any_for(obj) and masks.is_masked(obj, field_name)
        rows.append(
            ChangeRow(
                change,
                MASK if hidden else change.old_value,
                MASK if hidden else change.new_value,
            )
        )
    return rows


def adult_editable(member: FamilyMember, masks: CaseMasks) -> bool:
    """Whether the reader sees everything the adult's form shows (nothing restricted)."""
    return not (
        masks.any_for(member)
        and any(masks.is_masked(member, f) for f in ("full_name", "address", "phone", "email"))
    )


def _case_url(case: Case, anchor: str = "") -> str:
    url = reverse("cases:detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


class MovedRecord(Exception):
    """The child's record was merged into another one of this case's children."""

    def __init__(self, child: Child) -> None:
        super().__init__(child.pk)
        self.child = child


def _subject_child(case: Case, child_pk: int) -> Child:
    """The case's subject child ``child_pk``; a record merged into one of them raises
    ``MovedRecord`` (answered with a redirect), anything else is not found."""
    subject = (
        CaseSubject.objects.filter(case=case, child_id=child_pk).select_related("child").first()
    )
    if subject is None:
        old = Child.objects.filter(pk=child_pk, merged_into__isnull=False).first()
        if old is not None:
            kept = final_record(old)
            if CaseSubject.objects.filter(case=case, child=kept).exists():
                raise MovedRecord(kept)
        raise Http404("No child found")
    return subject.child


def follows_merged_records(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """The old identifier of a record merged into one of the case's children answers
    with a redirect to the record kept (the user may already see the case)."""

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, pk: int, child_pk: int) -> HttpResponse:
        try:
            return view(request, pk, child_pk)
        except MovedRecord as moved:
            name = request.resolver_match.view_name if request.resolver_match else ""
            return redirect(name or "cases:child_details", pk=pk, child_pk=moved.child.pk)

    return wrapper


def _history(masks: CaseMasks, **filters: Any) -> list[ChangeRow]:
    changes = DetailChange.objects.filter(**filters).select_related(
        "changed_by__agency", "child", "family", "family_member"
    )
    return change_rows(changes, masks)


# --- A child's details -----------------------------------------------------------------


def _child_hidden_fields(child: Child, masks: CaseMasks) -> frozenset[str]:
    hidden: set[str] = set()
    if masks.is_masked(child, "address"):
        hidden |= {"address", "postcode"}
    if masks.is_masked(child, "school"):
        hidden |= {"school_urn", "upn"}
    for name in ("nhs_number", "ethnicity", "disability_status", "sen_status"):
        if masks.is_masked(child, name):
            hidden.add(name)
    if masks.is_masked(child, "first_language"):
        hidden |= {"first_language", "interpreter_required"}
    if child.is_unborn:
        hidden.add("date_of_birth")
    return frozenset(hidden)


@login_required
@require_http_methods(["GET", "POST"])
@follows_merged_records
def child_details(request: AuthenticatedHttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """Change a subject child's details. The duplicate check runs again after a new name
    or date of birth, and shows any other record that may be the same child."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    child = _subject_child(case, child_pk)
    masks = masks_for(case, request.user, request)
    hidden = _child_hidden_fields(child, masks)
    if request.method == "POST":
        form = ChildDetailsForm(request.POST, hidden_fields=hidden)
    else:
        form = ChildDetailsForm(initial=ChildDetailsForm.initial_for(child), hidden_fields=hidden)
    if request.method == "POST" and form.is_valid():
        try:
            result = change_child_details(
                child,
                case=case,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if not result.fields:
                messages.info(request, "Nothing was changed.")
                return redirect(_case_url(case, f"child-{child.pk}"))
            if result.identity_changed:
                outcome = _others(
                    search_children(
                        request,
                        ChildQuery(
                            given_names=child.given_names,
                            family_name=child.family_name,
                            date_of_birth=child.date_of_birth,
                        ),
                    ),
                    child,
                )
                if outcome.visible or outcome.known_elsewhere or outcome.hidden:
                    return render(
                        request,
                        "cases/people/possible_duplicate.html",
                        {
                            "case": case,
                            "child": child,
                            "outcome": outcome,
                            "can_merge": can_merge_children(request.user, [child.pk]),
                        },
                    )
            messages.success(request, f"{child.full_name}'s details were changed.")
            return redirect(_case_url(case, f"child-{child.pk}"))
    return render(
        request,
        "cases/people/child_details.html",
        {
            "case": case,
            "child": child,
            "form": form,
            "masks": masks,
            "history": _history(masks, child=child),
        },
    )


def _others(outcome: SearchOutcome, child: Child) -> SearchOutcome:
    """The duplicate check's outcome without the child being changed."""
    return SearchOutcome(
        visible=[r for r in outcome.visible if r.child.pk != child.pk],
        known_elsewhere=outcome.known_elsewhere,
        hidden=outcome.hidden,
        matched_ids=[pk for pk in outcome.matched_ids if pk != child.pk],
        restricted_addresses=outcome.restricted_addresses,
    )


# --- The family's details --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def family_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    family = case.family
    masks = masks_for(case, request.user, request)
    hidden = frozenset({"address", "postcode"} if masks.is_masked(family, "address") else ())
    if request.method == "POST":
        form = FamilyDetailsForm(request.POST, hidden_fields=hidden)
    else:
        initial = FamilyDetailsForm.initial_for(family)
        form = FamilyDetailsForm(initial=initial, hidden_fields=hidden)
    if request.method == "POST" and form.is_valid():
        try:
            result = change_family_details(
                family,
                case=case,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                "The family's details were changed." if result.fields else "Nothing was changed.",
            )
            return redirect(_case_url(case, "family"))
    return render(
        request,
        "cases/people/family_details.html",
        {
            "case": case,
            "form": form,
            "masks": masks,
            "history": _history(masks, family=family, subject=DetailChange.Subject.FAMILY),
        },
    )


# --- The adults around the child -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_adult(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a parent, carer, non-resident parent or family network member."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    form = NewFamilyMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def create() -> HttpResponse:
            member = add_family_member(case, details=form.details(), by=request.user)
            messages.success(request, f"{member.full_name} was added to the family's adults.")
            return redirect(_case_url(case, "adults"))

        try:
            return submit_once(request, form.cleaned_data["submission_token"], create)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(request, "cases/people/adult_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_adult(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    member = FamilyMember.objects.filter(family_id=case.family_id, pk=member_pk).first()
    if member is None:
        raise Http404("No one found")
    masks = masks_for(case, request.user, request)
    if not adult_editable(member, masks):
        raise PermissionDenied(MSG_RESTRICTED_MEMBER)
    if request.method == "POST":
        form = ChangeFamilyMemberForm(request.POST)
    else:
        form = ChangeFamilyMemberForm(initial=ChangeFamilyMemberForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            result = change_family_member(
                member,
                case=case,
                changes=form.details(),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{member.full_name}'s details were changed."
                if result.fields
                else "Nothing was changed.",
            )
            return redirect(_case_url(case, "adults"))
    return render(
        request,
        "cases/people/adult_form.html",
        {
            "case": case,
            "form": form,
            "member": member,
            "masks": masks,
            "history": _history(masks, family_member=member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_to_child(
    request: AuthenticatedHttpRequest, pk: int, member_pk: int
) -> HttpResponse:
    """How one adult stands to each of the case's children, one child at a time."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    member = FamilyMember.objects.filter(family_id=case.family_id, pk=member_pk).first()
    if member is None:
        raise Http404("No one found")
    masks = masks_for(case, request.user, request)
    if not adult_editable(member, masks):
        raise PermissionDenied(MSG_RESTRICTED_MEMBER)
    children = list(case.children.order_by("pk"))
    form = RelationshipToChildForm(
        request.POST if request.method == "POST" else None,
        children=children,
        initial={
            "relationship": member.relationship,
            "parental_responsibility": member.parental_responsibility,
            "lives_with_child": "yes" if member.lives_with_children else "no",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            set_relationship_to_child(
                member,
                case=case,
                child=form.chosen_child(),
                relationship=data["relationship"],
                parental_responsibility=data["parental_responsibility"],
                lives_with_child=data["lives_with_child"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{member.full_name}'s relationship to {form.chosen_child().full_name} "
                "was recorded.",
            )
            return redirect(_case_url(case, "adults"))
    return render(
        request,
        "cases/people/relationship_form.html",
        {
            "case": case,
            "form": form,
            "member": member,
            "masks": masks,
            "recorded": list(member.child_relationships.select_related("child")),
        },
    )


# --- A sibling joins the case ----------------------------------------------------------


class ExistingChildForm(forms.Form):
    submission_token = SubmissionTokenField()
    child = forms.IntegerField(widget=forms.HiddenInput)


def _joinable(outcome: SearchOutcome, case: Case) -> list[tuple[Any, ExistingChildForm]]:
    """Children the check found whom the user may add to this case: seen by the user,
    in no open case."""
    return [
        (r, ExistingChildForm(initial={"child": r.child.pk}))
        for r in outcome.visible
        if r.open_case is None and not r.elsewhere
    ]


def _sibling_page(
    request: AuthenticatedHttpRequest, case: Case, form: SiblingForm, **extra: Any
) -> HttpResponse:
    outcome = extra.get("outcome")
    return render(
        request,
        "cases/people/add_sibling.html",
        {
            "case": case,
            "form": form,
            "joinable": _joinable(outcome, case) if outcome is not None else [],
            **extra,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_child_to_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a brother or sister to the case: the same check as "Add a child" first, then a
    new record in this family, or a record found by the check."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    if not case.is_open:
        raise PermissionDenied("A child can be added only to an open case.")
    if request.method == "GET":
        first = case.subjects.select_related("child").order_by("added_at", "pk").first()
        initial = {"family_name": first.child.family_name if first else ""}
        return _sibling_page(request, case, SiblingForm(initial=initial))
    form = SiblingForm(request.POST)
    if not form.is_valid():
        return _sibling_page(request, case, form)
    token = form.cleaned_data["submission_token"]
    if (earlier := answer_if_submitted(request, token)) is not None:
        return earlier
    data = form.cleaned_data
    outcome = search_children(
        request,
        ChildQuery(
            given_names=data["given_names"].strip(),
            family_name=data["family_name"].strip(),
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
        ),
    )
    has_matches = bool(outcome.visible or outcome.known_elsewhere or outcome.hidden)
    signature = match_signature(outcome) if has_matches else ""
    if has_matches and request.POST.get("seen_matches") != signature:
        return _sibling_page(request, case, form, outcome=outcome, signature=signature)
    if has_matches:
        form = SiblingForm(request.POST, possible_matches=True)
        if not form.is_valid():
            return _sibling_page(request, case, form, outcome=outcome, signature=signature)
        data = form.cleaned_data
    details = NewChild(
        given_names=data["given_names"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        sex=data["sex"],
        postcode=case.family.postcode,
        address=case.family.address,
        nhs_number=data["nhs_number"],
    )

    def create() -> HttpResponse:
        child = add_sibling(
            case,
            details,
            by=request.user,
            possible_matches=outcome.matched_ids,
            reason=data.get("duplicate_reason", "") if has_matches else "",
        )
        messages.success(request, f"{child.full_name} was added to this case.")
        return redirect(_case_url(case, f"child-{child.pk}"))

    try:
        return submit_once(request, token, create)
    except ValidationError as error:
        _apply_errors(form, error)
    return _sibling_page(request, case, form, outcome=outcome, signature=signature)


@login_required
@require_POST
def add_known_child_to_case(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a child the duplicate check found (and the user may see) to the case."""
    case = get_case_to_keep_details(request, pk, purpose=AccessPurpose.CASE_WORK)
    form = ExistingChildForm(request.POST)
    if not form.is_valid():
        raise Http404("No child found")
    child_pk = form.cleaned_data["child"]
    if child_pk not in children_visible_to(request.user, [child_pk]):
        raise Http404("No child found")
    child = Child.objects.get(pk=child_pk)

    def create() -> HttpResponse:
        added = add_existing_child_to_case(case, child, by=request.user)
        messages.success(request, f"{added.full_name} was added to this case.")
        return redirect(_case_url(case, f"child-{added.pk}"))

    try:
        return submit_once(request, form.cleaned_data["submission_token"], create)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(_case_url(case))
