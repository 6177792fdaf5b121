"""Forms for the practitioner journeys. They check input; the services decide the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from agencies.models import Agency, User
from cases.models import (
    Case,
    Child,
    ConsentRecord,
    DisclosureDecision,
    FamilyMember,
    InformationLevel,
    LevelOfNeed,
    ReferralSource,
    Sex,
    TriageDecision,
)
from cases.validators import nhs_number_is_valid, normalise_postcode, validate_postcode
from tac_portal.forms import (
    FreeTextField,
    GovUKDateField,
    PersonNameField,
    SubmissionTokenField,
)


def clean_nhs_number(value: str) -> str:
    digits = value.replace(" ", "").replace("-", "")
    if not digits:
        return ""
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 10:
        raise forms.ValidationError("NHS number must be 10 digits, like 485 777 3456")
    if not nhs_number_is_valid(digits):
        raise forms.ValidationError(
            "Enter a real NHS number: this one's check digit is wrong (check for a typo)"
        )
    return digits


def clean_postcode(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_postcode(value)
    except forms.ValidationError:
        raise forms.ValidationError("Enter a real UK postcode, like LS1 4AP") from None
    return normalise_postcode(value)


# --- Find a child ----------------------------------------------------------------------


class ChildSearchForm(forms.Form):
    given_names = forms.CharField(label="Given names", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    date_of_birth = GovUKDateField(
        label="Date of birth", required=False, past=True, help_text="For example, 27 3 2016"
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    nhs_number = forms.CharField(
        label="NHS number", max_length=14, required=False, help_text="10 digits"
    )

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_nhs_number(self) -> str:
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        has_name = bool(cleaned.get("family_name", "").strip())
        has_dob = cleaned.get("date_of_birth") is not None
        enough = (
            cleaned.get("nhs_number")
            or has_name
            or (has_dob and (cleaned.get("given_names") or cleaned.get("postcode")))
        )
        if not enough:
            self.add_error(
                "family_name",
                "Enter a family name, an NHS number, or a date of birth with a given name "
                "or postcode",
            )
        return cleaned


# --- Add a child and choose what happens next ------------------------------------------


class NextStep:
    START_CASE = "start_case"
    REQUEST_SUPPORT = "request_support"
    LOG_REQUEST = "log_request"
    CHOICES = (
        (START_CASE, "Start early help myself (I will be the interim lead professional)"),
        (REQUEST_SUPPORT, "Send a request for support to the early help hub"),
    )
    #: Triage staff also take requests by phone and self-referrals from families.
    TRIAGE_CHOICES = (
        *CHOICES,
        (LOG_REQUEST, "Log a request that came by phone, or a self-referral from the family"),
    )


class NewChildRecordForm(forms.Form):
    """A new child's record, checked for duplicates first: the identity every new record
    needs (from Add a child, or a sibling from a case), and, when the check found possible
    matches, the confirmation that none of them is this child, with the reason."""

    submission_token = SubmissionTokenField()
    given_names = PersonNameField(
        label="Child's given names",
        max_length=100,
        error_messages={"required": "Enter the child's given names"},
    )
    family_name = PersonNameField(
        label="Child's family name",
        max_length=100,
        error_messages={"required": "Enter the child's family name"},
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
    nhs_number = forms.CharField(
        label="NHS number (optional)", max_length=14, required=False, help_text="10 digits"
    )
    matches_reviewed = forms.BooleanField(
        label="I have looked at the possible matches and none of them is this child",
        required=False,
    )
    duplicate_reason = forms.CharField(
        label="Why are you adding a new record?",
        help_text="For example: different date of birth confirmed with the parent.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, possible_matches: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.possible_matches = possible_matches

    def clean_nhs_number(self) -> str:
        return clean_nhs_number(self.cleaned_data["nhs_number"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.possible_matches:
            if not cleaned.get("matches_reviewed"):
                self.add_error(
                    "matches_reviewed",
                    "Confirm you have looked at the possible matches before adding a new record",
                )
            if not cleaned.get("duplicate_reason", "").strip():
                self.add_error("duplicate_reason", "Explain why you are adding a new record")
        return cleaned


class NewChildForm(NewChildRecordForm):
    """Add a child: the record, the family's address and first carer, and what happens next."""

    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter the child's address"},
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"}
    )
    carer_given_names = PersonNameField(
        label="Parent or carer's given names (optional)", max_length=100, required=False
    )
    carer_family_name = PersonNameField(
        label="Parent or carer's family name (optional)", max_length=100, required=False
    )
    carer_relationship = forms.ChoiceField(
        label="Their relationship to the child",
        choices=[("", "Choose a relationship"), *FamilyMember.Relationship.choices],
        required=False,
    )
    carer_parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility?",
        choices=FamilyMember.ParentalResponsibility.choices,
        initial=FamilyMember.ParentalResponsibility.UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    next_step = forms.ChoiceField(
        label="What do you want to do next?",
        choices=NextStep.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to do next"},
    )
    source_code = forms.ChoiceField(
        label="Where does the request come from? (for a request for support)",
        choices=[("", "Choose a source"), *ReferralSource.choices],
        required=False,
    )
    summary_of_need = forms.CharField(
        label="What support does the child or family need? (for a request for support)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    requester_name = forms.CharField(
        label="Who asked for support? (for a request by phone or a self-referral)",
        help_text="The parent or young person who asked, or the professional who phoned.",
        max_length=200,
        required=False,
    )
    requester_agency = forms.ModelChoiceField(
        label="Their organisation, if a professional phoned (optional)",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="None: the family asked themselves",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    family_aware = forms.BooleanField(label="The family knows about this request", required=False)
    consent_obtained = forms.BooleanField(
        label="The family agreed to this request being made", required=False
    )

    # As the page asks them (the error summary follows this): the duplicate check's
    # confirmation comes last.
    field_order = [
        "given_names",
        "family_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        "address",
        "postcode",
        "carer_given_names",
        "carer_family_name",
        "carer_relationship",
        "carer_parental_responsibility",
        "next_step",
        "source_code",
        "summary_of_need",
        "requester_name",
        "requester_agency",
        "family_aware",
        "consent_obtained",
        "matches_reviewed",
        "duplicate_reason",
    ]

    def __init__(
        self, *args: Any, possible_matches: bool = False, triage: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, possible_matches=possible_matches, **kwargs)
        self.triage = triage
        if triage:
            step = self.fields["next_step"]
            assert isinstance(step, forms.ChoiceField)  # noqa: S101
            step.choices = NextStep.TRIAGE_CHOICES
        else:
            del self.fields["requester_name"]
            del self.fields["requester_agency"]

    def clean_postcode(self) -> str:
        value = clean_postcode(self.cleaned_data["postcode"])
        if not value:
            raise forms.ValidationError("Enter the postcode")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("next_step") == NextStep.LOG_REQUEST
            and not (cleaned.get("requester_name") or "").strip()
        ):
            self.add_error("requester_name", "Enter who asked for support")
        if cleaned.get("next_step") in (NextStep.REQUEST_SUPPORT, NextStep.LOG_REQUEST):
            if not cleaned.get("source_code"):
                self.add_error("source_code", "Choose where the request comes from")
            if not cleaned.get("summary_of_need", "").strip():
                self.add_error("summary_of_need", "Describe what support is needed")
        if (cleaned.get("carer_given_names") or "").strip() and not cleaned.get(
            "carer_relationship"
        ):
            self.add_error("carer_relationship", "Choose the parent or carer's relationship")
        return cleaned


