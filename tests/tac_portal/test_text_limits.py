"""Every text field on every form and every API input has a maximum length, so that no
megabyte of pasted text reaches a service (the request body cap is the last resort)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

from django import forms
from rest_framework import serializers

from tac_portal.api.base import StrictInputSerializer

APPS = ("agencies", "cases", "assessments", "meetings", "notifications", "audit", "dashboards")


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
