"""The retention pages' forms: confirming a disposal, placing and lifting a legal hold."""

from __future__ import annotations

from django import forms

from cases.models import Case
from tac_portal.forms import FreeTextField, SubmissionTokenField, VersionField
from tac_portal.validators import validate_reference

MSG_CONFIRM = "Confirm that this record may be disposed of"
MSG_NO_CASE = "There is no case with this reference"


class ConfirmDisposalForm(forms.Form):
    version = VersionField()
    confirm = forms.BooleanField(
        label="I have checked this record and it may be disposed of as described",
        error_messages={"required": MSG_CONFIRM},
    )


class PlaceLegalHoldForm(forms.Form):
    """A hold on a case, or on its children, found by the case's reference."""

    SCOPES = [
        ("case", "This case and everything recorded on it"),
        ("children", "Each child of this case, and every case they are in"),
    ]

    submission_token = SubmissionTokenField()
    reference = forms.CharField(
        label="Case reference",
        help_text="For example, EH-000123",
        max_length=20,
        validators=[validate_reference],
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
        error_messages={
            "required": "Enter the case reference",
            "max_length": "The case reference must be 20 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What does the hold cover?",
        choices=SCOPES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the hold covers"},
    )
    reason = FreeTextField(
        label="Why must these records be kept?",
        help_text="For example: a claim against the council, or an inquiry's request. "
        "The reason is kept with the hold.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "character_count": True}),
        error_messages={
            "required": "Enter why these records must be kept",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )

    def clean_reference(self) -> Case:
        reference = self.cleaned_data["reference"].strip().upper()
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(MSG_NO_CASE)
        return case


class LiftLegalHoldForm(forms.Form):
    version = VersionField()
    reason = FreeTextField(
        label="Why can the hold be lifted?",
        help_text="For example: the claim was settled. The records it kept may then be "
        "disposed of under their schedules.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "character_count": True}),
        error_messages={
            "required": "Enter why the hold can be lifted",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
