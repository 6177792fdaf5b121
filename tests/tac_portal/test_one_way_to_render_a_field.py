"""Every form field is rendered one way: the GOV.UK field templates, through ``{% govuk_field %}``.

These tests read the source: no page template writes its own field markup, no form
uses the browser's date input, and every form says what to do in its messages.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.core.validators import validate_email

from tac_portal.forms import GovUKDateField

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
FIELD_TEMPLATES = TEMPLATES / "includes" / "fields"
APPS = (
    "agencies",
    "cases",
    "assessments",
    "meetings",
    "notifications",
    "audit",
    "dashboards",
    "disclosures",
    "imports",
)


def _form_modules() -> list[str]:
    """Every app's ``forms.py``, or each module of its ``forms/`` package."""
    found = []
    for app in APPS:
        if (ROOT / app / "forms.py").exists():
            found.append(f"{app}.forms")
        found += [
            f"{app}.forms.{path.stem}"
            for path in sorted((ROOT / app / "forms").glob("*.py"))
            if path.stem != "__init__"
        ]
    return found


FORM_MODULES = _form_modules()

#: Markup that looks like a field but is not one a person fills in, by template.
ALLOWED = {
    # Holds the other person's text for the "Put their version in the box" button.
    "assessments/includes/conflict.html": ['<textarea id="theirs-'],
}

CONTROL = re.compile(r"<(input|select|textarea)\b[^>]*>", re.S)
DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
DJANGO_BLANK = "---------"
DJANGO_INVALID_EMAIL = str(validate_email.message)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def _python_sources() -> list[Path]:
    return sorted(
        path
        for app in (*APPS, "tac_portal")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_page_writes_its_own_field_markup(path: Path) -> None:
    source = path.read_text()
    assert not re.search(r"""type=["']?date\b""", source), "dates are day, month and year boxes"
    if path.is_relative_to(FIELD_TEMPLATES):
        return
    allowed = ALLOWED.get(str(path.relative_to(TEMPLATES)), [])
    for match in CONTROL.finditer(source):
        tag = match.group(0)
        if match.group(1) == "input" and re.search(r'type="hidden"', tag):
            continue  # state the page carries (next page, version, signature), not a field
        assert any(tag.startswith(a) for a in allowed), (
            f"{path.relative_to(ROOT)}: {tag[:80]}… should be {{% govuk_field %}}"
        )


@pytest.mark.parametrize("path", _python_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_builds_a_date_input_or_field_markup(path: Path) -> None:
    source = path.read_text()
    if path.name == "govuk.py":
        return  # the field renderer refuses date inputs: it has to name them
    assert "DateInput" not in source
    assert not re.search(r"""["']type["']\s*:\s*["']date["']""", source)
    assert "forms.DateField(" not in source, "use GovUKDateField"
    assert not re.search(r"<(input|textarea)\b", source)


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                found[f"{name}.{value.__name__}"] = value
    return [found[key] for key in sorted(found)]


# Forms whose fields are finished in __init__, with what it needs.
CONSTRUCT: dict[str, tuple[Any, ...]] = {"NewPasswordForm": (None,), "ChangePasswordForm": (None,)}


def _fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    if form_class.__name__ in CONSTRUCT:
        return dict(form_class(*CONSTRUCT[form_class.__name__]).fields)
    return dict(form_class.base_fields)  # type: ignore[attr-defined]


@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda c: c.__qualname__)
def test_every_field_says_what_to_do_in_gov_uk_words(form_class: type[forms.BaseForm]) -> None:
    for name, field in _fields(form_class).items():
        where = f"{form_class.__name__}.{name}"
        assert not isinstance(field, forms.DateField), f"{where}: use GovUKDateField"
        hidden = field.widget.is_hidden
        if field.required:
            assert field.error_messages["required"] != DJANGO_REQUIRED, (
                f"{where}: say what to enter"
            )
        if isinstance(field, forms.EmailField | forms.IntegerField | forms.TimeField):
            # Django's own wording: "Enter a valid email address.", "Enter a whole number."
            default = type(field)().error_messages.get("invalid", DJANGO_INVALID_EMAIL)
            invalid = field.error_messages.get("invalid", DJANGO_INVALID_EMAIL)
            assert hidden or invalid != default, f"{where}: say what a valid answer looks like"
        if isinstance(field, forms.ModelChoiceField):
            assert field.error_messages["invalid_choice"] != (
                forms.ModelChoiceField.default_error_messages["invalid_choice"]
                if not isinstance(field, forms.ModelMultipleChoiceField)
                else forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"]
            ), f"{where}: say what to choose when the list has changed"
            chosen_from_list = not isinstance(
                field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            )
            assert not (chosen_from_list and field.empty_label == DJANGO_BLANK), (
                f"{where}: give the empty option a meaningful label"
            )
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = [str(label) for _, label in field.choices]  # type: ignore[misc, union-attr]
            assert DJANGO_BLANK not in labels, f"{where}: give the empty option a meaningful label"


def test_the_scan_finds_the_forms_and_templates() -> None:
    # A guard on the guards: a moved folder must not make them pass vacuously.
    assert len(_templates()) > 80
    assert len(_form_classes()) > 40
    assert any(issubclass(c, forms.Form) and "due_on" in c.base_fields for c in _form_classes())
    assert isinstance(
        importlib.import_module("meetings.forms").ActionForm.base_fields["due_on"],
        GovUKDateField,
    )
