from __future__ import annotations

from typing import Any

from django import forms

from agencies.models import User
from audit.reports import AccessFilters
from cases.models import (
    RESTRICTABLE_FIELDS,
    AccessPurpose,
    BreakGlassGrant,
    Case,
    CaseSubject,
    FamilyMember,
    RestrictionTarget,
)
from cases.search import ChildQuery
from tac_portal.forms import GovUKDateField, SubmissionTokenField
from tac_portal.validators import validate_reference


class BreakGlassRequestForm(forms.Form):
    """Emergency access: who to find (a case reference, or the child's name and date of
    birth, as in "Find a child") and why.

    Nothing here looks anything up: the form's answer is the same whether or not a
    case matches, until the reason is given and the search runs (``audit.views``).
    """

    reference = forms.CharField(
        label="Case reference (optional)",
        help_text="For example, EH-000123",
        max_length=20,
        required=False,
        validators=[validate_reference],
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
        error_messages={"max_length": "The case reference must be 20 characters or fewer"},
    )
    given_names = forms.CharField(
        label="Child's first name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
        error_messages={"max_length": "The first name must be 100 characters or fewer"},
    )
    family_name = forms.CharField(
        label="Child's last name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
        error_messages={"max_length": "The last name must be 100 characters or fewer"},
    )
    date_of_birth = GovUKDateField(
        label="Child's date of birth (optional)",
        subject="Date of birth",
        help_text="For example, 27 3 2016",
        required=False,
        past=True,
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
        widget=forms.Textarea(attrs={"rows": 5, "character_count": True}),
        max_length=2000,
        error_messages={
            "required": "Enter why you need to see this case now",
            "max_length": "Your explanation must be 2000 characters or fewer",
        },
    )
    #: The case chosen from the matches (the second step).
    case = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        named = cleaned.get("family_name", "").strip() and (
            cleaned.get("given_names", "").strip() or cleaned.get("date_of_birth")
        )
        if not cleaned.get("reference") and not named and "date_of_birth" not in self.errors:
            self.add_error(
                "reference",
                "Enter the case reference, or the child's last name with their first name "
                "or date of birth",
            )
        return cleaned

    def query(self) -> ChildQuery:
        data = self.cleaned_data
        return ChildQuery(
            given_names=data["given_names"].strip(),
            family_name=data["family_name"].strip(),
            date_of_birth=data["date_of_birth"],
        )


class BreakGlassReviewForm(forms.Form):
    # When the review the page showed was saved (``review_seen``), posted back unchanged.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
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


class RestrictionForm(forms.Form):
    """Restrict one detail of someone in a case, or a family member's whole record."""

    submission_token = SubmissionTokenField()
    item = forms.ChoiceField(
        label="What must be restricted?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what must be restricted",
            "invalid_choice": "Select one of the details listed",
        },
    )
    reason = forms.CharField(
        label="Why must it be restricted?",
        help_text="For example: a new address that must not reach a parent who is a risk. "
        "Only the people who run this case and information governance see this.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why it must be restricted"},
    )
    named_users = forms.MultipleChoiceField(
        label="Who may see it?",
        help_text="They will still have to give a reason each time. You always may.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose people who are on the team around the child"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        items: list[tuple[str, str]] = []
        for subject in CaseSubject.objects.filter(case=case).select_related("child"):
            child = subject.child
            for field_name, label in RESTRICTABLE_FIELDS[RestrictionTarget.CHILD].items():
                key = f"child:{child.pk}:{field_name}"
                items.append((key, f"{child.full_name}: {label.lower()}"))
        for field_name, label in RESTRICTABLE_FIELDS[RestrictionTarget.FAMILY].items():
            key = f"family:{case.family_id}:{field_name}"
            items.append((key, f"The household: {label.lower()}"))
        for member in FamilyMember.objects.filter(family_id=case.family_id).order_by("pk"):
            for field_name, label in RESTRICTABLE_FIELDS[RestrictionTarget.FAMILY_MEMBER].items():
                key = f"family_member:{member.pk}:{field_name}"
                items.append((key, f"{member.full_name}: {label[0].lower()}{label[1:]}"))
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ChoiceField)  # noqa: S101
        item_field.choices = items
        self.professionals = {
            str(u.pk): u
            for u in User.objects.filter(
                tac_memberships__case=case,
                tac_memberships__left_at__isnull=True,
                is_active=True,
            ).distinct()
        }
        named_field = self.fields["named_users"]
        assert isinstance(named_field, forms.ChoiceField)  # noqa: S101
        named_field.choices = [
            (pk, f"{u.full_name}, {u.role_and_agency}") for pk, u in self.professionals.items()
        ]

    def clean_item(self) -> tuple[str, int, str]:
        target, target_id, field_name = self.cleaned_data["item"].split(":")
        return target, int(target_id), field_name

    def named(self) -> list[Any]:
        return [self.professionals[pk] for pk in self.cleaned_data.get("named_users", [])]


class RestrictionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is the restriction still needed?",
        choices=[("keep", "Yes, keep it for another 90 days"), ("lift", "No, lift it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the restriction is still needed"},
    )
    note = forms.CharField(
        label="Why is it no longer needed?",
        help_text="Only needed when you lift it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "lift" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why the restriction is no longer needed")
        return cleaned


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see it now?",
        help_text="This is recorded with your name.",
        widget=forms.Textarea,
        max_length=1000,
        error_messages={"required": "Enter why you need to see it"},
    )


class AccessReportFilterForm(forms.Form):
    """The access report's filters (sent by GET): every one is optional."""

    person = forms.CharField(
        label="Person",
        help_text="Part of their name or email address",
        required=False,
        max_length=200,
        error_messages={"max_length": "The person must be 200 characters or fewer"},
    )
    case_reference = forms.CharField(
        label="Case reference",
        help_text="For example, EH-000123",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"spellcheck": False, "autocomplete": "off"}),
        error_messages={"max_length": "The case reference must be 20 characters or fewer"},
    )
    date_from = GovUKDateField(
        label="From (optional)", subject="The first day", required=False, past=True
    )
    date_to = GovUKDateField(label="To (optional)", subject="The last day", required=False)
    kind = forms.ChoiceField(
        label="Kind of access",
        choices=[("", "All kinds of access"), *AccessPurpose.choices],
        required=False,
        error_messages={"invalid_choice": "Select a kind of access from the list"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        return cleaned

    def filters(self) -> AccessFilters:
        """The filters to apply: none when the form has errors."""
        if not self.is_valid():
            return AccessFilters()
        data = self.cleaned_data
        return AccessFilters(
            person=data["person"].strip(),
            case_reference=data["case_reference"].strip(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            kind=data["kind"],
        )
