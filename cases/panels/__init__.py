"""Sections that other apps add to the case page and to "My work".

The case page and the "My work" home belong to ``cases``, but their sections come
from every app: assessments, meetings and actions, the caseload summary. Each app
defines its sections as module-level ``CasePanel`` and ``MyWorkPanel`` objects, and
``settings.TAC_CASE_PANELS`` and ``settings.TAC_MY_WORK_PANELS`` list them, by dotted
path and in the order shown: ``cases`` never imports the apps built on it, and no app
registers anything at start-up. A panel's context function must run a fixed number of
queries whatever the number of rows, and must only read through the case it is given
(already checked visible) or through the signed-in user.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from agencies.models import User
    from cases.models import Case


@dataclass(frozen=True)
class CasePanel:
    """A section of the case page.

    ``family_voice=True`` puts it first, under "In their own words", above every
    professional summary (DOMAIN §9.2 A1): the latest views of the child and family.
    Its data says ``any_views`` when it has some to show. ``at_top=True`` puts it
    under the case's heading, above everything else ("What happens next").
    """

    key: str
    template: str
    context: Callable[[Case, User], Mapping[str, Any]]
    family_voice: bool = False
    at_top: bool = False


@dataclass(frozen=True)
class MyWorkPanel:
    key: str
    template: str
    context: Callable[[User], Mapping[str, Any]]


_Panel = TypeVar("_Panel", bound="CasePanel | MyWorkPanel")


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    template: str
    data: Mapping[str, Any]
    family_voice: bool = False
    at_top: bool = False


def _resolve(paths: Iterable[str], kind: type[_Panel]) -> tuple[_Panel, ...]:
    panels = tuple(import_string(path) for path in paths)
    for path, panel in zip(paths, panels, strict=True):
        if not isinstance(panel, kind):
            raise ImproperlyConfigured(f"{path} is not a {kind.__name__}")
    return panels


def registered_case_panels() -> tuple[CasePanel, ...]:
    """The case page's sections (``settings.TAC_CASE_PANELS``), in order."""
    return _resolve(settings.TAC_CASE_PANELS, CasePanel)


def registered_my_work_panels() -> tuple[MyWorkPanel, ...]:
    """The "My work" sections (``settings.TAC_MY_WORK_PANELS``), in order."""
    return _resolve(settings.TAC_MY_WORK_PANELS, MyWorkPanel)


def case_panels(case: Case, user: User) -> list[RenderedPanel]:
    """The case page's sections, in order, with their data."""
    return [
        RenderedPanel(
            p.key,
            p.template,
            p.context(case, user),
            family_voice=p.family_voice,
            at_top=p.at_top,
        )
        for p in registered_case_panels()
    ]


def my_work_panels(user: User) -> list[RenderedPanel]:
    """The "My work" home's sections, in order, with their data."""
    return [RenderedPanel(p.key, p.template, p.context(user)) for p in registered_my_work_panels()]
