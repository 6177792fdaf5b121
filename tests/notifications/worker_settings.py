"""Settings for a real Celery worker process in the reliability tests.

The test settings run tasks eagerly; a worker must not. DATABASE_URL is set by
the test to pytest-django's test database.
"""

from __future__ import annotations

import os

from tac_portal.test_settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
EMAIL_BACKEND = "tests.notifications.backends.SlowLoggingBackend"
TAC_EMAIL_LEASE_SECONDS = float(os.environ.get("TAC_EMAIL_LEASE_SECONDS", "300"))
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
