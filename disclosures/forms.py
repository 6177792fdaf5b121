from __future__ import annotations

from typing import Any

from django import forms

from cases.models import Child, FamilyMember
from disclosures.models import SubjectAccessRequest
from tac_portal.forms import (
    FreeTextField,
    GovUKDateField,
    PersonNameField,
    SubmissionTokenField,
    VersionField,
)

SAR = SubjectAccessRequest


class FindPersonForm(forms.Form):
    """Who the request is about: a child, or an adult of a family, by name."""

    subject_kind = forms.ChoiceField(
        label="Who is the request about?",
        choices=SAR.SubjectKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the request is about a child or an adult"},
    )
    given_names = PersonNameField(
        label="First name (optional)",
        required=False,
        error_messages={"max_length": "The first name must be 100 characters or fewer"},
    )
    family_name = PersonNameField(
        label="Last name",
        error_messages={
            "required": "Enter the person's last name",
            "max_length": "The last name must be 100 characters or fewer",
        },
    )
    date_of_birth = GovUKDateField(
        label="Date of birth (optional)",
        help_text="For example, 27 3 2016",
        required=False,
        past=True,
    )


class LogRequestForm(forms.Form):
    """The person chosen from the matches, who asked, and when the request arrived."""

    person = forms.ChoiceField(
        label="Which person is it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person the request is about",
            "invalid_choice": "Select one of the people found",
        },
    )
    requester_name = PersonNameField(
        label="Name of the person who made the request",
        max_length=200,
        error_messages={
            "required": "Enter the name of the person who made the request",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    requester_relationship = forms.ChoiceField(
        label="Who made the request?",
        choices=SAR.RequesterRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the request"},
    )
    received_on = GovUKDateField(
        label="Date the request was received",
        subject="The date the request was received",
        help_text="The one-month time limit starts on this day. For example, 3 11 2026",
        past=True,
    )
    child_consulted = forms.ChoiceField(
        label="Was the child consulted about a parent's request?",
        choices=SAR.ChildConsulted.choices,
        initial=SAR.ChildConsulted.NOT_APPLICABLE,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child was consulted"},
    )
    child_consulted_note = FreeTextField(
        label="Notes on consulting the child (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The notes must be 2000 characters or fewer"},
    )
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("child_consulted") == SAR.ChildConsulted.NO and not data.get(
            "child_consulted_note"
        ):
            self.add_error("child_consulted_note", "Say why the child was not consulted")
        return data

    def subject(self) -> Child | FamilyMember:
        kind, _, pk = self.cleaned_data["person"].partition(":")
        if kind == "child":
            return Child.objects.get(pk=pk)
        return FamilyMember.objects.get(pk=pk)


class ExtendForm(forms.Form):
    reason = FreeTextField(
        label="Why does the request need more time?",
        help_text="An extension of two further months is allowed for a complex request, or "
        "several from the same person. Tell the requester within the first month.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why the request needs more time",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
    version = VersionField()


class RedactionForm(forms.Form):
    redacted = forms.TypedChoiceField(
        label="Redact this from the package?",
        choices=[("yes", "Redact it"), ("no", "Disclose it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to redact it"},
    )
    reason = FreeTextField(
        label="Why?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter why",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
    version = VersionField()

    def stale_values(self, redaction: Any) -> dict[str, Any]:
        """What the fields say now, for a save refused as stale (tac_portal.forms)."""
        return {"reason": redaction.decision_reason}


class WithholdForm(forms.Form):
    withheld = forms.TypedChoiceField(
        label="Include this record in the package?",
        choices=[("no", "Include it"), ("yes", "Withhold it under an exemption")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to include the record"},
    )
    reason = FreeTextField(
        label="Exemption and why (when withheld)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )
    version = VersionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("withheld") and not data.get("reason"):
            self.add_error("reason", "Enter the exemption that applies, and why")
        return data


class WithdrawForm(forms.Form):
    reason = FreeTextField(
        label="Why is the request withdrawn?",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter why the request is withdrawn",
            "max_length": "The reason must be 200 characters or fewer",
        },
    )
    version = VersionField()
