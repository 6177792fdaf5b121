"""The access log and the notifications go a month at a time, six years after the month
ends; rows about a case under a legal hold stay when the rest of the month goes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
import time_machine

from agencies.models import User
from cases.models import Case, RecordAccess
from notifications.models import EmailOutbox, Notification
from retention import services
from retention.models import DisposalItem

pytestmark = pytest.mark.django_db


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


def _on(day: dt.date) -> time_machine.travel:
    return time_machine.travel(_at(day))


def _log_rows(case: Case, user: User, day: dt.date) -> None:
    with _on(day):
        RecordAccess.objects.create(
            user=user, child=case.children.get(), case=case, route="cases:detail"
        )


def test_the_access_log_goes_by_month_except_what_a_hold_keeps(
    make_case: Callable[..., Case], lead: User, auditor: User
) -> None:
    kept, gone = make_case(), make_case()
    for case in (kept, gone):
        _log_rows(case, lead, dt.date(2026, 3, 10))
    _log_rows(gone, lead, dt.date(2026, 4, 10))
    services.place_legal_hold(kept, by=auditor, reason="Subject access dispute")

    with _on(dt.date(2032, 3, 31)):  # March 2026 is not six years gone yet
        services.list_due_records()
        assert not DisposalItem.objects.due().filter(record_class="access_log").exists()
    with _on(dt.date(2032, 4, 1)):
        services.list_due_records()
        item = DisposalItem.objects.due().get(record_class="access_log")
        assert (item.record_key, item.label) == ("2026-03", "Access log, March 2026")
        done = services.confirm_disposal(item, by=auditor, version=item.version)
    assert done.rows_disposed == 1
    assert RecordAccess.objects.filter(case=kept).count() == 1  # held
    assert RecordAccess.objects.filter(case=gone).count() == 1  # April's, not yet due


def test_notifications_and_their_emails_go_by_month(
    make_case: Callable[..., Case], lead: User, auditor: User
) -> None:
    case = make_case()
    notification = Notification.objects.create(
        recipient=lead, title="Review due", link="/", case=case, created_at=_at(dt.date(2026, 5, 2))
    )
    EmailOutbox.objects.create(
        notification=notification,
        recipient=lead,
        to_address="lena@example.org",
        subject="Review due",
        body_text="A review is due.",
        message_id=f"<{uuid.uuid4().hex}@tac-portal>",
        next_attempt_at=_at(dt.date(2026, 5, 2)),
        created_at=_at(dt.date(2026, 5, 2)),
    )
    with _on(dt.date(2032, 6, 1)):
        services.list_due_records()
        item = DisposalItem.objects.due().get(record_class="notifications")
        done = services.confirm_disposal(item, by=auditor, version=item.version)
    assert done.rows_disposed == 2
    assert not Notification.objects.filter(pk=notification.pk).exists()
    assert not EmailOutbox.objects.filter(notification_id=notification.pk).exists()
