"""Django's PostgreSQL backend, with the password read afresh for each new connection.

Settings use it as the ENGINE when ``DATABASE_PASSWORD_FILE`` is set, and put the file's
path in the database's ``PASSWORD_FILE``. A short-lived token (a cloud database's IAM
token, say) that the platform rewrites in that file is picked up by the next connection
Django opens, with no restart (ASVS 13.2.1).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from tac_portal.backend_credentials import read_secret_file


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        path = self.settings_dict.get("PASSWORD_FILE")
        if path:
            params["password"] = read_secret_file("DATABASE_PASSWORD_FILE", path)
        return params
