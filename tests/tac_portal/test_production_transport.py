"""In production the cookies are __Host- prefixed and Secure, and HSTS covers a year and
every subdomain (ASVS 3.3.1, 3.4.1)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.tac_portal.test_settings_environment import PRODUCTION_ENV, ROOT, _inherited

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS]))"
)


def test_production_cookies_are_host_prefixed_and_hsts_covers_a_year_and_subdomains() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**_inherited(), **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "tac_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    session, csrf, session_secure, csrf_secure, hsts, subdomains = json.loads(result.stdout)
    assert session.startswith("__Host-")
    assert csrf.startswith("__Host-")
    assert session_secure
    assert csrf_secure
    assert hsts >= 365 * 24 * 60 * 60
    assert subdomains
