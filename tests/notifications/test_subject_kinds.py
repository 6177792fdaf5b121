"""Every kind of reminder has a subject kind, named in settings by the app that owns it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications import models
from notifications.services import UNKNOWN_SUBJECT, SubjectKind, subject_kind

SUBJECT_TYPES = sorted(value for name, value in vars(models).items() if name.startswith("SUBJECT_"))


@pytest.mark.parametrize("subject_type", SUBJECT_TYPES)
def test_each_subject_type_has_its_kind(subject_type: str) -> None:
    assert isinstance(subject_kind(subject_type), SubjectKind)


def test_an_unknown_subject_type_still_goes_out_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert subject_kind("nothing.here") is UNKNOWN_SUBJECT
    assert "reminder subject type has no kind" in caplog.text


def test_a_path_that_is_not_a_kind_is_refused(settings: Any) -> None:
    settings.TAC_REMINDER_SUBJECTS = {"case.review": "cases.panels.episode.EPISODE"}
    with pytest.raises(ImproperlyConfigured):
        subject_kind("case.review")
