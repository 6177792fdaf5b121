"""The Celery application: configured from Django settings (CELERY_*)."""

from __future__ import annotations

import os
from logging.config import dictConfig
from typing import Any

from celery import Celery
from celery.signals import setup_logging
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

app = Celery("tac_portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _log_as_the_web_does(**kwargs: Any) -> None:
    """Workers and beat log through ``settings.LOGGING`` (JSON lines), like the web.

    Left to itself Celery replaces the root handler with a plain-text one that
    drops the structured fields (the queue depths, ids and error classes).
    """

    dictConfig(settings.LOGGING)
