"""A case's change history for information governance, read from the ``pghistory`` event tables.

The history of a case is every tracked change to the case, its subjects, level-of-need
judgements, TAC memberships and lead assignments, its family and family members, its
subject children and its documents. A page of it costs a fixed number of queries
whatever it holds: one to count, one for the page's keys (a ``UNION`` of the event
tables), per event table one for the page's rows (with their context) and one for the
snapshots before its updates, and one for the acting users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, Value

from agencies.models import User
from cases.masking import MASK, CaseMasks
from cases.models import Case, RestrictionTarget

PAGE_SIZE = 50
_RESTRICTED_DOCUMENT = "restricted"

#: Columns that change on every save and say nothing on their own.
_NOISE = frozenset({"updated_at", "version"})

#: The tracked models whose fields a restriction can cover, and the restriction's kind.
_RESTRICTABLE: dict[str, str] = {
    "Family": RestrictionTarget.FAMILY,
    "FamilyMember": RestrictionTarget.FAMILY_MEMBER,
    "Child": RestrictionTarget.CHILD,
}

#: The tracked model ("app.Model", or a model of cases), and how its events for one case
#: are found. Named by label, not imported: the apps above cases add their own here.
_SOURCES: tuple[tuple[str, str], ...] = (
    ("Case", "case"),
    ("CaseSubject", "case_fk"),
    ("LevelOfNeedJudgement", "case_fk"),
    ("TeamMembership", "case_fk"),
    ("LeadProfessionalAssignment", "case_fk"),
    ("Family", "family"),
    ("FamilyMember", "family_fk"),
    ("Child", "children"),
    # Documents: added, replaced, deleted with a reason (a restricted one's title is
    # masked for those who run the case, as a restricted item is).
    ("documents.Document", "case_fk"),
)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    label: str
    model: str
    object_id: int
    actor: User | None = None
    command: str = ""
    url: str = ""
    changes: list[Change] = field(default_factory=list)


def _app_and_model(name: str) -> tuple[str, str]:
    app, _, model = name.rpartition(".")
    return app or "cases", model


def _event_model(name: str) -> type[models.Model]:
    app, model = _app_and_model(name)
    return apps.get_model(app, f"{model}History")


def _filter(kind: str, case: Case, child_ids: list[int]) -> Q:
    if kind == "case":
        return Q(pgh_obj_id=case.pk)
    if kind == "case_fk":
        return Q(case_id=case.pk)
    if kind == "family":
        return Q(pgh_obj_id=case.family_id)
    if kind == "family_fk":
        return Q(family_id=case.family_id)
    return Q(pgh_obj_id__in=child_ids)


def _tracked_fields(name: str) -> list[models.Field[Any, Any]]:
    """The model's fields its history keeps (``tracked(untracked=...)`` leaves some out)."""
    model = apps.get_model(*_app_and_model(name))
    kept = {f.attname for f in _event_model(name)._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.attname not in _NOISE
        and not f.many_to_many
        and f.attname in kept
    ]


