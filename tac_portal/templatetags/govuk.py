"""Rendering a form field the GOV.UK way, in one place.

``{% govuk_field form.due_on %}`` picks the template from the field's widget
(``templates/includes/fields/<kind>.html``) and fills in what GOV.UK asks of every
field: a label or legend, the hint and the error message linked to the input with
``aria-describedby``, the visually hidden "Error:" before each message, and what was
typed shown again when the page comes back with errors. ``{% govuk_fields form %}``
renders a whole form in order; ``{% govuk_error_summary form %}`` links each message
to its field; ``{% govuk_error_prefix %}`` (in ``base.html``) starts the page title
with "Error: " whenever the page shows form errors.

Options, as keyword arguments (a form may also set the starred ones in its widget's
``attrs``; the tag's win):

- ``label``, ``hint``: instead of the field's label and help text;
  ``label_hidden``: the label is for screen readers only (a field in a table row);
- ``label_size``*, ``legend_size``*: ``s`` (the default), ``m``, ``l``, ``xl``, or
  ``""`` for body-sized text;
- ``width``*: an input's width, ``2`` to ``30`` characters or ``one-half`` and so on;
- ``rows``*, ``character_count``* (a textarea: counts down to the field's max_length);
- ``autocomplete``*, ``inputmode``*, ``spellcheck``*, ``input_type``;
- ``inline``*, ``small``*: radios and checkboxes; ``item_hints``: a hint under each
  option (a mapping from the option's value); ``divider_before``: the value of the
  option that follows an "or" divider; ``empty_text``: shown when there are no options;
- ``id_suffix``: the same form shown several times on a page (one per table row);
- ``value``: the value shown, instead of the form's (the same form for each row);
- ``options_html``: a select's options, already rendered (a list of thousands).

A form reveals fields under a radio or checkbox by naming them in a
``conditional_reveals`` attribute: ``{"reason": {"other": ("reason_detail",)}}``.
No form uses it yet: GOV.UK Frontend's script puts ``aria-expanded`` on the radio, which
axe reports as a critical violation (a known, deliberate GOV.UK choice) and the browser
tests refuse any critical violation.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django import forms, template
from django.core.exceptions import ImproperlyConfigured
from django.forms import BoundField
from django.forms.widgets import Input
from django.template import Engine
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString

from tac_portal.forms import (
    PARTS,
    ErrorSummary,
    FieldSpec,
    GovUKDateField,
    GovUKDateWidget,
    date_problem,
    presentation,
)

register = template.Library()
logger = logging.getLogger(__name__)

KINDS = ("input", "textarea", "select", "radios", "checkboxes", "checkbox", "date", "file")
FIXED_WIDTHS = frozenset({"2", "3", "4", "5", "10", "20", "30"})
FLUID_WIDTHS = frozenset(
    {"full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter"}
)
SIZES = frozenset({"s", "m", "l", "xl"})
PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
PART_WIDTHS = {"day": "2", "month": "2", "year": "4"}
#: Attributes of an input passed through from the options (and the widget's attrs).
INPUT_ATTRIBUTES = ("autocomplete", "inputmode", "spellcheck")

# Django's own wording, which every form here replaces with a specific message.
DJANGO_BLANK_LABEL = "---------"
DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def _refuse(problem: str) -> None:
    """A form that falls short of GOV.UK's rules fails loudly in development and tests,
    and is logged (not broken) in production."""
    if Engine.get_default().debug:
        raise ImproperlyConfigured(problem)
    logger.warning("form field below the GOV.UK standard: %s", problem)


def _kind(widget: forms.Widget) -> str:
    # Order matters: CheckboxSelectMultiple is a RadioSelect, and RadioSelect a ChoiceWidget.
    if isinstance(widget, GovUKDateWidget):
        return "date"
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.DateInput | forms.DateTimeInput | forms.SplitDateTimeWidget):
        raise ImproperlyConfigured(
            "Dates are GovUKDateField (day, month and year boxes), never a date input"
        )
    if isinstance(widget, Input):
        return "input"
    raise ImproperlyConfigured(f"No GOV.UK field template for {type(widget).__name__}")


def _size_class(prefix: str, size: Any) -> str:
    size = "s" if size is None else str(size)
    return f" {prefix}--{size}" if size in SIZES else ""


def _width_class(width: Any) -> str:
    width = "" if width is None else str(width)
    if width in FIXED_WIDTHS:
        return f" govuk-input--width-{width}"
    if width in FLUID_WIDTHS:
        return f" govuk-!-width-{width}"
    return ""


def _common(
    *, kind: str, id_: str, name: str, label: str, hint: str, errors: Sequence[str], opts: Any
) -> dict[str, Any]:
    hint = str(opts.get("hint", hint) or "")
    errors = [str(e) for e in errors]
    context: dict[str, Any] = {
        "kind": kind,
        "id": id_,
        "name": name,
        "label": opts.get("label", label),
        "hint": hint,
        "hint_id": f"{id_}-hint",
        "errors": errors,
        "error_id": f"{id_}-error",
        "label_class": " govuk-visually-hidden"
        if opts.get("label_hidden")
        else _size_class("govuk-label", opts.get("label_size")),
        "legend_class": _size_class("govuk-fieldset__legend", opts.get("legend_size")),
        "group_class": opts.get("group_class", ""),
        "inline": bool(opts.get("inline")),
        "small": bool(opts.get("small")),
    }
    described = [f"{id_}-hint" if hint else "", f"{id_}-error" if errors else ""]
    context["describedby"] = " ".join(d for d in described if d)
    return context


def _input_attributes(opts: Mapping[str, Any]) -> list[tuple[str, str]]:
    attributes = []
    for name in INPUT_ATTRIBUTES:
        value = opts.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        attributes.append((name, str(value)))
    return attributes


def _items(
    choices: Iterable[tuple[Any, Any]],
    chosen: set[str],
    *,
    base_id: str,
    opts: Mapping[str, Any],
    reveals: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The options of a radio group or checkbox group: the first carries the field's
    own id, so the label, the error summary and the hint all point at it."""
    item_hints = opts.get("item_hints") or {}
    hint_template = opts.get("item_hint_template")
    hint_objects = opts.get("item_objects") or {}
    divider_before = opts.get("divider_before")
    items = []
    for index, (value, label) in enumerate(choices):
        value = "" if value is None else str(value)
        if str(label) == DJANGO_BLANK_LABEL:
            _refuse(f"{base_id}: an option labelled '{DJANGO_BLANK_LABEL}'")
        item_id = base_id if index == 0 else f"{base_id}_{index}"
        conditional = (reveals or {}).get(value, "")
        hint = item_hints.get(value, "")
        if hint_template and value in hint_objects:
            hint = render_to_string(hint_template, {"object": hint_objects[value]})
        items.append(
            {
                "id": item_id,
                "value": value,
                "label": label,
                "checked": value in chosen,
                "hint": hint,
                "hint_id": f"{item_id}-item-hint",
                "divider": opts.get("divider_text", "or")
                if divider_before is not None and str(divider_before) == value
                else "",
                "conditional": conditional,
                "conditional_id": f"conditional-{item_id}",
            }
        )
    return items


