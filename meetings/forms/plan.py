"""Meeting mode and the plan: outcomes, actions, decisions, dissent, the lead and the next
review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from agencies.models import User
from cases.models import Case, Child, TeamMembership
from meetings.forms.common import (
    AREA,
    NETWORK_OWNER,
    SCALE,
    MemberChoiceField,
    OutcomeChoices,
    professionals_on,
    scale_messages,
    version_field,
)
from meetings.models import (
    OUTCOME_TAGS,
    Invitation,
    Meeting,
    Outcome,
)
from meetings.services.plan import REVIEW_STATUSES
from tac_portal.forms import (
    FreeTextField,
    GovUKDateField,
    PersonNameField,
    SubmissionTokenField,
    VersionField,
)
from tac_portal.validators import DUE_YEARS_AHEAD

#: The "Who is it for?" answer that means every child of the case.
ALL_CHILDREN = ""


class AutosaveForm(forms.Form):
    # As long as an assessment's longest answer: a meeting's record of one discussion.
    text = FreeTextField(
        required=False, strip=False, max_length=20_000, widget=forms.Textarea(attrs=AREA)
    )
    version = version_field()
    # Sent by the "Save my text instead of theirs" button, never typed.
    confirm_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @property
    def effective_version(self) -> int:
        confirmed = self.cleaned_data.get("confirm_version")
        return int(confirmed if confirmed is not None else self.cleaned_data["version"])


class ForOneChildForm(forms.Form):
    """A plan entry for one of the case's children or for all of them: the question is
    asked only when the case is about more than one child."""

    child = forms.ChoiceField(
        label="Who is it for?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of this case's children, or all of them"},
    )

    def __init__(self, *args: Any, children: Sequence[Child] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.children = {str(c.pk): c for c in children}
        if len(self.children) < 2:
            del self.fields["child"]
            return
        field = self.fields["child"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(ALL_CHILDREN, "All the children")] + [
            (pk, c.full_name) for pk, c in self.children.items()
        ]
        field.initial = ALL_CHILDREN

    def chosen_child(self) -> Child | None:
        """The child chosen, or ``None`` for all of them."""
        return self.children.get(self.cleaned_data.get("child") or ALL_CHILDREN)


class OutcomeForm(ForOneChildForm):
    submission_token = SubmissionTokenField()
    field_order = ["statement", "child"]

    statement = FreeTextField(
        label="What will be different, in the family's words",
        widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Enter what will be different, in the family's words"},
    )
    how_we_will_know = FreeTextField(
        label="How we will know", required=False, widget=forms.Textarea(attrs=AREA)
    )
    framework_tags = forms.MultipleChoiceField(
        label="Outcome tags (optional)",
        choices=OUTCOME_TAGS,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Choose tags from the list"},
    )
    baseline_scale = forms.IntegerField(
        label="Where things are now, 0 to 10 (optional)",
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.TextInput(attrs=SCALE),
        error_messages=scale_messages("Where things are now"),
    )
    target_scale = forms.IntegerField(
        label="Where the family wants to be, 0 to 10 (optional)",
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.TextInput(attrs=SCALE),
        error_messages=scale_messages("Where the family wants to be"),
    )


class OwnedForm(forms.Form):
    """A form that says who owns an action: a TAC member, or a family network member
    named by hand (``owner_membership()`` is None then, and ``network_name`` says who)."""

    #: The first option of the owner list, if the form starts with no one chosen.
    blank_owner: tuple[str, str] | None = None

    owner = forms.ChoiceField(
        label="Who will do it",
        error_messages={
            "required": "Choose who will do it",
            "invalid_choice": "Choose someone on the team around the child",
        },
    )
    network_name = PersonNameField(
        label="Name of the family network member (if not on the TAC)",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )

    def __init__(self, *args: Any, memberships: list[TeamMembership], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.pk): m for m in memberships}
        choices = [self.blank_owner] if self.blank_owner else []
        choices += [
            (str(m.pk), f"{m.display_name} ({m.get_role_display()}, {m.agency_name})")
            for m in memberships
        ]
        choices.append((NETWORK_OWNER, "A family network member not on the TAC"))
        self.fields["owner"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") == NETWORK_OWNER and not data.get("network_name", "").strip():
            self.add_error("network_name", "Enter the family network member's name")
        return data

    def owner_membership(self) -> TeamMembership | None:
        return self.memberships.get(self.cleaned_data["owner"])


class ActionForm(OwnedForm, ForOneChildForm):
    submission_token = SubmissionTokenField()
    blank_owner = ("", "Choose who")
    field_order = [
        "description",
        "child",
        "owner",
        "network_name",
        "start_on",
        "due_on",
        "outcomes",
    ]

    description = FreeTextField(
        label="What will be done (specific and measurable)",
        widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Enter what will be done"},
    )
    start_on = GovUKDateField(
        label="Start date (optional)", required=False, years_ahead=DUE_YEARS_AHEAD
    )
    due_on = GovUKDateField(label="Due date", years_ahead=DUE_YEARS_AHEAD)
    outcomes = OutcomeChoices(
        label="Outcomes it serves (optional)",
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Choose outcomes from this plan"},
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        memberships: list[TeamMembership],
        children: Sequence[Child] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, memberships=memberships, children=children, **kwargs)
        self.fields["outcomes"].queryset = case.outcomes.all()  # type: ignore[attr-defined]


class ActionReviewForm(forms.Form):
    version = VersionField()
    status = forms.ChoiceField(
        label="What happened",
        choices=[(s.value, s.label) for s in REVIEW_STATUSES],
        error_messages={"required": "Select what happened"},
    )
    note = FreeTextField(label="Note (optional)", required=False)


class DecisionForm(forms.Form):
    submission_token = SubmissionTokenField()
    text = FreeTextField(
        label="Decision",
        widget=forms.Textarea(attrs=AREA),
        error_messages={"required": "Enter the decision"},
    )
    rationale = FreeTextField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs=AREA)
    )


class DissentForm(forms.Form):
    # One form is drawn under every decision: its token is kept apart per decision.
    submission_token = SubmissionTokenField()
    invitation = forms.ModelChoiceField(
        label="Whose view",
        queryset=Invitation.objects.none(),
        empty_label="Choose whose view it is",
        error_messages={
            "required": "Choose whose view it is",
            "invalid_choice": "Choose someone invited to the meeting",
        },
    )
    dissent = FreeTextField(
        label="I see this differently because…",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why they see it differently"},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Invitation]", self.fields["invitation"])
        field.queryset = meeting.invitations.all()
        # Meeting mode shows this form under every decision: its options are read once
        # (a list), not once a decision. What is posted is still checked against the queryset.
        field.choices = [
            ("", field.empty_label),
            *((i.pk, f"{i.name} ({i.agency})") for i in field.queryset),
        ]


class LeadForm(forms.Form):
    # The lead's assignment the page showed ("" for none), posted back unchanged: a lead
    # changed by someone else since is not silently replaced (tac_portal.concurrency).
    seen_lead = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    professional = MemberChoiceField(
        label="Agreed lead professional",
        queryset=User.objects.none(),
        empty_label="Choose the lead professional",
        error_messages={
            "required": "Choose the agreed lead professional",
            "invalid_choice": "Choose someone on the team around the child",
        },
    )
    family_preference = FreeTextField(
        label="Who the family would like, in their words",
        required=False,
        widget=forms.Textarea(attrs=AREA),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals_on(case)  # type: ignore[attr-defined]


class NextReviewForm(forms.Form):
    # The agreed date the page showed (ISO, "" for none), posted back unchanged.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    next_review_on = GovUKDateField(
        label="Next review date",
        subject="The review date",
        error_messages={"required": "Enter the date of the review"},
    )
    beyond_guideline_reason = forms.CharField(
        label="If the date is more than 3 months away, why?",
        required=False,
        max_length=200,
        help_text="Reviews are usually no more than 3 months apart. A later date is accepted "
        "with a reason, which shows on the dashboards as why the review is late.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
