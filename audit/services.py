"""Writing the record-access log."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from audit.models import RecordAccess


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is what the WSGI server saw; behind a trusted proxy it is the
    # proxy's job to set it (gunicorn --forwarded-allow-ips), not ours to trust
    # a header any client can send.
    return request.META.get("REMOTE_ADDR") or None


def log_record_access(
    request: HttpRequest,
    *,
    shown: Iterable[tuple[int, int | None]],
    route: str | None = None,
    client_id: str = "",
) -> int:
    """Write one row per (child id, case id) shown in answer to ``request``.

    Returns the number of rows written. Call it in the view that renders the
    data, after access has been decided, so that a 404 logs nothing.
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    route_name = route or (match.view_name if match else request.path)
    rows = [
        RecordAccess(
            user=user if user is not None and user.is_authenticated else None,
            client_id=client_id,
            child_id=child_id,
            case_id=case_id,
            route=route_name,
            request_id=getattr(request, "request_id", ""),
            ip_address=_client_ip(request),
        )
        for child_id, case_id in dict.fromkeys(shown)
    ]
    RecordAccess.objects.bulk_create(rows)
    return len(rows)
