"""Settings for a real Celery worker process in the reliability tests.

The test settings run tasks eagerly; a worker must not. The worker uses the
same server as the test process and pytest-django's test database, whose name
the test passes in TAC_TEST_DATABASE_NAME.
"""

from __future__ import annotations

import os

from tac_portal.test_settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
EMAIL_BACKEND = "tests.notifications.backends.SlowLoggingBackend"
TAC_EMAIL_LEASE_SECONDS = float(os.environ.get("TAC_EMAIL_LEASE_SECONDS", "300"))
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["NAME"] = os.environ["TAC_TEST_DATABASE_NAME"]  # noqa: F405
