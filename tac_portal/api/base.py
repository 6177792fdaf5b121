"""Machinery shared by every partner API endpoint (/api/v1/).

- Who is calling: a partner system's OAuth2 token (``agencies.api_auth``) or a
  signed-in professional's session (CSRF enforced). ``cases.api.base.Viewer`` hides
  the difference from the resource views: it gives the
  cases the caller may reach and the agency whose sharing preferences apply.
- Errors: every one is an RFC 9457 problem (``application/problem+json``).
- Lists: keyset ("cursor") pagination in (updated_at, id) order, ``updated_since``
  for incremental sync, unknown query parameters rejected.
- Single objects: an ``ETag``; ``If-None-Match`` answers 304.
- Every request with a body must be JSON (415); ``Accept`` must allow JSON (406).
- Throttling per partner client (or professional), counted in the Redis cache.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, MutableMapping, Sequence
from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, generics, mixins, serializers
from rest_framework.pagination import BasePagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView, exception_handler

from tac_portal.validators import text_problem

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
DATABASE_UNAVAILABLE_DETAIL = "The service cannot reach its database. Try again in a minute."
#: When to try again after a 503 because the database is away.
RETRY_AFTER_SECONDS = 60
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
NOT_FOUND_DETAIL = "Nothing is here, or you may not see it."
LIST_PARAMETERS = frozenset({"cursor", "page_size", "updated_since"})


# --- Problems (RFC 9457) ----------------------------------------------------------


class InvalidParameters(exceptions.ValidationError):
    """A query parameter was not understood; ``detail`` maps parameter → messages."""


class ApiProblem(exceptions.APIException):
    """A problem with its own ``type``, title and (optionally) field-level errors."""

    def __init__(
        self,
        status: int,
        *,
        kind: str,
        title: str,
        detail: str,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status_code = status
        self.kind = kind
        self.title = title
        self.errors = errors


def problem(
    status: int,
    *,
    detail: str,
    instance: str,
    kind: str = "about:blank",
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": kind,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def _field_errors(detail: Any, pointer: str = "#") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail into [{pointer, detail, code}, ...]."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == api_settings.NON_FIELD_ERRORS_KEY else f"/{key}"
            found += _field_errors(value, pointer + name)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                found.append(
                    {"pointer": pointer, "detail": str(item), "code": getattr(item, "code", "")}
                )
        else:
            for index, item in enumerate(detail):
                found += _field_errors(item, f"{pointer}/{index}")
    else:
        found.append(
            {"pointer": pointer, "detail": str(detail), "code": getattr(detail, "code", "")}
        )
    return found


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Answer every error as ``application/problem+json`` (RFC 9457)."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND_DETAIL)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, OperationalError | InterfaceError):
        # PostgreSQL cannot be reached: not a fault in the request or in the portal.
        logger.error("database unavailable", extra={"error": type(exc).__name__})
        unavailable = Response(
            problem(503, detail=DATABASE_UNAVAILABLE_DETAIL, instance=instance),
            status=503,
            content_type=PROBLEM_CONTENT_TYPE,
        )
        unavailable["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return unavailable
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        body = problem(500, detail="Something went wrong on our side.", instance=instance)
        return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)

    status = response.status_code
    if isinstance(exc, ApiProblem):
        body = problem(
            status,
            kind=exc.kind,
            title=exc.title,
            detail=str(exc.detail),
            instance=instance,
            errors=exc.errors,
        )
    elif isinstance(exc, InvalidParameters):
        errors = [
            {"parameter": name, "detail": str(message), "code": getattr(message, "code", "")}
            for name, messages in exc.detail.items()  # type: ignore[union-attr]
            for message in messages
        ]
        body = problem(
            status,
            kind="urn:tac-portal:problem:invalid-parameters",
            title="A query parameter is not valid",
            detail="Correct the query parameters listed in errors.",
            instance=instance,
            errors=errors,
        )
    elif isinstance(exc, exceptions.ValidationError):
        body = problem(
            status,
            kind="urn:tac-portal:problem:validation-error",
            title="The request body is not valid",
            detail="Correct the fields listed in errors; nothing was saved.",
            instance=instance,
            errors=_field_errors(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        body = problem(status, detail=str(detail), instance=instance)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


# It changes nothing: a PATCH to a bad address is a 404 problem, not a CSRF page.
@csrf_exempt  # nosemgrep
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Unknown addresses under /api/v1/ answer a problem, not an HTML page."""
    body = problem(404, detail="There is no such API endpoint.", instance=request.path)
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request."},
        "errors": {
            "type": "array",
            "description": "What to correct, one entry per field or query parameter.",
            "items": {
                "type": "object",
                "required": ["detail"],
                "properties": {
                    "pointer": {"type": "string", "description": "JSON pointer into the body."},
                    "parameter": {"type": "string", "description": "The query parameter."},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
    },
    "example": {
        "type": "urn:tac-portal:problem:invalid-parameters",
        "title": "A query parameter is not valid",
        "status": 400,
        "detail": "Correct the query parameters listed in errors.",
        "instance": "/api/v1/cases/",
        "errors": [
            {
                "parameter": "updated_since",
                "detail": "Include a time zone, e.g. 2026-01-31T09:00:00Z.",
                "code": "invalid",
            }
        ],
    },
}


_PROBLEM_STATUSES = {
    "400": "A query parameter or the body is not valid.",
    "401": "No valid access token or session.",
    "403": "The token lacks a scope this endpoint needs (or CSRF failed).",
    "404": "Not found, or not yours to see: the two are never told apart.",
    "405": "The method is not allowed here.",
    "406": "The Accept header does not allow JSON.",
    "415": "The body is not JSON.",
    "429": "Too many requests: wait for Retry-After seconds.",
}

#: Problems only a write can meet, by method.
_WRITE_PROBLEM_STATUSES = {
    "post": {
        "409": "A new child looks like a child already known (give duplicate_reason).",
        "422": "The Idempotency-Key was used for another body, or the request cannot be "
        "met (see type).",
    },
    "patch": {"412": "If-Match names another version: fetch the object again."},
}


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing: document the problem responses on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            statuses = _PROBLEM_STATUSES | _WRITE_PROBLEM_STATUSES.get(method, {})
            for status, description in statuses.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}},
                    },
                )
            if method == "get" and path.rstrip("/").endswith("}"):
                operation.setdefault("parameters", []).append(
                    {
                        "name": "If-None-Match",
                        "in": "header",
                        "required": False,
                        "description": "The ETag you hold: 304 when it is still current.",
                        "schema": {"type": "string"},
                    }
                )
                responses.setdefault("304", {"description": "Not modified (If-None-Match)."})
    return result


