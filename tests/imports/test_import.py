"""Bulk import: the dry run's report on a file of good, duplicate and bad rows; the
confirmed import makes exactly what the report said; running the file again is a no-op."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import (
    Case,
    CaseEvent,
    Child,
    ChildRecordCheck,
    Family,
    FamilyMember,
    TeamMembership,
)
from imports import services
from imports.models import ImportBatch, ImportedRecord
from meetings.models import Action
from tests.imports.caseload import good_file, mixed_file

pytestmark = pytest.mark.django_db

LEAD = "lena.lead@northgate.example"


@pytest.fixture
def people(lead: User, member: User, make_child: Callable[..., Child]) -> Child:
    """Lena and Sam have accounts; Jamie Fairweather is already in the portal."""
    return make_child()


def _rows(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["sheet"], r["key"]): r for r in report["rows"]}


def test_it_reports_good_duplicate_and_bad_rows_row_by_row(people: Child) -> None:
    before = (Family.objects.count(), Child.objects.count(), Case.objects.count())

    report = services.plan_import("caseload.xlsx", mixed_file()).report()

    rows = _rows(report)
    assert rows["families", "F1"]["outcome"] == "create"
    assert rows["families", "F3"]["outcome"] == "error"
    assert rows["families", "F3"]["problems"][0]["column"] == "postcode"
    assert rows["children", "C1"]["outcome"] == "create", rows["children", "C1"]["problems"]
    assert rows["children", "C3"]["outcome"] == "match"
    assert f"child record {people.pk}" in rows["children", "C3"]["detail"]
    bad = {p["column"] for p in rows["children", "C4"]["problems"]}
    assert bad == {"given_names", "date_of_birth"}
    assert rows["children", "C4"]["row"] == 5
    assert rows["children", "C5"]["problems"][0]["column"] == "family_key"
    # The case of the matched child is not created; the other case and its parts are.
    assert rows["cases", "E2"]["outcome"] == "skip"
    assert "matches an existing record" in rows["cases", "E2"]["detail"]
    assert rows["cases", "E1"]["outcome"] == "create"
    assert rows["team", "M2"]["outcome"] == "create"
    assert rows["actions", "A1"]["outcome"] == "create"
    assert report["has_problems"] is True
    assert report["counts"]["children"] == {
        "create": 2, "match": 1, "already": 0, "skip": 0, "error": 2
    }  # fmt: skip
    # A dry run writes nothing.
    assert (Family.objects.count(), Child.objects.count(), Case.objects.count()) == before


def test_a_file_with_problems_cannot_be_confirmed(people: Child, admin_user: User) -> None:
    upload = SimpleUploadedFile("caseload.xlsx", mixed_file())
    batch = services.upload_file(upload, by=admin_user)
    services.check_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED

    with pytest.raises(services.ImportRefused, match="Correct the rows"):
        services.confirm_import(batch, by=admin_user)


def _import(
    content: bytes, admin_user: User, django_capture_on_commit_callbacks: Any
) -> ImportBatch:
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.upload_file(SimpleUploadedFile("caseload.xlsx", content), by=admin_user)
    batch.refresh_from_db()
    if batch.report.get("to_create") and not batch.report["has_problems"]:
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_import(batch, by=admin_user)
    batch.refresh_from_db()
    return batch


def test_the_confirmed_import_matches_the_report(
    people: Child, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    batch = _import(good_file(), admin_user, django_capture_on_commit_callbacks)

    assert batch.status == ImportBatch.Status.DONE, batch.failure
    planned = {kind: c["create"] for kind, c in batch.report["counts"].items()}
    assert batch.created == planned
    assert planned == {
        "families": 2,
        "children": 2,
        "carers": 1,
        "cases": 1,
        "team": 2,
        "actions": 2,
    }
    for kind, n in planned.items():
        assert ImportedRecord.objects.filter(batch=batch, kind=kind).count() == n
    case = ImportedRecord.objects.get(kind="cases", source_key="E1").case
    assert case is not None
    assert case.status == Case.Status.ACTIVE
    assert case.reference.startswith("EH-")
    assert sorted(c.given_names for c in case.children.all()) == ["Amara", "Tobi"]
    assert case.lead_assignment is not None
    assert case.lead_assignment.professional.email == LEAD
    roles = sorted(case.memberships.values_list("role", flat=True))
    assert roles == ["family_member", "lead_professional", "practitioner"]
    assert CaseEvent.objects.filter(case=case, code="case.imported").count() == 1
    amara = Child.objects.get(given_names="Amara")
    assert amara.family_name_metaphone  # the sound-alike keys "find a child" uses
    assert ChildRecordCheck.objects.get(child=amara).added_by == admin_user
    assert Action.objects.filter(case=case, owner_family_member__given_names="Grace").count() == 1
    # The matched child was left alone: no second Jamie Fairweather.
    assert Child.objects.filter(family_name="Fairweather").count() == 1


def test_running_the_same_file_again_creates_nothing(
    people: Child, admin_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    _import(good_file(), admin_user, django_capture_on_commit_callbacks)
    counts = [
        m.objects.count()
        for m in (Family, Child, FamilyMember, Case, TeamMembership, Action, ImportedRecord)
    ]

    again = _import(good_file(), admin_user, django_capture_on_commit_callbacks)

    assert again.status == ImportBatch.Status.CHECKED
    assert again.report["to_create"] == 0
    assert {r["outcome"] for r in again.report["rows"]} <= {"already", "match", "skip"}
    with pytest.raises(services.ImportRefused, match="nothing in this file"):
        services.confirm_import(again, by=admin_user)
    assert counts == [
        m.objects.count()
        for m in (Family, Child, FamilyMember, Case, TeamMembership, Action, ImportedRecord)
    ]


def test_an_import_that_no_longer_matches_its_dry_run_writes_nothing(
    people: Child, admin_user: User, make_child: Callable[..., Child]
) -> None:
    batch = services.upload_file(SimpleUploadedFile("c.xlsx", good_file()), by=admin_user)
    services.check_batch(batch.pk)
    batch.refresh_from_db()
    services.confirm_import(batch, by=admin_user)
    # Someone adds Amara by hand between the dry run and the import.
    make_child(given_names="Amara", family_name="Okafor", date_of_birth="2016-03-27")
    families = Family.objects.count()

    services.import_batch(batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "Records changed since the dry run" in batch.failure
    assert Family.objects.count() == families
    assert not ImportedRecord.objects.exists()


def test_a_csv_file_holds_one_sheet(admin_user: User) -> None:
    content = b"family_key,family_name,postcode\nF1,The Okafor family,EF1 2AB\nF2,,\n"
    report = services.plan_import("families.csv", content).report()
    rows = _rows(report)
    assert rows["families", "F1"]["outcome"] == "create"
    assert rows["families", "F2"]["problems"] == [
        {"column": "family_name", "message": "Enter a value: this column is required"}
    ]
    unknown = services.plan_import("x.csv", b"name,age\nA,1\n").report()
    assert "first column" in unknown["file_problems"][0]["message"]


def test_only_the_administrator_reaches_the_import_pages(
    admin_client_: Client, lead_client: Client
) -> None:
    assert admin_client_.get(reverse("imports:list")).status_code == 200
    assert lead_client.get(reverse("imports:list")).status_code == 404
    response = admin_client_.get(reverse("imports:csv_template", args=["children"]))
    assert response.content.decode().startswith("child_key,family_key,given_names")
    assert admin_client_.get(reverse("imports:xlsx_template")).status_code == 200


def test_the_case_and_child_pages_say_where_the_records_came_from(
    people: Child, admin_user: User, django_capture_on_commit_callbacks: Any, lead_client: Client
) -> None:
    batch = _import(good_file(), admin_user, django_capture_on_commit_callbacks)
    record = ImportedRecord.objects.get(kind="cases", source_key="E1")
    assert record.case is not None
    child = Child.objects.get(given_names="Amara")

    page = lead_client.get(reverse("cases:detail", args=[record.case.pk])).content.decode()
    assert "Where these records came from" in page
    assert f"import {batch.pk}" in page
    assert "source key E1, row 2 of the cases sheet" in page
    assert "source key C1, row 2 of the children sheet" in page
    details = lead_client.get(
        reverse("cases:child_details", args=[record.case.pk, child.pk])
    ).content.decode()
    assert f"Imported from caseload.xlsx (import {batch.pk}), source key C1" in details


def test_a_task_delivered_again_after_its_worker_died_imports_once(
    people: Child, admin_user: User
) -> None:
    batch = services.upload_file(SimpleUploadedFile("c.xlsx", good_file()), by=admin_user)
    services.check_batch(batch.pk)
    batch.refresh_from_db()
    services.confirm_import(batch, by=admin_user)
    # The worker that claimed it died: its transaction rolled back, the claim stayed.
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)

    services.import_batch(batch.pk)
    services.import_batch(batch.pk)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert ImportedRecord.objects.filter(batch=batch).count() == 10
