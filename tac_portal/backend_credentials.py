"""Short-lived passwords for PostgreSQL, Redis and the mail server, read from files (ASVS 13.2.1).

A platform that issues short-lived credentials (a cloud database's IAM token, a secret
store's sidecar) writes the current one to a file and rewrites it before it expires. The
portal reads that file each time it opens a new connection, so a new token is used
without a restart: ``DATABASE_PASSWORD_FILE`` (tac_portal/postgresql),
``REDIS_PASSWORD_FILE`` (the cache and the Celery broker, through redis-py's credential
provider) and ``EMAIL_HOST_PASSWORD_FILE`` (tac_portal/mail.py).

Errors name the variable and the file, never the secret, and nothing here logs.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from redis.credentials import CredentialProvider

#: The dotted path Kombu builds the broker's credential provider from (the broker URL's
#: ``?credential_provider=``).
REDIS_PROVIDER_PATH = "tac_portal.backend_credentials.RedisPasswordFile"


class SecretFileError(ImproperlyConfigured):
    """A password file that cannot give a password: missing, unreadable or empty."""


def read_secret_file(variable: str, path: str) -> str:
    """The password in ``path``, without its trailing line break; read afresh at every call."""
    try:
        with open(path, encoding="utf-8") as file:
            secret = file.read().rstrip("\r\n")
    except OSError as exc:
        # The exception's own text names only the path and the reason.
        raise SecretFileError(
            f"{variable} names {path!r}, which cannot be read ({exc.strerror or exc})."
        ) from None
    if not secret.strip():
        raise SecretFileError(f"{variable} names {path!r}, which is empty.")
    return secret


def refuse_password_and_file(variable: str, *, url_name: str, has_password: bool) -> None:
    """Two sources for one password would leave it unclear which one is in use."""
    if has_password:
        raise ImproperlyConfigured(
            f"{url_name} carries a password and {variable} is set: give the password one "
            f"way only (remove it from {url_name}, or unset {variable})."
        )


class RedisPasswordFile(CredentialProvider):
    """Redis credentials whose password is read from ``REDIS_PASSWORD_FILE`` per connection.

    redis-py asks for credentials each time it opens a connection. The cache builds one
    with the file's path and the ACL user; Kombu builds one with no arguments from the
    broker URL, so then both come from the settings."""

    def __init__(self, path: str = "", username: str = "") -> None:
        if not path:
            from django.conf import settings

            path, username = settings.REDIS_PASSWORD_FILE, settings.REDIS_USERNAME
        if not path:
            raise ImproperlyConfigured(
                "The broker URL names a credential provider but REDIS_PASSWORD_FILE is unset."
            )
        self.path = path
        self.username = username

    def get_credentials(self) -> tuple[str] | tuple[str, str]:
        password = read_secret_file("REDIS_PASSWORD_FILE", self.path)
        if self.username:
            return (self.username, password)
        return (password,)

    def __repr__(self) -> str:
        # Shown in settings dumps and error pages: the file, never what is in it.
        return f"RedisPasswordFile(path={self.path!r}, username={self.username!r})"
