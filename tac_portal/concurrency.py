"""Edits carry the version the editor saw: the one home for lost-update protection.

A record people edit has a ``version`` column (``VersionedModel``). Its edit form carries
the version it was rendered with (``tac_portal.forms.VersionField``). The service that
saves the edit locks the row (``select_for_update``), calls ``ensure_current`` with the
version the editor saw, and ``bump``\\ s the version in the same save. An edit based on an
old version is refused with ``StaleEdit``, whose message the form shows above its fields,
and nothing is written: nobody's change is silently overwritten.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

STALE_MESSAGE = (
    "Someone else changed this since you opened it. Nothing has been saved: check what "
    "it says now, then make your change again."
)


class StaleEdit(ValidationError):
    """The record moved on since the editor loaded it; nothing was written."""

    def __init__(self, message: str = STALE_MESSAGE) -> None:
        super().__init__(message, code="stale")


class VersionedModel(models.Model):
    """A record edited by people who may work on it at the same time."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


def ensure_current(
    locked: Any, expected_version: int | None, *, message: str = STALE_MESSAGE
) -> None:
    """Refuse an edit based on an older version of ``locked`` (a row locked for update).

    ``expected_version`` None means the caller is not an editor's form (a system task);
    the row lock alone keeps such changes in order.
    """
    if expected_version is not None and int(expected_version) != locked.version:
        raise StaleEdit(message)


def bump(locked: Any) -> list[str]:
    """Move the version on; returns the field name to add to ``save(update_fields=...)``."""
    locked.version += 1
    return ["version"]
