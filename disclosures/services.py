"""Subject access requests: log, search, review, export (DOMAIN §6.3).

Every service is for information governance only (``cases.access``), writes a
``RequestEvent`` for its step and a security-log line carrying ids only, and keeps the
edited records' versions (``tac_portal.concurrency``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import timezone

from agencies.models import User
from cases.access import ensure_can_handle_subject_access
from cases.models import (
    MASKED_TOGETHER,
    Case,
    CaseSubject,
    Child,
    Family,
    FamilyMember,
    KnownName,
    Restriction,
    RestrictionTarget,
)
from disclosures.models import (
    Disclosure,
    DisclosureItem,
    Redaction,
    RequestEvent,
    SubjectAccessRequest,
)
from tac_portal.concurrency import bump, ensure_current
from tac_portal.disclosure import FoundFile, FoundRecord, Subject, as_text, collect_all

security_log = logging.getLogger("tac.security")

REDACTED = "[Redacted]"
#: A given name shorter than this is not flagged on its own (too many false matches).
MIN_TERM_LENGTH = 3
#: The export saves its progress every this many items.
PROGRESS_EVERY = 10

MSG_NOT_SEARCHED = "Search for what is held about the person before exporting the package."
MSG_WITHDRAWN = "This request was withdrawn: nothing more can be done on it."
MSG_REASON_NEEDED = "Enter why"


class RequestError(ValidationError):
    """A subject access rule was broken; the message says which, and nothing was written."""


def _event(
    sar: SubjectAccessRequest, code: str, *, by: User | None, summary: str = "", **data: Any
) -> RequestEvent:
    security_log.info(code, extra={"request": sar.pk, "user_id": by.pk if by else None, **data})
    return RequestEvent.objects.create(
        request=sar, code=code, actor=by, at=timezone.now(), summary=summary, data=data
    )


def _ensure_open(sar: SubjectAccessRequest) -> None:
    if sar.status == SubjectAccessRequest.Status.WITHDRAWN:
        raise RequestError(MSG_WITHDRAWN, code="withdrawn")


def _lock(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    return SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)


# --- Logging a request ----------------------------------------------------------------


@transaction.atomic
def log_subject_access_request(
    subject: Child | FamilyMember,
    *,
    by: User,
    requester_name: str,
    requester_relationship: str,
    received_on: dt.date,
    child_consulted: str = SubjectAccessRequest.ChildConsulted.NOT_APPLICABLE,
    child_consulted_note: str = "",
) -> SubjectAccessRequest:
    """Record a request received on ``received_on`` about ``subject``; the clock starts then."""
    ensure_can_handle_subject_access(by)
    is_child = isinstance(subject, Child)
    if child_consulted == SubjectAccessRequest.ChildConsulted.NO and not child_consulted_note:
        raise RequestError("Say why the child was not consulted", code="consulted_note")
    sar = SubjectAccessRequest.objects.create(
        subject_kind="child" if is_child else "adult",
        child=subject if isinstance(subject, Child) else None,
        family_member=subject if isinstance(subject, FamilyMember) else None,
        requester_name=requester_name.strip(),
        requester_relationship=requester_relationship,
        received_on=received_on,
        child_consulted=child_consulted,
        child_consulted_note=child_consulted_note.strip(),
        logged_by=by,
        logged_at=timezone.now(),
    )
    _event(sar, "sar.logged", by=by, summary="Request logged", due_on=str(sar.due_on))
    return sar


@transaction.atomic
def extend_deadline(
    sar: SubjectAccessRequest, *, by: User, reason: str, version: int | None
) -> SubjectAccessRequest:
    """Extend the time limit by two further months (Art 12(3)), with the reason recorded.

    The requester must be told within the first month, with the reason.
    """
    ensure_can_handle_subject_access(by)
    locked = _lock(sar)
    ensure_current(locked, version)
    _ensure_open(locked)
    if not reason.strip():
        raise RequestError("Enter why the request needs more time", code="reason")
    locked.extended = True
    locked.extension_reason = reason.strip()
    locked.save(update_fields=["extended", "extension_reason", *bump(locked)])
    _event(locked, "sar.extended", by=by, summary="Time limit extended", due_on=str(locked.due_on))
    return locked


@transaction.atomic
def withdraw_request(
    sar: SubjectAccessRequest, *, by: User, reason: str, version: int | None
) -> SubjectAccessRequest:
    """The requester withdrew the request (or it was made in error): nothing more is
    done on it, and what was found stays, with the reason, for the record."""
    ensure_can_handle_subject_access(by)
    locked = _lock(sar)
    ensure_current(locked, version)
    _ensure_open(locked)
    if not reason.strip():
        raise RequestError("Enter why the request is withdrawn", code="reason")
    locked.status = SubjectAccessRequest.Status.WITHDRAWN
    locked.save(update_fields=["status", *bump(locked)])
    _event(locked, "sar.withdrawn", by=by, summary=f"Request withdrawn: {reason.strip()[:200]}")
    return locked


# --- Who the request is about, and the people around them ------------------------------


def subject_of(sar: SubjectAccessRequest) -> Subject:
    """The request's subject, with their family and cases (``tac_portal.disclosure``)."""
    if sar.child_id is not None:
        child = Child.objects.get(pk=sar.child_id)
        case_ids = tuple(
            CaseSubject.objects.filter(child=child)
            .order_by("case_id")
            .values_list("case_id", flat=True)
        )
        kind, person_id, family_id = "child", child.pk, child.family_id
    else:
        member = FamilyMember.objects.get(pk=sar.family_member_id or 0)
        case_ids = tuple(
            Case.objects.filter(family_id=member.family_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        kind, person_id, family_id = "adult", member.pk, member.family_id
    child_ids = tuple(
        CaseSubject.objects.filter(case_id__in=case_ids)
        .order_by("child_id")
        .values_list("child_id", flat=True)
        .distinct()
    )
    return Subject(kind, person_id, family_id, case_ids, child_ids)


@dataclass(frozen=True)
class Term:
    text: str
    flagged_as: str
    note: str


def _name_terms(given: str, family: str, note: str, own_given: set[str]) -> list[Term]:
    full = f"{given} {family}".strip()
    terms = [Term(full, Redaction.Reason.THIRD_PARTY, note)]
    first = given.split()[0] if given.split() else ""
    if len(first) >= MIN_TERM_LENGTH and first.lower() not in own_given:
        terms.append(Term(first, Redaction.Reason.THIRD_PARTY, note))
    return terms


def third_party_terms(subject: Subject) -> list[Term]:
    """The names of the people around the subject who are not the subject: the other
    children of the family and of its cases (and the names they are known by), and the
    family's other adults. Professionals acting for their agencies are not third parties."""
    if subject.is_child:
        own = Child.objects.get(pk=subject.person_id)
    else:
        own = FamilyMember.objects.get(pk=subject.person_id)  # type: ignore[assignment]
    own_given = {part.lower() for part in own.given_names.split()}
    own_full = own.full_name.lower()
    children = Child.objects.filter(Q(family_id=subject.family_id) | Q(pk__in=subject.child_ids))
    terms: list[Term] = []
    for child in children.order_by("pk"):
        if subject.is_child and child.pk == subject.person_id:
            continue
        terms += _name_terms(child.given_names, child.family_name, "Another child", own_given)
    known = KnownName.objects.filter(child__in=children)
    if subject.is_child:
        known = known.exclude(child_id=subject.person_id)
    for name in known.order_by("pk"):
        terms += _name_terms(name.given_names, name.family_name, "Another child", own_given)
    for member in FamilyMember.objects.filter(family_id=subject.family_id).order_by("pk"):
        if not subject.is_child and member.pk == subject.person_id:
            continue
        note = f"Another adult ({member.get_relationship_display().lower()})"
        terms += _name_terms(member.given_names, member.family_name, note, own_given)
    return [t for t in terms if t.text.lower() != own_full]


def _values(obj: Any, field_name: str) -> list[str]:
    names = [field_name, *(k for k, v in MASKED_TOGETHER.items() if v == field_name)]
    return [str(getattr(obj, n, "") or "") for n in names]


def restricted_terms(subject: Subject) -> list[Term]:
    """The values of the restricted items in force on the subject's cases (DOMAIN §6.2
    rule 5): redacted from the package unless the officer decides otherwise."""
    models: dict[str, type[Any]] = {
        RestrictionTarget.CHILD: Child,
        RestrictionTarget.FAMILY: Family,
        RestrictionTarget.FAMILY_MEMBER: FamilyMember,
    }
    terms: list[Term] = []
    restrictions = Restriction.objects.in_force().filter(case_id__in=subject.case_ids)
    for restriction in restrictions.order_by("pk"):
        obj = models[restriction.target]._default_manager.filter(pk=restriction.target_id).first()
        if obj is None:
            continue
        if restriction.field_name:
            values = _values(obj, restriction.field_name)
        else:
            values = [obj.full_name, *_values(obj, "address"), obj.phone, obj.email]
        terms += [
            Term(v.strip(), Redaction.Reason.RESTRICTED, restriction.what[:200])
            for v in values
            if len(v.strip()) >= MIN_TERM_LENGTH
        ]
    return terms


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def _texts(title: str, fields: Iterable[Iterable[str]]) -> str:
    return "\n".join([title, *("\n".join(pair) for pair in fields)])


def _flags(found: FoundRecord, terms: list[Term]) -> list[Term]:
    text = _texts(found.title, found.fields)
    extra = [
        Term(name.strip(), Redaction.Reason.THIRD_PARTY, "Named in the record")
        for name in found.third_parties
        if len(name.strip()) >= MIN_TERM_LENGTH
    ]
    if found.restricted and found.title.strip():
        # A restricted record as a whole (a restricted document): flagged by its title,
        # so that redacting it hides the title and keeps its files out of the package.
        extra.insert(0, Term(found.title.strip(), Redaction.Reason.RESTRICTED, found.restricted))
    seen: set[str] = set()
    flagged = []
    for term in [*terms, *extra]:
        if term.text.lower() in seen or not _pattern(term.text).search(text):
            continue
        seen.add(term.text.lower())
        flagged.append(term)
    return flagged


# --- Searching --------------------------------------------------------------------------


@transaction.atomic
def search_for_subject(sar: SubjectAccessRequest, *, by: User) -> SubjectAccessRequest:
    """Find everything held about the request's subject, and flag what may not be theirs.

    Safe to run again: each record keeps its item (by its ``key``) and the decisions
    made on it; a record found no longer is marked so, and a new flag starts redacted.
    Returns the request, now in review.
    """
    ensure_can_handle_subject_access(by)
    locked = _lock(sar)
    _ensure_open(locked)
    subject = subject_of(locked)
    terms = sorted(
        [*restricted_terms(subject), *third_party_terms(subject)], key=lambda t: -len(t.text)
    )
    existing = {item.key: item for item in locked.items.all()}
    found_keys: set[str] = set()
    flagged = 0
    for position, found in enumerate(collect_all(subject)):
        if found.key in found_keys:
            continue
        found_keys.add(found.key)
        values = {
            "position": position,
            "source": found.source,
            "kind": found.kind[:100],
            "title": found.title[:300],
            "at": found.at,
            "case_id": found.case_id,
            "fields": [list(pair) for pair in found.fields],
            "files": [asdict(file) for file in found.files],
            "still_held": True,
        }
        item = existing.get(found.key)
        if item is None:
            item = DisclosureItem.objects.create(request=locked, key=found.key, **values)
        else:
            # A record unchanged since the last search keeps its version: a decision the
            # officer has open on it is not refused for nothing.
            changed = [name for name, value in values.items() if getattr(item, name) != value]
            for name in changed:
                setattr(item, name, values[name])
            if changed:
                item.save(update_fields=[*changed, *bump(item)])
        for term in _flags(found, terms):
            _, created = Redaction.objects.get_or_create(
                item=item,
                term=term.text[:300],
                defaults={"flagged_as": term.flagged_as, "flag_note": term.note[:200]},
            )
            flagged += created
    gone = [key for key in existing if key not in found_keys]
    DisclosureItem.objects.filter(request=locked, key__in=gone).update(still_held=False)
    locked.status = SubjectAccessRequest.Status.IN_REVIEW
    locked.searched_at = timezone.now()
    locked.save(update_fields=["status", "searched_at", *bump(locked)])
    _event(
        locked,
        "sar.searched",
        by=by,
        summary=f"{len(found_keys)} records found, {flagged} new items flagged for redaction",
        found=len(found_keys),
        flagged=flagged,
    )
    return locked


# --- Reviewing --------------------------------------------------------------------------


@transaction.atomic
def decide_redaction(
    redaction: Redaction, *, by: User, redacted: bool, reason: str, version: int | None
) -> Redaction:
    """Redact a flagged piece of text from the package, or disclose it, with the reason."""
    ensure_can_handle_subject_access(by)
    locked = (
        Redaction.objects.select_for_update().select_related("item__request").get(pk=redaction.pk)
    )
    ensure_current(locked, version)
    _ensure_open(locked.item.request)
    if not reason.strip():
        raise RequestError(MSG_REASON_NEEDED, code="reason")
    locked.redacted = redacted
    locked.decision_reason = reason.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(
        update_fields=["redacted", "decision_reason", "decided_by", "decided_at", *bump(locked)]
    )
    _event(
        locked.item.request,
        "sar.redacted" if redacted else "sar.unredacted",
        by=by,
        summary=f"{'Redacted' if redacted else 'Disclosed'} a flagged item in {locked.item.kind}",
        item=locked.item_id,
        redaction=locked.pk,
    )
    return locked


@transaction.atomic
def withhold_item(
    item: DisclosureItem, *, by: User, withheld: bool, reason: str, version: int | None
) -> DisclosureItem:
    """Leave a whole record out of the package under an exemption (the reason is kept and
    listed in the disclosure record), or put it back."""
    ensure_can_handle_subject_access(by)
    locked = DisclosureItem.objects.select_for_update().select_related("request").get(pk=item.pk)
    ensure_current(locked, version)
    _ensure_open(locked.request)
    if withheld and not reason.strip():
        raise RequestError("Enter the exemption that applies, and why", code="reason")
    locked.withheld = withheld
    locked.withheld_reason = reason.strip() if withheld else ""
    locked.save(update_fields=["withheld", "withheld_reason", *bump(locked)])
    _event(
        locked.request,
        "sar.withheld" if withheld else "sar.included",
        by=by,
        summary=f"{'Withheld' if withheld else 'Included'} {locked.kind}",
        item=locked.pk,
    )
    return locked


# --- Exporting --------------------------------------------------------------------------


@transaction.atomic
def start_disclosure(sar: SubjectAccessRequest, *, by: User) -> Disclosure:
    """Queue the package's export; an export already queued or running is returned as is."""
    from disclosures.tasks import build_disclosure_package

    ensure_can_handle_subject_access(by)
    locked = _lock(sar)
    _ensure_open(locked)
    if locked.searched_at is None:
        raise RequestError(MSG_NOT_SEARCHED, code="not_searched")
    running = locked.disclosures.filter(
        status__in=[Disclosure.Status.QUEUED, Disclosure.Status.BUILDING]
    ).first()
    if running is not None:
        return running
    disclosure = Disclosure.objects.create(
        request=locked,
        requested_by=by,
        requested_at=timezone.now(),
        total=locked.items.filter(still_held=True).count(),
    )
    _event(
        locked,
        "sar.export_started",
        by=by,
        summary="Package export started",
        disclosure=disclosure.pk,
    )
    transaction.on_commit(partial(build_disclosure_package.delay, disclosure.pk))
    return disclosure


def redact(text: str, redactions: list[Redaction]) -> str:
    """``text`` with every redacted term replaced, longest terms first."""
    for redaction in sorted(redactions, key=lambda r: -len(r.term)):
        if redaction.redacted:
            text = _pattern(redaction.term).sub(REDACTED, text)
    return text


#: Where the package keeps the records' files.
FILES_FOLDER = "documents"
FILE_LEFT_OUT_REDACTED = (
    "Left out: parts of this record are redacted, and the file itself cannot be redacted "
    "here. A redacted copy is provided separately where the law allows."
)
FILE_LEFT_OUT_WITHHELD = "Left out: the record is withheld under an exemption."
FILE_LEFT_OUT_UNREADABLE = "Left out: the stored file could not be read intact."


def _read_file(found: FoundFile) -> bytes | None:
    """The file's content, if it is still stored and is what was stored (its sha256)."""
    try:
        with storages[found.storage].open(found.path, "rb") as stored:
            data: bytes = stored.read()
    except (OSError, ValueError, KeyError) as error:
        security_log.warning("subject access file unreadable: %s", type(error).__name__)
        return None
    return data if hashlib.sha256(data).hexdigest() == found.sha256 else None


def _item_files(item: DisclosureItem) -> list[FoundFile]:
    return [FoundFile(**entry) for entry in item.files]


def _package_item(item: DisclosureItem, archive: zipfile.ZipFile) -> dict[str, Any]:
    """The item as the package shows it, its files copied into ``archive`` unless a
    redaction applies to it (the portal cannot redact a file's content)."""
    redactions = list(item.redactions.all())
    redacted = sum(r.redacted for r in redactions)
    files: list[dict[str, Any]] = []
    for found in _item_files(item):
        entry: dict[str, Any] = {
            "label": found.label,
            "size": str(filesizeformat(found.size)),
        }
        data = None if redacted else _read_file(found)
        if redacted:
            entry["left_out"] = FILE_LEFT_OUT_REDACTED
        elif data is None:
            entry["left_out"] = FILE_LEFT_OUT_UNREADABLE
        else:
            entry["file"] = f"{FILES_FOLDER}/{found.name}"
            archive.writestr(entry["file"], data)
        files.append(entry)
    return {
        "kind": item.kind,
        "title": redact(item.title, redactions),
        "date": as_text(item.at),
        "fields": [
            {"label": redact(label, redactions), "text": redact(text, redactions)}
            for label, text in item.fields
        ],
        "files": files,
        "redactions": redacted,
    }


def build_disclosure_package(disclosure: Disclosure) -> Disclosure:
    """Build the package (readable HTML and JSON, and the records' files, zipped) with
    the redactions applied, and record the disclosure: what was disclosed, withheld and
    redacted, which files went and which were left out, when and by whom.

    A file goes into the package only with a record disclosed with no redaction in
    force; a withheld or redacted record's files are left out, and the package says so.
    Progress is saved as it goes, outside any transaction, for the status page.
    """
    sar = disclosure.request
    Disclosure.objects.filter(pk=disclosure.pk).update(status=Disclosure.Status.BUILDING)
    items = list(
        sar.items.filter(still_held=True).prefetch_related("redactions").order_by("position", "pk")
    )
    disclosed: list[dict[str, Any]] = []
    withheld: list[dict[str, Any]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, item in enumerate(items, start=1):
            if item.withheld:
                withheld.append(
                    {
                        "kind": item.kind,
                        "key": item.key,
                        "reason": item.withheld_reason,
                        "files_left_out": len(item.files),
                    }
                )
            else:
                disclosed.append({"key": item.key, **_package_item(item, archive)})
            if done % PROGRESS_EVERY == 0:
                Disclosure.objects.filter(pk=disclosure.pk).update(done=done)
        now = timezone.now()
        subject = sar.subject
        context = {
            "sar": sar,
            "subject_name": subject.full_name,  # type: ignore[attr-defined]
            "items": disclosed,
            "withheld": withheld,
            "withheld_files": sum(w["files_left_out"] for w in withheld),
            "withheld_file_note": FILE_LEFT_OUT_WITHHELD,
            "produced_at": now,
            "produced_by": disclosure.requested_by,
        }
        html = render_to_string("disclosures/package.html", context)
        data = {
            "reference": sar.reference,
            "subject": subject.full_name,  # type: ignore[attr-defined]
            "received_on": sar.received_on.isoformat(),
            "produced_at": now.isoformat(),
            "produced_by": str(disclosure.requested_by),
            "records": disclosed,
            "withheld": [
                {
                    "kind": w["kind"],
                    "reason": w["reason"],
                    **({"files_left_out": w["files_left_out"]} if w["files_left_out"] else {}),
                }
                for w in withheld
            ],
        }
        archive.writestr(f"{sar.reference}.html", html)
        archive.writestr(f"{sar.reference}.json", json.dumps(data, ensure_ascii=False, indent=2))
    package = buffer.getvalue()
    summary = {
        "disclosed": [
            {
                "key": d["key"],
                "kind": d["kind"],
                "redactions": d["redactions"],
                "files": [f["file"] for f in d["files"] if "file" in f],
                "files_left_out": sum("left_out" in f for f in d["files"]),
            }
            for d in disclosed
        ],
        "withheld": withheld,
        "redactions": sum(d["redactions"] for d in disclosed),
        "files": sum("file" in f for d in disclosed for f in d["files"]),
        "produced_at": now.isoformat(),
        "produced_by": disclosure.requested_by_id,
    }
    with transaction.atomic():
        locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        locked.status = Disclosure.Status.READY
        locked.done = len(items)
        locked.total = len(items)
        locked.finished_at = now
        locked.summary = summary
        locked.package = package
        locked.sha256 = hashlib.sha256(package).hexdigest()
        locked.save()
        request = _lock(sar)
        request.status = SubjectAccessRequest.Status.DISCLOSED
        request.disclosed_at = now
        request.save(update_fields=["status", "disclosed_at", *bump(request)])
        _event(
            request,
            "sar.disclosed",
            by=disclosure.requested_by,
            summary=(
                f"Package produced: {len(disclosed)} records disclosed, {len(withheld)} withheld"
            ),
            disclosure=locked.pk,
            disclosed=len(disclosed),
            withheld=len(withheld),
            files=summary["files"],
        )
    return locked


def mark_failed(disclosure_id: int) -> None:
    """An export that could not finish says so on its status page; nothing was disclosed."""
    Disclosure.objects.filter(pk=disclosure_id).update(status=Disclosure.Status.FAILED)


def record_download(disclosure: Disclosure, *, by: User) -> None:
    """Each download of a package is a step on the request."""
    ensure_can_handle_subject_access(by)
    _event(
        disclosure.request,
        "sar.downloaded",
        by=by,
        summary="Package downloaded",
        disclosure=disclosure.pk,
    )