def _options(choices: Iterable[tuple[Any, Any]], chosen: set[str], id_: str) -> list[Any]:
    options = []
    for value, label in choices:
        if isinstance(label, list | tuple):  # an optgroup: its options, in order
            options.extend(_options(label, chosen, id_))
            continue
        if str(label) == DJANGO_BLANK_LABEL:
            _refuse(f"{id_}: an empty option labelled '{DJANGO_BLANK_LABEL}'")
        value = "" if value is None else str(value)
        options.append({"value": value, "label": label, "selected": value in chosen})
    return options


def _chosen(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value if v is not None}
    return {str(value)}


def _date_parts(raw: Any, *, base_id: str, name: str, wrong: Iterable[str]) -> list[dict[str, Any]]:
    if isinstance(raw, dt.date):
        values: list[Any] = [raw.day, raw.month, raw.year]
    elif isinstance(raw, list | tuple) and len(raw) == 3:
        values = list(raw)
    else:
        values = GovUKDateWidget().decompress(raw)
    wrong = set(wrong)
    return [
        {
            "id": f"{base_id}_{part}",
            "name": f"{name}_{part}",
            "label": PART_LABELS[part],
            "value": "" if value is None else str(value),
            "width_class": _width_class(PART_WIDTHS[part]),
            "error": part in wrong,
        }
        for part, value in zip(PARTS, values, strict=True)
    ]


