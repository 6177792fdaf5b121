from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from cases.models import LevelOfNeed
from dashboards.metrics import (
    DEFAULT_PERIOD,
    PERIOD_CHOICES,
    AgencyChoice,
    Filters,
    Scope,
    TeamChoice,
)


class FilterForm(forms.Form):
    """The dashboard's period picker and filters. Figures only: no personal data."""

    period = forms.TypedChoiceField(
        label="Period",
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        initial=DEFAULT_PERIOD,
    )
    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    agency = forms.TypedChoiceField(
        label="Lead professional's agency", coerce=int, required=False, empty_value=None
    )
    locality = forms.ChoiceField(label="Locality", required=False)
    level = forms.TypedChoiceField(
        label="Level of need", coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        scope: Scope,
        teams: list[TeamChoice],
        agencies: list[AgencyChoice],
        levels: list[LevelOfNeed],
        localities: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.option_lists: dict[str, list[tuple[Any, str]]] = {"period": list(PERIOD_CHOICES)}
        every: list[tuple[Any, str]] = [("", "All")]
        self._choose("team", every + [(t.pk, str(t)) for t in teams])
        self._choose("level", every + [(lv.pk, lv.label) for lv in levels])
        self._choose("locality", every + [(name, name) for name in localities])
        if scope.is_authority:
            self._choose("agency", every + [(a.pk, a.name) for a in agencies])
        else:
            # A manager's view is already their teams: the agency filter adds nothing.
            del self.fields["agency"]

    def _choose(self, name: str, choices: list[tuple[Any, str]]) -> None:
        self.option_lists[name] = choices
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices

    def selects(self) -> list[tuple[forms.BoundField, SafeString]]:
        """Each filter with its options as HTML, built here: a team list runs to thousands."""
        out = []
        for bound in self:
            chosen = "" if bound.value() is None else str(bound.value())
            choices = self.option_lists.get(bound.name, [])
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if str(value) == chosen else "", label)
                    for value, label in choices
                ),
            )
            out.append((bound, options))
        return out

    def filters(self) -> Filters:
        """The chosen filters; anything invalid falls back to "All" (errors are shown)."""
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            period=data.get("period") or DEFAULT_PERIOD,
            team_id=data.get("team"),
            agency_id=data.get("agency"),
            locality=data.get("locality") or "",
            level_id=data.get("level"),
        )


class LateReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why is it late?",
        help_text="For example: the family asked to move the meeting. Leave empty to clear it.",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
    )


class AnnexAForm(forms.Form):
    end = forms.DateField(
        label="Last day of the six months",
        help_text="Usually the day before the inspection. For example, 31/10/2026.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def clean_end(self) -> dt.date:
        end: dt.date = self.cleaned_data["end"]
        if end > timezone.localdate():
            raise forms.ValidationError("The last day must be today or in the past.")
        if end.year < 2000:
            raise forms.ValidationError("Enter a date from 2000 onwards.")
        return end
