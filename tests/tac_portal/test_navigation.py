"""The header offers each role the pages it may use, and home is the first of them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tac_portal.navigation import registered_items
from tests.matrix import Objects

NAVIGATION = {
    "lead": ["My work", "Find a child", "Notifications"],
    "member": ["My work", "Find a child", "Notifications"],
    "manager": ["My work", "Find a child", "Requests", "Dashboard", "Notifications"],
    "member_manager": ["My work", "Find a child", "Requests", "Dashboard", "Notifications"],
    "coordinator": ["My work", "Find a child", "Requests", "Dashboard", "Notifications"],
    "outsider": ["My work", "Find a child", "Notifications"],
    "admin": [
        "Undelivered emails",
        "Account requests",
        "Import records",
        "Configuration",
        "Notifications",
    ],
    "auditor": [
        "Access report",
        "Emergency access reviews",
        "Subject access requests",
        "Ofsted extract",
        "Retention",
        "Notifications",
    ],
}

HOME = {
    "lead": "cases:my_cases",
    "manager": "cases:my_cases",
    "coordinator": "cases:my_cases",
    "admin": "notifications:undelivered",
    "auditor": "audit:access_report",
}


def _menu(body: str) -> list[str]:
    menu = re.search(r'<ul id="navigation"[^>]*>(.*?)</ul>', body, re.S)
    assert menu is not None
    links = re.findall(r'<a class="govuk-header__link"[^>]*>(.*?)</a>', menu.group(1), re.S)
    return [re.sub(r"<.*", "", link, flags=re.S).strip() for link in links]


@pytest.mark.parametrize("persona", sorted(NAVIGATION))
def test_each_role_is_offered_its_own_pages(
    persona: str, persona_client: Callable[[str], Client], objects: Objects
) -> None:
    body = persona_client(persona).get(reverse("notifications:list")).content.decode()
    assert _menu(body) == NAVIGATION[persona]


@pytest.mark.parametrize("persona", sorted(NAVIGATION))
def test_every_offered_page_opens(
    persona: str, persona_client: Callable[[str], Client], objects: Objects
) -> None:
    client = persona_client(persona)
    body = client.get(reverse("notifications:list")).content.decode()
    hrefs = re.findall(r'<a class="govuk-header__link" href="([^"]+)"', body)
    for href in hrefs:
        if href.startswith("/admin/"):
            continue  # the configuration site is tested with the permission matrix
        assert client.get(href).status_code == 200, f"{href} as {persona}"


@pytest.mark.parametrize("persona", sorted(HOME))
def test_home_is_the_first_item(
    persona: str, persona_client: Callable[[str], Client], objects: Objects
) -> None:
    response = persona_client(persona).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(HOME[persona])


def test_the_auditor_is_never_offered_practitioner_actions(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    client = persona_client("auditor")
    for name in ("home", "audit:access_report", "notifications:list", "cases:my_cases"):
        body = client.get(reverse(name), follow=True).content.decode()
        assert "Add a child" not in body
        assert reverse("cases:add_child") not in body
        assert reverse("cases:find_child") not in body
    for name in ("cases:add_child", "cases:find_child"):
        assert client.get(reverse(name)).status_code == 404


def test_the_page_being_shown_is_marked_current(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    body = persona_client("lead").get(reverse("cases:find_child")).content.decode()
    assert re.search(r'href="/cases/find-a-child/" aria-current="page">Find a child', body)
    assert body.count('aria-current="page"') == 1


def test_the_account_bar_is_inside_the_banner(
    persona_client: Callable[[str], Client], objects: Objects
) -> None:
    body = persona_client("lead").get(reverse("cases:my_cases")).content.decode()
    header = body[body.index("<header") : body.index("</header>")]
    assert "Signed in as" in header
    assert "Sign out" in header


def test_the_registry_names_only_navigation_items() -> None:
    keys = [item.key for item in registered_items()]
    assert len(keys) == len(set(keys))