def _date_example(field: forms.Field | None) -> str:
    year = timezone.localdate().year
    if isinstance(field, GovUKDateField) and field.past:
        year -= 1
    elif isinstance(field, GovUKDateField) and field.future:
        year += 1
    return f"For example, 27 3 {year}"


# --- From a Django form field ---------------------------------------------------------


def _base_id(bound: BoundField, opts: Mapping[str, Any]) -> str:
    id_ = str(bound.field.widget.attrs.get("id") or bound.auto_id or bound.html_name)
    suffix = opts.get("id_suffix")
    return f"{id_}-{suffix}" if suffix not in (None, "") else id_


def anchor_for(bound: BoundField, opts: Mapping[str, Any] | None = None) -> str | None:
    """The id the error summary links to for this field: the first of a date's boxes
    that is wrong, a group's first option, or the input itself. None for a hidden field."""
    kind = _kind(bound.field.widget)
    if kind == "hidden":
        return None
    base = _base_id(bound, opts or {})
    if kind == "date":
        field = bound.field
        wrong = field.wrong_parts(bound.data) if isinstance(field, GovUKDateField) else PARTS
        first = next((p for p in PARTS if p in wrong), "day")
        return f"{base}_{first}"
    return base


def _reveals(bound: BoundField, opts: Mapping[str, Any]) -> dict[str, str]:
    """The fields shown under each option (rendered), from the form's ``conditional_reveals``."""
    mapping = getattr(bound.form, "conditional_reveals", {}).get(bound.name, {})
    return {
        str(value): format_html_join(
            "", "{}", ((render_field(bound.form[name]),) for name in names)
        )
        for value, names in mapping.items()
    }


def _from_bound(bound: BoundField, opts: Mapping[str, Any]) -> dict[str, Any]:
    field = bound.field
    widget = field.widget
    opts = {**presentation(widget), **opts}
    kind = _kind(widget)
    id_ = _base_id(bound, opts)
    errors = [str(e) for e in bound.errors]
    for error in errors:
        if error == DJANGO_REQUIRED:
            _refuse(f"{bound.name}: Django's 'This field is required.' (say what to enter)")
    value = field.prepare_value(opts["value"]) if "value" in opts else bound.value()
    hint = str(bound.help_text or "")
    if kind == "date" and not hint:
        hint = _date_example(field)
    context = _common(
        kind=kind,
        id_=id_,
        name=bound.html_name,
        label=str(bound.label or ""),
        hint=hint,
        errors=errors,
        opts=opts,
    )
    if kind == "input":
        input_type = opts.get("input_type") or getattr(widget, "input_type", "text")
        if input_type == "number":
            # GOV.UK: a text input with a numeric keyboard, never type="number".
            input_type = "text"
            opts.setdefault("inputmode", "numeric")
            opts.setdefault("spellcheck", False)
        if isinstance(widget, forms.PasswordInput) and not widget.render_value:
            value = None
        shown = widget.format_value(value)
        context |= {
            "input_type": input_type,
            "value": shown,
            "width_class": _width_class(opts.get("width")),
            "attributes": _input_attributes(opts),
        }
    elif kind == "textarea":
        count = opts.get("character_count")
        if count is True:
            count = getattr(field, "max_length", None)
        if count:
            context["describedby"] = " ".join(
                part for part in (f"{id_}-info", context["describedby"]) if part
            )
        context |= {
            "value": widget.format_value(value) or "",
            # Django's Textarea always says rows="10" (a string); a form's own choice is kept.
            "rows": 5 if opts.get("rows") in (None, "", "10") else opts["rows"],
            "count": count or None,
            "attributes": _input_attributes(opts),
        }
    elif kind == "select":
        if "options_html" in opts:
            context["options_html"] = opts["options_html"]
        else:
            context["options"] = _options(
                getattr(widget, "choices", ()), _chosen(widget.format_value(value)), id_
            )
    elif kind in ("radios", "checkboxes"):
        context |= {
            "items": _items(
                getattr(widget, "choices", ()),
                _chosen(widget.format_value(value)),
                base_id=id_,
                opts=opts,
                reveals=_reveals(bound, opts),
            ),
            "empty_text": opts.get("empty_text", "There is nothing to choose from."),
        }
    elif kind == "checkbox":
        checked = widget.check_test(value) if isinstance(widget, forms.CheckboxInput) else False
        context |= {"checked": checked}
    elif kind == "date":
        wrong: Sequence[str] = ()
        if errors:
            wrong = field.wrong_parts(bound.data) if isinstance(field, GovUKDateField) else PARTS
        context["parts"] = _date_parts(value, base_id=id_, name=bound.html_name, wrong=wrong)
    return context


