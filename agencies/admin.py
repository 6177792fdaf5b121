from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest

from agencies.models import Agency, Team, User
from agencies.services import deactivate_user


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "kind", "cin_source_code", "locality", "is_active"]
    list_filter = ["kind", "is_active", "locality"]
    search_fields = ["name", "school_urn", "ods_code"]


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

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            by = request.user if isinstance(request.user, User) else None
            deactivate_user(obj, by=by)
