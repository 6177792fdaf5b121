"""Finding everything held about one person, for a subject access request (DOMAIN §6.3).

The ``disclosures`` app answers subject access requests; it does not know every kind of
record the portal keeps. Each app that holds records about people says what it holds in
its own ``disclosure.py`` module, with one **collector**: a function listed by dotted
path in ``settings.TAC_DISCLOSURE_SOURCES``, in the order the package shows them. Like
the navigation (``tac_portal.navigation``), nothing registers itself at start-up, and
this module imports no app.

The interface, for an app adding its records (documents, for example)::

    def collect(subject: Subject) -> Iterable[FoundRecord]: ...

- ``subject`` says who the request is about: the kind of person (``"child"`` or
  ``"adult"``), the record's id (a ``cases.Child`` or a ``cases.FamilyMember``), their
  family's id, and the ids of the cases they are part of (a child's cases as a subject;
  an adult's family's cases). ``child_ids`` are the subject children of those cases.
- It yields one ``FoundRecord`` per record, read in full: no access policy applies
  (information governance answers the request for the whole authority) and nothing is
  logged by the collector: the ``disclosures`` service logs the search once.
- ``key`` is stable for a record ("assessments.assessment:12"): searching again for the
  same request keeps the review decisions already made on each record.
- ``fields`` are (label, text) pairs as a person reads them; ``record_fields`` builds
  them from a model instance. Text is never masked here: restricted items and other
  people's names are flagged for the reviewing officer by ``disclosures``, which knows
  the people around the subject. ``third_parties`` adds names only the collector knows
  (say a network member named on an action without a record of their own).
- ``files`` are stored files that are part of the record (a document's versions): the
  package carries a copy of each, read from ``settings.STORAGES[storage]`` by its
  ``path`` and checked against its ``sha256``, unless the officer withholds the record
  or a redaction applies to it (a file's content cannot be redacted by the portal), in
  which case the package says the file was left out. A file that must never be handed
  out (a quarantined upload) is not listed; the record's fields say why.
- ``restricted`` says why the whole record is restricted (a restricted document), or is
  empty: ``disclosures`` flags a restricted record for the officer's review like any
  other restricted item, redacted (and its files left out) until they decide.
- A collector must not write anything, and must return quickly for one person (a few
  queries per kind of record, never one per row of another person's data).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Subject:
    """Who a subject access request is about, by ids (see the module docstring)."""

    kind: str
    person_id: int
    family_id: int
    case_ids: tuple[int, ...] = ()
    child_ids: tuple[int, ...] = ()

    @property
    def is_child(self) -> bool:
        return self.kind == "child"


@dataclass(frozen=True)
class FoundFile:
    """A stored file that is part of a found record, disclosed with it in the package."""

    #: Its name in the package: no one's name in it ("document-12-version-2.pdf").
    name: str
    #: What it is, as the package lists it ("Version 2 of the document").
    label: str
    #: The alias of the storage it is kept in (``settings.STORAGES``), and its name there.
    storage: str
    path: str
    size: int
    sha256: str


@dataclass
class FoundRecord:
    """One record held about the subject, as its collector read it."""

    source: str
    key: str
    kind: str
    title: str
    at: datetime | None = None
    case_id: int | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)
    third_parties: list[str] = field(default_factory=list)
    files: list[FoundFile] = field(default_factory=list)
    restricted: str = ""


Collector = Callable[[Subject], Iterable[FoundRecord]]

#: Columns that say nothing to the person the record is about.
_NOISE = frozenset(
    {
        "id",
        "version",
        "lock_version",
        "text_versions",
        "ical_uid",
        "ical_sequence",
        "family_name_metaphone",
        "family_name_soundex",
        "given_name_metaphone",
        "name_slip_keys",
        "status_before_escalation",
    }
)


def as_text(value: Any) -> str:
    """A value as a person reads it: dates in words, choices and records by name."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
        return f"{value.day} {value:%B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def record_fields(obj: models.Model, *, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The non-empty fields of ``obj`` as (label, text), in the model's order.

    Choices show their label, related records their ``str``, dates in words. Ids,
    version counters and search keys are left out, and so is every name in ``skip``.
    """
    skipped = _NOISE | set(skip)
    pairs: list[tuple[str, str]] = []
    for model_field in obj._meta.concrete_fields:
        if model_field.name in skipped:
            continue
        if model_field.is_relation:
            value: Any = getattr(obj, model_field.name)
        elif model_field.choices:
            value = getattr(obj, f"get_{model_field.name}_display")()
        else:
            value = getattr(obj, model_field.attname)
        text = as_text(value)
        if text:
            label = str(model_field.verbose_name)
            pairs.append((label[:1].upper() + label[1:], text))
    return pairs


@cache
def _resolve(paths: tuple[str, ...]) -> tuple[Collector, ...]:
    collectors = tuple(import_string(path) for path in paths)
    for path, collector in zip(paths, collectors, strict=True):
        if not callable(collector):
            raise ImproperlyConfigured(f"{path} is not a disclosure collector")
    return collectors


def collectors() -> tuple[Collector, ...]:
    """Every collector of ``settings.TAC_DISCLOSURE_SOURCES``, in order."""
    return _resolve(tuple(settings.TAC_DISCLOSURE_SOURCES))


def collect_all(subject: Subject) -> Iterator[FoundRecord]:
    """Every record every source holds about ``subject``, source by source."""
    for collect in collectors():
        yield from collect(subject)
