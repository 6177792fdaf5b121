from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from oauth2_provider.admin import ApplicationAdmin

from agencies.models import (
    Agency,
    AuthenticatorApp,
    BackupCodeDevice,
    PartnerClient,
    Team,
    User,
)
from agencies.oauth import deactivate_partner_client, revoke_agency_tokens
from agencies.services import deactivate_user, sign_out_everywhere


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "cin_source_code", "locality", "is_active"]
    list_filter = ["kind", "is_active", "locality"]
    search_fields = ["name", "school_urn", "ods_code"]

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            # Its partner systems stop at once (their next request is refused anyway).
            revoke_agency_tokens(obj)


class PartnerClientInline(admin.StackedInline[PartnerClient, Any]):
    model = PartnerClient
    can_delete = False
    min_num = 1
    max_num = 1
    autocomplete_fields = ["agency"]
    fields = [
        "agency",
        "allowed_scopes",
        "sharing_agreement",
        "purpose",
        "contact_email",
        "is_active",
    ]


class PartnerApplicationAdmin(ApplicationAdmin):
    """Register a partner system: an OAuth2 application (client credentials) for one agency.

    The client secret is shown only while the application is being created: copy
    it before saving, it is stored hashed.
    """

    inlines = [PartnerClientInline]
    list_display = ("pk", "name", "partner", "authorization_grant_type", "client_type")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        deactivated = [
            f.instance
            for f in formset.forms
            if isinstance(f.instance, PartnerClient)
            and f.instance.pk
            and "is_active" in f.changed_data
            and not f.instance.is_active
        ]
        super().save_formset(request, form, formset, change)
        for client in deactivated:
            deactivate_partner_client(client)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "agency", "locality", "phone"]
    list_filter = ["agency__kind"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["managers"]


class ProfessionalCreationForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "full_name")


class ProfessionalChangeForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = ProfessionalChangeForm
    add_form = ProfessionalCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "agency", "team", "is_active"]
    list_filter = ["role", "is_active", "agency__kind"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["agency", "team"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Professional", {"fields": ("full_name", "job_title", "phone", "agency", "team", "role")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "password1", "password2"),
            },
        ),
    )

    actions = ["sign_out_selected"]

    @admin.action(description="Sign the selected people out of every session")
    def sign_out_selected(self, request: HttpRequest, queryset: Any) -> None:
        by = request.user if isinstance(request.user, User) else None
        ended = sign_out_everywhere(list(queryset), by=by)
        self.message_user(request, f"{ended} session(s) ended.")

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            by = request.user if isinstance(request.user, User) else None
            deactivate_user(obj, by=by)


# Backup codes are BackupCodeDevices, kept hashed, and authenticator apps are
# AuthenticatorApps, their keys sealed: django-otp's static and TOTP devices (codes and
# keys in the clear) are no longer made, here or anywhere.
for _clear in (StaticDevice, TOTPDevice):
    if admin.site.is_registered(_clear):
        admin.site.unregister(_clear)


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin[AuthenticatorApp]):
    """To see when a professional's authenticator app was last used, or delete it (with
    the backup codes, to reset their two-factor sign-in: they set up a new one at their
    next sign-in). The key is never shown; a professional sets up their own app."""

    list_display = ["user", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(BackupCodeDevice)
class BackupCodeDeviceAdmin(admin.ModelAdmin[BackupCodeDevice]):
    """To see when a professional's backup codes were last used, or delete them (with the
    authenticator app, to reset their two-factor sign-in). The codes themselves are never
    shown: only their hashes are kept, and they are not listed."""

    list_display = ["user", "created_at", "last_used_at", "throttling_failure_count"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
