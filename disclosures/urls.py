from __future__ import annotations

from django.urls import path

from disclosures import views

app_name = "disclosures"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.find_person, name="new"),
    path("new/log/", views.log_request, name="log"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/search/", views.search, name="search"),
    path("<int:pk>/review/", views.review, name="review"),
    path("items/<int:pk>/withhold/", views.withhold, name="withhold"),
    path("redactions/<int:pk>/", views.redaction, name="redaction"),
    path("<int:pk>/export/", views.export, name="export"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.download, name="download"),
]
