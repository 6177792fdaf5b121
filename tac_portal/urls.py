from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from oauth2_provider import views as oauth2_views

from tac_portal import views

admin.site.site_header = "TAC Portal configuration"
admin.site.site_title = "TAC Portal configuration"

# PostgreSQL unreachable: a 503 page rather than the 500 page (tac_portal.views).
handler500 = views.server_error

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:my_cases", permanent=False), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("agencies.urls")),
    path("cases/", include("cases.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("assessments/", include("assessments.urls")),
    path("meetings/", include("meetings.urls")),
    path("dashboards/", include("dashboards.urls")),
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
