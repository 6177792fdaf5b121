from __future__ import annotations

from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("template.xlsx", views.xlsx_template, name="xlsx_template"),
    path("template/<str:kind>.csv", views.csv_template, name="csv_template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/progress/", views.batch_progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
