"""The example client in docs/partner-api.md works: its functions, as printed, run
against a live portal (real HTTP, a real token) and make the writes they promise."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from agencies.models import Agency, User
from cases.models import Case
from meetings.models import Action, ActionUpdate, Contribution, Invitation, Meeting
from tests.api.conftest import Partner

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = Path(django_settings.BASE_DIR) / "docs" / "partner-api.md"


def _example_functions() -> str:
    """The guide's Python example up to where it starts calling the portal."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## 8. An example client (Python)") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    source = code.group(1)
    return source[: source.index("api = session()")]


def test_the_guides_example_client_writes_what_it_says(
    case: Case,
    lead: User,
    member: User,
    school_agency: Agency,
    school_partner: Partner,
    live_server: Any,
) -> None:
    action = Action.objects.create(
        case=case,
        description="Attendance plan",
        owner_professional=member,
        owner_agency=school_agency,
        due_on=dt.date(2026, 12, 1),
        created_by=lead,
    )
    meeting = Meeting.objects.create(
        case=case, kind="review", starts_at=timezone.now(), created_by=lead
    )
    invitation = Invitation.objects.create(
        meeting=meeting,
        kind=Invitation.Kind.PROFESSIONAL,
        professional=member,
        name=member.full_name,
        agency=member.role_and_agency,
        invited_at=timezone.now(),
    )
    example: dict[str, Any] = {}
    exec(_example_functions(), example)  # noqa: S102  (the guide's own code, under test)
    example.update(
        BASE=live_server.url,
        CLIENT_ID=school_partner.client_id,
        CLIENT_SECRET=school_partner.secret,
    )
    api = example["session"]()

    # Progress: the action is read first and updated at the version read.
    done = example["record_progress"](api, action.pk, "done", "Attendance back to 96%.")
    assert done["status"] == "done"
    assert ActionUpdate.objects.get().text == "Attendance back to 96%."
    # Run again (say, the sync job restarted): it reads the action, sees it done, writes nothing.
    again = example["record_progress"](api, action.pk, "done", "Again")
    assert again["status"] == "done"
    assert ActionUpdate.objects.count() == 1
    action.refresh_from_db()
    assert action.version == 2

    # A contribution, retried with the same key, is added once.
    key = "example-contribution-1"
    body = {"body": "Jamie joined the breakfast club this week."}
    first = example["send"](api, "POST", f"cases/{case.pk}/contributions/", body, key=key)
    retry = example["send"](api, "POST", f"cases/{case.pk}/contributions/", body, key=key)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Contribution.objects.get().author == member

    # Apologies for the meeting, at the version read.
    read = api.get(f"{live_server.url}/api/v1/invitations/{invitation.pk}/", timeout=10)
    sent = example["send"](
        api,
        "PATCH",
        f"invitations/{invitation.pk}/",
        {"response": "apologies"},
        etag=read.headers["ETag"],
    )
    assert sent.status_code == 200, sent.json()
    invitation.refresh_from_db()
    assert invitation.response == "apologies"
