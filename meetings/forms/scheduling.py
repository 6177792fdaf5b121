"""Arranging a meeting: when, who is invited, replies and attendance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from agencies.models import User
from cases.models import Case, TeamMembership
from meetings.forms.common import (
    AREA,
    MemberChoiceField,
    MembershipChoices,
    local_datetime,
    professionals_on,
    time_field,
    version_field,
)
from meetings.models import (
    Invitation,
    Meeting,
)
from meetings.services.scheduling import ExternalInvitee
from notifications.models import local_zone
from tac_portal.forms import (
    FreeTextField,
    GovUKDateField,
    SubmissionTokenField,
    VersionField,
)
from tac_portal.validators import name_problem


class WhenForm(forms.Form):
    day = GovUKDateField(label="Date of the meeting")
    starts = time_field("Start time", required=True, what="start time")
    ends = time_field("End time (optional)", required=False, what="end time")
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
        return local_datetime(self.cleaned_data["day"], self.cleaned_data["starts"])

    @property
    def ends_at(self) -> dt.datetime | None:
        ends = self.cleaned_data.get("ends")
        return local_datetime(self.cleaned_data["day"], ends) if ends else None


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


def externals_field() -> forms.CharField:
    return forms.CharField(
        label="Other attendees without an account",
        required=False,
        help_text="One a line: name, agency, email. For example: "
        "'Alex Advocate, Demo Advocacy Service, alex@advocacy.example'.",
        max_length=5000,
        widget=forms.Textarea(attrs=AREA),
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
    externals = externals_field()
    professionals_only = forms.BooleanField(
        label="Professionals only: the family will not be invited", required=False
    )
    professionals_only_reason = FreeTextField(
        label="Why the family will not be there (if professionals only)",
        required=False,
        widget=forms.Textarea(attrs=AREA),
    )

    field_order = ["kind", "day", "starts", "ends", "mode", "location"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = professionals_on(case)
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

    submission_token = SubmissionTokenField()
    members = MembershipChoices(
        label="Invite from the team around the child",
        queryset=TeamMembership.objects.none(),
        required=False,
        help_text="Everyone on the team who is not invited yet.",
        widget=forms.CheckboxSelectMultiple(attrs={"small": True}),
        error_messages={"invalid_choice": "Choose people who are on the team around the child"},
    )
    externals = externals_field()

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
    version = version_field()

    def stale_values(self, meeting: Meeting) -> dict[str, Any]:
        """What the fields say now, for a save refused as stale (tac_portal.forms)."""
        starts = timezone.localtime(meeting.starts_at, local_zone())
        ends = timezone.localtime(meeting.ends_at, local_zone()) if meeting.ends_at else None
        return {
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time() if ends else None,
        }


class CancelForm(forms.Form):
    version = version_field()
    reason = FreeTextField(
        label="Why is it cancelled?",
        widget=forms.Textarea(attrs=AREA),
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
    # The invitation's version the page showed: a reply recorded since is not overwritten.
    # The meeting page always sends it; a reply posted without it is checked only in order.
    version = VersionField(required=False)


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
    # The attendance the page showed for this person, posted back unchanged.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    attendance = forms.ChoiceField(
        label="Attendance",
        choices=Invitation.Attendance.choices,
        error_messages={"required": "Select whether they attended"},
    )
