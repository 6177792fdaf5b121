"""Every table is shown one way: inside ``{% table_region %}``, which scrolls on a narrow screen.

The region is what keeps a wide table from pushing the whole page sideways on a phone
(the browser journeys check that at 390 px); it is named after the table's caption and
can be reached with the keyboard, so it can be scrolled without a mouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

# Templates whose tables are not in a region yet, each with the reason. Nothing else.
NOT_YET: dict[str, str] = {}


def _render(source: str, **context: object) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_the_region_is_named_after_the_caption_and_can_be_focused() -> None:
    html = _render(
        "{% table_region %}<table class='govuk-table'><caption>Cases for <b>{{ who }}</b>"
        "</caption></table>{% endtable_region %}",
        who="Lena & Sam",
    )
    assert html.startswith(
        '<div class="tac-table-region" role="region" '
        'aria-label="Cases for Lena &amp; Sam" tabindex="0"><table'
    )
    assert html.endswith("</table></div>")
    assert "<b>Lena &amp; Sam</b>" in html  # the table itself is untouched, still escaped


def test_a_label_wins_over_the_caption() -> None:
    html = _render(
        "{% table_region label=name %}<table><caption>Accesses</caption></table>"
        "{% endtable_region %}",
        name="Who opened the case",
    )
    assert 'aria-label="Who opened the case"' in html


def test_a_region_with_no_name_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError, match="caption"):
        _render("{% table_region %}<table></table>{% endtable_region %}")
    with pytest.raises(TemplateSyntaxError, match="label"):
        _render("{% table_region caption='x' %}<table></table>{% endtable_region %}")


def _bare_tables(text: str) -> int:
    """How many tables are outside a ``{% table_region %}``."""
    outside = re.sub(r"{% table_region[^%]*%}.*?{% endtable_region %}", "", text, flags=re.S)
    return len(re.findall(r"<table\b", outside))


def test_every_table_is_in_a_region() -> None:
    bare = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if _bare_tables(path.read_text(encoding="utf-8"))
    )
    assert [name for name in bare if name not in NOT_YET] == []
    # An entry for a template that is now fixed (or gone) is removed, not left behind.
    assert sorted(set(NOT_YET) - set(bare)) == []
