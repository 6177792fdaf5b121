"""Model fields every app shares.

``BoundedTextField`` is the text column for anything people type. Its maximum length is
checked by the database itself (a check constraint the field adds to its model), not only
by the forms and the API, so that no code path can store a pasted megabyte.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

#: Twice the longest text a form takes (tac_portal.forms.FREE_TEXT_MAX_LENGTH) and as long
#: as an assessment's longest answer: the database's backstop, not the everyday limit.
TEXT_MAX_LENGTH = 20_000


class BoundedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField whose length the database checks (``TEXT_MAX_LENGTH`` unless given)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if cls._meta.abstract:
            return  # each concrete model gets its own constraint
        if cls.__module__ == "__fake__":
            # A migration's historical model: its constraints are the migration state's
            # (AddConstraint), or creating the model would add this one twice.
            return
        # PostgreSQL cuts names at 63 characters: a digest keeps long ones apart.
        table = cls._meta.db_table
        digest = hashlib.sha256(f"{table}.{name}".encode()).hexdigest()[:8]
        constraint = models.CheckConstraint(
            condition=LessThanOrEqual(Length(name), self.max_length),
            name=f"{table[:30]}_{name[:18]}_len_{digest}",
        )
        # A new list: Meta's may be shared with other models. Migrations read a model's
        # constraints only when its Meta named some (original_attrs), so say it did.
        cls._meta.constraints = [*cls._meta.constraints, constraint]
        cls._meta.original_attrs["constraints"] = cls._meta.constraints
