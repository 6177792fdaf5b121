"""GOV.UK form pieces every app shares: the date field, and what the field templates need.

Every date on every form is a ``GovUKDateField``: day, month and year boxes (never the
browser's native date input), GOV.UK error messages, and what was typed shown again
when the page comes back with errors. A form that creates something carries a
``SubmissionTokenField``. The templates and the ``{% govuk_field %}`` tag
that render fields live in ``templates/includes/fields/`` and
``tac_portal/templatetags/govuk.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from tac_portal.concurrency import StaleEdit
from tac_portal.validators import (
    ANY_YEARS_AHEAD,
    EARLIEST_DATE,
    long_date,
    validate_person_name,
    validate_text,
    years_ahead,
)

PARTS = ("day", "month", "year")

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

#: No date on any form is earlier than this: a mistyped year ("1016") is caught.
EARLIEST = EARLIEST_DATE


def _mid_sentence(subject: str) -> str:
    # "Date of birth" -> "the date of birth"; "The date of the referral" is kept as it is.
    lowered = subject[:1].lower() + subject[1:]
    if lowered.startswith(("the ", "your ", "a ", "an ")):
        return lowered
    return f"the {lowered}"


@dataclass(frozen=True)
class DateProblem:
    """Why three boxes are not a date, and which boxes to mark (and link to) as wrong."""

    code: str
    parts: tuple[str, ...]
    missing: str = ""


def date_problem(parts: Sequence[str]) -> DateProblem | None:
    """What is wrong with the typed day, month and year, or None when they make a date.

    All three empty is not a problem here: whether the date is required is the field's
    business. The boxes are checked one by one first so that only the wrong box is
    marked; a month may be typed as a number or a name ("3", "Mar", "March").
    """
    day, month, year = (str(p or "").strip() for p in parts)
    if not (day or month or year):
        return None
    missing = tuple(
        name for name, value in zip(PARTS, (day, month, year), strict=True) if not value
    )
    if missing:
        return DateProblem("incomplete", missing, missing=" and ".join(missing))
    wrong: list[str] = []
    # isdecimal, not isdigit: a superscript ² is a digit that int() refuses.
    if not day.isdecimal() or not 1 <= int(day) <= 31:
        wrong.append("day")
    if _month_number(month) is None:
        wrong.append("month")
    if not year.isdecimal() or len(year) != 4:
        if not wrong:
            return DateProblem("year_digits", ("year",))
        wrong.append("year")
    if wrong:
        return DateProblem("invalid", tuple(wrong))
    try:
        dt.date(int(year), _month_number(month) or 0, int(day))
    except ValueError:
        return DateProblem("invalid", ("day",))  # 31 in a 30-day month, 29 February
    return None


def _month_number(month: str) -> int | None:
    if month.isdecimal():
        return int(month) if 1 <= int(month) <= 12 else None
    return MONTH_NAMES.get(month.lower().rstrip("."))


def parse_date_parts(parts: Sequence[str]) -> dt.date | None:
    """The date the three boxes make, None when all are empty; ValueError otherwise."""
    if date_problem(parts) is not None:
        raise ValueError("not a date")
    day, month, year = (str(p or "").strip() for p in parts)
    if not (day or month or year):
        return None
    return dt.date(int(year), _month_number(month) or 0, int(day))


class GovUKDateWidget(forms.MultiWidget):
    """Day, month and year boxes, posted as ``<name>_day``, ``<name>_month``, ``<name>_year``.

    The ``{% govuk_field %}`` tag renders it with ``includes/fields/date.html``.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({part: forms.TextInput() for part in PARTS}, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                return self.decompress(dt.date.fromisoformat(value))
            except ValueError:
                pass
        return [None, None, None]


class GovUKDateField(forms.Field):
    """A date typed in three boxes, checked with GOV.UK's messages.

    ``subject`` names the date in messages, capitalised as at the start of a sentence
    ("Date of birth", "The date of the referral"); it defaults to the label without
    "(optional)". ``past`` and ``future`` allow today; ``min_value`` and ``max_value``
    bound the date further, and ``years_ahead`` caps how far ahead it may be (every
    date has such a cap, so that no sum of days on it can run off the calendar).
    Messages are overridable by code through ``error_messages`` (``required``,
    ``incomplete``, ``invalid``, ``year_digits``, ``past``, ``future``, ``min_value``,
    ``max_value``); ``{subject}``, ``{the_subject}``, ``{missing}`` and ``{date}`` are
    filled in.
    """

    widget = GovUKDateWidget
    default_error_messages = {
        "required": "Enter {the_subject}",
        "incomplete": "{subject} must include a {missing}",
        "invalid": "{subject} must be a real date",
        "year_digits": "The year in {the_subject} must include 4 numbers",
        "past": "{subject} must be today or in the past",
        "future": "{subject} must be today or in the future",
        "min_value": "{subject} must be the same as or after {date}",
        "max_value": "{subject} must be the same as or before {date}",
    }

    def __init__(
        self,
        *,
        subject: str = "",
        past: bool = False,
        future: bool = False,
        min_value: dt.date | None = EARLIEST,
        max_value: dt.date | None = None,
        years_ahead: int = ANY_YEARS_AHEAD,
        **kwargs: Any,
    ) -> None:
        self.subject = subject
        self.years_ahead = years_ahead
        self.past = past
        self.future = future
        self.min_value = min_value
        self.max_value = max_value
        super().__init__(**kwargs)

    def message(self, code: str, **params: Any) -> str:
        """The message for ``code``, with this date's name in it."""
        subject = self.subject or str(self.label or "Date").removesuffix(" (optional)")
        return str(self.error_messages[code]).format(
            subject=capfirst(subject), the_subject=_mid_sentence(subject), **params
        )

    def _error(self, code: str, **params: Any) -> ValidationError:
        return ValidationError(self.message(code, **params), code=code)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            value = GovUKDateWidget().decompress(value) if value else ["", "", ""]
        parts = list(value or ["", "", ""])
        problem = date_problem(parts)
        if problem is not None:
            raise self._error(problem.code, missing=problem.missing)
        return parse_date_parts(parts)

    def validate(self, value: Any) -> None:
        if value is None:
            if self.required:
                raise self._error("required")
            return
        today = timezone.localdate()
        if self.past and value > today:
            raise self._error("past")
        if self.future and value < today:
            raise self._error("future")
        if self.min_value is not None and value < self.min_value:
            raise self._error("min_value", date=long_date(self.min_value))
        latest = years_ahead(self.years_ahead, today=today)
        if self.max_value is not None:
            latest = min(latest, self.max_value)
        if value > latest:
            raise self._error("max_value", date=long_date(latest))

    def wrong_parts(self, raw: Any) -> tuple[str, ...]:
        """The boxes to mark as wrong for what was posted: all three when the boxes make a
        date that a rule refused (it is the whole date that is wrong then)."""
        if isinstance(raw, list | tuple):
            problem = date_problem([str(p or "") for p in raw])
            if problem is not None:
                return problem.parts
        return PARTS

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


# --- Text and names -------------------------------------------------------------------


def _drop_django_nul_check(field: forms.CharField) -> None:
    # Our validators refuse NUL with the rest, in one message rather than two.
    field.validators = [
        v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
    ]


#: The longest free text a form takes: pages of notes, never a pasted megabyte.
FREE_TEXT_MAX_LENGTH = 10_000


class FreeTextField(forms.CharField):
    """Typed text: at most ``FREE_TEXT_MAX_LENGTH`` characters unless said, and no control
    or text-reordering characters (``tac_portal.validators.validate_text``)."""

    default_validators = [validate_text]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", FREE_TEXT_MAX_LENGTH)
        super().__init__(**kwargs)
        _drop_django_nul_check(self)


class PersonNameField(forms.CharField):
    """A person's name: letters of any script, spaces, hyphens, apostrophes and full stops
    (``tac_portal.validators.validate_person_name``); at most 100 characters unless said."""

    default_validators = [validate_person_name]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        _drop_django_nul_check(self)


# --- One-time submission tokens ------------------------------------------------------------


def new_submission_token() -> str:
    return uuid.uuid4().hex


class SubmissionTokenField(forms.CharField):
    """A hidden token made when a create form is rendered, so that sending the form twice
    creates one record (``agencies.submissions.submit_once``). A form that comes back with
    errors keeps its token."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("initial", new_submission_token)
        super().__init__(**kwargs)


class VersionField(forms.IntegerField):
    """The version of the record an edit form was rendered with, posted back unchanged
    (``tac_portal.concurrency``). Missing or garbled only if the page was tampered with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        message = "Something went wrong: go back, reload the page and try again"
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages", {"required": message, "invalid": message, "min_value": message}
        )
        super().__init__(**kwargs)


