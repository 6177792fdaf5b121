"""A professional signed in on two computers sees both on "Your sessions" and, giving
their password, ends the other one: that browser is sent back to signing in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from agencies.models import Agency, AgencyKind, User
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The meeting-room laptop's browser, so the two sessions can be told apart.
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)


@pytest.fixture
def professional() -> User:
    agency = Agency.objects.create(name="Northmoor Family Hub", kind=AgencyKind.EARLY_HELP)
    return User.objects.create_user(
        "rowan.reyes@demo.tac.example", PASSWORD, full_name="Rowan Reyes", agency=agency
    )


def test_it_ends_the_other_browsers_session_giving_the_password(
    page: Any,
    browser: Any,
    live_server: Any,
    professional: User,
    sign_in: Callable[..., None],
    check_page: Callable[[Any, str], None],
) -> None:
    laptop_context = browser.new_context(
        base_url=live_server.url, locale="en-GB", user_agent=FIREFOX_ON_WINDOWS
    )
    laptop_context.set_default_timeout(15_000)
    try:
        laptop = laptop_context.new_page()
        sign_in(laptop, professional.email)
        expect(laptop.get_by_role("heading", name="My work")).to_be_visible()

        sign_in(page, professional.email)
        page.goto("/")
        page.get_by_role("link", name="Your sessions").click()
        expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
        rows = page.get_by_role("row")
        assert rows.filter(has_text="This session").count() == 1
        assert rows.filter(has_text="Firefox on Windows").count() == 1
        check_page(page, "your-sessions")

        rows.filter(has_text="Firefox on Windows").get_by_role("link").click()
        expect(page.get_by_role("heading", name="End this session")).to_be_visible()
        page.get_by_label("Your password").fill("not the password")
        page.get_by_role("button", name="End session").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        expect(page.get_by_text("Your password is not correct").first).to_be_visible()
        check_page(page, "end-session-error")

        page.get_by_label("Your password").fill(PASSWORD)
        page.get_by_role("button", name="End session").click()
        expect(page.get_by_role("heading", name="Your sessions")).to_be_visible()
        expect(
            page.get_by_text("Your session on Firefox on Windows has been ended")
        ).to_be_visible()
        assert page.get_by_role("row").filter(has_text="Firefox on Windows").count() == 0
        expect(page.get_by_text("You are not signed in anywhere else")).to_be_visible()

        laptop.reload()
        expect(laptop.get_by_role("heading", name="Sign in to TAC Portal")).to_be_visible()

        page.get_by_role("link", name="TAC Portal").first.click()
        expect(page.get_by_role("heading", name="My work")).to_be_visible()
    finally:
        laptop_context.close()
