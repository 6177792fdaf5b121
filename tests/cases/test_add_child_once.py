"""Adding a child is safe to do twice and safe to do together.

The same form sent twice (a double click, a retry) makes one child and one case, and
the second answer leads to the first one's case. Forms sent at the same moment meet at
the submission token's unique key; two different forms for the same child meet at the
lock on the child's identity, so neither slips past the duplicate check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from agencies.models import User
from cases.models import Case, Child
from tests.cases.test_journeys import ADD, _new_child
from tests.helpers import client_for

TOKEN = "3f1c0e9a6b7d4f2e8a1b2c3d4e5f6a7b"


def test_the_same_form_sent_twice_adds_the_child_once(member: User, member_client: Client) -> None:
    data = _new_child(submission_token=TOKEN)
    first = member_client.post(reverse(ADD), data)
    second = member_client.post(reverse(ADD), data, follow=True)
    assert Child.objects.count() == 1
    assert Case.objects.count() == 1
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "You sent this form twice" in second.content.decode()


def test_a_new_token_is_a_new_form(member_client: Client) -> None:
    member_client.post(reverse(ADD), _new_child(submission_token=TOKEN))
    again = member_client.post(reverse(ADD), _new_child(submission_token="another-token"))
    # A second form for the same child is a possible duplicate: shown, not saved.
    assert again.status_code == 200
    assert "may already have a record" in again.content.decode()
    assert Child.objects.count() == 1


def _at_once(count: int, send: Callable[[int], None]) -> None:
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            send(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_five_identical_submits_at_once_add_one_child(member: User) -> None:
    codes: list[int] = []

    def send(_: int) -> None:
        codes.append(
            client_for(member).post(reverse(ADD), _new_child(submission_token=TOKEN)).status_code
        )

    _at_once(5, send)
    assert Child.objects.count() == 1
    assert Case.objects.count() == 1
    assert codes == [302] * 5


@pytest.mark.django_db(transaction=True)
def test_five_different_forms_for_one_child_at_once_add_one_child(member: User) -> None:
    def send(n: int) -> None:
        client_for(member).post(reverse(ADD), _new_child(submission_token=f"form-{n}"))

    _at_once(5, send)
    assert Child.objects.count() == 1
    assert Case.objects.count() == 1