# --- From a field that is not on a form -------------------------------------------------


def _from_spec(spec: FieldSpec, opts: Mapping[str, Any]) -> dict[str, Any]:
    if spec.kind not in KINDS:
        raise ImproperlyConfigured(f"No GOV.UK field template for '{spec.kind}'")
    context = _common(
        kind=spec.kind,
        id_=spec.id,
        name=spec.name,
        label=spec.label,
        hint=spec.hint or (_date_example(None) if spec.kind == "date" else ""),
        errors=list(spec.errors),
        opts=opts,
    )
    value = opts.get("value", spec.value)
    if spec.kind in ("input", "file"):
        context |= {
            "input_type": opts.get("input_type", "text"),
            "value": value if value not in (None, "") else None,
            "width_class": _width_class(opts.get("width")),
            "attributes": _input_attributes(opts),
        }
    elif spec.kind == "textarea":
        context |= {
            "value": value or "",
            "rows": opts.get("rows") or 5,
            "count": None,
            "attributes": _input_attributes(opts),
        }
    elif spec.kind == "select":
        context["options"] = _options(spec.choices, _chosen(value), spec.id)
    elif spec.kind in ("radios", "checkboxes"):
        context |= {
            "items": _items(spec.choices, _chosen(value), base_id=spec.id, opts=opts),
            "empty_text": opts.get("empty_text", "There is nothing to choose from."),
        }
    elif spec.kind == "checkbox":
        context["checked"] = bool(value)
    elif spec.kind == "date":
        wrong: Sequence[str] = ()
        if spec.errors:
            problem = date_problem(value) if isinstance(value, list | tuple) else None
            wrong = problem.parts if problem else PARTS
        context["parts"] = _date_parts(value, base_id=spec.id, name=spec.name, wrong=wrong)
    return context


# --- The tags ---------------------------------------------------------------------------


def render_field(field: BoundField | FieldSpec | None = None, **opts: Any) -> SafeString:
    """One field, rendered with its GOV.UK template (see the module's docstring)."""
    if field is None:
        field = FieldSpec(
            kind=opts.pop("kind"),
            name=opts.pop("name"),
            id=opts.pop("id"),
            label=opts.pop("label", ""),
            value=opts.pop("value", ""),
            hint=opts.pop("hint", ""),
            errors=[opts.pop("error")] if opts.get("error") else opts.pop("errors", ()),
            choices=opts.pop("choices", ()),
        )
        opts.pop("error", None)
    if isinstance(field, BoundField):
        if field.is_hidden:
            return _hidden(field, opts)
        context = _from_bound(field, opts)
    elif isinstance(field, FieldSpec):
        context = _from_spec(field, opts)
    else:
        raise ImproperlyConfigured(f"govuk_field needs a form field, not {type(field).__name__}")
    # The engine's output is already a SafeString (every value in it was escaped).
    return render_to_string(f"includes/fields/{context['kind']}.html", {"field": context})


def _hidden(bound: BoundField, opts: Mapping[str, Any]) -> SafeString:
    """Django's own ``<input type="hidden">``, with the row's id and, given, its value."""
    attrs: dict[str, Any] = {"id": _base_id(bound, opts)}
    # Django's widget escapes the name, the value and the attributes it renders.
    if "value" not in opts:
        return bound.as_hidden(attrs=attrs)
    widget = bound.field.hidden_widget()
    value = bound.field.prepare_value(opts["value"])
    return widget.render(bound.html_name, value, attrs=attrs)


@register.simple_tag
def govuk_field(field: BoundField | FieldSpec | None = None, **opts: Any) -> SafeString:
    """``{% govuk_field form.due_on width=10 %}``; without a form field, the keyword
    arguments describe it: ``{% govuk_field kind="textarea" id=… name=… label=… %}``."""
    return render_field(field, **opts)


