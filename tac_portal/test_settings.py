"""Test settings: only speed and isolation overrides on top of settings.py."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("TAC_ENVIRONMENT", "test")

from tac_portal.settings import *  # noqa: F403
from tac_portal.settings import TEMPLATES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
TEMPLATES[0]["OPTIONS"]["debug"] = True  # type: ignore[index]
TAC_REQUIRE_MFA = False

# --- One namespace in Redis for each test process ------------------------------------------
# The cache and the Celery broker always use Redis databases 1 and 0 of REDIS_URL, which
# other test runs on the same server share, and so do the xdist workers of one run (each
# has its own test database: pytest-django adds the _gw0, _gw1... suffix). So every key
# this process writes carries a prefix of its own: the cache's KEY_PREFIX, and kombu's
# global_keyprefix for the broker, which covers queues and the broadcast channel that
# Celery's ping uses, so a Celery worker started by one test (tests/tac_portal/test_healthz.py,
# tests/notifications/test_worker_kills.py) answers only its own xdist worker. The run's id
# is set once in the environment, so workers and the Celery processes tests start (which
# inherit the environment) compute the same prefix as the test process that started them.
TEST_RUN_ID = os.environ.setdefault("TAC_TEST_RUN_ID", str(os.getpid()))
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEST_REDIS_PREFIX = f"tac-test-{TEST_RUN_ID}-{TEST_WORKER}"
CACHES["default"]["KEY_PREFIX"] = TEST_REDIS_PREFIX  # type: ignore[index]  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "global_keyprefix": f"{TEST_REDIS_PREFIX}:",  # type: ignore[dict-item]  # int-valued there
}

# --- Documents kept in a directory of each test process's own --------------------------------
# The same storage API as production (STORAGES["documents"]), on the local disk, away from
# the portal's own .data/documents.
TAC_DOCUMENTS_ROOT = os.path.join(
    tempfile.gettempdir(), f"tac-test-documents-{TEST_RUN_ID}-{TEST_WORKER}"
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": TAC_DOCUMENTS_ROOT, "base_url": None},
    },
}
