"""Assessment pages. Every assessment is reached through a case the user can see."""

from __future__ import annotations

from assessments.views.common import YES_NO
from assessments.views.family_copy import family_copy, family_copy_print
from assessments.views.lifecycle import (
    abandon,
    awaiting_consent,
    begin,
    complete,
    escalate,
    family_copy_given,
    record_consent,
    resume,
    revise,
    share,
    start,
)
from assessments.views.overview import detail
from assessments.views.sections import save_element, save_section, save_view, section

__all__ = [
    "YES_NO",
    "abandon",
    "awaiting_consent",
    "begin",
    "complete",
    "detail",
    "escalate",
    "family_copy",
    "family_copy_given",
    "family_copy_print",
    "record_consent",
    "resume",
    "revise",
    "save_element",
    "save_section",
    "save_view",
    "section",
    "share",
    "start",
]
