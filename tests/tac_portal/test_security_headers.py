"""Signed-in pages carry the security headers; the case page logs no personal data."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case


def test_it_sends_the_security_headers(case: Case, member_client: Client) -> None:
    response = member_client.get(reverse("cases:detail", args=[case.pk]))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


def test_the_content_security_policy_forbids_plugins_and_base_urls(
    case: Case, member_client: Client
) -> None:
    csp = member_client.get(reverse("cases:detail", args=[case.pk]))["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp


def test_it_keeps_personal_data_out_of_the_logs(
    case: Case, member_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    child = case.children.get()
    assert child.date_of_birth is not None
    with caplog.at_level(logging.DEBUG):
        member_client.get(reverse("cases:detail", args=[case.pk]))
        member_client.get(reverse("cases:detail", args=[case.pk + 1000]))
        member_client.get(reverse("cases:my_cases"))
    assert caplog.records, "the requests should have logged something"
    logged = "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
    for value in (
        child.given_names,
        child.family_name,
        child.date_of_birth.isoformat(),
        child.date_of_birth.strftime("%d/%m/%Y"),
        child.postcode,
        "Example Street",
    ):
        assert value not in logged
