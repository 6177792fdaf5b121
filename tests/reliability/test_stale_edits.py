"""Every edit of an existing record carries the version its editor saw.

For each editable record: the edit form is loaded (version N), someone else saves a
change, and the stale form is sent. The page comes back (200) with "What it says now"
beside "What you wrote", nothing is written, and what the person typed is kept; sending
it again with the version the page now carries saves it.

Covered edit forms:

- the next review date (a case's ``seen_due``)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from cases.services.reviews import move_next_review_due
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db

PANEL = "What it says now"


def hidden(page: str, name: str) -> str:
    """The value of hidden input ``name`` on ``page``."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and 'type="hidden"' in tag:
            found = re.search(r'value="([^"]*)"', tag)
            return found.group(1) if found else ""
    raise AssertionError(f"no hidden {name} on the page")


def body(response: Any) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def refused_then_saved(
    client: Client,
    url: str,
    typed: dict[str, str],
    *,
    meanwhile: Any,
    unchanged: Any,
    saved: Any,
    key: str = "version",
    shows: tuple[str, ...] = (),
) -> str:
    """The stale-edit round trip for one form; returns the refusal page.

    ``meanwhile()`` is the other person's save; ``unchanged()`` checks that the stale
    save wrote nothing, ``saved()`` that the second save went through.
    """
    seen = hidden(body(client.get(url)), key)
    meanwhile()
    refused = client.post(url, {**typed, key: seen})
    page = body(refused)
    assert refused.status_code == 200, page
    assert PANEL in page and "What you wrote" in page
    assert "Someone" in page
    for text in shows:
        assert text in page, text
    unchanged()
    now = hidden(page, key)
    assert now != seen
    again = client.post(url, {**typed, key: now})
    assert again.status_code == 302, body(again)
    saved()
    return page


def test_review_date(case: Case, lead: User, lead_client: Client) -> None:
    today = timezone.localdate()
    theirs, mine = today + dt.timedelta(days=20), today + dt.timedelta(days=30)
    refused_then_saved(
        lead_client,
        reverse("cases:review_date", args=[case.pk]),
        {**date_fields("next_review_due", mine), "reason": "The family asked to move it"},
        key="seen_due",
        meanwhile=lambda: move_next_review_due(case, due=theirs, reason="Moved", by=lead),
        unchanged=lambda: _assert_due(case, theirs),
        saved=lambda: _assert_due(case, mine),
        shows=(f"{theirs:%-d %B %Y}", f"{mine:%-d %B %Y}", "The family asked to move it"),
    )


def _assert_due(case: Case, due: dt.date) -> None:
    case.refresh_from_db()
    assert case.next_review_due == due
