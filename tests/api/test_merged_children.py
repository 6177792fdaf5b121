"""The partner API after two records of one child were merged: the old identifier
answers with ``merged_into``, to a client that may see the record kept, and no one else."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseSubject, Child, ClosureReason
from cases.services.merging import merge_children


def _duplicate(
    case: Case, make_child: Callable[..., Child], make_case: Callable[..., Case]
) -> Child:
    other = make_child()
    closed = make_case(children=[other])
    Case.objects.filter(pk=closed.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now(), closure_reason=ClosureReason.NEEDS_MET
    )
    CaseSubject.objects.filter(case=closed).update(is_open=False)
    return other


def test_the_old_identifier_answers_with_merged_into(
    case: Case,
    school_api: Client,
    police_api: Client,
    manager: User,
    make_child: Callable[..., Child],
    make_case: Callable[..., Case],
) -> None:
    kept = case.children.get()
    other = _duplicate(case, make_child, make_case)
    assert school_api.get(f"/api/v1/children/{kept.pk}/").json()["merged_into"] is None

    merge_children(kept=kept, merged=other, reason="Same NHS number", by=manager)

    response = school_api.get(f"/api/v1/children/{other.pk}/")
    assert response.status_code == 200
    assert response.json() == {"id": other.pk, "merged_into": kept.pk}
    assert police_api.get(f"/api/v1/children/{other.pk}/").status_code == 404
    assert school_api.get("/api/v1/children/not-a-number/").status_code == 404
