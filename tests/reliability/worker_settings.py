"""Settings for a real Celery worker process in the reliability tests.

The test settings run tasks eagerly; a worker must not. The worker uses the
same server as the test process and pytest-django's test database, whose name
the test passes in TAC_TEST_DATABASE_NAME. Each test gives its workers private
queue names (TAC_TEST_QUEUE, TAC_TEST_EMAIL_QUEUE), routed as settings.py routes
"tac" and "email", so that nothing else on the broker takes their tasks. With
TAC_TEST_SMTP_PORT set, email goes by SMTP to a server the test runs on that port.
"""

from __future__ import annotations

import os

from tac_portal.test_settings import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["TAC_TEST_QUEUE"]
CELERY_TASK_ROUTES = {
    "notifications.tasks.send_emails": {"queue": os.environ["TAC_TEST_EMAIL_QUEUE"]}
}
EMAIL_BACKEND = "tests.notifications.backends.SlowLoggingBackend"
if "TAC_TEST_SMTP_PORT" in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["TAC_TEST_SMTP_PORT"])
    EMAIL_USE_TLS = False
    EMAIL_TIMEOUT = int(os.environ.get("TAC_TEST_EMAIL_TIMEOUT", "15"))
TAC_EMAIL_LEASE_SECONDS = float(os.environ.get("TAC_EMAIL_LEASE_SECONDS", "300"))
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["NAME"] = os.environ["TAC_TEST_DATABASE_NAME"]  # noqa: F405
