from __future__ import annotations

from django.contrib.auth import views as auth_views

from agencies.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "agencies/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign-out is a POST (no state change on GET); it ends the session."""
