"""The subscription form. It parses input; the rules live in ``webhooks.services``."""

from __future__ import annotations

from django import forms

from tac_portal.forms import SubmissionTokenField, VersionField
from webhooks.models import EventType
from webhooks.outbound import MSG_NOT_A_URL, UnsafeURL, check_url
from webhooks.services import MSG_CHOOSE_EVENTS


class SubscriptionForm(forms.Form):
    submission_token = SubmissionTokenField()
    url = forms.URLField(
        label="Endpoint URL",
        help_text="The address of the partner system's receiver, starting with https://. "
        "The portal posts each event there, signed.",
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": "Enter the endpoint URL",
            "invalid": MSG_NOT_A_URL,
            "max_length": "The endpoint URL must be 500 characters or fewer",
        },
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    event_types = forms.MultipleChoiceField(
        label="Which events should it be told of?",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": MSG_CHOOSE_EVENTS, "invalid_choice": MSG_CHOOSE_EVENTS},
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        try:
            check_url(url)
        except UnsafeURL as error:
            raise forms.ValidationError(str(error), code="unsafe_url") from None
        return url


class SubscriptionChangeForm(SubscriptionForm):
    version = VersionField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["submission_token"]  # an edit, not a create
