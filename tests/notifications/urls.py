"""The project's URLs, plus the notification centre until tac_portal/urls.py includes it."""

from __future__ import annotations

from django.urls import include, path

from tac_portal.urls import urlpatterns as project_urlpatterns

_included = any(getattr(p, "namespace", None) == "notifications" for p in project_urlpatterns)

urlpatterns = list(project_urlpatterns)
if not _included:
    urlpatterns.append(path("notifications/", include("notifications.urls")))