# --- Triage ----------------------------------------------------------------------------


class LeadChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}, {obj.role_and_agency}"


class TriageForm(forms.Form):
    submission_token = SubmissionTokenField()
    decision = forms.ChoiceField(
        label="Decision",
        choices=TriageDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    level = forms.ModelChoiceField(
        label="Level of need",
        queryset=LevelOfNeed.objects.filter(is_active=True),
        required=False,
        empty_label="Choose a level",
        error_messages={"invalid_choice": "Choose a level of need from the list"},
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why this decision and this level of need. Your name is recorded with it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Explain the decision and the level of need"},
    )
    lead = LeadChoiceField(
        label="Who will be the lead professional?",
        help_text="Anyone in any agency who works on cases. Leave it empty and the "
        "professional who asked for support leads for now.",
        queryset=User.objects.filter(is_active=True, role__in=User.CASE_WORKING_ROLES)
        .select_related("agency")
        .order_by("agency__name", "full_name", "pk"),
        required=False,
        empty_label="Not yet: the professional who asked leads for now",
        error_messages={"invalid_choice": "Choose a professional from the list"},
    )
    family_preference = forms.CharField(
        label="What the family said about who should lead",
        help_text="For example, the school they already trust. Leave empty if they were not asked.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Consent and sharing -----------------------------------------------------------------


class ConsentForm(forms.Form):
    submission_token = SubmissionTokenField()
    kind = forms.ChoiceField(
        label="What is being recorded?",
        choices=ConsentRecord.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is being recorded"},
    )
    given_by = forms.ChoiceField(
        label="Who gave it?", error_messages={"required": "Choose who gave it"}
    )
    subject_children = forms.MultipleChoiceField(
        label="Which children does it cover?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the children it covers"},
    )
    capacity_basis = forms.ChoiceField(
        label="On what basis could they give it?",
        choices=ConsentRecord.CapacityBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the basis"},
    )
    capacity_note = forms.CharField(
        label="Notes on capacity (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    method = forms.ChoiceField(
        label="How was it given?",
        choices=ConsentRecord.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it was given"},
    )
    given_on = GovUKDateField(label="Date given", past=True)
    information_level = forms.ChoiceField(
        label="What information may be shared?",
        choices=InformationLevel.choices,
        initial=InformationLevel.BASIC,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what information may be shared"},
        help_text="Basic: name, address, sex, date of birth, school, GP, parents. "
        "Additional: needs, including sensitive information.",
    )
    agencies_allowed = forms.ModelMultipleChoiceField(
        label="Agencies the family agreed may receive information (none ticked: every TAC agency)",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        required=False,
        error_messages={"invalid_choice": "Choose agencies on the team around the child"},
    )
    agencies_excluded = forms.ModelMultipleChoiceField(
        label="Agencies that must not receive additional information",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        required=False,
        error_messages={"invalid_choice": "Choose agencies on the team around the child"},
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        members: list[FamilyMember],
        subjects: list[Child],
        agencies: list[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.subjects = {str(c.pk): c for c in subjects}
        given_by = cast(forms.ChoiceField, self.fields["given_by"])
        given_by.choices = [
            ("", "Choose a person"),
            *[
                (f"member:{m.pk}", f"{m.full_name} ({m.get_relationship_display()})")
                for m in members
            ],
            *[(f"child:{c.pk}", f"{c.full_name} (the young person)") for c in subjects],
        ]
        self.fields["capacity_basis"].help_text = (
            "A young person's own agreement is recorded from age "
            f"{settings.TAC_CHILD_OWN_AGREEMENT_AGE}; under 16 only if you assessed them as "
            "competent (Gillick): say how in the notes."
        )
        children = cast(forms.MultipleChoiceField, self.fields["subject_children"])
        children.choices = [(str(c.pk), c.full_name) for c in subjects]
        agency_ids = [a.pk for a in agencies]
        for name in ("agencies_allowed", "agencies_excluded"):
            field = cast("forms.ModelMultipleChoiceField[Agency]", self.fields[name])
            field.queryset = Agency.objects.filter(pk__in=agency_ids).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("subject_children", list(self.subjects))

    def clean_given_by(self) -> tuple[FamilyMember | None, Child | None]:
        value = self.cleaned_data["given_by"]
        kind, _, pk = value.partition(":")
        if kind == "member" and pk in self.members:
            return self.members[pk], None
        if kind == "child" and pk in self.subjects:
            return None, self.subjects[pk]
        raise forms.ValidationError("Choose who gave it")

    def clean_subject_children(self) -> list[Child]:
        return [self.subjects[pk] for pk in self.cleaned_data["subject_children"]]


class WithdrawConsentForm(forms.Form):
    withdrawal_note = forms.CharField(
        label="What did the family say, and when?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Describe what the family said and when"},
    )


# --- Disclosure decisions ----------------------------------------------------------------


class DisclosureForm(forms.Form):
    submission_token = SubmissionTokenField()
    decision = forms.ChoiceField(
        label="Was the information shared?",
        choices=DisclosureDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the information was shared"},
    )
    recipient = forms.CharField(
        label="Shared (or not) with",
        help_text="The agency or person.",
        max_length=200,
        error_messages={"required": "Enter who it was, or was not, shared with"},
    )
    information = forms.CharField(
        label="What information",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Describe the information"},
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Enter the purpose"},
    )
    lawful_basis = forms.CharField(
        label="Lawful basis (optional)",
        help_text="For example, UK GDPR Article 6(1)(e) public task.",
        max_length=200,
        required=False,
    )
    with_consent = forms.BooleanField(label="The family consented to this", required=False)
    reason = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Explain the reasons for the decision"},
    )
    decided_on = GovUKDateField(label="Date of the decision", past=True)


class ConcernForm(forms.Form):
    """A safeguarding concern: what was seen or heard comes first, before anything is kept."""

    submission_token = SubmissionTokenField()
    what_was_seen_or_heard = FreeTextField(
        label="What did you see or hear?",
        help_text="In your own words: what happened, what was said and by whom, and when. "
        "Keep to what you saw or heard yourself.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Say what you saw or heard that worries you"},
    )
