from __future__ import annotations

from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
]