# --- Serializers --------------------------------------------------------------------


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with a ``Z``, whatever the server's time zone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(**kwargs)


class ApiModelSerializer(serializers.ModelSerializer[Any]):
    """Explicit fields only, UTC datetimes, everything read-only unless a write says so."""

    def build_standard_field(self, field_name: str, model_field: Any) -> Any:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateTimeField:
            field_class = UtcDateTimeField
        # Read-only fields keep what the column may hold, so that the schema says so.
        if model_field.null:
            field_kwargs["allow_null"] = True
        if model_field.blank and issubclass(
            field_class, serializers.CharField | serializers.ChoiceField
        ):
            field_kwargs["allow_blank"] = True
        return field_class, field_kwargs

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        # DRF drops allow_blank from read-only fields; keep it so "" is documented.
        allow_blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs


class StrictInputSerializer(serializers.Serializer[Any]):
    """For request bodies: a field the serializer does not declare is an error, not ignored,
    and no text may carry control or text-reordering characters (tac_portal.validators)."""

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, dict):
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = ["This field is not accepted here."]
            for name in sorted(n for n in data if n in self.fields and self.fields[n].read_only):
                errors[name] = ["This field is read-only."]
            for name, value in data.items():
                if name in self.fields and isinstance(value, str) and text_problem(value):
                    errors[name] = [f"{text_problem(value)}."]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Report every problem at once, not the first kind found.
            if not isinstance(exc.detail, dict):
                raise
            errors = {**exc.detail, **errors}
        if errors:
            raise serializers.ValidationError(errors)
        return value


# --- Pagination and incremental sync -------------------------------------------------


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
        self.request = request
        field = getattr(view, "sync_field", "updated_at")
        size = self._page_size(request)
        cursor = request.query_params.get("cursor")
        if cursor:
            position, pk = _decode_cursor(cursor)
            queryset = queryset.filter(
                Q(**{f"{field}__gt": position}) | Q(**{field: position, "pk__gt": pk})
            )
        rows = list(queryset.order_by(field, "pk")[: size + 1])
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            self.next_cursor = _encode_cursor(getattr(last, field), last.pk)
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


