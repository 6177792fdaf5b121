"""What the meetings forms share: field builders, choice fields and the service-error bridge."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from agencies.models import User
from cases.models import Case
from notifications.models import local_zone
from tac_portal.forms import (
    VersionField,
    add_service_errors,
)

NETWORK_OWNER = "network"


AREA = {"rows": 4}


SCALE = {"width": 2, "inputmode": "numeric", "spellcheck": False}


SCALE_MESSAGES = {
    "invalid": "{what} must be a number from 0 to 10",
    "min_value": "{what} must be a number from 0 to 10",
    "max_value": "{what} must be a number from 0 to 10",
}


def scale_messages(what: str) -> dict[str, str]:
    return {code: message.format(what=what) for code, message in SCALE_MESSAGES.items()}


def time_field(label: str, *, required: bool, what: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        help_text="Use the 24-hour clock, for example 14:30.",
        widget=forms.TimeInput(format="%H:%M", attrs={"width": 5}),
        error_messages={"required": f"Enter the {what}", "invalid": f"Enter the {what} like 14:30"},
    )


def version_field() -> VersionField:
    # Posted back unchanged from the page; missing only if the page was tampered with.
    # Meeting mode's typed fields start at version 0 (nothing typed yet).
    return VersionField(min_value=0)


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's validation error on the form's fields (or above the form)."""
    add_service_errors(form, error)


def professionals_on(case: Case) -> Any:
    return User.objects.filter(
        tac_memberships__case=case, tac_memberships__left_at__isnull=True
    ).select_related("agency")


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
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