# --- What the error summary and the page title read ---------------------------------------


@dataclass
class ErrorSummary:
    """Errors that are not on a Django form (an assessment's autosaved fields, a refused
    step), for ``{% govuk_error_summary %}`` and the page title's "Error: " prefix.

    ``items`` are (the id of the element to link to, the message) pairs.
    """

    items: list[tuple[str, str]] = field(default_factory=list)
    title: str = "There is a problem"
    description: str = ""

    @classmethod
    def linking(cls, target: str, messages: Iterable[str]) -> ErrorSummary:
        return cls([(target, str(m)) for m in messages])

    def __bool__(self) -> bool:
        return bool(self.items)


def field_for_error(form: forms.BaseForm, key: str) -> str | None:
    """The form field a service's error key belongs to, or None for the top of the form.

    A service names a date's error by its day box (``referred_day``): that is the
    date field ``referred`` here.
    """
    if key in form.fields:
        return key
    for part in PARTS:
        stem = key.removesuffix(f"_{part}")
        if stem != key and isinstance(form.fields.get(stem), GovUKDateField):
            return stem
    return None


def seen_on_page(form: forms.BaseForm, name: str = "seen") -> str | None:
    """What a valid form's hidden ``name`` says its page showed, for
    ``tac_portal.concurrency.ensure_seen``; None when the post did not carry it (no
    editor's page behind it)."""
    return str(form.cleaned_data[name]) if name in form.data else None


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form: on the fields it names, the rest above the form.

    A stale edit (``tac_portal.concurrency.StaleEdit``) also shows what the record says
    now beside what the person wrote (``show_stale_edit``).
    """
    if isinstance(error, StaleEdit):
        show_stale_edit(form, error)
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            form.add_error(field_for_error(form, key), errors)
    else:
        form.add_error(None, error.messages)


# --- A stale edit: what it says now beside what you wrote --------------------------------
#
# When a save is refused because someone else saved first, the page comes back with
# everything the person typed still in the form, and above it, for each field that
# differs, what the record says now beside what they wrote (``includes/stale_edit.html``,
# shown by ``{% govuk_error_summary %}``). The form's version fields now carry the version
# they have seen, so that saving again goes through.
#
# A field is compared with the record's attribute of the same name; a form whose fields
# are named otherwise says what they hold now with a ``stale_values(record)`` method
# returning a mapping from field name to value.

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class StaleRow:
    label: str
    now: str
    wrote: str


@dataclass
class StaleComparison:
    """What the record says now beside what the person wrote, field by field."""

    rows: list[StaleRow] = field(default_factory=list)


def readable(form_field: forms.Field | None, value: Any) -> str:
    """A value as a person reads it: dates written out, choices by their labels."""
    if hasattr(value, "all") and callable(value.all) and not isinstance(value, models.Model):
        value = list(value.all())  # a related manager
    if isinstance(value, bool):
        coerce: Any = getattr(form_field, "coerce", None)
        if callable(coerce):
            for key, label in _choice_labels(form_field).items():
                if coerce(key) is value:  # a yes or no question asked in words of its own
                    return label
        return "Yes" if value else "No"
    if value is None or value == "" or (isinstance(value, list | tuple | set) and not value):
        return NOT_GIVEN
    if isinstance(value, list | tuple | set | frozenset):
        shown = [readable(form_field, v) for v in value]
        return ", ".join(sorted(shown) if isinstance(value, set | frozenset) else shown)
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y at %H:%M}"
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, models.Model):
        return str(value)
    labels = _choice_labels(form_field)
    # Lines end as a browser sends them ("\r\n") or as stored ("\n"): the same text.
    return str(labels.get(str(value), value)).replace("\r\n", "\n").strip()


def _choice_labels(form_field: forms.Field | None) -> dict[str, str]:
    if form_field is None or isinstance(form_field, forms.ModelChoiceField):
        return {}
    labels: dict[str, str] = {}
    for key, label in getattr(form_field, "choices", None) or ():
        if isinstance(label, list | tuple):  # a group of options
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def _now_values(form: forms.BaseForm, record: Any) -> Mapping[str, Any]:
    values: dict[str, Any] = {}
    for name in form.fields:
        if hasattr(type(record), name) or name in getattr(record, "__dict__", {}):
            value = getattr(record, name)
            if not callable(value) or hasattr(value, "all"):
                values[name] = value
    custom = getattr(form, "stale_values", None)
    if callable(custom):
        values.update(custom(record))
    return values


def stale_comparison(form: forms.BaseForm, record: Any) -> StaleComparison:
    """The fields on ``form`` where ``record`` (as saved now) differs from what was typed."""
    now = _now_values(form, record)
    cleaned = getattr(form, "cleaned_data", {}) or {}
    rows: list[StaleRow] = []
    for name, form_field in form.fields.items():
        if form_field.widget.is_hidden or name not in now:
            continue
        wrote = cleaned[name] if name in cleaned else form[name].value()
        now_text = readable(form_field, now[name])
        wrote_text = readable(form_field, wrote)
        if now_text != wrote_text:
            label = str(form_field.label or capfirst(name.replace("_", " ")))
            rows.append(StaleRow(label.removesuffix(" (optional)"), now_text, wrote_text))
    return StaleComparison(rows)


def show_stale_edit(form: forms.BaseForm, error: StaleEdit) -> None:
    """Keep what was typed, show what the record says now, and carry its version."""
    record = error.current
    refreshed = dict(error.refreshed or {})
    if record is not None:
        for name, form_field in form.fields.items():
            if isinstance(form_field, VersionField) and name not in refreshed:
                refreshed[name] = record.version
    if record is not None:
        form.stale = stale_comparison(form, record)  # type: ignore[attr-defined]
    if refreshed and form.is_bound:
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict, or a dict
        for name, value in refreshed.items():
            if name in form.fields:
                data[form.add_prefix(name)] = str(value)
        form.data = data


#: Keys a form may put in a widget's ``attrs`` to shape how its field is shown; the
#: ``{% govuk_field %}`` tag reads them (its own arguments win).
PRESENTATION = frozenset(
    {
        "rows",
        "width",
        "autocomplete",
        "inputmode",
        "spellcheck",
        "character_count",
        "small",
        "inline",
        "legend_size",
        "label_size",
    }
)


def presentation(widget: forms.Widget) -> Mapping[str, Any]:
    return {k: v for k, v in widget.attrs.items() if k in PRESENTATION}


@dataclass
class FieldSpec:
    """A field that is not on a Django form (an assessment's data-driven fields, meeting
    mode's autosaved notes), described for the same templates as a form field.

    ``kind`` is one of the field templates: ``input``, ``textarea``, ``select``,
    ``radios``, ``checkboxes``, ``checkbox``, ``date``. ``value`` is a string, a list of
    strings for checkboxes, or the day, month and year typed for a date.
    """

    kind: str
    name: str
    id: str
    label: str
    value: Any = ""
    hint: str = ""
    errors: Sequence[str] = ()
    choices: Sequence[tuple[str, str]] = ()
