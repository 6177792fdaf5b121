"""The partner API's base views: an ``ETag`` on single objects (``If-None-Match``
answers 304), JSON only (415, 406), throttling per partner client or professional; and
the human documentation page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from rest_framework import exceptions, generics, mixins
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from tac_portal.api.pagination import (
    LIST_PARAMETERS,
    KeysetPagination,
    ReferencePagination,
    _parse_updated_since,
)
from tac_portal.api.problems import NOT_FOUND_DETAIL, InvalidParameters


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
    #: The request bodies accepted: JSON, except where a file is sent (multipart).
    body_media_types: ClassVar[frozenset[str]] = frozenset({"application/json"})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not isinstance(request.user, AbstractBaseUser):
            # A partner system's principal: DRF copies it onto the Django request, where
            # no person is signed in (the access log and change history record the client
            # id instead).
            request._request.user = AnonymousUser()
        has_body = int(request.META.get("CONTENT_LENGTH") or 0) > 0
        media_type = request.content_type.split(";")[0].strip().lower()
        if has_body and media_type not in self.body_media_types:
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

    def etag_of(self, obj: Any, data: Any) -> str:
        """A digest of what is shown; an object partners edit answers its version instead
        (``agencies.api_writes.version_etag``), which ``If-Match`` then names."""
        return _etag(JSONRenderer().render(data))

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        self.prepare([obj])
        data = self.get_serializer(obj).data
        self.log_access([obj])
        etag = self.etag_of(obj, data)
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
<main id="swagger-ui" aria-label="Partner API documentation"
      data-schema-url="{schema}" data-csrf-token="{csrf}"></main>
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
