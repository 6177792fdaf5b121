"""What the partner API's writes share: service errors as problems, If-Match, idempotency.

Writes call the same services as the HTML views. A service's ``ValidationError``
becomes a 400 problem with field-level errors; ``If-Match`` guards against a lost
update (412); an ``Idempotency-Key`` makes a retried POST answer what the first
one answered instead of writing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pghistory
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.api_auth import PartnerPrincipal
from agencies.models import IdempotencyKey
from tac_portal.api.problems import ApiProblem
from tac_portal.api.views import etag_matches

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def validation_problem(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ``ValidationError`` as the API's 400 problem (field-level errors)."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in exc.messages]})


def check_if_match(request: Request, etag: str) -> None:
    """412 when ``If-Match`` is given and names another version."""
    header = request.headers.get("If-Match")
    if header is not None and not etag_matches(header, etag):
        raise ApiProblem(
            412,
            kind="urn:tac-portal:problem:precondition-failed",
            title="The object has changed",
            detail="Someone changed this since you read it: fetch it again (new ETag), "
            "check the change, then send your update with the new ETag.",
        )


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


def _replay(stored: IdempotencyKey, request_hash: str) -> Response:
    if stored.request_hash != request_hash:
        raise ApiProblem(
            422,
            kind="urn:tac-portal:problem:idempotency-key-reused",
            title="This Idempotency-Key was used for another request",
            detail="Use a new key for a new request; repeat a key only to retry the same body.",
        )
    response = Response(stored.response_body, status=stored.response_status)
    if stored.location:
        response["Location"] = stored.location
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(
    request: Request, write: Callable[[], Response], *, request_hash: str | None = None
) -> Response:
    """Run ``write`` once per (caller, Idempotency-Key); a retry gets the stored answer.

    A retry must send the same request: its body's digest, or ``request_hash`` where the
    body cannot be read again (a file upload: the digest of its fields and file).

    The key is stored in the transaction of the write itself: both or neither. Two
    simultaneous requests with one key meet at the unique constraint; the loser's
    transaction (its write included) rolls back and it answers the winner's answer.
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
        return _replay(stored, request_hash)
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
                )
    except IntegrityError:
        stored = IdempotencyKey.objects.filter(principal=principal, key=key).first()
        if stored is None:
            raise
        return _replay(stored, request_hash)
    return response
