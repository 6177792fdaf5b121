"""Serializers every partner API endpoint builds on: UTC datetimes, strict input."""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

from rest_framework import serializers

from tac_portal.validators import text_problem


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with a ``Z``, whatever the server's time zone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(**kwargs)


class ApiModelSerializer(serializers.ModelSerializer[Any]):
    """Explicit fields only, UTC datetimes, everything read-only unless a write says so."""

    def build_standard_field(self, field_name: str, model_field: Any) -> Any:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DateTimeField:
            field_class = UtcDateTimeField
        # Read-only fields keep what the column may hold, so that the schema says so.
        if model_field.null:
            field_kwargs["allow_null"] = True
        if model_field.blank and issubclass(
            field_class, serializers.CharField | serializers.ChoiceField
        ):
            field_kwargs["allow_blank"] = True
        return field_class, field_kwargs

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        # DRF drops allow_blank from read-only fields; keep it so "" is documented.
        allow_blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs


class StrictInputSerializer(serializers.Serializer[Any]):
    """For request bodies: a field the serializer does not declare is an error, not ignored,
    and no text may carry control or text-reordering characters (tac_portal.validators)."""

    def to_internal_value(self, data: Any) -> Any:
        errors: dict[str, Any] = {}
        if isinstance(data, dict):
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = ["This field is not accepted here."]
            for name in sorted(n for n in data if n in self.fields and self.fields[n].read_only):
                errors[name] = ["This field is read-only."]
            for name, value in data.items():
                if name in self.fields and isinstance(value, str) and text_problem(value):
                    errors[name] = [f"{text_problem(value)}."]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Report every problem at once, not the first kind found.
            if not isinstance(exc.detail, dict):
                raise
            errors = {**exc.detail, **errors}
        if errors:
            raise serializers.ValidationError(errors)
        return value