def _display(f: models.Field[Any, Any], value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.strftime("%d %b %Y %H:%M")
    if f.is_relation:
        return f"#{value}"
    return str(value)


def case_history_page(
    case: Case,
    child_ids: list[int],
    page_number: str | int | None,
    *,
    masks: CaseMasks | None = None,
) -> Page[Any]:
    """One page (newest first) of ``HistoryEntry`` for ``case``.

    With ``masks`` (a reader who runs the case, not information governance), every old
    and new value of a restricted field shows as "Restricted".
    """
    keyed = [
        _event_model(name)
        ._default_manager.filter(_filter(kind, case, child_ids))
        .annotate(source=Value(i))
        .values_list("pgh_created_at", "pgh_id", "source")
        .order_by()
        for i, (name, kind) in enumerate(_SOURCES)
    ]
    keys = keyed[0].union(*keyed[1:], all=True).order_by("-pgh_created_at", "-pgh_id")
    page = Paginator(keys, PAGE_SIZE).get_page(page_number)

    wanted: dict[int, list[int]] = {i: [] for i in range(len(_SOURCES))}
    for _at, pgh_id, source in page.object_list:
        wanted[source].append(pgh_id)

    rows: dict[tuple[int, int], tuple[HistoryEntry, int | None]] = {}
    for i, (name, _kind) in enumerate(_SOURCES):
        event_model = _event_model(name)
        fields = _tracked_fields(name)
        attnames = [f.attname for f in fields]
        previous_id = (
            event_model._default_manager.filter(
                pgh_obj_id=models.OuterRef("pgh_obj_id"), pgh_id__lt=models.OuterRef("pgh_id")
            )
            .order_by("-pgh_id")
            .values("pgh_id")[:1]
        )
        events = list(
            event_model._default_manager.filter(_ids(wanted[i]))
            .annotate(previous_id=models.Subquery(previous_id))
            .values(
                "pgh_id",
                "pgh_obj_id",
                "pgh_label",
                "pgh_created_at",
                "pgh_context__metadata",
                "previous_id",
                *attnames,
            )
        )
        before = _snapshots(
            event_model,
            [e["previous_id"] for e in events if e["pgh_label"] == "update" and e["previous_id"]],
            attnames,
        )
        label = str(apps.get_model(*_app_and_model(name))._meta.verbose_name).capitalize()
        for e in events:
            meta: dict[str, Any] = e["pgh_context__metadata"] or {}
            user_id = meta.get("user")
            entry = HistoryEntry(
                at=e["pgh_created_at"],
                label=e["pgh_label"],
                model=label,
                object_id=e["pgh_obj_id"],
                command=str(meta.get("command", "")),
                url=str(meta.get("url", "")),
            )
            old = before.get(e["previous_id"]) if e["pgh_label"] == "update" else None
            target = _RESTRICTABLE.get(name)
            for f in fields:
                new_value = e[f.attname]
                hidden = (
                    masks is not None
                    and target is not None
                    and masks.is_masked_on(target, e["pgh_obj_id"], f.name)
                ) or (
                    masks is not None
                    and f.name == "title"
                    and e.get("visibility") == _RESTRICTED_DOCUMENT
                )
                if e["pgh_label"] == "update":
                    if old is None or old[f.attname] == new_value:
                        continue
                    entry.changes.append(
                        Change(str(f.verbose_name), MASK, MASK)
                        if hidden
                        else Change(
                            str(f.verbose_name), _display(f, old[f.attname]), _display(f, new_value)
                        )
                    )
                elif new_value not in (None, ""):
                    shown = MASK if hidden else _display(f, new_value)
                    entry.changes.append(Change(str(f.verbose_name), "", shown))
            rows[(i, e["pgh_id"])] = (entry, user_id if isinstance(user_id, int) else None)

    user_ids = {user_id for _, user_id in rows.values() if user_id is not None}
    users = User.objects.select_related("agency").in_bulk(user_ids)
    entries: list[HistoryEntry] = []
    for _at, pgh_id, source in page.object_list:
        entry, user_id = rows[(source, pgh_id)]
        entry.actor = users.get(user_id) if user_id is not None else None
        entries.append(entry)
    page.object_list = entries
    return page


def _snapshots(
    event_model: type[models.Model], pgh_ids: list[int], attnames: list[str]
) -> dict[int, dict[str, Any]]:
    """The event rows ``pgh_ids``: the snapshots before a page's updates."""
    return {
        s["pgh_id"]: s
        for s in event_model._default_manager.filter(_ids(pgh_ids)).values("pgh_id", *attnames)
    }


def _ids(pgh_ids: list[int]) -> Q:
    """``pgh_id IN (...)`` that still runs its query when empty, to keep the count fixed."""
    return Q(pgh_id__in=pgh_ids) if pgh_ids else Q(pgh_id=-1)
