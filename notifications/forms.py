from __future__ import annotations

from django import forms

from notifications.models import NotificationPreference


class PreferenceForm(forms.Form):
    # When the choice the page showed was saved (``preference_seen``), posted back
    # unchanged: a choice saved since in another tab is not silently overwritten.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    email_frequency = forms.ChoiceField(
        label="How do you want to get emails about notifications?",
        choices=NotificationPreference.EmailFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to get emails"},
    )
    digest_hour = forms.TypedChoiceField(
        label="If you choose a daily email, when should it arrive?",
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        error_messages={"required": "Select when the daily email should arrive"},
    )
