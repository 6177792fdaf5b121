from __future__ import annotations

from django import template

register = template.Library()

ROUTE_LABELS = {
    "cases:detail": "Case page",
    "cases:my_cases": "My cases list",
    "cases:history": "Case history",
}


@register.filter
def route_label(route: str) -> str:
    """A readable name for the page or API route that showed the record."""
    return ROUTE_LABELS.get(route, route)