@register.simple_tag
def govuk_fields(form: forms.BaseForm, **opts: Any) -> SafeString:
    """Every field of ``form`` in order (hidden ones as hidden inputs); fields a radio
    reveals are shown under it, not again on their own."""
    revealed = {
        name
        for options in getattr(form, "conditional_reveals", {}).values()
        for names in options.values()
        for name in names
    }
    return format_html_join(
        "", "{}", ((render_field(bound, **opts),) for bound in form if bound.name not in revealed)
    )


def _summary_items(
    sources: Sequence[Any], first_field_id: str, opts: Mapping[str, Any]
) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for source in sources:
        if isinstance(source, ErrorSummary):
            items.extend(source.items)
            continue
        if not isinstance(source, forms.BaseForm) or not source.is_bound or not source.errors:
            continue
        visible = [b for b in source if not b.is_hidden]
        top = (
            first_field_id or (anchor_for(visible[0], opts) if visible else None) or "main-content"
        )
        items.extend((top, str(e)) for e in source.non_field_errors())
        for bound in source:
            target = anchor_for(bound, opts) or top
            items.extend((target, str(e)) for e in bound.errors)
    return items


@register.simple_tag
def govuk_error_summary(*sources: Any, first_field_id: str = "", **opts: Any) -> SafeString:
    """ "There is a problem", with each message linked to its field, for any number of
    forms and ``ErrorSummary`` lists; nothing when there are no errors.

    A message for the whole form (or a hidden field) links to ``first_field_id``, by
    default the form's first field; ``id_suffix`` is the one its fields were shown with.
    """
    items = _summary_items(sources, first_field_id, opts)
    if not items:
        return format_html_join("", "{}", ())  # nothing: an empty, safe string
    titled = next((s for s in sources if isinstance(s, ErrorSummary) and s), None)
    summary = render_to_string(
        "includes/error_summary.html",
        {
            "items": items,
            "title": titled.title if titled else "There is a problem",
            "description": titled.description if titled else "",
        },
    )
    # A save refused because someone else saved first: what it says now, beside what
    # the person wrote (``tac_portal.forms.show_stale_edit``).
    stale = [s.stale for s in sources if isinstance(s, forms.BaseForm) and hasattr(s, "stale")]
    if not stale:
        return summary
    panels = [render_to_string("includes/stale_edit.html", {"comparison": c}) for c in stale]
    return format_html_join("", "{}", [(summary,), *((p,) for p in panels)])


def shows_errors(value: Any) -> bool:
    # type(), not isinstance(): a lazy object in the context (the CSRF token, the user)
    # must not be evaluated just to be looked at.
    kind = type(value)
    if issubclass(kind, forms.BaseForm):
        return bool(value.is_bound and value.errors)
    if issubclass(kind, ErrorSummary):
        return bool(value)
    if kind in (list, tuple):
        return any(shows_errors(v) for v in value if type(v) not in (list, tuple, dict))
    if kind is dict:
        return any(shows_errors(v) for v in value.values() if type(v) not in (list, tuple, dict))
    return False


@register.simple_tag(takes_context=True)
def govuk_error_prefix(context: Context) -> str:
    """ "Error: " when any form on the page (or an ``ErrorSummary``) has errors."""
    return "Error: " if any(shows_errors(v) for v in context.flatten().values()) else ""


@register.filter
def govuk_attributes(attributes: Iterable[tuple[str, str]]) -> SafeString:
    """Extra attributes of an input, escaped."""
    return format_html_join("", ' {}="{}"', attributes)


# --- Tables on a narrow screen ----------------------------------------------------------
# ``{% table_region %}<table class="govuk-table">…</table>{% endtable_region %}`` is the one
# way to show a table: on a screen narrower than the table, the table scrolls sideways
# inside its own region and the page never does. The region can be reached with the
# keyboard (so it can be scrolled without a mouse) and is named after the table's caption
# (or ``{% table_region label="…" %}``), so a screen reader says which table it is in.
#
# ``{% table_region stack %}`` is for the tables people read on a phone (My work, a case's
# plan, its meetings and team, search results, notifications): on a narrow screen each row
# becomes a block of "heading: value" lines, like a GOV.UK summary list, instead of
# scrolling. The tag labels every body cell with its column's heading (``data-label``,
# which the style sheet shows before the value) and gives each part of the table its
# table role, so a screen reader still finds a table, its rows, cells and headings once
# the style sheet has laid them out as blocks.

_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)
_THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.DOTALL | re.IGNORECASE)
_HEADER_CELL = re.compile(r"<th\b([^>]*)>(.*?)</th>", re.DOTALL | re.IGNORECASE)
_ROW = re.compile(r"(<tr\b)([^>]*>)(.*?)(</tr>)", re.DOTALL | re.IGNORECASE)
_CELL = re.compile(r"<(td|th)\b([^>]*)>", re.IGNORECASE)
_SPAN = re.compile(r"\bcolspan\s*=\s*[\"']?(\d+)", re.IGNORECASE)
_PART = re.compile(r"<(table|thead|tbody|tfoot)\b(?![^>]*\brole=)", re.IGNORECASE)


def _text(fragment: str) -> str:
    """The words of an HTML fragment, on one line, unescaped (escaped again on output)."""
    return " ".join(html.unescape(strip_tags(fragment)).split())


_PART_ROLES = {"table": "table", "thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup"}


def _stacked(content: str) -> str:
    """The table with its roles and every body cell labelled with its column's heading."""
    head = _THEAD.search(content)
    headings = [_text(m.group(2)) for m in _HEADER_CELL.finditer(head.group(1))] if head else []

    def cell_in(in_head: bool) -> Callable[[re.Match[str]], str]:
        column = 0

        def label(m: re.Match[str]) -> str:
            nonlocal column
            tag, attrs = m.group(1).lower(), m.group(2)
            span = _SPAN.search(attrs)
            width = int(span.group(1)) if span else 1
            if in_head:
                role = "columnheader"
            elif tag == "th":
                role = "rowheader"
            else:
                role = "cell"
            extra = f' role="{role}"' if "role=" not in attrs else ""
            heading = headings[column] if column < len(headings) else ""
            if not in_head and width == 1 and heading:
                extra += format_html(' data-label="{}"', heading)
            column += width
            return f"<{m.group(1)}{extra}{attrs}>"

        return label

    def row(m: re.Match[str]) -> str:
        in_head = head is not None and head.start() <= m.start() < head.end()
        cells = _CELL.sub(cell_in(in_head), m.group(3))
        attrs = m.group(2) if "role=" in m.group(2) else f' role="row"{m.group(2)}'
        return f"{m.group(1)}{attrs}{cells}{m.group(4)}"

    content = _ROW.sub(row, content)
    return _PART.sub(lambda m: f'<{m.group(1)} role="{_PART_ROLES[m.group(1).lower()]}"', content)


class TableRegionNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: Any, stack: bool = False) -> None:
        self.nodelist = nodelist
        self.label = label
        self.stack = stack

    def render(self, context: Context) -> str:
        content = self.nodelist.render(context)
        label = str(self.label.resolve(context)) if self.label is not None else ""
        if not label:
            caption = _CAPTION.search(content)
            # The caption is HTML: its text, unescaped here and escaped once below.
            label = _text(caption.group(1)) if caption else ""
        if not label:
            raise template.TemplateSyntaxError(
                "a table_region needs a table with a <caption>, or a label"
            )
        if self.stack:
            return format_html(
                '<div class="tac-table-region tac-table-region--stack" role="region" '
                'aria-label="{}" tabindex="0">{}</div>',
                label,
                # The rendered template (a SafeString, already escaped) with attributes
                # added whose values format_html escaped as they were added.
                SafeString(_stacked(content)),  # nosec B703
            )
        return format_html(
            '<div class="tac-table-region" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            content,  # the rendered template (a SafeString): already escaped
        )


@register.tag
def table_region(parser: template.base.Parser, token: template.base.Token) -> TableRegionNode:
    """A table that scrolls inside its own region on a narrow screen, or with ``stack``
    becomes a list of rows there (see above)."""
    bits = token.split_contents()
    label = None
    stack = False
    for bit in bits[1:]:
        if bit == "stack":
            stack = True
            continue
        if not bit.startswith("label="):
            raise template.TemplateSyntaxError(f"{bits[0]} takes only label=… and stack, not {bit}")
        label = parser.compile_filter(bit.removeprefix("label="))
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, label, stack)
