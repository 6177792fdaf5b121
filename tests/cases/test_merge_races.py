"""Two managers merging the same two records at once, opposite ways round: one merge
stands, the other is refused, and no record points at itself through the other."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agencies.models import User
from cases.models import Case, CaseSubject, Child, ChildMerge, ClosureReason
from cases.services.common import CaseError
from cases.services.merging import merge_children
from tests.cases.test_races import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_opposite_merges_at_once_leave_one_merge(
    make_child: Callable[..., Child],
    make_case: Callable[..., Case],
    manager: User,
    coordinator: User,
) -> None:
    one, two = make_child(), make_child()
    make_case(children=[one])
    closed = make_case(children=[two])
    Case.objects.filter(pk=closed.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now(), closure_reason=ClosureReason.NEEDS_MET
    )
    CaseSubject.objects.filter(case=closed).update(is_open=False)

    results = run_together(
        lambda: merge_children(kept=one, merged=two, reason="Same", by=manager),
        lambda: merge_children(kept=two, merged=one, reason="Same", by=coordinator),
    )

    merges = [r for r in results if isinstance(r, ChildMerge)]
    # Refused as already merged, or (once the first merge is in) as a record no longer
    # in any case the manager sees.
    refusals = [r for r in results if isinstance(r, CaseError | PermissionDenied)]
    assert len(merges) == 1, results
    assert len(refusals) == 1, results
    assert ChildMerge.objects.count() == 1
    pointers = dict(Child.objects.filter(pk__in=[one.pk, two.pk]).values_list("pk", "merged_into"))
    assert sorted(v is None for v in pointers.values()) == [False, True]
    assert CaseSubject.objects.filter(child__merged_into__isnull=False).count() == 0
