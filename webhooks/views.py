"""The partner administrator's webhook pages: subscriptions, their secrets, the delivery
log with a replay, and turning a subscription off and on.

Only the partner's administrator (``cases.access.can_manage_partner_client``) reaches
these pages; for anyone else they do not exist (404). They show identifiers and
delivery outcomes, never a child's data.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.http import AuthenticatedHttpRequest
from agencies.models import PartnerClient
from agencies.submissions import submit_once
from cases.access import partner_clients_managed_by
from tac_portal.forms import add_service_errors
from webhooks import services
from webhooks.delivery import build_payload
from webhooks.forms import SubscriptionChangeForm, SubscriptionForm
from webhooks.models import WebhookSubscription

PAGE_SIZE = 25


def _client_for(request: AuthenticatedHttpRequest, pk: int) -> PartnerClient:
    return get_object_or_404(partner_clients_managed_by(request.user), pk=pk)


def _subscription_for(request: AuthenticatedHttpRequest, pk: int) -> WebhookSubscription:
    return get_object_or_404(
        WebhookSubscription.objects.select_related("client__agency", "client__application"),
        pk=pk,
        client__in=partner_clients_managed_by(request.user),
    )


@login_required
@require_GET
def subscription_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_system_administrator:
        raise Http404("No such page")
    clients = list(
        partner_clients_managed_by(request.user)
        .prefetch_related("webhook_subscriptions")
        .order_by("agency__name", "application__name")
    )
    return render(request, "webhooks/subscription_list.html", {"clients": clients})


@login_required
@require_http_methods(["GET", "POST"])
def new_subscription(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    client = _client_for(request, client_pk)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create() -> HttpResponse:
            subscription = services.create_subscription(
                client, url=data["url"], event_types=data["event_types"], by=request.user
            )
            messages.success(
                request,
                "The subscription is on. Give the partner its signing secret, shown below.",
            )
            return redirect("webhooks:detail", pk=subscription.pk)

        try:
            return submit_once(request, data["submission_token"], create)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            add_service_errors(form, error)
    return render(request, "webhooks/subscription_new.html", {"client": client, "form": form})


@login_required
@require_GET
def subscription_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    log = subscription.messages.select_related("replayed_by").order_by("-created_at", "-id")
    page = Paginator(log, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "webhooks/subscription_detail.html",
        {"subscription": subscription, "client": subscription.client, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_subscription(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    initial = {
        "url": subscription.url,
        "event_types": subscription.event_types,
        "version": subscription.version,
    }
    form = SubscriptionChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_subscription(
                subscription,
                url=data["url"],
                event_types=data["event_types"],
                version=data["version"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The webhook is changed.")
            return redirect("webhooks:detail", pk=subscription.pk)
    return render(
        request,
        "webhooks/subscription_change.html",
        {"subscription": subscription, "client": subscription.client, "form": form},
    )


@login_required
@require_GET
def message_detail(request: AuthenticatedHttpRequest, pk: int, message_pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    message = get_object_or_404(subscription.messages, pk=message_pk)
    # The body as it would go now: identifiers only (see webhooks.delivery.build_payload).
    return render(
        request,
        "webhooks/message_detail.html",
        {
            "subscription": subscription,
            "message": message,
            "tries": message.tries.order_by("-at", "-id"),
            "body": json.dumps(build_payload(message), indent=2, sort_keys=True),
        },
    )


@login_required
@require_POST
def replay(request: AuthenticatedHttpRequest, pk: int, message_pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    message = get_object_or_404(subscription.messages, pk=message_pk)
    services.replay_message(message, by=request.user)
    messages.success(
        request,
        f"Message {message.webhook_id} will be sent again within a minute, with the same "
        "webhook-id.",
    )
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
@require_POST
def rotate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    services.rotate_secret(subscription, by=request.user)
    messages.success(
        request,
        "A new signing secret is ready. For 24 hours every message is signed with both the "
        "new and the old secret.",
    )
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
@require_POST
def enable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    services.enable_subscription(subscription, by=request.user)
    messages.success(request, "The subscription is on again. Waiting messages will be sent.")
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
@require_POST
def disable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription_for(request, pk)
    services.turn_off_subscription(subscription, by=request.user)
    messages.success(request, "The subscription is off. New messages wait until it is on.")
    return redirect("webhooks:detail", pk=subscription.pk)
