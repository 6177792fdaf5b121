"""Keyset pages: the rows after (or before) a position in (field, id) order.

A page starts where the page before it ended, from the last row's (field, id), not
from an offset, so a deep page is read as the first is. The API's lists (by
``updated_at``) and the dashboards' overdue lists (by due date) page this way.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)


def rows_from(
    queryset: QuerySet[M],
    field: str,
    size: int,
    position: tuple[Any, int] | None = None,
    *,
    backwards: bool = False,
) -> QuerySet[M]:
    """The rows after ``position`` in (``field``, id) order, or with ``backwards`` the
    rows before it, nearest first; one more than a page, to tell whether another follows.

    ``field >= at`` (or ``<=``) is spelt out beside the tie-break, so that the
    (field, id) index is entered at the position instead of read from its start.
    """
    if position is not None:
        at, pk = position
        if backwards:
            queryset = queryset.filter(
                Q(**{f"{field}__lte": at}) & (Q(**{f"{field}__lt": at}) | Q(pk__lt=pk))
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__gte": at}) & (Q(**{f"{field}__gt": at}) | Q(pk__gt=pk))
            )
    order = (f"-{field}", "-pk") if backwards else (field, "pk")
    return queryset.order_by(*order)[: size + 1]
