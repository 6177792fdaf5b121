"""``{% masked obj "field" %}``: a value, or "Restricted" with a way to unmask it.

The view puts ``masks`` (``cases.masking.CaseMasks``) in the context. A template
that uses the tag without it is a programming error and fails loudly, so a
restricted value can never be shown by forgetting the masks.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from cases.masking import MASK, CaseMasks

register = template.Library()


@register.simple_tag(takes_context=True)
def masked(
    context: template.Context,
    obj: Any,
    field_name: str,
    lines: bool = False,
    postcode: bool = False,
    display: bool = False,
    default: str = "",
) -> str:
    """``lines`` keeps line breaks; ``postcode`` adds the postcode on its own line;
    ``display`` shows a choice's label rather than its code; ``default`` stands for an
    empty value."""
    masks = context.get("masks")
    if not isinstance(masks, CaseMasks):
        raise ImproperlyConfigured("{% masked %} needs `masks` (cases.masking.masks_for).")
    restriction = masks.restriction_for(obj, field_name)
    if restriction is None or restriction.pk in masks.unmasked:
        value = getattr(obj, f"get_{field_name}_display")() if display else getattr(obj, field_name)
        if value is None or value == "":
            value = default
        if value == "" and not postcode:
            return ""
        code: str = obj.postcode if postcode else ""
        if code:
            value = f"{value}\n{code}" if value else code
        return str(linebreaksbr(value, autoescape=True)) if lines else format_html("{}", value)
    if restriction.pk in masks.may_unmask:
        request = context.get("request")
        url = reverse("audit:unmask", args=[restriction.pk])
        next_path = request.get_full_path() if request is not None else ""
        return format_html(
            '<strong class="govuk-tag govuk-tag--grey">{}</strong> '
            '<a class="govuk-link" href="{}?{}">Show<span class="govuk-visually-hidden">'
            " the restricted value</span></a>",
            MASK,
            url,
            urlencode({"next": next_path}),
        )
    return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', MASK)


@register.simple_tag(takes_context=True)
def is_masked(context: template.Context, obj: Any, field_name: str) -> bool:
    """``{% is_masked obj "field" as hidden %}``: whether the reader sees the field as
    "Restricted", for what goes with it (an interpreter need goes with the language)."""
    masks = context.get("masks")
    if not isinstance(masks, CaseMasks):
        raise ImproperlyConfigured("{% is_masked %} needs `masks` (cases.masking.masks_for).")
    return masks.is_masked(obj, field_name)
