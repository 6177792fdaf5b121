"""The SMTP backend the outbox sends through: Django's, with two changes (ASVS 13.2.1).

- With ``EMAIL_HOST_PASSWORD_FILE`` the password is read from that file each time a
  connection is opened, so a short-lived one the platform rewrites is picked up by the
  next email without a restart.
- With a client certificate (``EMAIL_SSL_CERTFILE`` and ``EMAIL_SSL_KEYFILE``) the mail
  server's certificate is still checked, against the system's authorities or
  ``EMAIL_SSL_CAFILE``: Django's own backend, given a client certificate, loads no
  authority at all, so it could verify no server.
"""

from __future__ import annotations

import ssl
from typing import Any

from django.conf import settings
from django.core.mail.backends import smtp
from django.utils.functional import cached_property

from tac_portal.backend_credentials import read_secret_file


class EmailBackend(smtp.EmailBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A password given by the caller wins over the file, as it does over the setting.
        given = kwargs.get("password") is not None or len(args) >= 4
        self.password_file: str = "" if given else settings.EMAIL_HOST_PASSWORD_FILE

    def open(self) -> bool | None:
        if self.connection is None and self.password_file:
            self.password = read_secret_file("EMAIL_HOST_PASSWORD_FILE", self.password_file)
        return super().open()

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=settings.EMAIL_SSL_CAFILE or None)
        if self.ssl_certfile:  # the settings refuse a key without its certificate
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context
