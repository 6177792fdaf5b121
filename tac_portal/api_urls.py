"""The partner REST API under /api/v1/ (issue: partner REST API)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = []
