"""The one way to render a form field: ``{% govuk_field %}`` and its GOV.UK templates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template

from tac_portal.forms import ErrorSummary, FieldSpec, GovUKDateField


def render(source: str, **context: Any) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html)


class PersonForm(forms.Form):
    conditional_reveals = {"contact": {"phone": ("phone_number",)}}

    name = forms.CharField(
        label="Full name",
        help_text="As on their passport",
        max_length=50,
        error_messages={"required": "Enter the full name"},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "character_count": True}),
    )
    agency = forms.ChoiceField(
        label="Agency",
        choices=[("", "Choose an agency"), ("1", "Riverside School"), ("2", "Health visiting")],
        error_messages={"required": "Choose an agency"},
    )
    contact = forms.ChoiceField(
        label="How should we contact them?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
        help_text="Choose one",
        error_messages={"required": "Select how to contact them"},
    )
    phone_number = forms.CharField(label="Phone number", required=False)
    days = forms.MultipleChoiceField(
        label="Which days?",
        choices=[("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one day"},
    )
    agreed = forms.BooleanField(label="They agreed", required=False)
    born = GovUKDateField(label="Date of birth", past=True, help_text="For example, 27 3 2016")
    age = forms.IntegerField(
        label="Age", required=False, error_messages={"invalid": "Age must be a number"}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


BAD = {
    "name": "",
    "notes": "\nFirst line kept",
    "agency": "2",
    "contact": "phone",
    "phone_number": "0113 496 0000",
    "days": ["mon", "wed"],
    "agreed": "true",
    "born_day": "31",
    "born_month": "",
    "born_year": "20x6",
    "age": "ten",
    "version": "4",
}


@pytest.fixture
def bad() -> PersonForm:
    form = PersonForm(BAD)
    assert not form.is_valid()
    return form


def test_a_text_input_has_its_label_hint_and_error_linked(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.name width=20 %}", form=bad))
    assert '<label class="govuk-label govuk-label--s" for="id_name">Full name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As on their passport</div>' in html
    assert (
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter the full name</p>'
    ) in html
    assert 'class="govuk-input govuk-input--width-20 govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "govuk-form-group--error" in html


def test_a_text_input_keeps_what_was_typed() -> None:
    form = PersonForm({**BAD, "name": 'Robin "Rob" <Reed>'})
    form.is_valid()
    html = render("{% govuk_field form.name %}", form=form)
    assert 'value="Robin &quot;Rob&quot; &lt;Reed&gt;"' in html
    assert "govuk-form-group--error" not in html


def test_a_number_is_a_text_input_with_a_numeric_keyboard(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.age %}", form=bad))
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'value="ten"' in html
    assert "Age must be a number" in html


def test_a_textarea_keeps_a_leading_new_line_and_counts_characters(bad: PersonForm) -> None:
    html = render("{% govuk_field form.notes %}", form=bad)
    assert 'data-module="govuk-character-count" data-maxlength="200"' in html
    assert 'rows="3"' in html
    # The browser drops the first new line after <textarea>: the typed one survives.
    assert ">\n\nFirst line kept</textarea>" in html
    assert 'id="id_notes-info"' in html
    assert 'aria-describedby="id_notes-info"' in squash(html)
    assert "You can enter up to 200 characters" in html


def test_a_textarea_without_rows_is_five_rows_not_djangos_ten() -> None:
    class Form(forms.Form):
        text = forms.CharField(label="Text", widget=forms.Textarea)

    assert 'rows="5"' in render("{% govuk_field form.text %}", form=Form())


def test_a_select_keeps_the_choice(bad: PersonForm) -> None:
    html = render("{% govuk_field form.agency %}", form=bad)
    assert '<option value="">Choose an agency</option>' in html
    assert '<option value="2" selected>Health visiting</option>' in html
    assert '<option value="1">Riverside School</option>' in html


def test_a_select_may_be_given_its_options_already_rendered(bad: PersonForm) -> None:
    from django.utils.safestring import mark_safe

    options = mark_safe('<option value="9" selected>Nine</option>')
    html = render("{% govuk_field form.agency options_html=options %}", form=bad, options=options)
    assert '<option value="9" selected>Nine</option>' in html
    assert "Riverside School" not in html


def test_djangos_dashes_option_is_refused() -> None:
    class Form(forms.Form):
        agency = forms.ChoiceField(label="Agency", choices=[("", "---------"), ("1", "One")])

    with pytest.raises(ImproperlyConfigured, match="---------"):
        render("{% govuk_field form.agency %}", form=Form())


def test_djangos_generic_required_message_is_refused() -> None:
    class Form(forms.Form):
        name = forms.CharField(label="Name")

    with pytest.raises(ImproperlyConfigured, match="This field is required"):
        render("{% govuk_field form.name %}", form=Form({}))


def test_radios_are_a_fieldset_whose_first_option_carries_the_field_id(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.contact inline=True %}", form=bad))
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_contact-hint">' in html
    assert "govuk-fieldset__legend--s" in html
    assert "How should we contact them?</legend>" in html
    assert 'class="govuk-radios govuk-radios--inline"' in html
    assert 'id="id_contact" name="contact" type="radio" value="email">' in html
    assert 'id="id_contact_1" name="contact" type="radio" value="phone" checked' in html


def test_a_radio_reveals_the_fields_the_form_names_under_it(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.contact %}", form=bad))
    assert 'value="phone" checked data-aria-controls="conditional-id_contact_1"' in html
    assert '<div class="govuk-radios__conditional" id="conditional-id_contact_1">' in html
    assert 'value="0113 496 0000"' in html
    # Shown under its radio, not again on its own.
    all_fields = render("{% govuk_fields form %}", form=bad)
    assert all_fields.count('name="phone_number"') == 1


def test_a_revealed_field_is_hidden_until_its_radio_is_chosen() -> None:
    html = render("{% govuk_field form.contact %}", form=PersonForm())
    assert "govuk-radios__conditional govuk-radios__conditional--hidden" in html


def test_radio_hints_and_a_divider(bad: PersonForm) -> None:
    hints = {"email": "We reply within a day"}
    html = squash(
        render(
            '{% govuk_field form.contact item_hints=hints divider_before="phone" %}',
            form=bad,
            hints=hints,
        )
    )
    assert 'aria-describedby="id_contact-item-hint"' in html
    assert (
        '<div id="id_contact-item-hint" class="govuk-hint govuk-radios__hint">'
        "We reply within a day</div>"
    ) in html
    assert '<div class="govuk-radios__divider">or</div>' in html


def test_checkboxes_keep_every_ticked_box(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.days small=True %}", form=bad))
    assert 'class="govuk-checkboxes govuk-checkboxes--small"' in html
    assert 'id="id_days" name="days" type="checkbox" value="mon" checked' in html
    assert 'id="id_days_1" name="days" type="checkbox" value="tue">' in html
    assert 'id="id_days_2" name="days" type="checkbox" value="wed" checked' in html


def test_a_single_checkbox_keeps_its_tick(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.agreed %}", form=bad))
    assert 'id="id_agreed" name="agreed" type="checkbox" value="true" checked' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_agreed">' in html
    assert "checked" not in render("{% govuk_field form.agreed %}", form=PersonForm())


def test_a_date_is_three_boxes_that_keep_what_was_typed(bad: PersonForm) -> None:
    html = squash(render("{% govuk_field form.born %}", form=bad))
    assert 'type="date"' not in html
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert 'aria-describedby="id_born-hint id_born-error"' in html
    assert "Date of birth must include a month" in html
    assert '<div class="govuk-date-input" id="id_born">' in html
    for part, value, width in (("day", "31", 2), ("month", "", 2), ("year", "20x6", 4)):
        assert f'<label class="govuk-label govuk-date-input__label" for="id_born_{part}">' in html
        assert f'id="id_born_{part}" name="born_{part}" type="text" inputmode="numeric"' in html
        assert f'value="{value}"' in html
        assert f"govuk-input--width-{width}" in html
    # Only the missing month is marked.
    assert html.count("govuk-input--error") == 1
    assert re.search(r'govuk-input--error" id="id_born_month"', html)


def test_a_date_shows_its_initial_value_in_the_boxes() -> None:
    form = PersonForm(initial={"born": dt.date(2016, 3, 7)})
    html = render("{% govuk_field form.born %}", form=form)
    for part, value in (("day", "7"), ("month", "3"), ("year", "2016")):
        assert f'name="born_{part}" type="text" inputmode="numeric" value="{value}"' in html


def test_a_date_without_a_hint_gets_an_example() -> None:
    class Form(forms.Form):
        due = GovUKDateField(label="Due date")

    assert "For example, 27 3 " in render("{% govuk_field form.due %}", form=Form())


def test_a_native_date_input_is_refused() -> None:
    class Form(forms.Form):
        day = forms.DateField(label="Day")

    with pytest.raises(ImproperlyConfigured, match="GovUKDateField"):
        render("{% govuk_field form.day %}", form=Form())


def test_a_file_upload() -> None:
    class Form(forms.Form):
        letter = forms.FileField(label="Upload the letter", help_text="A PDF")

    html = squash(render("{% govuk_field form.letter %}", form=Form()))
    assert 'class="govuk-file-upload" id="id_letter" name="letter" type="file"' in html
    assert 'aria-describedby="id_letter-hint"' in html


def test_a_hidden_field_is_a_hidden_input(bad: PersonForm) -> None:
    html = render("{% govuk_field form.version %}", form=bad)
    assert html == '<input type="hidden" name="version" value="4" id="id_version">'


def test_a_hidden_field_in_each_row_gets_its_own_id_and_value() -> None:
    rows = render(
        "{% govuk_field form.version id_suffix=3 value=7 %}"
        "{% govuk_field form.version id_suffix=4 value=9 %}",
        form=PersonForm(),
    )
    assert rows == (
        '<input type="hidden" name="version" value="7" id="id_version-3">'
        '<input type="hidden" name="version" value="9" id="id_version-4">'
    )


def test_a_password_is_never_shown_again() -> None:
    class Form(forms.Form):
        password = forms.CharField(
            label="Password",
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        )

    form = Form({"password": "secret-one"})
    html = render("{% govuk_field form.password %}", form=form)
    assert "secret-one" not in html
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html


def test_the_same_form_in_each_row_gets_its_own_ids_and_value() -> None:
    html = render(
        '{% govuk_field form.agency id_suffix=7 value="1" label="Agency of Sam" '
        "label_hidden=True %}",
        form=PersonForm(),
    )
    assert 'for="id_agency-7"' in html
    assert 'class="govuk-label govuk-visually-hidden"' in html
    assert "Agency of Sam" in html
    assert '<option value="1" selected>' in html


def test_a_field_not_on_a_form_uses_the_same_templates() -> None:
    html = squash(
        render(
            '{% govuk_field kind="textarea" name="text" id="notes-1" label="Notes" '
            "value=v rows=4 %}",
            v="Typed",
        )
    )
    assert '<label class="govuk-label govuk-label--s" for="notes-1">Notes</label>' in html
    assert 'id="notes-1" name="text" rows="4"' in html
    assert "Typed</textarea>" in html
    spec = FieldSpec(
        kind="date",
        name="f_due",
        id="form-due",
        label="Due",
        value=["3", "", "2026"],
        errors=["Due must include a month"],
    )
    html = squash(render("{% govuk_field spec %}", spec=spec))
    assert 'name="f_due_day" type="text" inputmode="numeric" value="3"' in html
    assert html.count("govuk-input--error") == 1


def test_the_error_summary_links_each_message_to_its_field(bad: PersonForm) -> None:
    bad.add_error(None, "Someone else changed this")
    bad.add_error("version", "Reload the page")
    html = render("{% govuk_error_summary form %}", form=bad)
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert links == [
        ("id_name", "Someone else changed this"),  # the whole form: its first field
        ("id_name", "Enter the full name"),
        ("id_born_month", "Date of birth must include a month"),  # the first wrong box
        ("id_age", "Age must be a number"),
        ("id_name", "Reload the page"),  # a hidden field: the first field
    ]
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html


def test_the_error_summary_is_empty_without_errors() -> None:
    assert render("{% govuk_error_summary form %}", form=PersonForm()) == ""
    assert (
        render(
            "{% govuk_error_summary form %}",
            form=PersonForm(BAD | {"name": "x", "born_month": "1", "born_year": "2016", "age": ""}),
        )
        == ""
    )


def test_the_error_summary_takes_errors_from_outside_a_form() -> None:
    summary = ErrorSummary([("next-steps", "Record the child's views")], title="Not saved")
    html = render("{% govuk_error_summary summary %}", summary=summary)
    assert '<a href="#next-steps">Record the child&#x27;s views</a>' in html
    assert "Not saved</h2>" in html


@pytest.mark.parametrize(
    ("context", "prefix"),
    [
        ({}, ""),
        ({"form": PersonForm()}, ""),
        ({"form": PersonForm(BAD)}, "Error: "),
        ({"forms": {"start": PersonForm(), "end": PersonForm(BAD)}}, "Error: "),
        ({"forms": [PersonForm(BAD)]}, "Error: "),
        ({"errors": ErrorSummary()}, ""),
        ({"errors": ErrorSummary([("x", "Something is wrong")])}, "Error: "),
    ],
)
def test_the_title_prefix_follows_the_errors_on_the_page(
    context: dict[str, Any], prefix: str
) -> None:
    assert render("{% govuk_error_prefix %}", **context) == prefix


def test_the_title_prefix_does_not_evaluate_lazy_things() -> None:
    from django.utils.functional import SimpleLazyObject

    def boom() -> None:
        raise AssertionError("evaluated")

    assert render("{% govuk_error_prefix %}", token=SimpleLazyObject(boom)) == ""
