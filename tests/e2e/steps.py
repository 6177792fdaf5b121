"""Steps the browser journeys share: each is a click or two through the real pages, the
way a person takes it. Nothing here creates a record any other way."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def next_step(page: Any, name: str) -> None:
    """Take a step offered in "What happens next" on the case page."""
    page.locator("#next-steps").get_by_role("button", name=name).click()
    page.wait_for_load_state("domcontentloaded")


def stage_is(page: Any, label: str) -> None:
    """The case page's "What happens next" names the stage the case is in."""
    expect(page.locator("#next-steps").get_by_text(label, exact=True)).to_be_visible()


def open_section(page: Any, title: str) -> None:
    """Open an assessment section from the assessment's page."""
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state("domcontentloaded")


def back_to_assessment(page: Any) -> None:
    page.get_by_role("link", name="Back to the assessment").click()
    page.wait_for_load_state("domcontentloaded")


def record_assessment_consent(page: Any, stage: str, *, given_by: str) -> None:
    """Section K: the family's consent at the start or at completion, in writing."""
    form = page.locator(f'form[action$="/consent/{stage}/"]')
    form.get_by_label(given_by).check()
    form.get_by_label("Adult", exact=True).check()
    form.get_by_label("In writing").check()
    if stage == "completion":
        form.get_by_label("Additional information").check()
    form.get_by_role("button", name="Record consent").click()
    page.wait_for_load_state("domcontentloaded")


def autosaved(page: Any, label: str) -> None:
    """Meeting mode saved the field labelled ``label`` on its own."""
    form = page.locator("form.tac-autosave").filter(has=page.get_by_label(label, exact=True))
    expect(form.locator(".tac-autosave__saved")).to_be_visible()


def give_views(page: Any, *, child: str, written_down_by: str, parent: str) -> None:
    """Section I: the child's views (written down by someone) and the first parent's."""
    child_form = page.locator("#form-view-child")
    child_form.get_by_label("In their own words").fill(child)
    child_form.get_by_label("Written down by").fill(written_down_by)
    child_form.get_by_label("How they gave their views").select_option("spoken")
    child_form.get_by_role("button", name="Save views").click()
    page.wait_for_load_state("domcontentloaded")
    parent_form = page.locator('form[id^="form-view-"]:not(#form-view-child)').first
    parent_form.get_by_label("In their own words").fill(parent)
    parent_form.get_by_label("How they gave their views").select_option("spoken")
    parent_form.get_by_role("button", name="Save views").click()
    page.wait_for_load_state("domcontentloaded")
