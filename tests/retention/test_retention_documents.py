"""Documents go with their closed case: anonymised with it, every version's file
(quarantined ones too) deleted from the "documents" storage, the tombstone kept; a legal
hold keeps them all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import User
from cases.models import Case
from documents.models import Document, DocumentVersion
from documents.services import current_version
from retention import services
from retention.models import DisposalItem
from retention.parts import REMOVED, history_model
from tests.documents.stored import PDF_BYTES, store_document, store_version
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

BORN = dt.date(2010, 2, 1)  # 25 on 1 February 2035


def _on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, 0, tzinfo=dt.UTC))


def _item(case: Case) -> DisposalItem:
    return DisposalItem.objects.due().get(record_class="case_episode", record_key=str(case.pk))


@pytest.fixture
def documented_case(closed_episode: Callable[..., Case], lead: User) -> Case:
    case = closed_episode(given_names="Ottilie", born=BORN)
    document = store_document(case, by=lead, title="Ottilie's consent form")
    store_version(document, PDF_BYTES + b"%v2", by=lead, name="ottilie-signed.pdf")
    store_version(document, b"X5O!P%@AP", by=lead, status=DocumentVersion.ScanStatus.INFECTED)
    deleted = store_document(case, by=lead, title="Ottilie's school report")
    Document.objects.filter(pk=deleted.pk).update(
        deleted_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        deleted_by=lead,
        deletion_reason="Added to the wrong case by Ottilie's teacher",
    )
    return case


def _files(case: Case) -> list[tuple[object, str]]:
    return [
        (v.file.storage, str(v.file.name))
        for v in DocumentVersion.objects.filter(document__case=case)
    ]


def test_disposal_deletes_every_file_and_keeps_the_tombstone(
    documented_case: Case, auditor: User
) -> None:
    case = documented_case
    stored = _files(case)
    assert len(stored) == 4
    assert any(name.startswith("quarantine/") for _, name in stored)
    assert all(storage.exists(name) for storage, name in stored)  # type: ignore[attr-defined]

    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        item = services.confirm_disposal(_item(case), by=auditor, version=1)

    assert not any(storage.exists(name) for storage, name in stored)  # type: ignore[attr-defined]
    versions = DocumentVersion.objects.filter(document__case=case)
    assert versions.count() == 4  # the rows stay, anonymised: the case's counts do not move
    assert set(versions.values_list("file", "sha256")) == {("", "")}
    assert set(versions.exclude(original_name="").values_list("original_name", flat=True)) == {
        REMOVED
    }
    documents = Document.objects.filter(case=case)
    assert set(documents.values_list("title", flat=True)) == {REMOVED}
    assert documents.get(deleted_at__isnull=False).deletion_reason == REMOVED
    history = history_model(Document)
    assert history is not None
    assert not history._default_manager.filter(pgh_obj_id__in=documents.values("pk")).exists()
    assert "Ottilie" not in str(list(versions.values()) + list(documents.values()))

    tombstone = DisposalItem.objects.get(pk=item.pk)
    assert tombstone.status == DisposalItem.Status.DISPOSED
    assert tombstone.label == case.reference
    assert tombstone.rows_disposed >= 6  # the documents' rows counted with the case's

    assert current_version(documents.get(deleted_at__isnull=True)) is None


def test_what_is_left_of_a_disposed_document_says_so_and_opens_nothing(
    case: Case, lead: User
) -> None:
    document = store_document(case, by=lead)
    DocumentVersion.objects.filter(document=document).update(file="", sha256="")
    client = client_for(lead)
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert page.status_code == 200
    assert "File deleted under the retention schedule" in page.content.decode()
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404


def test_a_legal_hold_keeps_the_documents_and_their_files(
    documented_case: Case, auditor: User
) -> None:
    case = documented_case
    stored = _files(case)
    services.place_legal_hold(case, by=auditor, reason="Claim against the council")
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        with pytest.raises(ValidationError) as refused:
            services.confirm_disposal(_item(case), by=auditor, version=1)
    assert services.MSG_ON_HOLD in refused.value.messages
    assert all(storage.exists(name) for storage, name in stored)  # type: ignore[attr-defined]
    assert "Ottilie's consent form" in Document.objects.filter(case=case).values_list(
        "title", flat=True
    )
    assert not DocumentVersion.objects.filter(document__case=case, file="").exists()
