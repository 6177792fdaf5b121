"""A page that comes back with form errors says so first, in its title: "Error: "."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


def title(response: object) -> str:
    found = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)  # type: ignore[attr-defined]
    assert found is not None
    return found.group(1)


def test_a_form_page_with_errors_starts_its_title_with_error(
    case: Case, lead_client: Client
) -> None:
    url = reverse("cases:review_date", args=[case.pk])
    assert not title(lead_client.get(url)).startswith("Error:")

    response = lead_client.post(url, {"reason": ""})

    assert title(response).startswith("Error: Change the next review date")
    assert 'href="#id_next_review_due_day"' in response.content.decode()


def test_pages_that_had_no_prefix_get_it_from_the_base_template(
    case: Case, lead_client: Client
) -> None:
    # A meetings page never wrote the prefix itself.
    url = reverse("meetings:schedule", args=[case.pk])
    assert title(lead_client.get(url)).startswith("Arrange a TAC meeting")

    response = lead_client.post(url, {"location": "Riverside Primary School"})

    assert title(response).startswith("Error: Arrange a TAC meeting")
    page = response.content.decode()
    assert "Enter the date of the meeting" in page
    assert "Select the kind of meeting" in page
    assert "This field is required." not in page
    assert 'value="Riverside Primary School"' in page
