from __future__ import annotations

from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("clients/<int:client_pk>/new/", views.new_subscription, name="new"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/change/", views.change_subscription, name="change"),
    path("<int:pk>/rotate/", views.rotate, name="rotate"),
    path("<int:pk>/enable/", views.enable, name="enable"),
    path("<int:pk>/disable/", views.disable, name="disable"),
    path("<int:pk>/messages/<int:message_pk>/", views.message_detail, name="message"),
    path("<int:pk>/messages/<int:message_pk>/replay/", views.replay, name="replay"),
]
