from __future__ import annotations

from typing import Any, cast

from django import forms

from assessments.models import Assessment
from assessments.services.family_copy import Part
from cases.models import ConsentRecord, FamilyMember, InformationLevel
from tac_portal.forms import FreeTextField, GovUKDateField, SubmissionTokenField, VersionField

CHILD_CHOICE = "child"


class StartForm(forms.Form):
    submission_token = SubmissionTokenField()
    copy_from = forms.ChoiceField(
        label="Start from a brother's or sister's assessment?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Copies the parents and carers and family and environment sections. "
        "Check them with the family: they may be different for this child.",
        error_messages={"invalid_choice": "Choose one of the assessments shown, or start empty"},
    )

    def __init__(self, *args: Any, siblings: list[Assessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.siblings = {str(a.pk): a for a in siblings}
        field = cast(forms.ChoiceField, self.fields["copy_from"])
        field.choices = [("", "No, start with an empty assessment")] + [
            (str(a.pk), f"Yes, from {a.child.full_name}'s assessment ({a.get_status_display()})")
            for a in siblings
        ]

    def chosen_sibling(self) -> Assessment | None:
        return self.siblings.get(self.cleaned_data.get("copy_from") or "")


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label="Who gave consent?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gave consent."},
    )
    capacity_basis = forms.ChoiceField(
        label="On what basis?",
        choices=ConsentRecord.CapacityBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the basis on which they gave consent."},
    )
    method = forms.ChoiceField(
        label="How was consent given?",
        choices=ConsentRecord.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how consent was given."},
    )
    information_level = forms.ChoiceField(
        label="What may be shared?",
        choices=InformationLevel.choices,
        widget=forms.RadioSelect,
        initial=InformationLevel.ADDITIONAL,
        required=False,
    )
    given_on = GovUKDateField(label="Date consent was given", past=True)
    note = FreeTextField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, agencies the family asked not to receive additional information.",
    )

    def __init__(self, *args: Any, members: list[FamilyMember], child_name: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        field = cast(forms.ChoiceField, self.fields["given_by"])
        field.choices = [
            (str(m.pk), f"{m.full_name} ({m.get_relationship_display()})") for m in members
        ] + [(CHILD_CHOICE, f"{child_name} (the young person)")]

    def giver(self) -> FamilyMember | None:
        return self.members.get(self.cleaned_data["given_by"])


class ReasonForm(forms.Form):
    reason = FreeTextField(
        label="Why is the assessment being stopped?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the assessment is being stopped."},
    )


class EscalationForm(forms.Form):
    note = FreeTextField(
        label="What did you do? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: referred to the front door by phone at 10:15, reference 1234.",
    )


class FamilyCopyForm(forms.Form):
    # The day the page showed (ISO, "" for none), posted back unchanged.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    given_on = GovUKDateField(label="Date the family was given its copy", past=True)


class FamilyCopyPartsForm(forms.Form):
    """Which parts of the family's copy to leave out: one box beside each part."""

    version = VersionField()

    def __init__(self, *args: Any, parts: list[Part], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            self.fields[self.name_for(part)] = forms.BooleanField(
                label="Leave this part out of the family's copy",
                help_text="For example, because it is about someone else.",
                required=False,
                initial=part.left_out,
            )

    @staticmethod
    def name_for(part: Part) -> str:
        return "leave_out__" + part.key.replace(".", "__")

    def left_out(self) -> list[str]:
        return [p.key for p in self.parts if self.cleaned_data.get(self.name_for(p))]
