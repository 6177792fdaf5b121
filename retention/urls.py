from __future__ import annotations

from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("holds/", views.holds, name="holds"),
    path("holds/new/", views.place_hold, name="place_hold"),
    path("holds/<int:pk>/lift/", views.lift_hold, name="lift_hold"),
]
