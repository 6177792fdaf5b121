"""Sections that other apps add to the case page and to "My work".

The case page and the "My work" home belong to ``cases``, but their sections come
from every app: assessments, meetings and actions, and so on. An app registers
its panel in its ``AppConfig.ready``; the page renders the panels in order, each
with its own template and context. A panel's context function must run a fixed
number of queries whatever the number of rows, and must only read through the
case it is given (already checked visible) or through the signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agencies.models import User
    from cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    """A section of the case page.

    ``family_voice=True`` puts it first, under "In their own words", above every
    professional summary (DOMAIN §9.2 A1): the latest views of the child and family.
    """

    key: str
    order: int
    template: str
    context: Callable[[Case, User], Mapping[str, Any]]
    family_voice: bool = False


@dataclass(frozen=True)
class MyWorkPanel:
    key: str
    order: int
    template: str
    context: Callable[[User], Mapping[str, Any]]


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    data: Mapping[str, Any]


_CASE_PANELS: dict[str, CasePanel] = {}
_MY_WORK_PANELS: dict[str, MyWorkPanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _CASE_PANELS[panel.key] = panel


def voice_panel_keys() -> frozenset[str]:
    """The keys of the case panels that carry the child's and family's own words."""
    return frozenset(key for key, panel in _CASE_PANELS.items() if panel.family_voice)


def register_my_work_panel(panel: MyWorkPanel) -> None:
    _MY_WORK_PANELS[panel.key] = panel


def case_panels(case: Case, user: User) -> list[RenderedPanel]:
    """The case page's registered sections, in order, with their data."""
    return [
        RenderedPanel(p.key, p.template, p.context(case, user))
        for p in sorted(_CASE_PANELS.values(), key=lambda p: (p.order, p.key))
    ]


def my_work_panels(user: User) -> list[RenderedPanel]:
    """The "My work" home's registered sections, in order, with their data."""
    return [
        RenderedPanel(p.key, p.template, p.context(user))
        for p in sorted(_MY_WORK_PANELS.values(), key=lambda p: (p.order, p.key))
    ]
