"""The notification centre (a professional's own notifications and email preferences)
and the administrators' page of emails that could not be delivered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from notifications import outbox, services
from notifications.forms import PreferenceForm
from notifications.models import EmailOutbox, Notification, NotificationPreference
from tac_portal.forms import add_service_errors, seen_on_page

PAGE_SIZE = 25


def _own_notification(request: AuthenticatedHttpRequest, pk: int) -> Notification:
    # Someone else's notification is a 404, exactly like a missing one.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def _safe_link(request: AuthenticatedHttpRequest, link: str) -> str:
    allowed = url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    return link if allowed and link.startswith("/") else "/"


@dataclass
class CaseGroup:
    """A page's notifications about one case (``label`` empty: about no case)."""

    label: str
    notifications: list[Notification] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n in self.notifications if not n.is_read)


def group_by_case(notifications: Iterable[Notification]) -> list[CaseGroup]:
    """The notifications grouped by case, the case with the newest one first."""
    groups: dict[int | None, CaseGroup] = {}
    for notification in notifications:
        group = groups.setdefault(notification.case_id, CaseGroup(notification.case_label))
        group.notifications.append(notification)
    return list(groups.values())


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).order_by(
        "-created_at", "-id"
    )
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "groups": group_by_case(page.object_list)},
    )


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
def mark_unread(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.mark_notification_unread(_own_notification(request, pk), by=request.user)
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
        "seen": services.preference_seen(current),
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_notification_preference(
                request.user,
                email_frequency=form.cleaned_data["email_frequency"],
                digest_hour=form.cleaned_data["digest_hour"],
                seen=seen_on_page(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your email preferences have been saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# --- Undelivered emails (the dead letters), for system administrators --------


def _ensure_administrator(request: AuthenticatedHttpRequest) -> None:
    # Like a report someone may not read: for anyone else the page does not exist.
    if not request.user.is_system_administrator:
        raise Http404("No such page")


@login_required
@require_GET
def undelivered_emails(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Emails given up on: refused by the mail server, or every attempt failed. Who they
    were to and why, never what they said."""
    _ensure_administrator(request)
    rows = EmailOutbox.objects.undelivered().order_by("-created_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/undelivered.html", {"page": page})


@login_required
@require_POST
def retry_undelivered_email(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _ensure_administrator(request)
    row = get_object_or_404(EmailOutbox.objects.undelivered(), pk=pk)
    outbox.retry_undelivered_emails(by=request.user, ids=[row.pk])
    messages.success(request, "The email will be sent again within a minute.")
    return redirect("notifications:undelivered")


@login_required
@require_POST
def retry_all_undelivered_emails(request: AuthenticatedHttpRequest) -> HttpResponse:
    _ensure_administrator(request)
    count = outbox.retry_undelivered_emails(by=request.user)
    noun = "email" if count == 1 else "emails"
    messages.success(request, f"{count} {noun} will be sent again within a minute.")
    return redirect("notifications:undelivered")
