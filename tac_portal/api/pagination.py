"""Lists: keyset ("cursor") pagination in (updated_at, id) order, ``updated_since`` for
incremental sync, unknown query parameters rejected."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tac_portal.api.problems import InvalidParameters
from tac_portal.keyset import rows_from

MAX_PAGE_SIZE = 100


DEFAULT_PAGE_SIZE = 50


LIST_PARAMETERS = frozenset({"cursor", "page_size", "updated_since"})


def _parse_updated_since(raw: str) -> dt.datetime:
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))
        # The database refuses odd offsets (e.g. -23:26): compare in UTC.
        value = value.astimezone(dt.UTC) if value and value.tzinfo else value
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise InvalidParameters(
            {"updated_since": ["Give an ISO 8601 date and time, e.g. 2026-01-31T09:00:00Z."]}
        )
    if value.tzinfo is None:
        raise InvalidParameters(
            {"updated_since": ["Include a time zone, e.g. 2026-01-31T09:00:00Z."]}
        )
    return value


def _encode_cursor(position: dt.datetime, pk: int) -> str:
    raw = json.dumps([position.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, pk = json.loads(raw)
        position = dt.datetime.fromisoformat(stamp)
        if position.tzinfo is None or not isinstance(pk, int) or abs(pk) > 2**63 - 1:
            raise ValueError(cursor)
        position = position.astimezone(dt.UTC)
    except (
        ValueError,
        TypeError,
        OverflowError,
        binascii.Error,
        json.JSONDecodeError,
        UnicodeDecodeError,
    ):
        raise InvalidParameters(
            {"cursor": ["This cursor is not valid: use the next link you were given."]}
        ) from None
    return position, pk


class KeysetPagination(BasePagination):
    """Pages in (sync field, id) order; the ``next`` link carries the last row's position.

    Rows changed while a client pages through move to the end, so a sync that
    follows ``next`` to the end and then asks ``updated_since`` again misses
    nothing. A page costs the same few queries whatever its size.
    """

    def __init__(self) -> None:
        self.next_cursor: str | None = None
        self.request: Request | None = None

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get("page_size")
        if raw is None:
            return DEFAULT_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise InvalidParameters(
                {"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return size

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        assert isinstance(queryset, QuerySet)  # noqa: S101  (keyset pages need the database)
        field = getattr(view, "sync_field", "updated_at")
        size, position = self.page_request(request)
        rows = list(self.page_of(queryset, field, size, position))
        return self.keep_page(rows, size, lambda row: (getattr(row, field), row.pk))

    def page_request(self, request: Request) -> tuple[int, tuple[dt.datetime, int] | None]:
        """The page size asked for, and the cursor's position (None on the first page)."""
        self.request = request
        size = self._page_size(request)
        cursor = request.query_params.get("cursor")
        return size, (_decode_cursor(cursor) if cursor else None)

    @staticmethod
    def page_of(
        queryset: QuerySet[Any], field: str, size: int, position: tuple[dt.datetime, int] | None
    ) -> QuerySet[Any]:
        """The rows after ``position`` in (``field``, id) order, one more than a page."""
        return rows_from(queryset, field, size, position)

    def keep_page(
        self, rows: list[Any], size: int, position_of: Callable[[Any], tuple[dt.datetime, int]]
    ) -> list[Any]:
        """A page of ``rows`` (read by ``page_of``), noting the next page's cursor."""
        if len(rows) > size:
            rows = rows[:size]
            self.next_cursor = _encode_cursor(*position_of(rows[-1]))
        return rows

    def next_link(self) -> str | None:
        if self.next_cursor is None or self.request is None:
            return None
        params = {k: v for k, v in self.request.query_params.items() if k != "cursor"}
        params["cursor"] = self.next_cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + urlencode(params)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self.next_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                    "example": "https://portal.example/api/v1/cases/?cursor=WyIyMDI2LTAzLTAxIiwgNDJd",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "Opaque position from a next link.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} "
                f"(default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
            {
                "name": "updated_since",
                "in": "query",
                "required": False,
                "description": "Only rows changed at or after this time (ISO 8601 with zone).",
                "schema": {"type": "string", "format": "date-time"},
            },
        ]


class ReferencePagination(KeysetPagination):
    """Reference lists are short and complete: one page, ``updated_since`` accepted."""

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": "updated_since",
                "in": "query",
                "required": False,
                "description": "Accepted for a uniform sync loop; the whole list is returned.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]
