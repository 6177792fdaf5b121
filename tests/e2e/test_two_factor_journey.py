"""A professional sets up two-factor sign-in in a real browser, then reaches their cases."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, User
from tests.helpers import PASSWORD, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def professional() -> User:
    agency = Agency.objects.create(name="Westbrook Family Hub", kind=AgencyKind.EARLY_HELP)
    return User.objects.create_user(
        "new.starter@demo.tac.example", PASSWORD, full_name="Nia Newstarter", agency=agency
    )


def test_it_enrols_an_authenticator_app_and_reaches_my_cases(
    page: Any,
    professional: User,
    settings: Any,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    settings.TAC_REQUIRE_MFA = True
    page.goto("/accounts/sign-in/")
    assert page.get_by_text("two-factor sign-in is turned off").count() == 0

    sign_in(page, professional.email)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    check_page(page, "two-factor-setup")

    page.get_by_label("Enter the 6-digit code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "two-factor-setup-error")

    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    # A wrong code throttles the device for a moment; wait it out as a person would.
    page.wait_for_timeout(2_100)
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_code(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    assert page.get_by_role("list", name="Backup codes").get_by_role("listitem").count() == 10
    check_page(page, "backup-codes")

    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    check_page(page, "my-cases-after-two-factor")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, professional.email)
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    check_page(page, "two-factor-code")
