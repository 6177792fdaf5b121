"""Edits carry the version the editor saw: the one home for lost-update protection.

A record people edit has a ``version`` column (``VersionedModel``). Its edit form carries
the version it was rendered with (``tac_portal.forms.VersionField``). The service that
saves the edit locks the row (``select_for_update``), calls ``ensure_current`` with the
version the editor saw, and ``bump``\\ s the version in the same save. An edit based on an
old version is refused with ``StaleEdit``, and nothing is written: nobody's change is
silently overwritten.

``StaleEdit`` carries the locked row as it is now (``current``). The page that refused
the save shows it beside what the person wrote, keeps what they typed, and carries the
new version (``tac_portal.forms.add_service_errors``, ``includes/stale_edit.html``), so
that saving again, having looked, goes through.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

STALE_MESSAGE = (
    "Someone else changed this since you opened it. Nothing has been saved: check what "
    "it says now beside what you wrote, then save again."
)


class StaleEdit(ValidationError):
    """The record moved on since the editor loaded it; nothing was written.

    ``current`` is the record as saved now (the locked row, unchanged). ``refreshed``
    names the hidden fields that say which version the editor saw and what they must
    say now; by default every ``VersionField`` on the form gets ``current.version``.
    """

    def __init__(
        self,
        message: str = STALE_MESSAGE,
        *,
        current: Any = None,
        refreshed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code="stale")
        self.current = current
        self.refreshed = refreshed


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
        raise StaleEdit(message, current=locked)


def ensure_seen(
    locked: Any, seen: str | None, now: str, *, message: str = STALE_MESSAGE, field: str = "seen"
) -> None:
    """Refuse an edit of a record without a version column when what the editor's page
    showed (``seen``, posted back by the hidden ``field``) is not what it says ``now``.

    ``seen`` None means no editor's page. The page that refuses carries ``now`` in
    ``field``, so that saving again, having looked, goes through.
    """
    if seen is not None and seen != now:
        raise StaleEdit(message, current=locked, refreshed={field: now})


def bump(locked: Any) -> list[str]:
    """Move the version on; returns the field name to add to ``save(update_fields=...)``."""
    locked.version += 1
    return ["version"]
