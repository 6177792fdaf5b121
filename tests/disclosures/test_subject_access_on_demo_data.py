"""An end-to-end subject access request on the demo data, as the demo's information
governance officer: everything held about one child is found, another person's name is
redacted in the package, and the disclosure is recorded."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from agencies.models import User
from assessments.models import Assessment
from cases.models import CaseEvent, CaseSubject, Child, FamilyMember, RecordAccess
from demo.authority import AUDITOR_EMAIL
from demo.cycle import CYCLE_MIN_CHILDREN
from demo.small import seed_small
from disclosures.models import Disclosure, Redaction, SubjectAccessRequest
from meetings.models import Action, Contribution, Meeting
from tests.helpers import client_for, date_fields


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """One seeding for the module, rolled back at the end."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                seed_small(CYCLE_MIN_CHILDREN, 2026)
                yield
                raise _Rollback
        except _Rollback:
            pass


def _richest_child() -> Child:
    """A demo child with an assessment, a meeting and contributions on their case, and a
    family with other people in it: the request that exercises every source."""
    with_contributions = Contribution.objects.values("case_id")
    with_meetings = Meeting.objects.values("case_id")
    assessed = Assessment.objects.filter(
        case_id__in=with_contributions, child__family__members__isnull=False
    ).filter(case_id__in=with_meetings)
    child_id = (
        assessed.values("child_id")
        .annotate(n=Count("case__contributions", distinct=True))
        .order_by("-n", "child_id")
        .values_list("child_id", flat=True)
        .first()
    )
    assert child_id is not None, "the demo data has an assessed child with meetings"
    return Child.objects.get(pk=child_id)


@pytest.mark.django_db
def test_a_subject_access_request_on_the_demo_data(
    seeded: None, django_capture_on_commit_callbacks: Any
) -> None:
    officer = User.objects.get(email=AUDITOR_EMAIL)
    assert officer.role == User.Role.INFORMATION_GOVERNANCE
    child = _richest_child()
    parent = FamilyMember.objects.filter(family=child.family).order_by("pk").first()
    assert parent is not None
    assert child.date_of_birth is not None
    client = client_for(officer)

    # Log the request through the pages, as the officer does.
    search = {
        "subject_kind": "child",
        "given_names": child.given_names,
        "family_name": child.family_name,
        **date_fields("date_of_birth", child.date_of_birth),
    }
    page = client.post(reverse("disclosures:new"), search)
    token = page.context["form"]["submission_token"].value()
    received = child.created_at.date()
    response = client.post(
        reverse("disclosures:log"),
        {
            **search,
            "person": f"child:{child.pk}",
            "requester_name": parent.full_name,
            "requester_relationship": "parent",
            "child_consulted": "yes",
            "submission_token": token,
            **date_fields("received_on", received),
        },
    )
    sar = SubjectAccessRequest.objects.get(child=child)
    assert response["Location"] == reverse("disclosures:detail", args=[sar.pk])
    client.post(reverse("disclosures:search", args=[sar.pk]))

    # Everything about the child is found, from every source.
    keys = set(sar.items.values_list("key", flat=True))
    case_ids = set(CaseSubject.objects.filter(child=child).values_list("case_id", flat=True))
    expected = {f"cases.child:{child.pk}", f"cases.family:{child.family_id}"}
    expected |= {f"cases.case:{pk}" for pk in case_ids}
    expected |= {
        f"cases.chronology:{pk}"
        for pk in CaseEvent.objects.filter(case_id__in=case_ids).values_list("case_id", flat=True)
    }
    expected |= {
        f"assessments.assessment:{pk}"
        for pk in Assessment.objects.filter(child=child).values_list("pk", flat=True)
    }
    for model in (Meeting, Contribution, Action):
        expected |= {
            f"{model._meta.label_lower}:{pk}"
            for pk in model.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)
        }
    if RecordAccess.objects.filter(child=child).exists():
        expected.add(f"audit.record_access:child:{child.pk}")
    assert expected <= keys, sorted(expected - keys)
    # Nothing from another family's case.
    assert set(sar.items.exclude(case=None).values_list("case_id", flat=True)) <= case_ids

    # Another person's name is flagged, and redacted in the package.
    flagged = Redaction.objects.filter(
        item__request=sar, flagged_as=Redaction.Reason.THIRD_PARTY, redacted=True
    )
    names = set(flagged.values_list("term", flat=True))
    assert names, "other people's names are flagged"
    third_party = max(names, key=len)
    assert child.full_name not in names
    review = client.get(reverse("disclosures:review", args=[sar.pk])).content.decode()
    assert "[Redacted]" in review

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disclosures:export", args=[sar.pk]))
    disclosure = Disclosure.objects.get(request=sar)
    assert disclosure.status == Disclosure.Status.READY
    status = client.get(response["Location"]).content.decode()
    assert "Package ready" in status

    download = client.get(reverse("disclosures:download", args=[disclosure.pk]))
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    html = archive.read(f"{sar.reference}.html").decode()
    data = json.loads(archive.read(f"{sar.reference}.json"))
    assert child.full_name in html
    assert third_party not in html
    assert third_party not in json.dumps(data, ensure_ascii=False)
    assert "[Redacted]" in html
    assert len(data["records"]) == sar.items.count()

    # The disclosure is recorded: what, when, by whom.
    sar.refresh_from_db()
    assert sar.status == SubjectAccessRequest.Status.DISCLOSED
    assert disclosure.requested_by == officer
    assert disclosure.finished_at is not None
    assert {d["key"] for d in disclosure.summary["disclosed"]} == keys
    assert disclosure.summary["redactions"] >= 1
    assert list(sar.events.values_list("code", flat=True)) == [
        "sar.logged",
        "sar.searched",
        "sar.export_started",
        "sar.disclosed",
        "sar.downloaded",
    ]
    assert not RecordAccess.objects.filter(child=child, user=officer, purpose="").exists()
    assert RecordAccess.objects.filter(child=child, user=officer, purpose="subject_access").exists()
