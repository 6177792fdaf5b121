"""Assessment template definitions: the schema a published template must follow.

A template is data (DOMAIN §9.2 B4): a list of sections, and the domains whose
elements the assessor writes strengths and needs against. ``validate_definition``
is run before a version is published and refuses a definition with a message
per problem, naming where it is ("sections[3].fields[1].type: ...").
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

SCHEMA_VERSION = 1
SECTION_KINDS = ("fields", "child_details", "domain", "views", "consent")
FIELD_TYPES = ("text", "string", "yes_no", "date")
MAX_TEXT_LENGTH = 20_000
MAX_STRING_LENGTH = 300
DEFAULT_DEFINITION_PATH = Path(__file__).parent / "definitions" / "caf-2009-v1.json"

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_SECTION_KEYS = {"key", "title", "kind", "letter", "description", "fields", "domain"}
_SECTION_KEYS |= {"shared_with_siblings"}
_FIELD_KEYS = {"key", "label", "type", "hint", "required"}
_DOMAIN_KEYS = {"key", "title", "elements"}
_ELEMENT_KEYS = {"code", "title", "prompts", "description"}


@cache
def default_definition() -> dict[str, Any]:
    """The national 2009 CAF structure, as shipped in template version 1."""
    data: dict[str, Any] = json.loads(DEFAULT_DEFINITION_PATH.read_text(encoding="utf-8"))
    return data


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}" if where else message)


def _text(
    problems: _Problems, where: str, obj: dict[str, Any], name: str, *, required: bool
) -> None:
    value = obj.get(name)
    if value is None:
        if required:
            problems.add(where, f"'{name}' is missing.")
        return
    if not isinstance(value, str) or not value.strip():
        problems.add(f"{where}.{name}", "must be text and not empty.")


def _key(problems: _Problems, where: str, value: Any, seen: set[str], what: str) -> None:
    if not isinstance(value, str) or not _KEY.match(value):
        problems.add(
            where,
            f"the {what} {value!r} must start with a lower-case letter and use only "
            "lower-case letters, digits and underscores (at most 60).",
        )
    elif value in seen:
        problems.add(where, f"the {what} {value!r} is used twice.")
    else:
        seen.add(value)


def _unknown(problems: _Problems, where: str, obj: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        problems.add(where, f"unknown entries {', '.join(extra)}.")


def _check_fields(problems: _Problems, where: str, fields: Any, *, optional: bool) -> None:
    if fields is None and optional:
        return
    if not isinstance(fields, list) or (not fields and not optional):
        problems.add(where, "'fields' must be a non-empty list.")
        return
    seen: set[str] = set()
    for i, field in enumerate(fields):
        at = f"{where}.fields[{i}]"
        if not isinstance(field, dict):
            problems.add(at, "must be an object.")
            continue
        _unknown(problems, at, field, _FIELD_KEYS)
        _key(problems, f"{at}.key", field.get("key"), seen, "field key")
        _text(problems, at, field, "label", required=True)
        _text(problems, at, field, "hint", required=False)
        if field.get("type") not in FIELD_TYPES:
            problems.add(
                f"{at}.type",
                f"must be one of {', '.join(FIELD_TYPES)} (got {field.get('type')!r}).",
            )
        if "required" in field and not isinstance(field["required"], bool):
            problems.add(f"{at}.required", "must be true or false.")


def _check_domains(problems: _Problems, domains: Any) -> set[str]:
    if not isinstance(domains, list) or not domains:
        problems.add("domains", "must be a non-empty list.")
        return set()
    keys: set[str] = set()
    codes: set[str] = set()
    for d, domain in enumerate(domains):
        at = f"domains[{d}]"
        if not isinstance(domain, dict):
            problems.add(at, "must be an object.")
            continue
        _unknown(problems, at, domain, _DOMAIN_KEYS)
        _key(problems, f"{at}.key", domain.get("key"), keys, "domain key")
        _text(problems, at, domain, "title", required=True)
        elements = domain.get("elements")
        if not isinstance(elements, list) or not elements:
            problems.add(at, "'elements' must be a non-empty list.")
            continue
        for e, element in enumerate(elements):
            eat = f"{at}.elements[{e}]"
            if not isinstance(element, dict):
                problems.add(eat, "must be an object.")
                continue
            _unknown(problems, eat, element, _ELEMENT_KEYS)
            _key(problems, f"{eat}.code", element.get("code"), codes, "element code")
            _text(problems, eat, element, "title", required=True)
            _text(problems, eat, element, "description", required=False)
            prompts = element.get("prompts", [])
            if not isinstance(prompts, list) or not all(
                isinstance(p, str) and p.strip() for p in prompts
            ):
                problems.add(f"{eat}.prompts", "must be a list of non-empty texts.")
    return keys


def validate_definition(definition: Any) -> None:
    """Raise ``ValidationError`` listing every problem with ``definition``; ``None`` if valid.

    Beyond the shape, it insists on what the assessment relies on: the first
    section is a narrative (fields with a long text), every domain has exactly
    one section, and there is exactly one views section and one consent section.
    """
    problems = _Problems()
    if not isinstance(definition, dict):
        raise ValidationError("The definition must be a JSON object.")
    _unknown(problems, "", definition, {"schema", "sections", "domains"})
    if definition.get("schema") != SCHEMA_VERSION:
        problems.add("schema", f"must be {SCHEMA_VERSION}.")
    domain_keys = _check_domains(problems, definition.get("domains"))
    sections = definition.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.add("sections", "must be a non-empty list.")
        raise ValidationError(problems.messages)

    seen: set[str] = set()
    kinds: list[str] = []
    used_domains: list[str] = []
    for s, section in enumerate(sections):
        at = f"sections[{s}]"
        if not isinstance(section, dict):
            problems.add(at, "must be an object.")
            continue
        _unknown(problems, at, section, _SECTION_KEYS)
        _key(problems, f"{at}.key", section.get("key"), seen, "section key")
        _text(problems, at, section, "title", required=True)
        _text(problems, at, section, "description", required=False)
        letter = section.get("letter")
        if letter is not None and (not isinstance(letter, str) or not 1 <= len(letter) <= 2):
            problems.add(f"{at}.letter", "must be one or two characters.")
        if "shared_with_siblings" in section and not isinstance(
            section["shared_with_siblings"], bool
        ):
            problems.add(f"{at}.shared_with_siblings", "must be true or false.")
        kind = section.get("kind")
        kinds.append(kind if isinstance(kind, str) else "")
        if kind not in SECTION_KINDS:
            problems.add(f"{at}.kind", f"must be one of {', '.join(SECTION_KINDS)} (got {kind!r}).")
        elif kind == "fields":
            _check_fields(problems, at, section.get("fields"), optional=False)
        elif kind == "child_details":
            _check_fields(problems, at, section.get("fields"), optional=True)
        elif kind == "domain":
            domain = section.get("domain")
            if domain not in domain_keys:
                problems.add(f"{at}.domain", f"names no domain in 'domains' (got {domain!r}).")
            else:
                used_domains.append(domain)
        if kind in ("domain", "views", "consent") and "fields" in section:
            problems.add(at, f"a {kind} section has no 'fields'.")

    first = sections[0] if isinstance(sections[0], dict) else {}
    first_fields: list[Any] = first["fields"] if isinstance(first.get("fields"), list) else []
    if first.get("kind") != "fields" or not any(
        isinstance(f, dict) and f.get("type") == "text" for f in first_fields
    ):
        problems.add("sections[0]", "the first section must be the narrative: fields with a text.")
    for domain in sorted(domain_keys):
        if used_domains.count(domain) != 1:
            problems.add("sections", f"the domain {domain!r} needs exactly one section.")
    for kind in ("views", "consent"):
        if kinds.count(kind) != 1:
            problems.add("sections", f"there must be exactly one {kind} section.")
    if problems.messages:
        raise ValidationError(problems.messages)


class Definition:
    """Read access to a (validated) definition for pages and services."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.sections: list[dict[str, Any]] = data["sections"]
        self.domains: dict[str, dict[str, Any]] = {d["key"]: d for d in data["domains"]}
        self.elements: dict[str, dict[str, Any]] = {
            e["code"]: e for d in data["domains"] for e in d["elements"]
        }
        self.element_domain: dict[str, str] = {
            e["code"]: d["key"] for d in data["domains"] for e in d["elements"]
        }

    def section(self, key: str) -> dict[str, Any] | None:
        return next((s for s in self.sections if s["key"] == key), None)

    def section_of_kind(self, kind: str) -> dict[str, Any] | None:
        return next((s for s in self.sections if s["kind"] == kind), None)

    def fields_of(self, key: str) -> dict[str, dict[str, Any]]:
        section = self.section(key)
        return {f["key"]: f for f in (section or {}).get("fields", [])}

    def domain_section(self, domain: str) -> dict[str, Any] | None:
        return next(
            (s for s in self.sections if s["kind"] == "domain" and s["domain"] == domain), None
        )

    def shared_section_keys(self) -> set[str]:
        return {
            s["key"]
            for s in self.sections
            if s.get("shared_with_siblings") and s["kind"] in ("fields", "child_details")
        }

    def shared_element_codes(self) -> set[str]:
        return {
            e["code"]
            for s in self.sections
            if s.get("shared_with_siblings") and s["kind"] == "domain"
            for e in self.domains[s["domain"]]["elements"]
        }
