"""The one date field: day, month and year boxes, GOV.UK's messages, what was typed kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError

from tac_portal.forms import (
    GovUKDateField,
    GovUKDateWidget,
    add_service_errors,
    date_problem,
    field_for_error,
    parse_date_parts,
)

TODAY = dt.date(2026, 6, 15)


def boxes(day: str = "", month: str = "", year: str = "", name: str = "when") -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


class DateOfBirthForm(forms.Form):
    when = GovUKDateField(label="Date of birth", past=True)


class ReviewForm(forms.Form):
    when = GovUKDateField(
        label="Next review date",
        subject="The review date",
        future=True,
        error_messages={"required": "Enter the date of the review"},
    )


class OptionalForm(forms.Form):
    when = GovUKDateField(label="Date of the meeting (optional)", required=False)


class RangeForm(forms.Form):
    when = GovUKDateField(
        label="Last day", min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)
    )


def errors_of(form_class: type[forms.Form], data: dict[str, str]) -> list[str]:
    form = form_class(data)
    assert not form.is_valid()
    return [str(e) for e in form.errors["when"]]


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_it_parses_the_three_boxes_into_a_date() -> None:
    form = DateOfBirthForm(boxes(" 7 ", "03", "2016"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == dt.date(2016, 3, 7)


@pytest.mark.parametrize("month", ["3", "03", "Mar", "march", "MARCH", "Mar."])
def test_it_takes_the_month_as_a_number_or_a_name(month: str) -> None:
    assert parse_date_parts(["7", month, "2016"]) == dt.date(2016, 3, 7)


def test_all_boxes_empty_is_no_date_and_optional_dates_allow_it() -> None:
    assert parse_date_parts(["", " ", ""]) is None
    form = OptionalForm(boxes())
    assert form.is_valid()
    assert form.cleaned_data["when"] is None


@pytest.mark.parametrize(
    ("form_class", "data", "message"),
    [
        (DateOfBirthForm, boxes(), "Enter the date of birth"),
        (ReviewForm, boxes(), "Enter the date of the review"),
        (DateOfBirthForm, boxes("7", "", "2016"), "Date of birth must include a month"),
        (DateOfBirthForm, boxes("", "", "2016"), "Date of birth must include a day and month"),
        (DateOfBirthForm, boxes("31", "2", "2016"), "Date of birth must be a real date"),
        (DateOfBirthForm, boxes("7", "13", "2016"), "Date of birth must be a real date"),
        (DateOfBirthForm, boxes("x", "3", "2016"), "Date of birth must be a real date"),
        (
            DateOfBirthForm,
            boxes("7", "3", "16"),
            "The year in the date of birth must include 4 numbers",
        ),
        (DateOfBirthForm, boxes("7", "3", "1016"), "Date of birth must be the same as or after"),
        (DateOfBirthForm, boxes("16", "6", "2026"), "Date of birth must be today or in the past"),
        (ReviewForm, boxes("14", "6", "2026"), "The review date must be today or in the future"),
        (RangeForm, boxes("31", "12", "1999"), "Last day must be the same as or after 1 January"),
        (RangeForm, boxes("1", "1", "2031"), "Last day must be the same as or before 31 December"),
    ],
)  # fmt: skip
@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_it_explains_each_problem_the_gov_uk_way(
    form_class: type[forms.Form], data: dict[str, str], message: str
) -> None:
    (error,) = errors_of(form_class, data)
    assert error.startswith(message)
    assert error != "This field is required."


@time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_today_is_allowed_both_in_the_past_and_in_the_future() -> None:
    assert DateOfBirthForm(boxes("15", "6", "2026")).is_valid()
    assert ReviewForm(boxes("15", "6", "2026")).is_valid()


def test_the_optional_marker_is_left_out_of_messages() -> None:
    (error,) = errors_of(OptionalForm, boxes("1", "", ""))
    assert error == "Date of the meeting must include a month and year"


@pytest.mark.parametrize(
    ("parts", "code", "wrong"),
    [
        (["", "3", "2016"], "incomplete", ("day",)),
        (["7", "", ""], "incomplete", ("month", "year")),
        (["7", "13", "2016"], "invalid", ("month",)),
        (["32", "13", "2016"], "invalid", ("day", "month")),
        (["30", "2", "2016"], "invalid", ("day",)),
        (["7", "3", "201"], "year_digits", ("year",)),
        (["x", "3", "201"], "invalid", ("day", "year")),
    ],
)
def test_only_the_wrong_boxes_are_named(parts: list[str], code: str, wrong: tuple[str]) -> None:
    problem = date_problem(parts)
    assert problem is not None
    assert (problem.code, problem.parts) == (code, wrong)


def test_a_date_that_breaks_a_rule_marks_all_three_boxes() -> None:
    field = GovUKDateField(label="Date", past=True)
    assert field.wrong_parts(["1", "1", "2999"]) == ("day", "month", "year")
    assert field.wrong_parts(["1", "", "2999"]) == ("month",)


def test_the_widget_fills_the_boxes_from_a_date_or_its_iso_text() -> None:
    widget = GovUKDateWidget()
    assert widget.decompress(dt.date(2026, 3, 7)) == ["7", "3", "2026"]
    assert widget.decompress("2026-03-07") == ["7", "3", "2026"]
    assert widget.decompress(None) == [None, None, None]
    assert widget.decompress("not a date") == [None, None, None]
    data = boxes("7", "3", "2026")
    assert widget.value_from_datadict(data, {}, "when") == ["7", "3", "2026"]  # type: ignore[arg-type]


def test_what_was_typed_is_the_value_shown_again_even_when_wrong() -> None:
    form = DateOfBirthForm(boxes("31", "Febuary", "2016"))
    assert not form.is_valid()
    assert form["when"].value() == ["31", "Febuary", "2016"]


def test_an_initial_date_is_the_value_of_an_unbound_form() -> None:
    form = DateOfBirthForm(initial={"when": dt.date(2016, 3, 7)})
    assert form["when"].value() == dt.date(2016, 3, 7)
    assert not DateOfBirthForm(
        boxes("7", "3", "2016"), initial={"when": dt.date(2016, 3, 7)}
    ).has_changed()


class StepForm(forms.Form):
    referred = GovUKDateField(label="When was the referral made?")
    reason = forms.CharField()


def test_a_service_error_on_a_day_box_lands_on_its_date_field() -> None:
    form = StepForm({})
    assert field_for_error(form, "referred_day") == "referred"
    assert field_for_error(form, "referred_year") == "referred"
    assert field_for_error(form, "reason") == "reason"
    assert field_for_error(form, "reason_day") is None
    assert field_for_error(form, "nothing") is None


def test_service_errors_go_on_their_fields_and_the_rest_above_the_form() -> None:
    form: Any = StepForm(boxes("1", "1", "2020", name="referred") | {"reason": "x"})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError(
            {"referred_day": "The date of the referral must be today", "other": "Not allowed"}
        ),
    )
    assert form.errors["referred"] == ["The date of the referral must be today"]
    assert form.non_field_errors() == ["Not allowed"]
    add_service_errors(form, ValidationError("Closed case"))
    assert "Closed case" in form.non_field_errors()
