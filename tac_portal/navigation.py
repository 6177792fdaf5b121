"""The header's navigation: one list of items, each shown to the roles that may use it.

Each app names its own pages as module-level ``NavItem`` objects in its
``navigation.py``; ``settings.TAC_NAVIGATION`` lists them by dotted path, in the order
shown. Like the case page's panels, nothing registers itself at start-up, and this
module imports no app: whether an item is shown is asked of the function the item
carries (the apps ask ``cases.access``). The home page sends each person to the first
item they are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    """A link in the header. ``shown_to(user)`` decides who is offered it.

    ``section`` is the path prefix of the pages that belong to the item, for marking
    it as the current one (``aria-current``); it defaults to the item's own path.
    """

    key: str
    label: str
    url_name: str
    shown_to: Callable[[Any], bool]
    section: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class ShownItem:
    key: str
    label: str
    url: str
    current: bool


@cache
def _resolve(paths: tuple[str, ...]) -> tuple[NavItem, ...]:
    items = tuple(import_string(path) for path in paths)
    for path, item in zip(paths, items, strict=True):
        if not isinstance(item, NavItem):
            raise ImproperlyConfigured(f"{path} is not a NavItem")
    return items


def registered_items() -> tuple[NavItem, ...]:
    """Every item of ``settings.TAC_NAVIGATION``, in order."""
    return _resolve(tuple(settings.TAC_NAVIGATION))


def items_for(user: Any, path: str = "") -> list[ShownItem]:
    """The items ``user`` is offered, the one ``path`` belongs to marked current."""
    if not user.is_authenticated:
        return []
    shown = [item for item in registered_items() if item.shown_to(user)]
    matches = [
        (len(item.section or item.url), item.key)
        for item in shown
        if path.startswith(item.section or item.url)
    ]
    current = max(matches)[1] if matches else None
    return [ShownItem(i.key, i.label, i.url, i.key == current) for i in shown]


def home_url(user: Any) -> str | None:
    """Where the home page sends ``user``: their first navigation item."""
    items = items_for(user)
    return items[0].url if items else None
