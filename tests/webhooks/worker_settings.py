"""Settings for a real Celery worker process in the webhook reliability test: those of
tests/reliability/worker_settings.py, with a short lease taken from the environment."""

from __future__ import annotations

import os

from tests.reliability.worker_settings import *  # noqa: F403

TAC_WEBHOOK_LEASE_SECONDS = float(os.environ.get("TAC_WEBHOOK_LEASE_SECONDS", "300"))
