"""The client address behind 0, 1 or 2 trusted proxies, and lockouts that use it."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from agencies.models import User
from cases.models import Case, RecordAccess
from tac_portal.client_ip import client_ip
from tests.helpers import PASSWORD, client_for


def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # Facing clients directly, a forwarded header is the client's own invention.
        (0, "203.0.113.9", "198.51.100.1", "203.0.113.9"),
        (0, "203.0.113.9", None, "203.0.113.9"),
        # One proxy: the last entry is what the proxy saw; the rest is untrusted.
        (1, "10.0.0.2", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # Two proxies: the second entry from the right.
        (2, "10.0.0.2", "198.51.100.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        # Fewer hops than proxies: the request bypassed them; use the socket address.
        (2, "203.0.113.50", "198.51.100.1", "203.0.113.50"),
        (1, "10.0.0.2", None, "10.0.0.2"),
        # Garbage is not an address.
        (1, "10.0.0.2", "not-an-ip", None),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_it_trusts_exactly_the_configured_proxies(
    proxies: int, remote: str, forwarded: str | None, expected: str | None
) -> None:
    with override_settings(TAC_TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(_request(remote, forwarded)) == expected


@pytest.mark.django_db
@override_settings(TAC_TRUSTED_PROXY_COUNT=1)
def test_a_client_cannot_dodge_the_lockout_by_forging_the_forwarded_header(lead: User) -> None:
    url = reverse("agencies:sign_in")
    for attempt in range(5):
        Client().post(
            url,
            {"username": lead.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            # The client writes a new fake address each time; the proxy appends the real one.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.9",
        )
    response = Client().post(
        url,
        {"username": lead.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.77, 203.0.113.9",
    )
    assert response.status_code == 429

    # Another real client behind the same proxy is not locked out.
    other = Client().post(
        url,
        {"username": lead.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 302


@pytest.mark.django_db
@override_settings(TAC_TRUSTED_PROXY_COUNT=1)
def test_the_record_access_log_keeps_the_address_the_proxy_saw(case: Case, lead: User) -> None:
    client_for(lead).get(
        reverse("cases:detail", args=[case.pk]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert set(RecordAccess.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
