"""Forms parse and check input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

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
from meetings.services.plan import REVIEW_STATUSES
from meetings.services.scheduling import ExternalInvitee
from notifications.models import local_zone
from tac_portal.forms import (
    FreeTextField,
    GovUKDateField,
    PersonNameField,
    SubmissionTokenField,
    add_service_errors,
)
from tac_portal.validators import DUE_YEARS_AHEAD, name_problem

NETWORK_OWNER = "network"

_AREA = {"rows": 4}
_SCALE = {"width": 2, "inputmode": "numeric", "spellcheck": False}
_SCALE_MESSAGES = {
    "invalid": "{what} must be a number from 0 to 10",
    "min_value": "{what} must be a number from 0 to 10",
    "max_value": "{what} must be a number from 0 to 10",
}


def _scale_messages(what: str) -> dict[str, str]:
    return {code: message.format(what=what) for code, message in _SCALE_MESSAGES.items()}


def _time(label: str, *, required: bool, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text="Use the 24-hour clock, for example 14:30.",
        widget=forms.TimeInput(format="%H:%M", attrs={"width": 5}),
        error_messages={"required": f"Enter the {what}", "invalid": f"Enter the {what} like 14:30"},
    )


def _version() -> forms.IntegerField:
    # Posted back unchanged from the page; missing only if the page was tampered with.
    message = "Something went wrong: go back, reload the page and try again"
    return forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": message, "invalid": message}
    )


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's validation error on the form's fields (or above the form)."""
    add_service_errors(form, error)


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


class ProfessionalChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.role_and_agency})"


class OutcomeChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Outcomes named by what will be different, in the family's words."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.statement)


class WhenForm(forms.Form):
    day = GovUKDateField(label="Date of the meeting")
    starts = _time("Start time", required=True, what="start time")
    ends = _time("End time (optional)", required=False, what="end time")
    mode = forms.ChoiceField(
        label="How people will meet",
        choices=Meeting.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how people will meet"},
    )
    location = FreeTextField(
        label="Place, or how to join",
        required=False,
        max_length=300,
        help_text="For example 'Riverside Primary School, meeting room 2' or a video link. "
        "Never write the family's home address here: it goes in calendar invitations.",
        error_messages={"max_length": "The place must be 300 characters or fewer"},
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
        if (problem := name_problem(parts[0])) is not None:
            raise ValidationError(f"Line {number}: {problem[:1].lower()}{problem[1:]}.")
        if len(parts[0]) > 200 or len(parts[1]) > 200:
            raise ValidationError(
                f"Line {number}: a name or agency must be 200 characters or fewer."
            )
        try:
            forms.EmailField().clean(parts[2])
        except ValidationError:
            raise ValidationError(f"Line {number}: that is not an email address.") from None
        people.append(ExternalInvitee(name=parts[0], agency=parts[1], email=parts[2]))
    return people


def _externals_field() -> forms.CharField:
    return forms.CharField(
        label="Other attendees without an account",
        required=False,
        help_text="One a line: name, agency, email. For example: "
        "'Alex Advocate, Demo Advocacy Service, alex@advocacy.example'.",
        max_length=5000,
        widget=forms.Textarea(attrs=_AREA),
    )


class ScheduleMeetingForm(WhenForm):
    submission_token = SubmissionTokenField()
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of meeting"},
    )
    chair = MemberChoiceField(
        label="Chair (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not decided yet",
        error_messages={"invalid_choice": "Choose a chair from the team around the child"},
    )
    note_taker = MemberChoiceField(
        label="Note-taker (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not decided yet",
        help_text="Someone other than the chair takes the notes.",
        error_messages={"invalid_choice": "Choose a note-taker from the team around the child"},
    )
    members = MembershipChoices(
        label="Invite from the team around the child",
        queryset=TeamMembership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Choose people who are on the team around the child"},
    )
    externals = _externals_field()
    professionals_only = forms.BooleanField(
        label="Professionals only: the family will not be invited", required=False
    )
    professionals_only_reason = FreeTextField(
        label="Why the family will not be there (if professionals only)",
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
            self.add_error("day", "The date of the meeting must be today or in the future")
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
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Choose people who are on the team around the child"},
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
    reason = FreeTextField(
        label="Why is it cancelled?",
        widget=forms.Textarea(attrs=_AREA),
        error_messages={"required": "Enter why the meeting is cancelled"},
    )


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Invitation.Response.ATTENDING, "Attending"),
            (Invitation.Response.APOLOGIES, "Sending apologies"),
        ],
        widget=forms.RadioSelect,
        label="Your reply",
        error_messages={"required": "Select attending or sending apologies"},
    )


class RecordReplyForm(ResponseForm):
    """Someone's reply, recorded for them by whoever runs the meeting: one select a row.

    Posted to the same page as ``ResponseForm``."""

    response = forms.ChoiceField(
        choices=[
            (Invitation.Response.ATTENDING, "Attending"),
            (Invitation.Response.APOLOGIES, "Apologies"),
        ],
        label="Reply",
        error_messages={"required": "Select attending or apologies"},
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=Invitation.Attendance.choices,
        error_messages={"required": "Select whether they attended"},
    )


