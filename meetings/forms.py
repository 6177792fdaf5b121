"""Forms parse and check input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import User
from cases.models import Case, TeamMembership
from meetings.models import (
    OUTCOME_TAGS,
    Action,
    FamilyFeedback,
    Invitation,
    Meeting,
    Outcome,
    Review,
)
from meetings.services import REVIEW_STATUSES, ExternalInvitee
from notifications.models import local_zone

NETWORK_OWNER = "network"

_TEXT = {"class": "govuk-input"}
_AREA = {"class": "govuk-textarea", "rows": "4"}
_SELECT = {"class": "govuk-select"}
_DATE = {"class": "govuk-input govuk-input--width-10", "type": "date"}
_TIME = {"class": "govuk-input govuk-input--width-5", "type": "time"}


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's validation error on the form's fields (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _professionals(case: Case) -> Any:
    return User.objects.filter(
        tac_memberships__case=case, tac_memberships__left_at__isnull=True
    ).select_related("agency")


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=local_zone())


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.role_and_agency})"


class MembershipChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.get_role_display()}, {obj.agency_name})"


class WhenForm(forms.Form):
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs=_DATE))
    starts = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs=_TIME))
    ends = forms.TimeField(label="End time", required=False, widget=forms.TimeInput(attrs=_TIME))
    mode = forms.ChoiceField(
        label="How people will meet", choices=Meeting.Mode.choices, widget=forms.RadioSelect
    )
    location = forms.CharField(
        label="Place, or how to join",
        required=False,
        max_length=300,
        help_text="For example 'Riverside Primary School, meeting room 2' or a video link. "
        "Never write the family's home address here: it goes in calendar invitations.",
        widget=forms.TextInput(attrs=_TEXT),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends <= starts:
            self.add_error("ends", "The meeting must end after it starts.")
        return data

    @property
    def starts_at(self) -> dt.datetime:
        return _local(self.cleaned_data["day"], self.cleaned_data["starts"])

    @property
    def ends_at(self) -> dt.datetime | None:
        ends = self.cleaned_data.get("ends")
        return _local(self.cleaned_data["day"], ends) if ends else None


def parse_externals(text: str) -> list[ExternalInvitee]:
    """Attendees without an account, one a line: name, agency, email."""
    people = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 3 or not parts[0]:
            raise ValidationError(
                f"Line {number}: write the name, agency and email, separated by commas."
            )
        try:
            forms.EmailField().clean(parts[2])
        except ValidationError:
            raise ValidationError(f"Line {number}: '{parts[2]}' is not an email address.") from None
        people.append(ExternalInvitee(name=parts[0], agency=parts[1], email=parts[2]))
    return people


def _externals_field() -> forms.CharField:
    return forms.CharField(
        label="Other attendees without an account",
        required=False,
        help_text="One a line: name, agency, email. For example: "
        "'Alex Advocate, Demo Advocacy Service, alex@advocacy.example'.",
        widget=forms.Textarea(attrs=_AREA),
    )


class ScheduleMeetingForm(WhenForm):
    kind = forms.ChoiceField(
        label="Kind of meeting", choices=Meeting.Kind.choices, widget=forms.RadioSelect
    )
    chair = MemberChoiceField(
        label="Chair", queryset=User.objects.none(), required=False, widget=forms.Select(_SELECT)
    )
    note_taker = MemberChoiceField(
        label="Note-taker",
        queryset=User.objects.none(),
        required=False,
        help_text="Someone other than the chair takes the notes.",
        widget=forms.Select(_SELECT),
    )
    members = MembershipChoices(
        label="Invite from the team around the child",
        queryset=TeamMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    externals = _externals_field()
    professionals_only = forms.BooleanField(
        label="Professionals only: the family will not be invited", required=False
    )
    professionals_only_reason = forms.CharField(
        label="Why the family will not be there",
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )

    field_order = ["kind", "day", "starts", "ends", "mode", "location"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = _professionals(case)
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["note_taker"].queryset = people  # type: ignore[attr-defined]
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            case.memberships.active()
            .select_related("professional__agency", "family_member")
            .order_by("kind", "id")
        )

    def clean_externals(self) -> list[ExternalInvitee]:
        return parse_externals(self.cleaned_data["externals"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get("day")
        if day and day < timezone.localdate() - dt.timedelta(days=1):
            self.add_error("day", "Choose today or a future date for the meeting.")
        chair, note_taker = data.get("chair"), data.get("note_taker")
        if chair and note_taker and chair == note_taker:
            self.add_error("note_taker", "Choose someone other than the chair.")
        return data


class InviteForm(forms.Form):
    """More people for a meeting already arranged."""

    members = MembershipChoices(
        label="Invite from the team around the child",
        queryset=TeamMembership.objects.none(),
        required=False,
        help_text="Everyone on the team who is not invited yet.",
        widget=forms.CheckboxSelectMultiple,
    )
    externals = _externals_field()

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = meeting.invitations.all()
        members = (
            meeting.case.memberships.active()
            .exclude(pk__in=invited.exclude(membership=None).values("membership"))
            .exclude(professional__in=invited.exclude(professional=None).values("professional"))
            .exclude(family_member__in=invited.exclude(family_member=None).values("family_member"))
            .select_related("professional__agency", "family_member")
            .order_by("kind", "id")
        )
        if meeting.professionals_only:
            members = members.exclude(kind=TeamMembership.Kind.FAMILY)
        self.fields["members"].queryset = members  # type: ignore[attr-defined]

    def clean_externals(self) -> list[ExternalInvitee]:
        return parse_externals(self.cleaned_data["externals"])


class RescheduleForm(WhenForm):
    pass


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why is it cancelled?", widget=forms.Textarea(attrs=_AREA))


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Invitation.Response.ATTENDING, "Attending"),
            (Invitation.Response.APOLOGIES, "Sending apologies"),
        ],
        widget=forms.RadioSelect,
        label="Your reply",
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        choices=Invitation.Attendance.choices, widget=forms.Select(_SELECT)
    )


class AutosaveForm(forms.Form):
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea(attrs=_AREA))
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_version = forms.IntegerField(required=False)

    @property
    def effective_version(self) -> int:
        confirmed = self.cleaned_data.get("confirm_version")
        return int(confirmed if confirmed is not None else self.cleaned_data["version"])


class OutcomeForm(forms.Form):
    statement = forms.CharField(
        label="What will be different, in the family's words", widget=forms.Textarea(attrs=_AREA)
    )
    how_we_will_know = forms.CharField(
        label="How we will know", required=False, widget=forms.Textarea(attrs=_AREA)
    )
    framework_tags = forms.MultipleChoiceField(
        label="Outcome tags (optional)",
        choices=OUTCOME_TAGS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    baseline_scale = forms.IntegerField(
        label="Where things are now, 0 to 10 (optional)",
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),
    )
    target_scale = forms.IntegerField(
        label="Where the family wants to be, 0 to 10 (optional)",
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2"}),
    )


class _OwnedForm(forms.Form):
    """A form that says who owns an action: a TAC member, or a family network member
    named by hand (``owner_membership()`` is None then, and ``network_name`` says who)."""

    #: The first option of the owner list, if the form starts with no one chosen.
    blank_owner: tuple[str, str] | None = None

    owner = forms.ChoiceField(label="Who will do it", widget=forms.Select(_SELECT))
    network_name = forms.CharField(
        label="Name of the family network member (if not on the TAC)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=_TEXT),
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
            self.add_error("network_name", "Give the network member's name.")
        return data

    def owner_membership(self) -> TeamMembership | None:
        return self.memberships.get(self.cleaned_data["owner"])


class ActionForm(_OwnedForm):
    blank_owner = ("", "Choose who")
    field_order = ["description", "owner", "network_name", "start_on", "due_on", "outcomes"]

    description = forms.CharField(
        label="What will be done (specific and measurable)", widget=forms.Textarea(attrs=_AREA)
    )
    start_on = forms.DateField(label="Start date", required=False, widget=forms.DateInput(_DATE))
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(_DATE))
    outcomes = forms.ModelMultipleChoiceField(
        label="Outcomes it serves",
        queryset=Outcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, memberships: list[TeamMembership], **kwargs: Any):
        super().__init__(*args, memberships=memberships, **kwargs)
        self.fields["outcomes"].queryset = case.outcomes.all()  # type: ignore[attr-defined]


class ActionReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[(s.value, s.label) for s in REVIEW_STATUSES],
        widget=forms.Select(_SELECT),
    )
    note = forms.CharField(label="Note", required=False, widget=forms.TextInput(attrs=_TEXT))


class DecisionForm(forms.Form):
    text = forms.CharField(label="Decision", widget=forms.Textarea(attrs=_AREA))
    rationale = forms.CharField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs=_AREA)
    )


class DissentForm(forms.Form):
    invitation = forms.ModelChoiceField(
        label="Whose view",
        queryset=Invitation.objects.none(),
        widget=forms.Select(_SELECT),
    )
    dissent = forms.CharField(
        label="I see this differently because…", widget=forms.Textarea(attrs=_AREA)
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = meeting.invitations.all()  # type: ignore[attr-defined]
        self.fields["invitation"].label_from_instance = lambda i: f"{i.name} ({i.agency})"  # type: ignore[attr-defined]


class LeadForm(forms.Form):
    professional = MemberChoiceField(
        label="Agreed lead professional", queryset=User.objects.none(), widget=forms.Select(_SELECT)
    )
    family_preference = forms.CharField(
        label="Who the family would like, in their words",
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = _professionals(case)  # type: ignore[attr-defined]


class NextReviewForm(forms.Form):
    next_review_on = forms.DateField(label="Next review date", widget=forms.DateInput(_DATE))


class ReviewForm(forms.Form):
    child_views = forms.CharField(
        label="The child's views, in their own words",
        required=False,
        help_text="If the child could not or did not want to give their views, say so and why.",
        widget=forms.Textarea(attrs=_AREA),
    )
    parent_views = forms.CharField(
        label="The parents' or carers' views, in their own words",
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    summary = forms.CharField(
        label="Updates collected from the TAC", required=False, widget=forms.Textarea(attrs=_AREA)
    )
    progress = forms.ChoiceField(
        label="How have things changed?",
        choices=Review.Progress.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    next_review_on = forms.DateField(
        label="Next review date (optional)",
        required=False,
        help_text="Leave blank to use the usual interval.",
        widget=forms.DateInput(_DATE),
    )


class FamilyFeedbackForm(forms.Form):
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
    in_their_words = forms.CharField(
        label="What they said, in their own words (optional)",
        required=False,
        help_text="About the help and the team around them. Leave out names.",
        widget=forms.Textarea(attrs=_AREA),
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
    body = forms.CharField(label="Your contribution", widget=forms.Textarea(attrs=_AREA))


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
    progress_note = forms.CharField(
        label="Progress note", required=False, widget=forms.Textarea(attrs=_AREA)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


#: The owner choice that keeps an action with an owner who has left the TAC.
KEEP_OWNER = "current"


class ChangeActionForm(_OwnedForm):
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

    due_on = forms.DateField(label="Due date", widget=forms.DateInput(_DATE))
    reason = forms.CharField(
        label="Why it is changing (optional)",
        required=False,
        help_text="Everyone on the team sees this with the action's progress notes.",
        widget=forms.Textarea(attrs=_AREA),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelActionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action no longer needed?",
        widget=forms.Textarea(attrs=_AREA),
        error_messages={"required": "Say why the action is no longer needed."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


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
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2"}),
        error_messages={
            "min_value": "Use a number from 0 to 10.",
            "max_value": "Use a number from 0 to 10.",
            "invalid": "Use a number from 0 to 10.",
        },
    )
    note = forms.CharField(
        label="What the family and the team said (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=_AREA),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DiscussionForm(forms.Form):
    held_on = forms.DateField(label="Date of the discussion", widget=forms.DateInput(_DATE))
    question = forms.CharField(label="The question we explored", widget=forms.Textarea(_AREA))
    hypotheses = forms.CharField(
        label="Hypotheses: what we think might be happening",
        required=False,
        widget=forms.Textarea(_AREA),
    )
    learning = forms.CharField(
        label="What we learned", required=False, widget=forms.Textarea(_AREA)
    )
    next_steps = forms.CharField(
        label="Agreed next steps", required=False, widget=forms.Textarea(_AREA)
    )
    participants = forms.ModelMultipleChoiceField(
        label="Who took part",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = _professionals(case)  # type: ignore[attr-defined]
