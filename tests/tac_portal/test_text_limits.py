"""Every text field on every form, every API input and every typed text column has a
maximum length, so that no megabyte of pasted text reaches a service or the database."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest
from django import forms
from django.apps import apps
from django.db import IntegrityError, models, transaction
from rest_framework import serializers

from agencies.models import User
from cases.models import Case, Family
from meetings.models import Contribution
from tac_portal.api.serializers import StrictInputSerializer
from tac_portal.fields import TEXT_MAX_LENGTH

APPS = (
    "agencies",
    "cases",
    "assessments",
    "meetings",
    "notifications",
    "audit",
    "dashboards",
    "imports",
)


def _modules(name: str) -> Iterator[ModuleType]:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError:
        return
    yield module
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        yield importlib.import_module(f"{name}.{info.name}")


def _classes(suffix: str, base: type) -> Iterator[type]:
    for app in APPS:
        for module in _modules(f"{app}.{suffix}"):
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, base) and cls.__module__ == module.__name__:
                    yield cls


def test_every_text_field_on_a_form_has_a_maximum_length() -> None:
    assert len(list(_classes("forms", forms.BaseForm))) > 30  # the walk finds the forms
    unbounded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in _classes("forms", forms.BaseForm)
        for name, field in form.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field, forms.CharField)
        and field.max_length is None
        and not isinstance(field.widget, forms.HiddenInput)
        # New passwords: AUTH_PASSWORD_VALIDATORS refuse more than 128 characters.
        and not isinstance(field.widget, forms.PasswordInput)
    ]
    assert unbounded == []


def test_every_text_field_the_api_takes_has_a_maximum_length() -> None:
    inputs = list(_classes("api", StrictInputSerializer))
    assert {"ReferralInputSerializer", "ActionUpdateInputSerializer"} <= {
        s.__name__ for s in inputs
    }
    unbounded = [
        f"{serializer.__module__}.{serializer.__name__}.{name}"
        for serializer in inputs
        for name, field in serializer().fields.items()
        if isinstance(field, serializers.CharField)
        and not field.read_only
        and field.max_length is None
    ]
    assert unbounded == []


@pytest.mark.django_db
def test_the_database_itself_refuses_an_over_long_text(case: Case, lead: User) -> None:
    too_long = "x" * (TEXT_MAX_LENGTH + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(case=case, author=lead, body=too_long)
    with pytest.raises(IntegrityError), transaction.atomic():
        Family.objects.filter(pk=case.family_id).update(address=too_long)


def test_every_typed_text_column_is_bounded_in_the_database() -> None:
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"agencies", "cases", "assessments", "meetings"}
        for field in model._meta.concrete_fields
        # pgh_*: the change history's own bookkeeping, written by its triggers.
        if type(field) is models.TextField and not field.name.startswith("pgh_")
    ]
    assert unbounded == []
