"""Two requests at once, on two real database connections, keep the invariants.

Each test starts two threads (Django gives each thread its own connection) that
wait at a barrier and then call the same service together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from agencies.models import User
from cases.models import Case, Child, LeadProfessionalAssignment
from cases.services.common import ChildAlreadyInOpenCase
from cases.services.lifecycle import open_case
from cases.services.teams import assign_lead_professional

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], Any]) -> list[BaseException | Any]:
    """Run ``calls`` at the same moment on separate connections; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list[BaseException | Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_it_ends_two_concurrent_lead_assignments_with_one_active(
    case: Case, member: User, manager: User
) -> None:
    def assign(professional: User) -> Callable[[], LeadProfessionalAssignment]:
        return lambda: assign_lead_professional(
            case,
            professional=professional,
            by=manager,
            basis="MANAGER_ALLOCATED",
            change_reason="MANAGING_CASELOADS",
        )

    results = run_together(assign(member), assign(manager))

    unexpected = [r for r in results if isinstance(r, BaseException)]
    assert unexpected == []
    active = LeadProfessionalAssignment.objects.filter(case=case, ended_at__isnull=True)
    assert active.count() == 1
    assert case.lead_assignments.count() == 3
    # Both handovers are recorded in order: the later one replaced the earlier.
    assert case.events.filter(code="lead.changed").count() == 2


def test_it_opens_one_case_when_two_are_opened_for_one_child_at_once(
    make_child: Callable[..., Child], lead: User, member: User
) -> None:
    child = make_child()

    def open_by(user: User) -> Callable[[], Case]:
        return lambda: open_case(child.family, children=[child], by=user, interim_lead=user)

    results = run_together(open_by(lead), open_by(member))

    opened = [r for r in results if isinstance(r, Case)]
    refused = [r for r in results if isinstance(r, ChildAlreadyInOpenCase)]
    assert len(opened) == 1
    assert len(refused) == 1
    assert opened[0].reference in refused[0].messages[0]
    assert Case.objects.filter(children=child).count() == 1
    assert LeadProfessionalAssignment.objects.filter(case__children=child).count() == 1
