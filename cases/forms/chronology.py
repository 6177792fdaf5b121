"""The case chronology's filters (sent by GET): by kind of step and by person."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms


class ChronologyFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of step",
        required=False,
        error_messages={"invalid_choice": "Select a kind of step from the list"},
    )
    person = forms.ChoiceField(
        label="Who took it",
        required=False,
        error_messages={"invalid_choice": "Select a person from the list"},
    )

    def __init__(
        self,
        data: object,
        *,
        kinds: Sequence[tuple[str, str]],
        people: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", "Every kind of step"), *kinds]  # type: ignore[attr-defined]
        self.fields["person"].choices = [("", "Everyone"), *people]  # type: ignore[attr-defined]
