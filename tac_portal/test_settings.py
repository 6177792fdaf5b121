"""Test settings: only speed and isolation overrides on top of settings.py."""

from __future__ import annotations

import os

os.environ.setdefault("TAC_ENVIRONMENT", "test")

from tac_portal.settings import *  # noqa: F403
from tac_portal.settings import TEMPLATES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES["default"]["KEY_PREFIX"] = f"tac-test-{os.getpid()}"  # type: ignore[index]  # noqa: F405
TEMPLATES[0]["OPTIONS"]["debug"] = True  # type: ignore[index]
TAC_REQUIRE_MFA = False
