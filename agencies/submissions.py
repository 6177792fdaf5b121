"""One-time submission tokens: a form that creates something creates it once.

A double click, a retry after a slow answer, or the same form sent from two tabs makes
one record; the second submit is answered with where the first one led. Each create form
carries a token made when it was rendered (``tac_portal.forms.SubmissionTokenField``).
``submit_once`` runs the create and stores the token with its result in the create's own
transaction, under the same unique constraint that the partner API's ``Idempotency-Key``
uses (``IdempotencyKey``): two submits at once meet there, and the loser's writes roll
back whole.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect

from agencies.http import AuthenticatedHttpRequest
from agencies.models import IdempotencyKey

KEY_PREFIX = "form:"
MSG_ALREADY_SAVED = "You sent this form twice. It was saved once: this is what it made."


def _key(token: str) -> str:
    return f"{KEY_PREFIX}{token}"


def _replay(request: AuthenticatedHttpRequest, stored: IdempotencyKey) -> HttpResponse:
    messages.info(request, MSG_ALREADY_SAVED)
    return HttpResponseRedirect(stored.location)


def answer_if_submitted(request: AuthenticatedHttpRequest, token: str) -> HttpResponse | None:
    """Where a token's first submit led, if this person already sent it; else None.

    For a form that does work before its create (say, a duplicate check) and should
    not repeat it for a form already saved.
    """
    if not token:
        return None
    stored = IdempotencyKey.objects.filter(
        principal=f"user:{request.user.pk}", key=_key(token)
    ).first()
    return _replay(request, stored) if stored is not None else None


def submit_once(
    request: AuthenticatedHttpRequest,
    token: str,
    create: Callable[[], HttpResponse],
    *,
    location: str = "",
    replay: Callable[[], HttpResponse] | None = None,
) -> HttpResponse:
    """Run ``create`` (the service call and the redirect it answers with) once per token.

    ``create`` runs in a transaction together with the token's record. A token already
    used by this person answers its first redirect, whether the first submit finished
    long ago or a moment ago in another request (which this one waits for). A refusal
    (a ``ValidationError`` from the service) stores nothing, so the corrected form can be
    sent again with the same token; a refusal caused by the same form saved at that
    moment by another submit answers that submit's redirect. Without a token (a client
    that sends none) the create simply runs.

    A create that answers with a page rather than a redirect (a section of a page
    redrawn in place) names ``location``, the page it belongs to, and may give ``replay``,
    how to answer a repeated submit instead of redirecting there.
    """
    if not token:
        with transaction.atomic():
            return create()
    principal = f"user:{request.user.pk}"

    def answer(stored: IdempotencyKey) -> HttpResponse:
        return replay() if replay is not None else _replay(request, stored)

    stored = IdempotencyKey.objects.filter(principal=principal, key=_key(token)).first()
    if stored is not None:
        return answer(stored)
    try:
        with transaction.atomic():
            response = create()
            led_to = response["Location"] if isinstance(response, HttpResponseRedirect) else ""
            if led_to or (location and response.status_code < 300):
                IdempotencyKey.objects.create(
                    principal=principal,
                    key=_key(token),
                    method="POST",
                    path=request.path[:200],
                    request_hash="",
                    response_status=response.status_code,
                    response_body={},
                    location=(led_to or location)[:200],
                )
    except (IntegrityError, ValidationError):
        # The same form may have been saved by a submit that ran at the same moment and
        # won (its record now makes this one a duplicate, or its key is taken).
        stored = IdempotencyKey.objects.filter(principal=principal, key=_key(token)).first()
        if stored is None:
            raise
        return answer(stored)
    return response