class AutosaveForm(forms.Form):
    # As long as an assessment's longest answer: a meeting's record of one discussion.
    text = FreeTextField(
        required=False, strip=False, max_length=20_000, widget=forms.Textarea(attrs=_AREA)
    )
    version = _version()
    # Sent by the "Save my text instead of theirs" button, never typed.
    confirm_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @property
    def effective_version(self) -> int:
        confirmed = self.cleaned_data.get("confirm_version")
        return int(confirmed if confirmed is not None else self.cleaned_data["version"])


class OutcomeForm(forms.Form):
    statement = FreeTextField(
        label="What will be different, in the family's words",
        widget=forms.Textarea(attrs=_AREA),
        error_messages={"required": "Enter what will be different, in the family's words"},
    )
    how_we_will_know = FreeTextField(
        label="How we will know", required=False, widget=forms.Textarea(attrs=_AREA)
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
        widget=forms.TextInput(attrs=_SCALE),
        error_messages=_scale_messages("Where things are now"),
    )
    target_scale = forms.IntegerField(
        label="Where the family wants to be, 0 to 10 (optional)",
        min_value=0,
        max_value=10,
        required=False,
        widget=forms.TextInput(attrs=_SCALE),
        error_messages=_scale_messages("Where the family wants to be"),
    )


class _OwnedForm(forms.Form):
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


class ActionForm(_OwnedForm):
    submission_token = SubmissionTokenField()
    blank_owner = ("", "Choose who")
    field_order = ["description", "owner", "network_name", "start_on", "due_on", "outcomes"]

    description = FreeTextField(
        label="What will be done (specific and measurable)",
        widget=forms.Textarea(attrs=_AREA),
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

    def __init__(self, *args: Any, case: Case, memberships: list[TeamMembership], **kwargs: Any):
        super().__init__(*args, memberships=memberships, **kwargs)
        self.fields["outcomes"].queryset = case.outcomes.all()  # type: ignore[attr-defined]


class ActionReviewForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened",
        choices=[(s.value, s.label) for s in REVIEW_STATUSES],
        error_messages={"required": "Select what happened"},
    )
    note = FreeTextField(label="Note (optional)", required=False)


class DecisionForm(forms.Form):
    text = FreeTextField(
        label="Decision",
        widget=forms.Textarea(attrs=_AREA),
        error_messages={"required": "Enter the decision"},
    )
    rationale = FreeTextField(
        label="Why (optional)", required=False, widget=forms.Textarea(attrs=_AREA)
    )


class DissentForm(forms.Form):
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
        widget=forms.Textarea(attrs=_AREA),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = _professionals(case)  # type: ignore[attr-defined]


class NextReviewForm(forms.Form):
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


class ReviewForm(forms.Form):
    child_views = FreeTextField(
        label="The child's views, in their own words",
        required=False,
        help_text="If the child could not or did not want to give their views, say so and why.",
        widget=forms.Textarea(attrs=_AREA),
    )
    parent_views = FreeTextField(
        label="The parents' or carers' views, in their own words",
        required=False,
        widget=forms.Textarea(attrs=_AREA),
    )
    summary = FreeTextField(
        label="Updates collected from the TAC", required=False, widget=forms.Textarea(attrs=_AREA)
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
    submission_token = SubmissionTokenField()
    body = FreeTextField(
        label="Your contribution",
        widget=forms.Textarea(attrs=_AREA),
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
        label="Progress note", required=False, widget=forms.Textarea(attrs=_AREA)
    )
    version = _version()


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

    due_on = GovUKDateField(label="Due date", years_ahead=DUE_YEARS_AHEAD)
    reason = FreeTextField(
        label="Why it is changing (optional)",
        required=False,
        help_text="Everyone on the team sees this with the action's progress notes.",
        widget=forms.Textarea(attrs=_AREA),
    )
    version = _version()


class CancelActionForm(forms.Form):
    reason = FreeTextField(
        label="Why is the action no longer needed?",
        widget=forms.Textarea(attrs=_AREA),
        error_messages={"required": "Say why the action is no longer needed."},
    )
    version = _version()


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
        widget=forms.TextInput(attrs=_SCALE),
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
        widget=forms.Textarea(attrs=_AREA),
    )
    version = _version()


class DiscussionForm(forms.Form):
    submission_token = SubmissionTokenField()
    held_on = GovUKDateField(label="Date of the discussion", past=True)
    question = FreeTextField(
        label="The question we explored",
        widget=forms.Textarea(_AREA),
        error_messages={"required": "Enter the question you explored"},
    )
    hypotheses = FreeTextField(
        label="Hypotheses: what we think might be happening",
        required=False,
        widget=forms.Textarea(_AREA),
    )
    learning = FreeTextField(label="What we learned", required=False, widget=forms.Textarea(_AREA))
    next_steps = FreeTextField(
        label="Agreed next steps", required=False, widget=forms.Textarea(_AREA)
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
        self.fields["participants"].queryset = _professionals(case)  # type: ignore[attr-defined]
