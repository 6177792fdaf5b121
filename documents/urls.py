from __future__ import annotations

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("case/<int:pk>/", views.case_documents, name="case_documents"),
    path("case/<int:pk>/add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/versions/<int:number>/download/", views.download, name="download_version"),
    path("<int:pk>/versions/<int:number>/scan/", views.rescan, name="rescan"),
    path("<int:pk>/replace/", views.replace, name="replace"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
