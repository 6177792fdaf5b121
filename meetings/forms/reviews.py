"""Keeping the plan between meetings: reviews, family feedback, contributions, action
updates and changes, case discussions."""

from __future__ import annotations

from typing import Any

from django import forms

from agencies.models import User
from cases.models import Case
from meetings.forms.common import (
    AREA,
    NETWORK_OWNER,
    SCALE,
    ProfessionalChoices,
    professionals_on,
    version_field,
)
from meetings.forms.plan import OwnedForm
from meetings.models import (
    Action,
    FamilyFeedback,
    Outcome,
    Review,
)
from tac_portal.forms import (
    FreeTextField,
    GovUKDateField,
    SubmissionTokenField,
)
from tac_portal.validators import DUE_YEARS_AHEAD


class ReviewForm(forms.Form):
    submission_token = SubmissionTokenField()
    child_views = FreeTextField(
        label="The child's views, in their own words",
        required=False,
        help_text="If the child could not or did not want to give their views, say so and why.",
        widget=forms.Textarea(attrs=AREA),
    )
    parent_views = FreeTextField(
        label="The parents' or carers' views, in their own words",
        required=False,
        widget=forms.Textarea(attrs=AREA),
    )
    summary = FreeTextField(
        label="Updates collected from the TAC", required=False, widget=forms.Textarea(attrs=AREA)
    )
    progress = forms.ChoiceField(
        label="How have things changed?",
        choices=Review.Progress.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    next_review_on = GovUKDateField(
        label="Next review date (optional)",
        subject="The review date",
        required=False,
        help_text="Leave blank to use the usual interval.",
    )
    beyond_guideline_reason = forms.CharField(
        label="If the date is more than 3 months away, why?",
        required=False,
        max_length=200,
        help_text="Reviews are usually no more than 3 months apart. A later date is accepted "
        "with a reason, which shows on the dashboards as why the review is late.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FamilyFeedbackForm(forms.Form):
    submission_token = SubmissionTokenField()
    given_by = forms.ChoiceField(
        label="Who answered?",
        choices=FamilyFeedback.GivenBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gave the feedback."},
    )
    answer = forms.ChoiceField(
        label="Is this working for you?",
        choices=FamilyFeedback.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the family's answer: is this working for them?"},
    )
    in_their_words = FreeTextField(
        label="What they said, in their own words (optional)",
        required=False,
        help_text="About the help and the team around them. Leave out names.",
        widget=forms.Textarea(attrs=AREA),
    )
    may_quote = forms.BooleanField(
        label="They agreed their words may be shown to managers, without names, "
        "to improve the service",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("may_quote") and not data.get("in_their_words", "").strip():
            self.add_error(
                "may_quote", "There are no words to quote: write their words or untick this."
            )
        return data


class ContributionForm(forms.Form):
    submission_token = SubmissionTokenField()
    body = FreeTextField(
        label="Your contribution",
        widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Enter your contribution"},
    )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[
            (Action.Status.IN_PROGRESS, "In progress"),
            (Action.Status.DONE, "Done"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    progress_note = FreeTextField(
        label="Progress note", required=False, widget=forms.Textarea(attrs=AREA)
    )
    version = version_field()


#: The owner choice that keeps an action with an owner who has left the TAC.
KEEP_OWNER = "current"


class ChangeActionForm(OwnedForm):
    """Move an action's due date or hand it to someone else (the lead or a manager).

    ``former_owner`` names an owner who has since left the TAC: they stay the
    first, chosen option, so moving the date alone never hands the action on.
    """

    field_order = ["due_on", "owner", "network_name", "reason"]

    def __init__(self, *args: Any, former_owner: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if former_owner:
            keep = (KEEP_OWNER, f"{former_owner} (no longer on the team: keep as owner)")
            self.fields["owner"].choices = [keep, *self.fields["owner"].choices]  # type: ignore[attr-defined]

    def keeps_owner(self) -> bool:
        return bool(self.cleaned_data["owner"] == KEEP_OWNER)

    def stale_values(self, action: Action) -> dict[str, Any]:
        """What the fields say now, for a save refused as stale (tac_portal.forms)."""
        owner = next(
            (
                key
                for key, m in self.memberships.items()
                if (m.professional_id and m.professional_id == action.owner_professional_id)
                or (m.family_member_id and m.family_member_id == action.owner_family_member_id)
            ),
            NETWORK_OWNER if action.owner_name else action.owner_display,
        )
        return {"owner": owner, "network_name": action.owner_name}

    due_on = GovUKDateField(label="Due date", years_ahead=DUE_YEARS_AHEAD)
    reason = FreeTextField(
        label="Why it is changing (optional)",
        required=False,
        help_text="Everyone on the team sees this with the action's progress notes.",
        widget=forms.Textarea(attrs=AREA),
    )
    version = version_field()


class CancelActionForm(forms.Form):
    reason = FreeTextField(
        label="Why is the action no longer needed?",
        widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Say why the action is no longer needed."},
    )
    version = version_field()


class OutcomeReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="Where does this outcome stand?",
        choices=Outcome.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where this outcome stands."},
    )
    current_scale = forms.IntegerField(
        label="Where are things now, from 0 to 10? (optional)",
        required=False,
        min_value=0,
        max_value=10,
        help_text="On the same scale as when the outcome was agreed.",
        widget=forms.TextInput(attrs=SCALE),
        error_messages={
            "min_value": "Use a number from 0 to 10.",
            "max_value": "Use a number from 0 to 10.",
            "invalid": "Use a number from 0 to 10.",
        },
    )
    note = FreeTextField(
        label="What the family and the team said (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=AREA),
    )
    version = version_field()

    def stale_values(self, outcome: Outcome) -> dict[str, Any]:
        """What the fields say now, for a save refused as stale (tac_portal.forms)."""
        return {"note": outcome.review_note}


class DiscussionForm(forms.Form):
    submission_token = SubmissionTokenField()
    held_on = GovUKDateField(label="Date of the discussion", past=True)
    question = FreeTextField(
        label="The question we explored",
        widget=forms.Textarea(AREA),
        error_messages={"required": "Enter the question you explored"},
    )
    hypotheses = FreeTextField(
        label="Hypotheses: what we think might be happening",
        required=False,
        widget=forms.Textarea(AREA),
    )
    learning = FreeTextField(label="What we learned", required=False, widget=forms.Textarea(AREA))
    next_steps = FreeTextField(
        label="Agreed next steps", required=False, widget=forms.Textarea(AREA)
    )
    participants = ProfessionalChoices(
        label="Who took part",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Choose people who are on the team around the child"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = professionals_on(case)  # type: ignore[attr-defined]
