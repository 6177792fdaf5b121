from __future__ import annotations

from typing import Any

from django import forms

from audit.models import BreakGlassGrant
from cases.models import Case


class BreakGlassRequestForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        help_text="For example, EH-000123",
        max_length=20,
        error_messages={"required": "Enter the case reference"},
    )
    reason_code = forms.ChoiceField(
        label="Why do you need emergency access?",
        choices=BreakGlassGrant.ReasonCode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need emergency access"},
    )
    justification = forms.CharField(
        label="Explain why you need to see this case now",
        help_text="Your manager and information governance will read this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={"required": "Enter why you need to see this case now"},
    )

    def clean_reference(self) -> Case:
        reference = self.cleaned_data["reference"].strip().upper()
        # Missing and closed cases get the same answer.
        case = Case.objects.open().filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError("No open case has that reference")
        return case

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "reference" in cleaned:
            cleaned["case"] = cleaned["reference"]
        return cleaned


class BreakGlassReviewForm(forms.Form):
    review_outcome = forms.ChoiceField(
        label="Was this emergency access appropriate?",
        choices=BreakGlassGrant.ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of your review"},
    )
    review_note = forms.CharField(
        label="Review note (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
