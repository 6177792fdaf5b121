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


def test_a_stacked_table_labels_each_cell_with_its_heading_and_keeps_its_roles() -> None:
    html = _render(
        "{% table_region stack %}<table class='govuk-table'><caption>Cases</caption>"
        "<thead><tr><th scope='col'>Case</th><th scope='col'>Lead <span>&amp; agency</span>"
        "</th></tr></thead><tbody>"
        "<tr><th scope='row'>{{ ref }}</th><td class='x'>{{ who }}</td></tr>"
        "<tr><td colspan='2'>No more cases.</td></tr>"
        "</tbody></table>{% endtable_region %}",
        ref="TAC-1",
        who="Ada <b>",
    )
    assert html.startswith('<div class="tac-table-region tac-table-region--stack" role="region"')
    assert "<table role=\"table\" class='govuk-table'>" in html
    assert '<thead role="rowgroup">' in html
    assert '<tbody role="rowgroup">' in html
    assert html.count('<tr role="row">') == 3
    assert "<th role=\"columnheader\" scope='col'>Case</th>" in html
    assert '<th role="rowheader" data-label="Case" scope=\'row\'>TAC-1</th>' in html
    # The heading's text, escaped once; the cell's own content is left as it was.
    assert '<td role="cell" data-label="Lead &amp; agency" class=\'x\'>Ada &lt;b&gt;</td>' in html
    # A cell across several columns has no one heading to show.
    assert "<td role=\"cell\" colspan='2'>No more cases.</td>" in html


def test_a_table_is_stacked_only_when_asked() -> None:
    html = _render(
        "{% table_region %}<table><caption>Cases</caption><thead><tr><th>Case</th></tr>"
        "</thead><tbody><tr><td>1</td></tr></tbody></table>{% endtable_region %}"
    )
    assert "data-label" not in html
    assert 'role="cell"' not in html
    with pytest.raises(TemplateSyntaxError, match="stack"):
        _render("{% table_region stacked %}<table></table>{% endtable_region %}")


def test_the_tables_read_on_a_phone_stack() -> None:
    """My work, the case page's plan, meetings and team, search results and notifications."""
    for name in (
        "cases/my_cases.html",
        "meetings/panels/my_work.html",
        "meetings/panels/case_meetings.html",
        "cases/case_detail.html",
        "cases/team/team.html",
        "cases/includes/search_results.html",
        "notifications/notification_list.html",
    ):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert "{% table_region %}" not in text, name
        assert "{% table_region stack" in text, name
