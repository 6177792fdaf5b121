"""The case page's and "My work"'s sections are listed in settings, by dotted path."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from cases.panels import (
    CasePanel,
    MyWorkPanel,
    registered_case_panels,
    registered_my_work_panels,
)


def test_every_listed_panel_exists_once_with_its_own_key() -> None:
    case_panels = registered_case_panels()
    my_work = registered_my_work_panels()
    assert all(isinstance(p, CasePanel) for p in case_panels)
    assert all(isinstance(p, MyWorkPanel) for p in my_work)
    assert len({p.key for p in case_panels}) == len(case_panels)
    assert len({p.key for p in my_work}) == len(my_work)


def test_the_familys_own_words_come_from_meetings_and_assessments() -> None:
    voice = [p.key for p in registered_case_panels() if p.family_voice]
    assert voice == ["meetings_voice", "assessments_voice"]


def test_a_path_that_is_not_a_panel_is_refused(settings: Any) -> None:
    settings.TAC_MY_WORK_PANELS = ["cases.panels.episode.EPISODE"]  # a case panel
    with pytest.raises(ImproperlyConfigured):
        registered_my_work_panels()