# --- Views ----------------------------------------------------------------------------


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def etag_matches(header: str, etag: str) -> bool:
    candidates = [c.strip().removeprefix("W/") for c in header.split(",")]
    return "*" in candidates or etag in candidates


class ApiView(generics.GenericAPIView[Any]):
    """What every endpoint shares: JSON bodies only, known query parameters only, no-store."""

    required_scopes: ClassVar[Sequence[str]] = ()
    #: Scopes per HTTP method where they differ from ``required_scopes``.
    method_scopes: ClassVar[dict[str, Sequence[str]]] = {}
    allowed_query_parameters: ClassVar[frozenset[str]] = frozenset()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not isinstance(request.user, AbstractBaseUser):
            # A partner system's principal: DRF copies it onto the Django request, where
            # no person is signed in (the access log and change history record the client
            # id instead).
            request._request.user = AnonymousUser()
        has_body = int(request.META.get("CONTENT_LENGTH") or 0) > 0
        media_type = request.content_type.split(";")[0].strip().lower()
        if has_body and media_type != "application/json":
            raise exceptions.UnsupportedMediaType(media_type or "none")
        unknown = sorted(set(request.query_params) - self.allowed_query_parameters)
        if unknown:
            raise InvalidParameters(
                {name: ["This query parameter is not accepted here."] for name in unknown}
            )

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Children's data: no browser or proxy may keep a copy.
        response["Cache-Control"] = "no-store"
        response.setdefault("Vary", "Accept, Authorization, Cookie")
        return response

    def prepare(self, objects: Sequence[Any]) -> None:
        """Load what serialising ``objects`` needs in a fixed number of queries."""

    def log_access(self, objects: Sequence[Any]) -> None:
        """Record what the response shows. Reference data shows no one; every endpoint
        that shows a child's record builds on ``cases.api.base.CaseDataView``, which logs."""


class ApiListView(mixins.ListModelMixin, ApiView):
    """A list in (sync field, id) order with cursor pages and ``updated_since``."""

    pagination_class = KeysetPagination
    sync_field = "updated_at"
    allowed_query_parameters = LIST_PARAMETERS

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        raw = self.request.query_params.get("updated_since")
        if raw is not None:
            queryset = queryset.filter(**{f"{self.sync_field}__gte": _parse_updated_since(raw)})
        return queryset

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset) or []
        self.prepare(page)
        data = self.get_serializer(page, many=True).data
        self.log_access(page)
        return self.get_paginated_response(data)


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


class ReferenceListView(mixins.ListModelMixin, ApiView):
    """A short, fixed list of codes: always complete, so ``updated_since`` changes nothing."""

    allowed_query_parameters = frozenset({"updated_since"})
    pagination_class = ReferencePagination

    def entries(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raw = request.query_params.get("updated_since")
        if raw is not None:
            _parse_updated_since(raw)
        data = self.get_serializer(self.entries(), many=True).data
        return Response({"next": None, "results": data})


class ApiDetailView(ApiView):
    """One object, with an ETag; a matching If-None-Match answers 304 Not Modified."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        self.prepare([obj])
        data = self.get_serializer(obj).data
        self.log_access([obj])
        etag = _etag(JSONRenderer().render(data))
        if etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = Response(status=304)
        else:
            response = Response(data)
        response["ETag"] = etag
        return response


def get_object_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """Like Django's, but a malformed id is a 404 too (never a 500)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise exceptions.NotFound(NOT_FOUND_DETAIL) from None


def ids(objects: Iterable[Model]) -> list[int]:
    return [o.pk for o in objects]


# --- Human documentation ----------------------------------------------------------------


def api_docs(request: HttpRequest) -> HttpResponse:
    """Swagger UI from vendored files, no inline script or style (the CSP holds)."""
    html = format_html(
        """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TAC Portal partner API</title>
<link rel="stylesheet" href="{css}">
<link rel="stylesheet" href="{overrides}">
</head>
<body>
<main id="swagger-ui" data-schema-url="{schema}" data-csrf-token="{csrf}"></main>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>""",
        css=static("vendor/swagger-ui/swagger-ui.css"),
        overrides=static("vendor/swagger-ui/tac-overrides.css"),
        schema=reverse("api:schema"),
        csrf=get_token(request),
        bundle=static("vendor/swagger-ui/swagger-ui-bundle.js"),
        init=static("vendor/swagger-ui/init.js"),
    )
    return HttpResponse(html)
