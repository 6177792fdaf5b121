#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")
    # Management commands default to development; the web server, Celery and the
    # production image (TAC_ENVIRONMENT=production) keep the production default.
    os.environ.setdefault("TAC_ENVIRONMENT", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
