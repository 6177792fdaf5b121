"""``{% record_url "cases:detail" case.pk %}``: a record's address in a long list.

The same address as ``{% url %}``, made without reversing the view for every row
(``tac_portal.links``).
"""

from __future__ import annotations

from django import template

from tac_portal.links import record_url as _record_url

register = template.Library()


@register.simple_tag
def record_url(viewname: str, pk: int) -> str:
    return _record_url(viewname, pk)
