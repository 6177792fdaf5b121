from __future__ import annotations

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("<int:pk>/unread/", views.mark_unread, name="unread"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("undelivered/", views.undelivered_emails, name="undelivered"),
    path("undelivered/<int:pk>/retry/", views.retry_undelivered_email, name="retry_undelivered"),
    path("undelivered/retry/", views.retry_all_undelivered_emails, name="retry_all_undelivered"),
]
