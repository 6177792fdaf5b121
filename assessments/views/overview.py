"""An assessment's overview page: its sections and where each stands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.http import AuthenticatedHttpRequest
from assessments.definition import Definition
from assessments.forms import (
    EscalationForm,
    FamilyCopyForm,
    ReasonForm,
)
from assessments.models import Assessment, ElementEntry, ViewRecord
from assessments.services.common import can_edit
from assessments.services.lifecycle import (
    completion_problems,
)
from assessments.views.common import open_assessment
from cases.access import can_change_family_details
from tac_portal.forms import (
    ErrorSummary,
)


def _section_status(
    section: dict[str, Any],
    assessment: Assessment,
    answers: Mapping[str, Mapping[str, str]],
    entries: Mapping[str, ElementEntry],
    views: list[ViewRecord],
    definition: Definition,
) -> str:
    kind = section["kind"]
    if kind in ("fields", "child_details"):
        data = answers.get(section["key"], {})
        fields = section.get("fields", [])
        if not any(str(data.get(f["key"], "")).strip() for f in fields):
            return "not_started" if fields else "completed"
        missing = [
            f for f in fields if f.get("required") and not str(data.get(f["key"], "")).strip()
        ]
        return "in_progress" if missing else "completed"
    if kind == "domain":
        codes = [e["code"] for e in definition.domains[section["domain"]]["elements"]]
        done = [
            c
            for c in codes
            if c in entries
            and (entries[c].strengths or entries[c].needs or entries[c].not_discussed)
        ]
        if not done:
            return "not_started"
        return "completed" if len(done) == len(codes) else "in_progress"
    if kind == "views":
        if not views:
            return "not_started"
        return (
            "completed"
            if not any("Views:" in p for p in completion_problems(assessment))
            else "in_progress"
        )
    if assessment.consent_to_share_id and assessment.consent_to_assessment_id:
        return "completed"
    return "in_progress" if assessment.consent_to_assessment_id else "not_started"


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The assessment's task list, status and next steps."""
    assessment = open_assessment(request, pk)
    return render_detail(request, assessment)


def render_detail(
    request: AuthenticatedHttpRequest,
    assessment: Assessment,
    *,
    errors: list[str] | None = None,
    forms: Mapping[str, Any] | None = None,
) -> HttpResponse:
    definition = Definition(assessment.template.definition)
    answers = {s.key: s.data for s in assessment.sections.all()}
    entries = {e.element_code: e for e in assessment.elements.all()}
    views = list(assessment.views.all())
    tasks = [
        {
            "section": s,
            "status": _section_status(s, assessment, answers, entries, views, definition),
            "url": reverse("assessments:section", args=[assessment.pk, s["key"]]),
        }
        for s in definition.sections
    ]
    forms = forms or {}
    refused = any(form.errors for form in forms.values())
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "case": assessment.case,
            "tasks": tasks,
            "can_edit": can_edit(request.user, assessment),
            "problems": completion_problems(assessment)
            if assessment.status == Assessment.Status.SHARED_WITH_FAMILY
            else [],
            "errors": ErrorSummary.linking("next-steps", errors or []),
            "reason_form": forms.get("reason") or ReasonForm(),
            "escalation_form": forms.get("escalation") or EscalationForm(),
            "family_copy_form": forms.get("family_copy")
            or FamilyCopyForm(
                initial={
                    "given_on": timezone.localdate(),
                    "seen": assessment.family_copy_given_on.isoformat()
                    if assessment.family_copy_given_on
                    else "",
                }
            ),
            "previous": assessment.previous_version,
            "revisions": list(assessment.next_versions.all()),
            "S": Assessment.Status,
            **_missing_facts(request, assessment),
        },
        status=400 if errors or refused else 200,
    )


def _missing_facts(request: AuthenticatedHttpRequest, assessment: Assessment) -> dict[str, Any]:
    """The statutory facts not yet asked about for the assessed child, and where the
    reader may record them: a prompt, never a block on the assessment."""
    if not assessment.is_open:
        return {"missing_facts": []}
    return {
        "missing_facts": assessment.child.missing_statutory_facts(),
        "can_record_facts": can_change_family_details(request.user, assessment.case),
    }
