"""Forms for a child's, a family's and the adults' details. They check input; the services
in ``cases.services.children`` and ``cases.services.family`` decide the rules."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from cases.forms.journeys import NewChildRecordForm, clean_nhs_number, clean_postcode
from cases.models import (
    Child,
    DisabilityStatus,
    Ethnicity,
    Family,
    FamilyMember,
    SenStatus,
    Sex,
)
from cases.validators import normalise_uk_mobile, validate_uk_mobile
from tac_portal.forms import GovUKDateField, PersonNameField, SubmissionTokenField, VersionField

UPN_PATTERN = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")
URN_PATTERN = re.compile(r"^[0-9]{6}$")

REASON_HELP = (
    "Needed when a name, date of birth or address changes. For example: birth certificate seen."
)


def _reason_field(label: str = "Why are these details changing?") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=REASON_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class ChildDetailsForm(forms.Form):
    """A subject child's identifying details and the facts the statutory returns need."""

    version = VersionField()
    given_names = PersonNameField(
        label="Given names",
        max_length=100,
        error_messages={"required": "Enter the child's given names"},
    )
    family_name = PersonNameField(
        label="Family name",
        max_length=100,
        error_messages={"required": "Enter the child's family name"},
    )
    also_known_as = forms.CharField(
        label="Also known as (optional)",
        max_length=200,
        required=False,
        help_text="Other names the child uses or has used, separated by commas. "
        "Find a child finds them.",
    )
    date_of_birth = GovUKDateField(
        label="Date of birth", past=True, help_text="For example, 27 3 2016"
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex"},
    )
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), max_length=500, required=False
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=14, required=False, help_text="10 digits"
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=Ethnicity.choices,
        help_text="As the child or family describe it. Choose 'Refused' if they declined to say.",
        error_messages={"required": "Select the child's ethnicity, or 'Not obtained'"},
    )
    disability_status = forms.ChoiceField(
        label="Does the child have a disability?",
        choices=DisabilityStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child has a disability"},
    )
    sen_status = forms.ChoiceField(
        label="Special educational needs",
        choices=SenStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's special educational needs status"},
    )
    first_language = forms.CharField(
        label="First language (optional)",
        max_length=50,
        required=False,
        help_text="Leave blank if not known yet.",
    )
    school_urn = forms.CharField(
        label="School or setting URN (optional)",
        max_length=8,
        required=False,
        help_text="The 6-digit unique reference number, from Get Information about Schools",
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN) (optional)",
        max_length=13,
        required=False,
        help_text="13 characters, like A123456789012",
    )
    interpreter_required = forms.BooleanField(
        label="The child needs an interpreter or signer", required=False
    )
    is_young_carer = forms.BooleanField(label="The child is a young carer", required=False)
    reason = _reason_field()

    def __init__(self, *args: Any, hidden_fields: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Restricted details are neither shown nor changed here.
        for name in hidden_fields:
            self.fields.pop(name, None)

    @classmethod
    def initial_for(cls, child: Child) -> dict[str, Any]:
        names = [n for n in cls.base_fields if n not in {"version", "reason"}]
        return {"version": child.version, **{n: getattr(child, n) for n in names}}

    def clean_nhs_number(self) -> str:
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_upn(self) -> str:
        value = str(self.cleaned_data["upn"]).replace(" ", "").upper()
        if value and not UPN_PATTERN.match(value):
            raise forms.ValidationError(
                "Enter a UPN of 13 characters: a letter, 11 digits, then a digit or letter"
            )
        return value

    def clean_school_urn(self) -> str:
        value = str(self.cleaned_data["school_urn"]).strip()
        if value and not URN_PATTERN.match(value):
            raise forms.ValidationError("Enter the school's URN: 6 digits, like 100000")
        return value

    def changes(self) -> dict[str, Any]:
        return {n: v for n, v in self.cleaned_data.items() if n not in {"version", "reason"}}


class FamilyDetailsForm(forms.Form):
    version = VersionField()
    name = forms.CharField(
        label="How the household is known",
        max_length=200,
        help_text="For example, the Okafor family",
        error_messages={"required": "Enter how the household is known"},
    )
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), max_length=500, required=False
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    reason = _reason_field("Why is the address changing?")

    def __init__(self, *args: Any, hidden_fields: frozenset[str] = frozenset(), **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in hidden_fields:
            self.fields.pop(name, None)

    @classmethod
    def initial_for(cls, family: Family) -> dict[str, Any]:
        return {
            "version": family.version,
            "name": family.name,
            "address": family.address,
            "postcode": family.postcode,
        }

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def changes(self) -> dict[str, Any]:
        return {n: v for n, v in self.cleaned_data.items() if n not in {"version", "reason"}}


class FamilyMemberForm(forms.Form):
    """A parent, carer, non-resident parent or family network member."""

    given_names = PersonNameField(
        label="Given names", max_length=100, error_messages={"required": "Enter their given names"}
    )
    family_name = PersonNameField(
        label="Family name", max_length=100, error_messages={"required": "Enter their family name"}
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[("", "Choose a relationship"), *FamilyMember.Relationship.choices],
        error_messages={"required": "Choose their relationship to the child"},
    )
    relationship_detail = forms.CharField(
        label="Which children, or more about the relationship (optional)",
        max_length=200,
        required=False,
    )
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility?",
        choices=FamilyMember.ParentalResponsibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they have parental responsibility"},
    )
    lives_with_children = forms.TypedChoiceField(
        label="Do they live with the child?",
        choices=[("yes", "Yes"), ("no", "No, for example a parent who lives elsewhere")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they live with the child"},
    )
    date_of_birth = GovUKDateField(label="Date of birth (optional)", past=True, required=False)
    address = forms.CharField(
        label="Address, if different from the family's (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    preferred_contact_method = forms.ChoiceField(
        label="How do they prefer to be contacted? (optional)",
        choices=[("", "No preference recorded"), *FamilyMember.ContactMethod.choices],
        required=False,
    )
    mobile_phone = forms.CharField(
        label="Mobile number for text messages (optional)",
        help_text="A UK mobile number, like 07700 900 982.",
        max_length=20,
        required=False,
    )
    agrees_to_text_messages = forms.BooleanField(
        label="They agreed to get text message reminders of meetings",
        help_text="A text gives only their first name, the date and time of the meeting "
        "and a number to call.",
        required=False,
    )
    language = forms.CharField(label="First language (optional)", max_length=50, required=False)
    interpreter_required = forms.BooleanField(label="They need an interpreter", required=False)

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_mobile_phone(self) -> str:
        value = self.cleaned_data["mobile_phone"].strip()
        if not value:
            return ""
        try:
            validate_uk_mobile(value)
        except ValidationError as error:
            raise ValidationError(
                "Enter a UK mobile number, like 07700 900 982", code=error.code
            ) from None
        return normalise_uk_mobile(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("agrees_to_text_messages")
            and not cleaned.get("mobile_phone")
            and "mobile_phone" not in self.errors
        ):
            self.add_error(
                "mobile_phone", "Enter their mobile number, or untick the text messages box"
            )
        if cleaned.get("preferred_contact_method") == FamilyMember.ContactMethod.EMAIL and not (
            cleaned.get("email")
        ):
            self.add_error("email", "Enter their email address, or choose another way to contact")
        if (
            cleaned.get("preferred_contact_method")
            in {
                FamilyMember.ContactMethod.PHONE,
                FamilyMember.ContactMethod.TEXT,
            }
            and not (cleaned.get("phone") or "").strip()
        ):
            self.add_error("phone", "Enter their phone number, or choose another way to contact")
        return cleaned

    def details(self) -> dict[str, Any]:
        return {
            n: v
            for n, v in self.cleaned_data.items()
            if n not in {"version", "reason", "submission_token"}
        }


class NewFamilyMemberForm(FamilyMemberForm):
    submission_token = SubmissionTokenField()

    field_order = ["submission_token"]


class RelationshipToChildForm(forms.Form):
    """How one adult stands to one of the case's children."""

    child = forms.ChoiceField(
        label="Which child?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the child",
            "invalid_choice": "Choose one of this case's children",
        },
    )
    relationship = forms.ChoiceField(
        label="Their relationship to this child",
        choices=[("", "Choose a relationship"), *FamilyMember.Relationship.choices],
        error_messages={"required": "Choose their relationship to the child"},
    )
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility for this child?",
        choices=FamilyMember.ParentalResponsibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they have parental responsibility"},
    )
    lives_with_child = forms.TypedChoiceField(
        label="Do they live with this child?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they live with the child"},
    )
    reason = _reason_field("Why is this being recorded or changed? (optional)")

    def __init__(self, *args: Any, children: Sequence[Child], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.children = {str(c.pk): c for c in children}
        field = self.fields["child"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(pk, c.full_name) for pk, c in self.children.items()]

    def chosen_child(self) -> Child:
        return self.children[self.cleaned_data["child"]]


class ChangeFamilyMemberForm(FamilyMemberForm):
    version = VersionField()
    reason = _reason_field("Why are their details changing?")

    field_order = ["version"]

    @classmethod
    def initial_for(cls, member: FamilyMember) -> dict[str, Any]:
        names = list(FamilyMemberForm.base_fields)
        initial = {"version": member.version, **{n: getattr(member, n) for n in names}}
        initial["lives_with_children"] = "yes" if member.lives_with_children else "no"
        return initial


class SiblingForm(NewChildRecordForm):
    """A new child of the family for the case, after the duplicate check."""


# --- Unborn children and their birth ----------------------------------------------------

MOTHER_NEW = "new"


class UnbornChildForm(forms.Form):
    """An unborn child, recorded against the expectant mother (DOMAIN §2.2 B)."""

    submission_token = SubmissionTokenField()
    expected_date_of_delivery = GovUKDateField(
        label="Expected date of delivery", help_text="For example, 14 6 2027"
    )
    mother = forms.ChoiceField(
        label="Who is the expectant mother?",
        widget=forms.RadioSelect,
        required=False,
    )
    mother_given_names = forms.CharField(
        label="Expectant mother's given names", max_length=100, required=False
    )
    mother_family_name = forms.CharField(
        label="Expectant mother's family name", max_length=100, required=False
    )
    mother_date_of_birth = GovUKDateField(
        label="Expectant mother's date of birth (optional)", past=True, required=False
    )
    another_baby = forms.BooleanField(
        label="This is another baby, not one already recorded (twins, say)", required=False
    )

    def __init__(self, *args: Any, adults: list[FamilyMember] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.adults = {str(a.pk): a for a in adults or []}
        if adults:
            cast(forms.ChoiceField, self.fields["mother"]).choices = [
                *((str(a.pk), f"{a.full_name} ({a.get_relationship_display()})") for a in adults),
                (MOTHER_NEW, "Someone not yet recorded"),
            ]
            self.fields["mother"].required = True
            self.fields["mother"].error_messages["required"] = "Choose the expectant mother"
        else:
            del self.fields["mother"]

    def chosen_mother(self) -> FamilyMember | None:
        return self.adults.get(self.cleaned_data.get("mother") or "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.chosen_mother() is None and "mother" not in self.errors:
            if not (cleaned.get("mother_given_names") or "").strip():
                self.add_error("mother_given_names", "Enter the expectant mother's given names")
            if not (cleaned.get("mother_family_name") or "").strip():
                self.add_error("mother_family_name", "Enter the expectant mother's family name")
        return cleaned


class NewHouseholdUnbornForm(UnbornChildForm):
    """From "Add a child": the household's address comes with the expectant mother."""

    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter the expectant mother's address"},
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"}
    )

    def clean_postcode(self) -> str:
        value = clean_postcode(self.cleaned_data["postcode"])
        if not value:
            raise forms.ValidationError("Enter the postcode")
        return value


class BirthForm(forms.Form):
    """Recording the birth of a child recorded as unborn."""

    version = VersionField()
    date_of_birth = GovUKDateField(
        label="Date of birth", past=True, help_text="For example, 27 3 2027"
    )
    given_names = forms.CharField(
        label="Child's given names",
        max_length=100,
        error_messages={"required": "Enter the child's given names"},
    )
    family_name = forms.CharField(
        label="Child's family name",
        max_length=100,
        error_messages={"required": "Enter the child's family name"},
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex"},
    )


class MergeForm(forms.Form):
    """Two records of one child made one: which is the duplicate, which record is kept."""

    version = VersionField()
    other = forms.ChoiceField(
        label="Which record is the same child?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the record that is the same child"},
    )
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        widget=forms.RadioSelect,
        choices=[("this", "This record"), ("other", "The other record")],
        error_messages={"required": "Choose which record to keep"},
    )
    reason = forms.CharField(
        label="Why are these records the same child?",
        help_text="For example: same NHS number, birth certificate seen.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why these two records are the same child"},
    )

    def __init__(self, *args: Any, candidates: list[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.pk): c for c in candidates}
        cast(forms.ChoiceField, self.fields["other"]).choices = [
            (
                str(c.pk),
                f"{c.full_name}, "
                + (
                    f"born {c.date_of_birth:%-d %B %Y}"
                    if c.date_of_birth
                    else f"due {c.expected_date_of_delivery:%-d %B %Y}"
                )
                + f" (record {c.pk})",
            )
            for c in candidates
        ]

    def chosen(self) -> Child:
        return self.candidates[self.cleaned_data["other"]]


class UndoMergeForm(forms.Form):
    version = VersionField()
    reason = forms.CharField(
        label="Why is the merge being undone?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why the merge is being undone"},
    )
