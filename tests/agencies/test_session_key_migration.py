"""The migration that replaces the session ids already stored by their hashes: whoever
was signed in stays signed in, and their "Your sessions" row stays theirs."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from agencies.models import User, UserSession
from agencies.session_store import stored_key
from tests.helpers import PASSWORD, migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("agencies", "0013_user_leavers_by_name_idx")]
HASHED = [("agencies", "0014_hashed_session_keys")]


def _signed_in(client: Client) -> bool:
    return client.get(reverse("cases:my_cases")).status_code == 200


def _sign_in(user: User) -> tuple[Client, str]:
    client = Client()
    response = client.post(
        reverse("agencies:sign_in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client, client.cookies[settings.SESSION_COOKIE_NAME].value


def _store_as_before(key: str) -> None:
    """Put the id itself where the hash is, as the store kept it before."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agencies_usersession SET session_id = %s WHERE session_id = %s",
            [key, stored_key(key)],
        )
        cursor.execute(
            "UPDATE django_session SET session_key = %s WHERE session_key = %s",
            [key, stored_key(key)],
        )


def _stored_sessions() -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """The rows of both session tables, to put back after going back ends every session."""
    kept = []
    with connection.cursor() as cursor:
        for table in ("django_session", "agencies_usersession"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            kept.append((table, [c.name for c in cursor.description], cursor.fetchall()))
    return kept


def _put_back(kept: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in kept:
            marks = ", ".join(["%s"] * len(columns))
            for row in rows:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    row,
                )


def test_stored_session_ids_become_hashes_and_stay_signed_in(
    lead: User, member: User, at_latest_afterwards: None
) -> None:
    # Signed in with today's pages, then the rows are put back as they were before.
    desk, desk_key = _sign_in(lead)
    laptop, laptop_key = _sign_in(member)
    kept = _stored_sessions()
    migrate_to(BEFORE)
    _put_back(kept)
    _store_as_before(desk_key)  # the laptop's is a hash already: left as it is
    assert UserSession.objects.filter(session_id=desk_key).exists()

    migrate_to(HASHED)

    row = UserSession.objects.get(user=lead)
    assert row.session_id == stored_key(desk_key)
    assert not UserSession.objects.filter(session_id__in=[desk_key, laptop_key]).exists()
    assert UserSession.objects.get(user=member).session_id == stored_key(laptop_key)
    migrate_to_latest()
    assert _signed_in(desk)
    assert _signed_in(laptop)


def test_going_back_ends_every_session(lead: User, at_latest_afterwards: None) -> None:
    client, _ = _sign_in(lead)

    migrate_to(BEFORE)

    assert not UserSession.objects.exists()
    assert not _signed_in(client)
