"""The input rules (tac_portal.validators): names are names, text has no hidden controls,
dates stay on the calendar; and the forms and the API say so field by field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from assessments.definition import default_definition
from assessments.models import AssessmentSection, AssessmentTemplate
from assessments.services.starting import start_assessment
from cases.models import Case, Child
from tac_portal.forms import FreeTextField, GovUKDateField, PersonNameField
from tac_portal.validators import (
    MSG_NAME_CHARACTERS,
    MSG_NAME_INVISIBLE,
    MSG_NAME_START,
    validate_date_of_birth,
    validate_due_date,
    validate_json_text,
    validate_person_name,
    validate_reference,
    validate_text,
)
from tests.cases.test_journeys import ADD, _new_child

NAMES = [
    "Rowan",
    "Mary-Jane",
    "O'Connor",
    "D\u2019Souza",
    "St. John",
    "Zoë Ångström",
    "Nguyễn Thị Minh",
    "محمد",
    "李小龙",
    "Ólafur",
    "\u0422\u0430\u0440\u0430\u0441",  # Taras, in Cyrillic
    "प्रिया",  # Devanagari: combining vowel signs are marks, not letters
    "Jr.",
]


@pytest.mark.parametrize("name", NAMES)
def test_names_of_any_script_are_accepted(name: str) -> None:
    validate_person_name(name)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("<img src=x onerror=alert(1)>", MSG_NAME_CHARACTERS),
        ('=HYPERLINK("http://x.example")', MSG_NAME_START),
        ("+44 123", MSG_NAME_START),
        ("-Rowan", MSG_NAME_START),
        ("@Rowan", MSG_NAME_START),
        ("Ro\u202ewan", MSG_NAME_INVISIBLE),  # right-to-left override
        ("Ro\u200bwan", MSG_NAME_INVISIBLE),  # zero-width space
        ("Ro\u2066wan", MSG_NAME_INVISIBLE),  # left-to-right isolate
        ("Ro\ufeffwan", MSG_NAME_INVISIBLE),  # byte order mark
        ("Ro\x00wan", MSG_NAME_INVISIBLE),
        ("Ro\nwan", MSG_NAME_INVISIBLE),
        ("Rowan2", MSG_NAME_CHARACTERS),
        ("Rowan;", MSG_NAME_CHARACTERS),
    ],
)
def test_markup_formulas_and_hidden_characters_are_refused_in_names(
    name: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        validate_person_name(name)
    assert error.value.messages == [message]


def test_a_name_needs_a_letter() -> None:
    with pytest.raises(ValidationError):
        validate_person_name("'.-")


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b", "a\x1bb", "a\u202eb", "a\u2028b"])
def test_free_text_refuses_control_and_reordering_characters(text: str) -> None:
    with pytest.raises(ValidationError):
        validate_text(text)


def test_free_text_keeps_line_breaks_tabs_and_other_scripts() -> None:
    validate_text("Line one\r\nLine two\twith a tab, 日本語 and العربية")


def test_a_reference_refuses_invisible_characters() -> None:
    validate_reference("TAC-2026-0042")
    with pytest.raises(ValidationError):
        validate_reference("TAC-2026\u200b-0042")


def test_json_answers_with_a_nul_anywhere_are_refused() -> None:
    validate_json_text({"a": ["fine", {"b": "fine"}]})
    with pytest.raises(ValidationError):
        validate_json_text({"a": ["fine", {"b": "not\x00fine"}]})
    with pytest.raises(ValidationError):
        validate_json_text({"key\x00": "x"})


def test_dates_of_birth_are_from_1900_and_not_in_the_future() -> None:
    validate_date_of_birth(dt.date(2016, 3, 27))
    for bad in (dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(9999, 12, 31)):
        with pytest.raises(ValidationError):
            validate_date_of_birth(bad)


def test_due_dates_are_within_a_few_years() -> None:
    validate_due_date(timezone.localdate() + dt.timedelta(days=365))
    with pytest.raises(ValidationError):
        validate_due_date(dt.date(9999, 12, 31))


def test_every_date_field_has_a_latest_date() -> None:
    field = GovUKDateField(label="Date of the meeting")
    with pytest.raises(ValidationError) as error:
        field.clean(["31", "12", "9999"])
    assert "must be the same as or before" in error.value.messages[0]


def test_the_form_fields_report_one_message_for_a_nul() -> None:
    with pytest.raises(ValidationError) as error:
        FreeTextField().clean("a\x00b")
    assert len(error.value.messages) == 1
    with pytest.raises(ValidationError) as error:
        PersonNameField().clean("a\x00b")
    assert error.value.messages == [MSG_NAME_INVISIBLE]


def test_free_text_fields_have_a_maximum_length() -> None:
    with pytest.raises(ValidationError):
        FreeTextField().clean("x" * 1_000_000)


def test_the_child_model_refuses_a_name_that_is_not_a_name() -> None:
    field = Child._meta.get_field("given_names")
    with pytest.raises(ValidationError):
        field.clean("<script>", None)


# --- Through the pages and the API ---------------------------------------------------


def test_adding_a_child_with_markup_in_the_name_says_what_is_wrong(
    member: User, member_client: Client
) -> None:
    response = member_client.post(
        reverse(ADD),
        _new_child(given_names="<img src=x onerror=alert(1)>", family_name="=HYPERLINK(1)"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert MSG_NAME_CHARACTERS in page
    assert MSG_NAME_START in page
    assert not Child.objects.exists()


def test_adding_a_child_born_in_the_year_1_or_9999_is_refused(member_client: Client) -> None:
    for year in ("0001", "9999"):
        response = member_client.post(reverse(ADD), _new_child(date_of_birth_year=year))
        assert response.status_code == 200
    assert not Child.objects.exists()


def test_an_oversized_body_is_refused_without_an_error_page(member_client: Client) -> None:
    response = member_client.post(reverse(ADD), _new_child(summary_of_need="x" * (2 * 1024 * 1024)))
    assert response.status_code == 400


def test_a_nul_in_an_assessment_answer_gets_a_message_not_an_error(
    case: Case, lead: User, lead_client: Client
) -> None:
    AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={"name": "Early help assessment", "definition": default_definition()},
    )
    assessment = start_assessment(case, child=case.children.get(), by=lead)
    response = lead_client.post(
        reverse("assessments:save_section", args=[assessment.pk, "story"]),
        {
            "fields": "narrative",
            "f_narrative": "Mum\x00says",
            "v_narrative": "0",
            "h_narrative": "",
        },
    )
    assert response.status_code == 400
    assert "hidden control characters" in response.content.decode()
    assert not AssessmentSection.objects.filter(assessment=assessment, key="story").exists()


def test_markup_stored_before_these_rules_is_shown_as_text(case: Case, lead_client: Client) -> None:
    child = case.children.get()
    Child.objects.filter(pk=child.pk).update(given_names="<script>alert(1)</script>")
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
