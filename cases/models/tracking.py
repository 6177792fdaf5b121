"""Change history for the records that matter (django-pghistory, by trigger)."""

from __future__ import annotations

from typing import Any, TypeVar

import pghistory
from django.db import models

_Model = TypeVar("_Model", bound=type[models.Model])


def tracked(model: _Model | None = None, *, untracked: tuple[str, ...] = ()) -> Any:
    """Keep the model's change history: every insert, update and delete, by database trigger.

    Each change is a row in ``<Model>History`` (``pgh_obj`` the record, ``pgh_label``
    insert/update/delete, the row as it was after the change, or before a delete) with
    the ``pghistory`` context of the request or command that made it (acting user, URL).
    Triggers also catch raw SQL and ``COPY``. History rows are append-only: the
    database refuses to update or delete them.

    ``@tracked(untracked=(...))`` leaves out fields derived from others (search keys):
    they are not kept in the history, and a change to them alone is no change.
    """
    if model is None:
        return lambda inner: tracked(inner, untracked=untracked)
    pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=f"{model.__name__}History",
        # ``Case.events`` is the case chronology; the history is ``<record>.history``.
        # No index on pgh_obj alone: the one below leads with it.
        obj_field=pghistory.ObjForeignKey(
            related_name="history", related_query_name="history", db_index=False
        ),
        append_only=True,
        exclude=list(untracked) or None,
        # One record's history, newest first: the history page finds each change's
        # previous version with it, instead of walking the whole table backwards.
        meta={
            "indexes": [
                models.Index(
                    fields=["pgh_obj", "-pgh_id"],
                    name=f"{model.__name__.lower()[:20]}_hist_obj",
                )
            ]
        },
    )(model)
    return model
