"""Judge the level of need again, with a reason; the history stays (DOMAIN §4.1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from agencies.http import AuthenticatedHttpRequest
from cases.access import ensure_can_judge_level_of_need, get_case_to_run
from cases.models import AccessPurpose, LevelOfNeed
from cases.services.lifecycle import judge_level_of_need_again
from tac_portal.forms import add_service_errors

YES_NO = [("yes", "Yes"), ("no", "No")]


class LevelOfNeedForm(forms.Form):
    expected_judgement = forms.IntegerField(widget=forms.HiddenInput, required=False)
    level = forms.ModelChoiceField(
        label="Level of need now",
        queryset=LevelOfNeed.objects.filter(is_active=True),
        empty_label="Choose a level",
        error_messages={
            "required": "Choose the level of need",
            "invalid_choice": "Choose a level of need from the list",
        },
    )
    rationale = forms.CharField(
        label="Why is this the level of need now?",
        help_text="What has changed, or why it stays the same. Your name is recorded with it.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Explain why you judge the need to be at this level"},
    )
    family_informed = forms.ChoiceField(
        label="Has the family been told?",
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Say whether the family has been told"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def level_of_need(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who cannot see the case: 404; who sees it but does not run it: 403."""
    case = get_case_to_run(request, pk, purpose=AccessPurpose.CASE_WORK)
    ensure_can_judge_level_of_need(request.user, case)
    judgements = list(case.level_judgements.select_related("level", "judged_by__agency"))
    latest = judgements[0].pk if judgements else None
    form = LevelOfNeedForm(
        request.POST if request.method == "POST" else None,
        initial={"expected_judgement": latest, "level": case.current_level_id},
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            judgement = judge_level_of_need_again(
                case,
                by=request.user,
                level=data["level"],
                rationale=data["rationale"],
                family_informed=data["family_informed"] == "yes",
                expected_judgement_id=data["expected_judgement"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            add_service_errors(form, error)
        else:
            messages.success(request, f"Level of need recorded: {judgement.level}")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/level_of_need.html",
        {"case": case, "form": form, "judgements": judgements},
    )
