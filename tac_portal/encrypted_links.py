"""Which of the portal's links to other services would carry data in clear (ASVS 12.3.1).

Production refuses to start while a link to PostgreSQL, Redis, the mail server, the virus
scanner, the document store, GOV.UK Notify or the breached-password service would cross a
network unencrypted, unless ``TAC_PRIVATE_NETWORK`` says those links run only on a network
the authority controls (one host's container network, for example). A unix socket or the
loopback address never leaves the machine, so it needs no TLS. Standard library only: the
settings import it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

_LOOPBACK = {"", "localhost", "127.0.0.1", "::1", "[::1]"}
_SAFE_SSLMODES = {"require", "verify-ca", "verify-full"}
_SMTP_BACKENDS = {"django.core.mail.backends.smtp.EmailBackend", "tac_portal.mail.EmailBackend"}


def _on_this_machine(host: str) -> bool:
    return host.lower() in _LOOPBACK or host.startswith("/")


def _redis_in_clear(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"rediss", "unix", "redis+socket"}:
        return False
    return not _on_this_machine(parts.hostname or "")


def unencrypted_links(
    *,
    database: Mapping[str, Any],
    broker_url: str,
    cache_url: str,
    email_channel: str,
    email_backend: str,
    email_host: str,
    email_use_tls: bool,
    email_use_ssl: bool,
    notify_base_url: str,
    breached_passwords_url: str,
    clamd_address: str,
    documents_endpoint: str,
) -> list[str]:
    """Each link that would travel in clear, with the variable that fixes it."""
    found: list[str] = []
    sslmode = (database.get("OPTIONS") or {}).get("sslmode", "")
    if not _on_this_machine(str(database.get("HOST") or "")) and sslmode not in _SAFE_SSLMODES:
        found.append("DATABASE_URL needs ?sslmode=verify-full (or require)")
    if _redis_in_clear(broker_url):
        found.append("REDIS_URL (or CELERY_BROKER_URL) needs rediss://")
    if any(_redis_in_clear(server) for server in re.split("[;,]", cache_url) if server):
        found.append("CACHE_URL (or REDIS_URL) needs rediss://")
    if (
        email_channel == "smtp"
        and email_backend in _SMTP_BACKENDS
        and not (email_use_tls or email_use_ssl)
        and not _on_this_machine(email_host)
    ):
        found.append("the mail server needs EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL")
    notify = urlsplit(notify_base_url)
    if notify.scheme != "https" and not _on_this_machine(notify.hostname or ""):
        found.append("TAC_NOTIFY_BASE_URL needs https://")
    breached = urlsplit(breached_passwords_url)
    if breached.scheme == "http" and not _on_this_machine(breached.hostname or ""):
        found.append("TAC_BREACHED_PASSWORDS_URL needs https://")
    clamd = urlsplit(clamd_address)
    if clamd.scheme == "tcp" and not _on_this_machine(clamd.hostname or ""):
        found.append(
            "TAC_CLAMD_ADDRESS: clamd speaks no TLS, so run it on this machine "
            "(unix:// or tcp://127.0.0.1)"
        )
    endpoint = urlsplit(documents_endpoint)
    if endpoint.scheme == "http" and not _on_this_machine(endpoint.hostname or ""):
        found.append("TAC_DOCUMENTS_S3_ENDPOINT_URL needs https://")
    return found
