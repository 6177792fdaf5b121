"""What the partner API's writes share: service errors as problems, If-Match, idempotency.

Writes call the same services as the HTML views. A service's ``ValidationError``
becomes a 400 problem with field-level errors. An edit's ``ETag`` is the record's
version (``tac_portal.concurrency``): ``If-Match`` is required (428 without it) and
handed to the service as the version the edit is based on, so a stale edit is refused
inside the row lock (412, naming the current version). An ``Idempotency-Key`` makes a
retried write answer what the first one answered instead of writing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pghistory
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.api_auth import PartnerPrincipal
from agencies.models import IdempotencyKey
from tac_portal.api.problems import ApiProblem

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200

#: The headers of a write, as the OpenAPI schema describes them.
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID): a retry with the same key and the same request "
    "answers the first answer (Idempotent-Replayed: true) and writes nothing.",
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you read (GET). Without it: 428; if the object "
    "changed since: 412, naming the current version.",
)


def validation_problem(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ``ValidationError`` as the API's 400 problem (field-level errors)."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in exc.messages]})


def version_etag(version: int) -> str:
    """The ETag of an object people edit: its version (``tac_portal.concurrency``)."""
    return f'"v{version}"'


def _version_of(tag: str) -> int | None:
    """The version an ETag names; None for anything else (If-Match compares strongly, so a
    weak tag, ``W/"v3"``, names none)."""
    if not (tag.startswith('"') and tag.endswith('"')):
        return None
    tag = tag[1:-1]
    if tag.startswith("v") and tag[1:].isdigit() and len(tag) < 12:
        return int(tag[1:])
    return None


def precondition_required() -> ApiProblem:
    return ApiProblem(
        428,
        kind="urn:tac-portal:problem:precondition-required",
        title="Send If-Match with the ETag you read",
        detail="An edit must say which version it changes: GET the object, then send its "
        "ETag as If-Match, so that you never overwrite a change you have not seen.",
    )


def stale_problem(current_version: int) -> ApiProblem:
    """412: the edit was based on another version; the problem names the current one."""
    etag = version_etag(current_version)
    return ApiProblem(
        412,
        kind="urn:tac-portal:problem:precondition-failed",
        title="The object has changed",
        detail=f"Someone changed this since you read it; it is now at version "
        f"{current_version} (ETag {etag}). Nothing was saved: fetch it again, check the "
        "change, then send your update with the new ETag.",
        extensions={"current_version": current_version, "current_etag": etag},
        headers={"ETag": etag},
    )


def expected_version(request: Request, current_version: int) -> int | None:
    """The version an edit is based on, from ``If-Match`` (required: 428 without it).

    The service compares it with the locked row (``tac_portal.concurrency.ensure_current``)
    and refuses a stale edit with ``StaleEdit`` (answered by ``stale_problem``). ``*``
    asks for no check; a tag that is no version of this object is stale at once.
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise precondition_required()
    tags = [t.strip() for t in header.split(",") if t.strip()]
    if "*" in tags:
        return None
    versions = [v for v in (_version_of(t) for t in tags) if v is not None]
    if not versions:
        raise stale_problem(current_version)
    return current_version if current_version in versions else versions[0]


def principal_key(request: Request) -> str:
    principal = request.user
    if isinstance(principal, PartnerPrincipal):
        return f"client:{principal.client.pk}"
    return f"user:{principal.pk}"


def history_context(request: Request) -> Any:
    """pghistory context naming the partner client that made a write (if any)."""
    principal = request.user
    if isinstance(principal, PartnerPrincipal):
        return pghistory.context(partner_client=principal.client.client_id)
    return pghistory.context()


def _replay(stored: IdempotencyKey, request: Request, request_hash: str) -> Response:
    same_request = (stored.method, stored.path, stored.request_hash) == (
        request.method or "",
        request.path[:200],
        request_hash,
    )
    if not same_request:
        raise ApiProblem(
            422,
            kind="urn:tac-portal:problem:idempotency-key-reused",
            title="This Idempotency-Key was used for another request",
            detail="Use a new key for a new request; repeat a key only to retry the same "
            "request (the same method, address and body).",
        )
    response = Response(stored.response_body, status=stored.response_status)
    if stored.location:
        response["Location"] = stored.location
    if stored.etag:
        response["ETag"] = stored.etag
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(
    request: Request, write: Callable[[], Response], *, request_hash: str | None = None
) -> Response:
    """Run ``write`` once per (caller, Idempotency-Key); a retry gets the stored answer.

    A retry must send the same request: its body's digest, or ``request_hash`` where the
    body cannot be read again (a file upload: the digest of its fields and file).

    The key is stored in the transaction of the write itself: both or neither. Two
    simultaneous requests with one key meet at the unique constraint, or, for an edit,
    at the row lock (the second then finds a newer version); the loser's transaction (its
    write included) rolls back and it answers the winner's answer.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        with transaction.atomic():
            return write()
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii():
        raise exceptions.ValidationError(
            {
                IDEMPOTENCY_HEADER: [
                    f"Give a key of 1 to {MAX_KEY_LENGTH} ASCII characters, e.g. a UUID."
                ]
            }
        )
    principal = principal_key(request)
    if request_hash is None:
        request_hash = hashlib.sha256(request.body).hexdigest()
    stored = IdempotencyKey.objects.filter(principal=principal, key=key).first()
    if stored is not None:
        return _replay(stored, request, request_hash)
    try:
        with transaction.atomic():
            response = write()
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.create(
                    principal=principal,
                    key=key,
                    method=request.method or "",
                    path=request.path[:200],
                    request_hash=request_hash,
                    response_status=response.status_code,
                    response_body=response.data,
                    location=response.get("Location", ""),
                    etag=response.get("ETag", ""),
                )
    except (IntegrityError, exceptions.APIException):
        # The same request may have been made a moment ago by a retry that won: its key
        # now takes this one's place (and its edit is why this one found a newer version).
        stored = IdempotencyKey.objects.filter(principal=principal, key=key).first()
        if stored is None:
            raise
        return _replay(stored, request, request_hash)
    return response
