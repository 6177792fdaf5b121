"""Every partner API error is an RFC 9457 problem (``application/problem+json``)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


PROBLEM_CONTENT_TYPE = "application/problem+json"


DATABASE_UNAVAILABLE_DETAIL = "The service cannot reach its database. Try again in a minute."


#: When to try again after a 503 because the database is away.
RETRY_AFTER_SECONDS = 60


NOT_FOUND_DETAIL = "Nothing is here, or you may not see it."


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
        extensions: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status_code = status
        self.kind = kind
        self.title = title
        self.errors = errors
        #: RFC 9457 extension members (e.g. the current version of a changed object).
        self.extensions = extensions or {}
        self.headers = headers or {}


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
        body.update({k: v for k, v in exc.extensions.items() if k not in body})
        for name, value in exc.headers.items():
            response[name] = value
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
        "current_version": {
            "type": "integer",
            "description": "412 only: the version the object has now.",
        },
        "current_etag": {
            "type": "string",
            "description": "412 only: the object's ETag now (also in the ETag header).",
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
    "patch": {
        "412": "If-Match names another version: fetch the object again (the problem names "
        "the current version).",
        "422": "The Idempotency-Key was used for another body.",
        "428": "If-Match is missing: send the ETag you read.",
    },
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
