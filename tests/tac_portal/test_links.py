"""``record_url`` gives what ``reverse`` gives, without reversing for every row."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from tac_portal.links import record_url


@pytest.mark.parametrize("pk", [1, 7, 12345, 2**62])
@pytest.mark.parametrize(
    "viewname", ["cases:detail", "dashboards:review_late_reason", "dashboards:action_late_reason"]
)
def test_it_gives_what_reverse_gives(viewname: str, pk: int) -> None:
    assert record_url(viewname, pk) == reverse(viewname, args=[pk])


def test_it_follows_the_script_prefix() -> None:
    set_script_prefix("/portal/")
    try:
        assert record_url("cases:detail", 5) == "/portal/cases/5/"
    finally:
        clear_script_prefix()
    assert record_url("cases:detail", 5) == "/cases/5/"


def test_what_is_not_an_id_goes_through_reverse() -> None:
    with pytest.raises(NoReverseMatch):
        record_url("cases:detail", "5/../../admin")  # type: ignore[arg-type]
    with pytest.raises(NoReverseMatch):
        record_url("cases:detail", -1)


def test_a_view_without_one_id_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        record_url("cases:my_cases", 5)


def test_the_tag_escapes_nothing_it_should_not() -> None:
    template = engines["django"].from_string("{% load links %}{% record_url 'cases:detail' pk %}")
    assert template.render({"pk": 42}) == "/cases/42/"
