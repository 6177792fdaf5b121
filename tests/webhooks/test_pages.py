"""The partner administrator's webhook pages: who reaches them, the form's messages, the
delivery log and its replay. Nobody else learns that a subscription exists (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import PartnerClient, User
from cases.access import can_manage_partner_client
from cases.models import Case
from cases.services.common import record_event
from tests.webhooks.receiver import Receiver
from webhooks.models import EventType, WebhookMessage, WebhookSubscription

pytestmark = pytest.mark.django_db


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_local_authority_administrator_manages_every_partner_and_sees_the_link(
    la_admin: User, school_client: PartnerClient, police_client: PartnerClient
) -> None:
    assert can_manage_partner_client(la_admin, school_client)
    assert can_manage_partner_client(la_admin, police_client)
    page = _client_for(la_admin).get(reverse("webhooks:list"))
    assert page.status_code == 200
    assert b"Partner webhooks" in page.content
    assert b"Riverside Primary School MIS" in page.content
    assert b"Demo Constabulary case system" in page.content


def test_a_partner_agencys_administrator_manages_only_its_own(
    school_admin: User,
    school_client: PartnerClient,
    police_client: PartnerClient,
    la_admin: User,
    receiver: Receiver,
) -> None:
    from webhooks.services import create_subscription

    police_hook = create_subscription(
        police_client, url=receiver.url, event_types=[EventType.CASE_CLOSED], by=la_admin
    )
    client = _client_for(school_admin)
    page = client.get(reverse("webhooks:list"))
    assert b"Riverside Primary School MIS" in page.content
    assert b"Demo Constabulary" not in page.content
    assert client.get(reverse("webhooks:new", args=[police_client.pk])).status_code == 404
    assert client.get(reverse("webhooks:detail", args=[police_hook.pk])).status_code == 404
    assert client.post(reverse("webhooks:rotate", args=[police_hook.pk])).status_code == 404


@pytest.mark.parametrize("who", ["lead", "coordinator", "auditor", "admin_user"])
def test_case_workers_and_others_do_not_see_the_pages(
    who: str, request: pytest.FixtureRequest, subscription: WebhookSubscription
) -> None:
    user: User = request.getfixturevalue(who)
    client = _client_for(user)
    assert client.get(reverse("webhooks:detail", args=[subscription.pk])).status_code == 404
    list_page = client.get(reverse("webhooks:list"))
    assert list_page.status_code == 404 or b"Riverside" not in list_page.content
    home = client.get("/", follow=True)
    assert b'href="/webhooks/"' not in home.content


def test_anonymous_visitors_are_sent_to_sign_in(subscription: WebhookSubscription) -> None:
    page = Client().get(reverse("webhooks:detail", args=[subscription.pk]))
    assert page.status_code == 302
    assert "/accounts/sign-in/" in page["Location"]


def test_the_form_says_what_is_wrong_field_by_field(
    la_admin: User, school_client: PartnerClient
) -> None:
    client = _client_for(la_admin)
    url = reverse("webhooks:new", args=[school_client.pk])
    page = client.post(url, {"url": "not a url", "submission_token": "t1"})
    assert page.status_code == 200
    assert b"Enter the endpoint&#x27;s full address" in page.content
    assert b"Choose at least one event to send" in page.content
    assert not WebhookSubscription.objects.exists()


def test_it_creates_a_subscription_once_and_shows_its_secret(
    la_admin: User, school_client: PartnerClient, receiver: Receiver
) -> None:
    client = _client_for(la_admin)
    url = reverse("webhooks:new", args=[school_client.pk])
    data = {"url": receiver.url, "event_types": ["case.joined", "case.closed"]}
    first = client.post(url, {**data, "submission_token": "same-token"})
    again = client.post(url, {**data, "submission_token": "same-token"})
    subscription = WebhookSubscription.objects.get()
    assert (
        first["Location"] == again["Location"] == reverse("webhooks:detail", args=[subscription.pk])
    )
    assert subscription.event_types == ["case.joined", "case.closed"]
    assert subscription.signing_secret.startswith("whsec_")
    detail = client.get(first["Location"])
    assert subscription.signing_secret.encode() in detail.content
    # Stored encrypted: the database alone does not give it away.
    assert subscription.signing_secret not in subscription.secret


def test_the_delivery_log_offers_a_replay_under_the_same_webhook_id(
    la_admin: User, case: Case, lead: User, subscription: WebhookSubscription, receiver: Receiver
) -> None:
    from webhooks.delivery import deliver_due_messages

    record_event(case, "case.closed", by=lead, data={"to": "CLOSED_NEEDS_MET"})
    deliver_due_messages()
    message = WebhookMessage.objects.get()
    client = _client_for(la_admin)
    log = client.get(reverse("webhooks:detail", args=[subscription.pk]))
    assert message.webhook_id.encode() in log.content
    assert b"Delivered" in log.content
    shown = client.get(reverse("webhooks:message", args=[subscription.pk, message.pk]))
    assert b"case.closed" in shown.content

    replay = client.post(reverse("webhooks:replay", args=[subscription.pk, message.pk]))
    assert replay.status_code == 302
    deliver_due_messages()
    assert [r.webhook_id for r in receiver.received] == [message.webhook_id] * 2
    message.refresh_from_db()
    assert message.replayed_by == la_admin


def test_turning_off_and_on(la_admin: User, subscription: WebhookSubscription) -> None:
    client = _client_for(la_admin)
    client.post(reverse("webhooks:disable", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.is_active
    client.post(reverse("webhooks:enable", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.is_active


def test_changing_the_endpoint_and_events_refuses_a_stale_form(
    la_admin: User, school_admin: User, subscription: WebhookSubscription
) -> None:
    url = reverse("webhooks:change", args=[subscription.pk])
    first = _client_for(la_admin)
    second = _client_for(school_admin)
    shown = first.get(url).context["form"]["version"].value()
    assert second.get(url).context["form"]["version"].value() == shown

    saved = first.post(
        url,
        {"url": "https://mis.example/hooks", "event_types": ["case.closed"], "version": shown},
    )
    assert saved.status_code == 302
    refused = second.post(
        url,
        {"url": "https://other.example/hooks", "event_types": ["case.joined"], "version": shown},
    )
    assert refused.status_code == 200
    assert b"Someone else changed this since you opened it" in refused.content
    subscription.refresh_from_db()
    assert subscription.url == "https://mis.example/hooks"
    assert subscription.event_types == ["case.closed"]
    assert subscription.version == 2
