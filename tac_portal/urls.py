from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from oauth2_provider import views as oauth2_views

from tac_portal import views

admin.site.site_header = "TAC Portal configuration"
admin.site.site_title = "TAC Portal configuration"


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("agencies.urls")),
    path("cases/", include("cases.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("retention/", include("retention.urls")),
    path("assessments/", include("assessments.urls")),
    path("meetings/", include("meetings.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("subject-access/", include("disclosures.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("documents/", include("documents.urls")),
    path("imports/", include("imports.urls")),
    path("api/v1/", include("tac_portal.api_urls")),
    # Partner systems get short-lived tokens here (OAuth2 client credentials only).
    path(
        "o/",
        include(
            (
                [
                    path("token/", oauth2_views.TokenView.as_view(), name="token"),
                    path(
                        "revoke_token/", oauth2_views.RevokeTokenView.as_view(), name="revoke-token"
                    ),
                ],
                "oauth2_provider",
            )
        ),
    ),
    path("admin/", admin.site.urls),
]

# The error pages, in the portal's layout (tac_portal/views.py).
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
