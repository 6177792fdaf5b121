"""The local authority's system administrator signs in, opens "Partner webhooks" from the
menu, adds a webhook for a school's MIS, gives the school its signing secret, watches a
team change arrive at the school's receiver (signed) in the delivery log, and sends it
again under the same webhook-id. Every page is axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agencies.models import Agency, PartnerClient, User
from cases.models import Case
from cases.services.teams import add_professional_to_team
from tests.helpers import PASSWORD
from tests.webhooks.receiver import Receiver, verify
from webhooks.models import WebhookMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_partner_administrator_subscribes_and_replays_from_the_delivery_log(
    page: Any,
    case: Case,
    lead: User,
    la_admin: User,
    school_agency: Agency,
    school_client: PartnerClient,
    receiver: Receiver,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    sign_in(page, la_admin.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partner webhooks").click()
    assert page.get_by_role("heading", name="Partner webhooks", level=1).is_visible()
    check_page(page, "webhooks-list")

    page.get_by_role("link", name="Add a webhook for Riverside Primary School MIS").click()
    page.get_by_role("button", name="Add the webhook").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the endpoint URL" in summary.inner_text()
    assert "Choose at least one event to send" in summary.inner_text()
    check_page(page, "webhooks-new-errors")

    page.get_by_label("Endpoint URL").fill(receiver.url)
    page.get_by_label("Someone joined the team around the child").check()
    page.get_by_label("The case was closed").check()
    page.get_by_role("button", name="Add the webhook").click()
    assert page.get_by_role("heading", name="Webhook", level=1).is_visible()
    page.get_by_text("Show the signing secret").click()
    secret = page.locator("#signing-secret").inner_text().strip()
    assert secret.startswith("whsec_")
    check_page(page, "webhooks-detail")
    page.get_by_role("link", name="Change the endpoint or the events").click()
    assert page.get_by_label("Endpoint URL").input_value() == receiver.url
    check_page(page, "webhooks-change")
    page.get_by_role("link", name="Back to the webhook").click()

    # Something happens on a case the school is on: a teacher joins its team.
    teacher = User.objects.create_user(
        "tess.teacher@riverside.example", PASSWORD, full_name="Tess Teacher", agency=school_agency
    )
    add_professional_to_team(case, professional=teacher, by=lead)
    (first,) = receiver.received
    verify(secret, first.headers, first.body)
    assert first.payload["type"] == "case.joined"

    page.reload()
    log = page.get_by_role("table")
    assert "Delivered" in log.inner_text()
    message = WebhookMessage.objects.get()
    assert message.webhook_id in log.inner_text()

    page.get_by_role("link", name="case.joined").click()
    assert page.get_by_role("heading", name="Message case.joined").is_visible()
    check_page(page, "webhooks-message")
    page.get_by_role("link", name="Back to the delivery log").click()

    page.get_by_role("button", name=f"Send again {message.webhook_id}").click()
    assert "will be sent again" in page.locator(".govuk-notification-banner").inner_text()
    check_page(page, "webhooks-replayed")
    first_again = receiver.received[-1]
    assert len(receiver.received) == 2
    assert first_again.webhook_id == first.webhook_id
    verify(secret, first_again.headers, first_again.body)
