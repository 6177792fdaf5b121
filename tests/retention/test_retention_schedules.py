"""Retention with a moving clock: closed cases fall due at the youngest child's 25th
birthday, a legal hold protects one case, confirmed records are anonymised with their
change history, the child's record follows its cases, and the dashboard figures and the
Annex A extract count exactly as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import InternalError, transaction
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case, CaseClosure, CaseEvent, Child, Family, FamilyMember
from dashboards.exports import AnnexAWindow, annex_a_assessments, annex_a_row
from dashboards.models import MetricCell
from dashboards.services import refresh_summaries
from meetings.models import Action, Contribution, Review
from notifications.models import Notification
from retention import services
from retention.models import DisposalItem, LegalHold
from retention.parts import REMOVED, history_model
from tests.helpers import date_fields
from tests.retention.conftest import FIGURES_AS_OF

pytestmark = pytest.mark.django_db

BORN_FIRST = dt.date(2010, 2, 1)  # 25 on 1 February 2035
BORN_SECOND = dt.date(2010, 3, 14)  # 25 on 14 March 2035


def _on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 3, 0, tzinfo=dt.UTC))


def _figures() -> list[tuple[object, ...]]:
    refresh_summaries(today=FIGURES_AS_OF)
    return sorted(
        MetricCell.objects.values_list(
            "metric",
            "month",
            "team_id",
            "agency_id",
            "locality",
            "level_id",
            "key",
            "key2",
            "value",
        )
    )


def _annex_a() -> list[list[object]]:
    window = AnnexAWindow.ending(FIGURES_AS_OF)
    return [annex_a_row(a, window) for a in annex_a_assessments(window)]


def _due(record_class: str) -> list[str]:
    return list(
        DisposalItem.objects.due()
        .filter(record_class=record_class)
        .values_list("label", flat=True)
        .order_by("label")
    )


def _item(case: Case) -> DisposalItem:
    return DisposalItem.objects.due().get(record_class="case_episode", record_key=str(case.pk))


def test_it_runs_retention_with_a_legal_hold_and_keeps_the_figures(
    closed_episode: Callable[..., Case],
    make_case: Callable[..., Case],
    make_child: Callable[..., Child],
    auditor: User,
) -> None:
    first = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    second = closed_episode(given_names="Barnaby", born=BORN_SECOND)
    still_open = make_case(children=[make_child(date_of_birth=dt.date(2009, 1, 1))])
    figures_before, annex_before = _figures(), _annex_a()
    assert any(row[0] == "M9" for row in figures_before)
    assert len(annex_before) == 2

    # Nothing is due in 2034; on 1 March 2035 the first case is; by April both are.
    with _on(dt.date(2034, 12, 31)):
        assert services.list_due_records().listed == 0
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        assert _due("case_episode") == [first.reference]
    with _on(dt.date(2035, 4, 1)):
        assert services.list_due_records().listed == 1
        # Idempotent: the nightly task listing again lists nothing new.
        assert services.list_due_records().listed == 0
        assert _due("case_episode") == sorted([first.reference, second.reference])
        assert still_open.reference not in _due("case_episode")
        # Information governance was told, by the one notify().
        assert Notification.objects.filter(recipient=auditor).count() == 2

        # A legal hold on the second case: its confirmation is refused, nothing changes.
        services.place_legal_hold(second, by=auditor, reason="Claim against the council")
        held = _item(second)
        with pytest.raises(ValidationError) as refused:
            services.confirm_disposal(held, by=auditor, version=held.version)
        assert services.MSG_ON_HOLD in refused.value.messages
        assert Review.objects.get(case=second).child_views.startswith("Barnaby")

        done = services.confirm_disposal(_item(first), by=auditor, version=1)

    # The first case is anonymised: every word gone, every code, date and count kept.
    assert done.status == DisposalItem.Status.DISPOSED
    assert done.confirmed_by == auditor
    assert done.rows_disposed > 0
    first.refresh_from_db()
    assert first.status == Case.Status.CLOSED
    assert first.closure_reason == "NEEDS_MET"
    assert Review.objects.get(case=first).child_views == REMOVED
    assert Review.objects.get(case=first).parent_views == ""  # empty stays empty
    assert Action.objects.get(case=first).description == REMOVED
    assert Action.objects.get(case=first).status == Action.Status.DONE
    assert Contribution.objects.get(case=first).body == REMOVED
    closure = CaseClosure.objects.get(case=first)
    assert (closure.progress_summary, closure.reason) == (REMOVED, "NEEDS_MET")
    events = CaseEvent.objects.filter(case=first)
    assert events.get(code="case.closed").summary == REMOVED
    assert events.get(code="case.anonymised").data == {
        "record_class": "case_episode",
        "schedule_years": 0,
    }
    # ... and so is their change history, which held every earlier version of the text.
    review_history = history_model(Review)
    assert review_history is not None
    first_review = Review.objects.get(case=first)
    assert not review_history._default_manager.filter(pgh_obj_id=first_review.pk).exists()
    # The held case is untouched, history and all.
    second_review = Review.objects.get(case=second)
    assert review_history._default_manager.filter(pgh_obj_id=second_review.pk).exists()

    # The child's record follows once every case they were in has gone.
    with _on(dt.date(2035, 4, 2)):
        services.list_due_records()
        first_child = first.children.get()
        assert _due("child_record") == [f"Child's record {first_child.pk}"]
        item = DisposalItem.objects.due().get(record_class="child_record")
        services.confirm_disposal(item, by=auditor, version=item.version)
    first_child.refresh_from_db()
    assert (first_child.given_names, first_child.family_name) == (REMOVED, REMOVED)
    assert first_child.nhs_number == ""
    assert first_child.name_slip_keys == []  # keys made from the names go with them
    assert first_child.date_of_birth == dt.date(2010, 2, 1)  # the first of the month
    assert first_child.ethnicity == "WBRI"  # the equality figures keep it
    family = Family.objects.get(pk=first_child.family_id)
    assert family.name == REMOVED
    mother = FamilyMember.objects.get(family=family)
    assert (mother.given_names, mother.phone) == (REMOVED, "")
    child_history = history_model(Child)
    assert child_history is not None
    assert not child_history._default_manager.filter(pgh_obj_id=first_child.pk).exists()

    # The figures count as they did: only the words went.
    assert _figures() == figures_before
    annex_after = _annex_a()
    assert len(annex_after) == len(annex_before)
    assert [row[:3] + row[4:] for row in annex_after] == [row[:3] + row[4:] for row in annex_before]

    # Lifting the hold lets the second case go.
    hold = LegalHold.objects.get(case=second)
    with _on(dt.date(2035, 5, 1)):
        services.lift_legal_hold(hold, by=auditor, reason="Claim settled", version=hold.version)
        services.list_due_records()
        item = _item(second)
        services.confirm_disposal(item, by=auditor, version=item.version)
    assert Review.objects.get(case=second).child_views == REMOVED
    assert _figures() == figures_before


def test_the_tombstone_says_what_went_and_is_kept(
    closed_episode: Callable[..., Case], auditor: User
) -> None:
    case = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        item = services.confirm_disposal(_item(case), by=auditor, version=1)
    assert item.label == case.reference
    assert item.schedule_event == "the youngest child's 25th birthday"
    assert item.schedule_years == 0
    assert item.event_on == dt.date(2035, 2, 1)
    assert "Ottilie" not in str(DisposalItem.objects.filter(pk=item.pk).values().get())
    with pytest.raises(InternalError), transaction.atomic():
        DisposalItem.objects.filter(pk=item.pk).delete()


def test_it_refuses_a_second_confirmation_and_a_stale_page(
    closed_episode: Callable[..., Case], auditor: User
) -> None:
    case = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        item = _item(case)
        with pytest.raises(ValidationError):
            services.confirm_disposal(item, by=auditor, version=item.version + 1)
        services.confirm_disposal(item, by=auditor, version=item.version)
        with pytest.raises(ValidationError) as again:
            services.confirm_disposal(item, by=auditor, version=item.version)
    assert services.MSG_ALREADY_DONE in again.value.messages


def test_a_hold_on_a_child_keeps_every_case_they_are_in(
    closed_episode: Callable[..., Case], auditor: User
) -> None:
    case = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    services.place_legal_hold(case, by=auditor, reason="Inquiry", on_children=True)
    hold = LegalHold.objects.get()
    assert hold.child_id == case.children.get().pk
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        with pytest.raises(ValidationError):
            services.confirm_disposal(_item(case), by=auditor, version=1)


def test_only_information_governance_may_dispose_or_hold(
    closed_episode: Callable[..., Case], coordinator: User
) -> None:
    from django.core.exceptions import PermissionDenied

    case = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    with pytest.raises(PermissionDenied):
        services.place_legal_hold(case, by=coordinator, reason="Inquiry")
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        with pytest.raises(PermissionDenied):
            services.confirm_disposal(_item(case), by=coordinator, version=1)


def test_the_history_of_rows_deleted_earlier_goes_with_the_case(
    closed_episode: Callable[..., Case], lead: User, auditor: User
) -> None:
    case = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    note = Contribution.objects.create(
        case=case, author=lead, body="Ottilie's address is 4 Mill Lane", created_at=case.opened_at
    )
    note.delete()  # its history keeps the text, with the row gone
    contribution_history = history_model(Contribution)
    assert contribution_history is not None
    assert contribution_history._default_manager.filter(body__contains="Mill Lane").exists()
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        services.confirm_disposal(_item(case), by=auditor, version=1)
    assert not contribution_history._default_manager.filter(body__contains="Mill Lane").exists()
    assert not contribution_history._default_manager.filter(body__contains="Ottilie").exists()


def test_the_dashboard_and_its_exports_still_open_after_disposal(
    closed_episode: Callable[..., Case], auditor: User, coordinator: User
) -> None:
    case = closed_episode(given_names="Ottilie", born=BORN_FIRST)
    with _on(dt.date(2035, 3, 1)):
        services.list_due_records()
        services.confirm_disposal(_item(case), by=auditor, version=1)
    refresh_summaries(today=FIGURES_AS_OF)
    client = Client()
    client.force_login(coordinator)
    assert client.get(reverse("dashboards:dashboard")).status_code == 200
    assert client.get(reverse("dashboards:export", args=["m9"])).status_code == 200
    extract = client.get(reverse("dashboards:annex_a_export"), date_fields("end", FIGURES_AS_OF))
    assert extract.status_code == 200
    rows = b"".join(extract.streaming_content).decode()  # type: ignore[attr-defined]
    assert str(case.children.get().pk) in rows
    assert "Ottilie" not in rows
