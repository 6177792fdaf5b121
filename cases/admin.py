from __future__ import annotations

from django.contrib import admin

from cases.models import LevelOfNeed

# Only reference data is configured here: system administrators see no case.


@admin.register(LevelOfNeed)
class LevelOfNeedAdmin(admin.ModelAdmin[LevelOfNeed]):
    list_display = ["ordinal", "code", "label", "is_active"]
    ordering = ["ordinal"]
