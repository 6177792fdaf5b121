"""Forms for the episode steps. They parse input; the rules live in ``cases.services``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseClosure, Child, Family, FamilyMember, Sex, StepUpReferral
from cases.search import ChildQuery, SearchOutcome
from cases.services.closure import (
    CLOSURE_FORM_REASONS,
    closure_asks_about_outcomes,
    closure_reasons_for,
)
from cases.services.handover import HANDOVER_BASES, HANDOVER_REASONS
from cases.services.step_down import StepDownChild
from cases.validators import validate_postcode
from tac_portal.forms import GovUKDateField, SubmissionTokenField
from tac_portal.validators import validate_person_name

YES_NO = [("yes", "Yes"), ("no", "No")]
TIME_RE = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")
CHILD_FIELD_RE = re.compile(r"^child(\d+)_(\w+)$")


def _text(label: str, *, required: bool = True, message: str = "", **extra: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=extra.pop("max_length", 200),
        error_messages={"required": message} if message else {},
        **extra,
    )


def _long_text(
    label: str, *, required: bool = True, message: str = "", help_text: str = "", rows: int = 5
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": message} if message else {},
    )


def _yes_no(label: str, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": message},
    )


def _date(label: str, *, subject: str, required: bool = True, **extra: Any) -> GovUKDateField:
    """A date that cannot be in the future (something that has happened)."""
    return GovUKDateField(label=label, subject=subject, required=required, past=True, **extra)


def _professional_label(user: User) -> str:
    return f"{user.full_name}, {user.role_and_agency}"


class ProfessionalChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return _professional_label(obj)


def _team_professionals(case: Case) -> Any:
    return (
        User.objects.filter(
            tac_memberships__case=case,
            tac_memberships__left_at__isnull=True,
            is_active=True,
        )
        .select_related("agency")
        .order_by("full_name", "pk")
        .distinct()
    )


class HandoverForm(forms.Form):
    expected_assignment = forms.IntegerField(widget=forms.HiddenInput, required=False)
    to = ProfessionalChoiceField(
        label="Who is the new lead professional?",
        help_text="Only professionals on the team around the child are listed.",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the new lead professional",
            "invalid_choice": "Choose a professional on the team around the child",
        },
    )
    basis = forms.ChoiceField(
        label="How was the new lead professional agreed?",
        choices=HANDOVER_BASES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the new lead professional was agreed"},
    )
    reason = forms.ChoiceField(
        label="Why is the lead professional changing?",
        choices=HANDOVER_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for the handover"},
    )
    reason_detail = _long_text("More about the reason (needed for 'Other')", required=False, rows=3)
    note = _long_text(
        "Handover note",
        message="Write a handover note for the new lead professional",
        help_text="What the new lead needs to know: the family's situation, the plan, "
        "what is going well, what is outstanding and any risks.",
    )
    family_consulted = _yes_no(
        "Was the family consulted about the new lead professional?",
        "Say whether the family was consulted",
    )
    family_note = _long_text(
        "What the family said, or why they were not consulted",
        required=False,
        help_text="Needed if the family was not consulted.",
    )

    def stale_values(self, assignment: Any) -> dict[str, Any]:
        """What the fields say now (the lead's assignment), for a save refused as stale."""
        return {"to": assignment.professional}

    def __init__(self, *args: Any, case: Case, exclude: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _team_professionals(case)
        if exclude is not None:
            choices = choices.exclude(pk=exclude.pk)
        self.fields["to"].queryset = choices  # type: ignore[attr-defined]


class StepUpForm(forms.Form):
    submission_token = SubmissionTokenField()
    referred = _date("When was the referral made?", subject="The date of the referral")
    referred_time = _text(
        "Time",
        max_length=5,
        message="Enter the time of the referral",
        help_text="Use the 24-hour clock, for example 14:30.",
    )
    referred_by = ProfessionalChoiceField(
        label="Who made the referral?",
        queryset=User.objects.none(),
        empty_label="Choose a professional",
        error_messages={
            "required": "Choose who made the referral",
            "invalid_choice": "Choose a professional on the team around the child",
        },
    )
    reason = _long_text(
        "Why was the child referred to children's social care?",
        message="Enter why the child was referred to children's social care",
        help_text="The concerns, and what has been tried under the early help plan.",
    )
    family_informed = _yes_no(
        "Was the family told about the referral?", "Say whether the family was told"
    )
    family_not_informed_reason = _long_text(
        "Why was the family not told?",
        required=False,
        rows=3,
        help_text="Needed if the family was not told: for example, telling them would "
        "put the child at greater risk.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referred_by"].queryset = _team_professionals(case)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("referred")
        raw_time = str(cleaned.get("referred_time") or "")
        match = TIME_RE.match(raw_time) if raw_time else None
        if raw_time and match is None:
            self.add_error("referred_time", "Enter the time like 14:30")
        if day is not None and match is not None:
            cleaned["referred_at"] = dt.datetime.combine(
                day,
                dt.time(int(match.group(1)), int(match.group(2))),
                tzinfo=timezone.get_current_timezone(),
            )
        return cleaned


class StepUpDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What did children's social care decide?",
        choices=[("accepted", "They accepted the referral"), ("declined", "They did not")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what children's social care decided"},
    )
    decided = _date("When did they decide?", subject="The date of the decision")
    social_worker_name = _text("Allocated social worker's name", required=False)
    social_worker_agency = _text(
        "Social worker's team", required=False, help_text="For example, Assessment team 2."
    )
    social_worker_email = forms.EmailField(
        label="Social worker's email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    decline_outcome = forms.ChoiceField(
        label="If they did not accept it, what was the outcome?",
        choices=StepUpReferral.DeclineOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = _long_text("Notes on the decision (optional)", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("decided")
        if day is not None:
            now = timezone.localtime()
            # A decision recorded for today is timed now; an earlier one at the end of its day.
            cleaned["decided_at"] = (
                now
                if day == now.date()
                else dt.datetime.combine(day, dt.time(17, 0), tzinfo=now.tzinfo)
            )
        return cleaned


MAX_STEP_DOWN_CHILDREN = 3
_CHILD_PARTS = ("given_names", "family_name", "dob", "sex")


def _which(n: int) -> str:
    return "the child" if n == 1 else f"child {n}"


def _child_fields(n: int) -> dict[str, forms.Field]:
    return {
        f"child{n}_given_names": _text(
            "Given names", max_length=100, required=False, validators=[validate_person_name]
        ),
        f"child{n}_family_name": _text(
            "Family name", max_length=100, required=False, validators=[validate_person_name]
        ),
        # Required once anything about the child is given (see StepDownForm.clean).
        f"child{n}_dob": _date(
            "Date of birth",
            subject=f"The date of birth of {_which(n)}",
            required=False,
            help_text="For example, 17 5 2016",
        ),
        f"child{n}_sex": forms.ChoiceField(
            label="Sex", choices=Sex.choices, widget=forms.RadioSelect, required=False
        ),
        # Answered once the duplicate check has shown possible matches (see StepDownForm).
        f"child{n}_record": forms.CharField(required=False, max_length=20),
        f"child{n}_duplicate_reason": _long_text(
            "Why is this a different child?",
            required=False,
            help_text="For example: different date of birth confirmed with the social worker.",
        ),
    }


#: The answer that none of the possible matches is the child.
NEW_CHILD = "new"


class StepDownForm(forms.Form):
    """What the stepping-down social worker passed on, and the duplicate check's answers.

    ``matches`` are the duplicate check's results for each child that has likely
    matches (keyed by the child's number on the form). With them, each of those
    children gets a choice: one of the matches the user may see, or ``NEW_CHILD``
    with a reason. The answers are required only when ``confirm`` is true (the
    user has already seen these matches); before that, answers posted for
    earlier matches are dropped.
    """

    submission_token = SubmissionTokenField()
    family_name = _text(
        "Family name",
        message="Enter how the family is known",
        help_text="How the household is known, for example 'the Okafor family'.",
    )
    address = _long_text("Address", message="Enter the family's address")
    postcode = _text("Postcode", max_length=10, required=False, validators=[validate_postcode])
    parent_given_names = _text(
        "Given names",
        max_length=100,
        message="Enter the given names of who agreed",
        validators=[validate_person_name],
    )
    parent_family_name = _text(
        "Family name",
        max_length=100,
        message="Enter the family name of who agreed",
        validators=[validate_person_name],
    )
    parent_relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[("", "Choose a relationship"), *FamilyMember.Relationship.choices],
        error_messages={"required": "Choose their relationship to the child"},
    )
    agreement = _date("When was the agreement signed?", subject="The date of the written agreement")
    lead = ProfessionalChoiceField(
        label="Agreed lead professional",
        queryset=User.objects.filter(
            is_active=True,
            role__in=[User.Role.PRACTITIONER, User.Role.TEAM_MANAGER, User.Role.COORDINATOR],
        )
        .select_related("agency")
        .order_by("full_name", "pk"),
        empty_label="Choose a professional",
        error_messages={
            "required": "Choose the agreed lead professional",
            "invalid_choice": "Choose a professional from the list",
        },
    )
    summary = _long_text(
        "Social care handover summary",
        message="Enter the social care handover summary",
        help_text="The single assessment or child in need plan summary: needs, risks, "
        "what has changed and why early help is now right.",
    )
    outstanding_actions = _long_text(
        "Outstanding actions (optional)",
        required=False,
        help_text="Actions from the child in need plan that early help takes on.",
    )
    meeting = _date(
        "Date of the handover meeting (optional)",
        subject="The date of the handover meeting",
        required=False,
    )
    social_worker_name = _text("Social worker's name (optional)", required=False)
    social_worker_agency = _text("Social worker's team (optional)", required=False)
    social_worker_email = forms.EmailField(
        label="Social worker's email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        matches: Mapping[int, SearchOutcome] | None = None,
        confirm: bool = False,
        **kwargs: Any,
    ) -> None:
        self.matches = dict(matches or {})
        self.confirm = confirm
        if data is not None and self.matches and not confirm:
            data = data.copy()
            for n in self.matches:
                data.pop(f"child{n}_record", None)
        super().__init__(data, **kwargs)
        # Each child's boxes, placed after the family's address so errors list in page order.
        fields = dict(self.fields)
        ordered: dict[str, forms.Field] = {}
        for name, field in fields.items():
            ordered[name] = field
            if name == "postcode":
                for n in range(1, MAX_STEP_DOWN_CHILDREN + 1):
                    ordered |= _child_fields(n)
        self.fields = ordered
        for n, outcome in self.matches.items():
            which = _which(n)
            self.fields[f"child{n}_record"] = forms.ChoiceField(
                label=f"Is {which} one of these children?",
                choices=[(str(r.child.pk), r.child.full_name) for r in outcome.visible]
                + [(NEW_CHILD, "No, this is a different child")],
                widget=forms.RadioSelect,
                required=False,
                error_messages={
                    "invalid_choice": f"Choose one of the children shown for {which}, "
                    "or say this is a different child"
                },
            )

    @property
    def children(self) -> list[dict[str, Any]]:
        """Each child's bound fields, for the template."""
        return [
            {
                "number": n,
                "given_names": self[f"child{n}_given_names"],
                "family_name": self[f"child{n}_family_name"],
                "dob": self[f"child{n}_dob"],
                "sex": self[f"child{n}_sex"],
                "outcome": self.matches.get(n),
                "record": self[f"child{n}_record"],
                "matches": self._shown_matches(n),
                "duplicate_reason": self[f"child{n}_duplicate_reason"],
            }
            for n in range(1, MAX_STEP_DOWN_CHILDREN + 1)
        ]

    def _shown_matches(self, n: int) -> dict[str, dict[str, Any]]:
        """Child ``n``'s possible matches the user may see, by the value of their radio."""
        outcome = self.matches.get(n)
        if outcome is None:
            return {}
        return {
            str(r.child.pk): {
                "result": r,
                "postcode_restricted": r.child.pk in outcome.restricted_addresses,
            }
            for r in outcome.visible
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["children"] = []
        for n in range(1, MAX_STEP_DOWN_CHILDREN + 1):
            if n > 1 and not self._child_given(n):
                continue  # a further child left blank
            which = _which(n)
            for part, message in (
                ("given_names", f"Enter the given names of {which}"),
                ("family_name", f"Enter the family name of {which}"),
                ("sex", f"Choose the sex of {which}"),
            ):
                name = f"child{n}_{part}"
                if not str(cleaned.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, message)
            dob = cleaned.get(f"child{n}_dob")
            if dob is None and f"child{n}_dob" not in self.errors:
                self.add_error(f"child{n}_dob", self.fields[f"child{n}_dob"].message("required"))  # type: ignore[attr-defined]
            cleaned["children"].append(
                {
                    "number": n,
                    "details": {
                        "given_names": cleaned.get(f"child{n}_given_names", ""),
                        "family_name": cleaned.get(f"child{n}_family_name", ""),
                        "date_of_birth": dob,
                        "sex": cleaned.get(f"child{n}_sex", ""),
                    },
                    **self._match_answer(n, which, cleaned),
                }
            )
        cleaned["agreement_on"] = cleaned.get("agreement")
        cleaned["meeting_on"] = cleaned.get("meeting")
        return cleaned

    def _child_given(self, n: int) -> bool:
        """Whether anything was typed for child ``n`` (a date's boxes count, even when wrong)."""
        for part in _CHILD_PARTS:
            raw = self[f"child{n}_{part}"].data
            values = raw if isinstance(raw, list | tuple) else [raw]
            if any(str(v or "").strip() for v in values):
                return True
        return False

    def queries(self) -> dict[int, ChildQuery]:
        """What the duplicate check looks for, for each child named (by number on the form)."""
        data = self.cleaned_data
        return {
            child["number"]: ChildQuery(
                given_names=child["details"]["given_names"].strip(),
                family_name=child["details"]["family_name"].strip(),
                date_of_birth=child["details"]["date_of_birth"],
                postcode=data["postcode"],
            )
            for child in data["children"]
        }

    def renumbered(self, error: ValidationError) -> ValidationError:
        """A service's error with its ``child<i>_`` keys (i-th child given) moved to the
        boxes of the child's number on the form (a blank child 2 is skipped)."""
        if not hasattr(error, "error_dict"):
            return error
        numbers = [child["number"] for child in self.cleaned_data["children"]]
        moved: dict[str, Any] = {}
        for field, errors in error.error_dict.items():
            found = CHILD_FIELD_RE.match(field)
            if found and int(found[1]) <= len(numbers):
                field = f"child{numbers[int(found[1]) - 1]}_{found[2]}"
            moved[field] = errors
        return ValidationError(moved)

    def _match_answer(self, n: int, which: str, cleaned: dict[str, Any]) -> dict[str, Any]:
        """Child ``n``'s answer to the duplicate check: an existing child, or a reason."""
        outcome = self.matches.get(n)
        if outcome is None:
            return {"existing_id": None, "possible_matches": [], "reason": ""}
        record = cleaned.get(f"child{n}_record") or ""
        reason = str(cleaned.get(f"child{n}_duplicate_reason") or "").strip()
        if not outcome.visible:
            record = NEW_CHILD  # only matches the user may not see: nothing to choose
        if self.confirm and f"child{n}_record" not in self.errors:
            if not record:
                self.add_error(
                    f"child{n}_record",
                    f"Choose whether {which} is one of the children shown",
                )
            elif record == NEW_CHILD and not reason:
                self.add_error(
                    f"child{n}_duplicate_reason",
                    f"Explain why none of the possible matches is {which}",
                )
        return {
            "existing_id": int(record) if record.isdecimal() else None,
            "possible_matches": list(outcome.matched_ids),
            "reason": reason if record == NEW_CHILD else "",
        }

    def records(self) -> tuple[Family, list[StepDownChild], FamilyMember]:
        """Unsaved family, children and parent built from the cleaned data.

        A child matched to an existing record names it; the unsaved one built
        from what was typed is then not saved.
        """
        data = self.cleaned_data
        family = Family(
            name=data["family_name"], address=data["address"], postcode=data["postcode"]
        )
        children = [
            StepDownChild(
                record=Child(
                    **child["details"], address=data["address"], postcode=data["postcode"]
                ),
                existing_id=child["existing_id"],
                possible_matches=child["possible_matches"],
                reason=child["reason"],
            )
            for child in data["children"]
        ]
        parent = FamilyMember(
            given_names=data["parent_given_names"],
            family_name=data["parent_family_name"],
            relationship=data["parent_relationship"],
            parental_responsibility=FamilyMember.ParentalResponsibility.YES,
        )
        return family, children, parent


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=CLOSURE_FORM_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason the case is closing"},
    )
    reason_detail = _long_text("More about the reason (needed for 'Other')", required=False, rows=3)
    progress_summary = _long_text("Summary of progress", message="Summarise the progress made")
    outcomes_achieved = forms.ChoiceField(
        label="Were the plan's outcomes achieved?",
        choices=[
            (value, label)
            for value, label in CaseClosure.OutcomesAchieved.choices
            if value != CaseClosure.OutcomesAchieved.NO_PLAN
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the plan's outcomes were achieved"},
    )
    outcomes_detail = _long_text(
        "Which outcomes were achieved, and why were any not?",
        message="Say which outcomes were achieved, and why any were not",
    )
    child_views = _long_text(
        "The child's views on closure", message="Record the child's views on closure"
    )
    family_views = _long_text(
        "The family's views on closure", message="Record the family's views on closure"
    )
    continuing_support = _long_text(
        "Who will continue to support the family?",
        message="Say who will continue to support the family, or that no one will",
        help_text="For example, the school's pastoral team, or universal services only.",
    )
    post_closure_actions = _long_text(
        "Actions after closure (optional)",
        required=False,
        help_text="Anything agreed to happen after the case closes, and who will do it.",
    )

    # Family first (DOMAIN §3.7, §9): the child's and the family's own views open the form,
    # and the error summary follows the same order.
    field_order = ["child_views", "family_views", "reason", "reason_detail"]

    def __init__(self, *args: Any, stage: str, **kwargs: Any) -> None:
        """The reasons that fit the case's stage; before a plan, nothing about its outcomes."""
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)  # noqa: S101 - declared above
        reason.choices = closure_reasons_for(stage)
        if not closure_asks_about_outcomes(stage):
            del self.fields["outcomes_achieved"]
            del self.fields["outcomes_detail"]
            self.fields["progress_summary"].label = "What happened, and what the family was offered"


class StageForm(forms.Form):
    note = _long_text(
        "Note for the chronology (optional)",
        required=False,
        rows=3,
        help_text="For example, who agreed this and when.",
    )
