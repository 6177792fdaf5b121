"""The client's IP address, trusting exactly as many proxies as are configured.

``TAC_TRUSTED_PROXY_COUNT`` is the number of reverse proxies between the internet
and the application (0 by default: the application faces clients directly and
``REMOTE_ADDR`` is the client). With N proxies, each appends the address it saw
to ``X-Forwarded-For``, so the client is the N-th entry from the right; anything
further left was written by the client and is not trusted. Lockouts
(django-axes), the record-access log and the security log all use this function,
so a client cannot dodge a lockout or forge its logged address with a header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request`` (``None`` when unknown)."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TAC_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through them all.
        return remote
    return _valid(forwarded[-proxies])
