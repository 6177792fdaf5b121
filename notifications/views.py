"""The notification centre: a professional's own notifications and email preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from notifications import services
from notifications.forms import PreferenceForm
from notifications.models import Notification, NotificationPreference

PAGE_SIZE = 25


def _own_notification(request: AuthenticatedHttpRequest, pk: int) -> Notification:
    # Someone else's notification is a 404, exactly like a missing one.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def _safe_link(request: AuthenticatedHttpRequest, link: str) -> str:
    allowed = url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    return link if allowed and link.startswith("/") else "/"


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).order_by(
        "-created_at", "-id"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_GET
def open_notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Where an email's link lands: marks the notification read and goes to the thing."""
    notification = services.mark_notification_read(_own_notification(request, pk), by=request.user)
    return HttpResponseRedirect(_safe_link(request, notification.link))


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.mark_notification_read(_own_notification(request, pk), by=request.user)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.mark_all_notifications_read(request.user)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = NotificationPreference.objects.filter(user=request.user).first()
    initial = {
        "email_frequency": current.email_frequency
        if current
        else NotificationPreference.EmailFrequency.IMMEDIATE,
        "digest_hour": current.digest_hour if current else 8,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_notification_preference(
            request.user,
            email_frequency=form.cleaned_data["email_frequency"],
            digest_hour=form.cleaned_data["digest_hour"],
        )
        messages.success(request, "Your email preferences have been saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
