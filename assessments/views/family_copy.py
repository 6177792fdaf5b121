"""The family's copy of the assessment: checked first, then printed (DOMAIN §2.2 J).

The first page is a preview for the assessor or the lead: each part as the family will
read it, a prompt where a part names someone else, and a box to leave it out. The print
page is the copy itself, without what was left out.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from agencies.http import AuthenticatedHttpRequest
from assessments.forms import FamilyCopyPartsForm
from assessments.models import Assessment
from assessments.services.common import can_edit
from assessments.services.family_copy import leave_out_of_family_copy, parts_of
from assessments.views.common import open_assessment
from cases.models import AccessPurpose
from tac_portal.forms import add_service_errors


def _context(assessment: Assessment) -> dict[str, Any]:
    """What both pages show around the parts: who to contact, dates and languages."""
    lead = assessment.case.lead_assignment
    contact = lead.professional if lead is not None else assessment.assessor
    phone = contact.phone or (contact.team.phone if contact.team else "")
    views = assessment.views.select_related("family_member")
    languages = []
    if assessment.child.first_language:
        languages.append((assessment.child.full_name, assessment.child.first_language,
                          assessment.child.interpreter_required))  # fmt: skip
    for view in views:
        member = view.family_member
        if member is not None and member.language:
            languages.append((member.full_name, member.language, member.interpreter_required))
    return {
        "assessment": assessment,
        "case": assessment.case,
        "contact": contact,
        "contact_phone": phone,
        "prepared_on": timezone.localdate(),
        "languages": languages,
    }


@login_required
@require_http_methods(["GET", "POST"])
def family_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Check the family's copy before it is printed: leave out parts about someone else."""
    assessment = open_assessment(request, pk, purpose=AccessPurpose.FAMILY_COPY)
    parts = parts_of(assessment)
    editable = can_edit(request.user, assessment)
    form = FamilyCopyPartsForm(
        request.POST if request.method == "POST" else None,
        parts=parts,
        initial={"version": assessment.family_copy_version},
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                leave_out_of_family_copy(
                    assessment,
                    keys=form.left_out(),
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The family's copy is checked and ready to print.")
                return redirect("assessments:family_copy", assessment.pk)
    fields = {part.key: form[form.name_for(part)] for part in parts}
    return render(
        request,
        "assessments/family_copy.html",
        _context(assessment)
        | {
            "parts": [(part, fields[part.key]) for part in parts],
            "form": form,
            "editable": editable,
            "flagged": sum(1 for p in parts if p.mentions and not p.left_out),
        },
    )


@login_required
@require_GET
def family_copy_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The family's copy itself, to print or save as a PDF, without the parts left out."""
    assessment = open_assessment(request, pk, purpose=AccessPurpose.FAMILY_COPY)
    parts = parts_of(assessment)
    return render(
        request,
        "assessments/family_copy_print.html",
        _context(assessment)
        | {
            "parts": [p for p in parts if not p.left_out],
            "left_out": sum(1 for p in parts if p.left_out),
        },
    )
