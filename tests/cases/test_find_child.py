"""Find a child: matching, who sees what, logging and query counts."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from cases.models import Case, Child, RecordAccess
from cases.search import ChildQuery, candidate_filter, find_children, swapped
from cases.services.lifecycle import change_status
from cases.services.teams import (
    add_professional_to_team,
    assign_lead_professional,
    remove_from_team,
)

URL = "cases:find_child"


def _search(client: Client, **fields: str) -> Any:
    data = {
        "given_names": "",
        "family_name": "",
        "date_of_birth_day": "",
        "date_of_birth_month": "",
        "date_of_birth_year": "",
        "postcode": "",
        "nhs_number": "",
    }
    data.update(fields)
    return client.post(reverse(URL), data)


@pytest.fixture
def john(make_case: Callable[..., Case], make_child: Callable[..., Child]) -> Child:
    child = make_child(
        given_names="John",
        family_name="Smith",
        date_of_birth=dt.date(2015, 3, 7),
        postcode="LS1 4AP",
        nhs_number="9434765919",
    )
    make_case(children=[child])  # Lena Lead leads it
    return child


def test_the_child_keeps_sound_alike_keys_of_its_names(make_child: Callable[..., Child]) -> None:
    child = make_child(given_names="John Paul", family_name="Smith")
    assert (child.family_name_metaphone, child.given_name_metaphone) == ("SM0", "JN")
    child.family_name = "Okafor"
    child.save(update_fields=["family_name"])
    child.refresh_from_db()
    assert (child.family_name_metaphone, child.family_name_soundex) == ("OKFR", "O216")


def test_a_misspelt_sound_alike_name_finds_the_child(john: Child) -> None:
    matches = find_children(ChildQuery(given_names="Jon", family_name="Smyth"))
    assert [m.child for m in matches] == [john]


def test_a_typing_slip_in_the_name_alone_finds_the_child(john: Child) -> None:
    matches = find_children(ChildQuery(given_names="John", family_name="Smiht"))
    assert [m.child for m in matches] == [john]


@pytest.mark.parametrize(
    "query",
    [
        ChildQuery(family_name="Smiht", date_of_birth=dt.date(2015, 3, 7)),  # typo, not a sound
        ChildQuery(family_name="Smih", date_of_birth=dt.date(2015, 3, 7)),  # changes both keys
        ChildQuery(given_names="John", family_name="Smith", date_of_birth=dt.date(2015, 7, 3)),
        ChildQuery(given_names="Jonny", postcode="ls14ap", date_of_birth=dt.date(2015, 3, 7)),
        ChildQuery(nhs_number="9434765919"),
    ],
    ids=[
        "typo-with-dob",
        "typo-changing-both-keys-with-dob",
        "day-month-swapped",
        "postcode-normalised",
        "nhs-number",
    ],
)
def test_it_finds_the_child_by_other_details(john: Child, query: ChildQuery) -> None:
    assert john in [m.child for m in find_children(query)]


def test_it_does_not_match_a_different_child(john: Child) -> None:
    matches = find_children(
        ChildQuery(given_names="Priya", family_name="Okafor", date_of_birth=dt.date(2019, 1, 1))
    )
    assert matches == []


def test_day_and_month_swap_only_when_it_is_a_real_other_date() -> None:
    assert swapped(dt.date(2015, 3, 7)) == dt.date(2015, 7, 3)
    assert swapped(dt.date(2015, 3, 25)) is None
    assert swapped(dt.date(2015, 4, 4)) is None


def test_candidates_come_only_from_indexed_columns() -> None:
    sql = str(
        Child.objects.filter(
            candidate_filter(
                ChildQuery(
                    given_names="Jon",
                    family_name="Smyth",
                    date_of_birth=dt.date(2015, 3, 7),
                    postcode="LS1 4AP",
                )
            )
        ).query
    )
    # Every branch is narrowed by an indexed column; the only LIKE is a first-letter
    # filter inside the date-of-birth branch.
    for branch in sql.split(" OR "):
        if "LIKE" in branch:
            assert "date_of_birth" in branch
    assert "family_name_metaphone" in sql
    assert '"cases_child"."family_name" ' not in sql


def test_a_visible_child_is_shown_in_full_and_logged(
    john: Child, lead: User, lead_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tac.security"):
        response = _search(lead_client, given_names="Jon", family_name="Smyth")
    body = response.content.decode()
    assert response.status_code == 200
    assert "John Smith" in body
    case = john.cases.get()
    assert case.reference in body
    assert RecordAccess.objects.filter(user=lead, child=john, case=case).count() == 1
    [line] = [r for r in caplog.records if r.getMessage() == "child search"]
    logged = " ".join(str(v) for v in line.__dict__.values())
    assert "Smyth" not in logged
    assert "Jon" not in logged
    assert line.criteria == "given_names,family_name"  # type: ignore[attr-defined]


def test_a_child_in_a_case_i_cannot_see_is_one_contact_line_only(
    john: Child, outsider: User, outsider_client: Client
) -> None:
    response = _search(outsider_client, given_names="Jon", family_name="Smyth")
    body = response.content.decode()
    assert "Known to early help: contact Northgate Family Hub, 0300 000 1112" in body
    for secret in ("John", "Smith", "LS1 4AP", "2015", john.cases.get().reference):
        assert secret not in body.split("Results", 1)[1]
    assert not RecordAccess.objects.filter(user=outsider).exists()


def test_a_child_with_no_open_case_i_cannot_see_is_not_shown(
    john: Child, lead: User, outsider_client: Client
) -> None:
    case = john.cases.get()
    change_status(case, to=Case.Status.CLOSING, by=lead)
    change_status(case, to=Case.Status.CLOSED, by=lead, closure_reason="NEEDS_MET")
    body = _search(outsider_client, given_names="Jon", family_name="Smyth").content.decode()
    assert "Known to early help" not in body
    assert "Smith" not in body.split("Results", 1)[1]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Enter a family name, an NHS number"),
        ({"nhs_number": "9434765918"}, "check digit is wrong"),
        ({"nhs_number": "12345"}, "NHS number must be 10 digits"),
        (
            {"family_name": "Smith", "date_of_birth_day": "1", "date_of_birth_month": "1",
             "date_of_birth_year": str(timezone.localdate().year + 1)},
            "Date of birth must be today or in the past",
        ),
        (
            {"family_name": "Smith", "date_of_birth_day": "31", "date_of_birth_month": "2",
             "date_of_birth_year": "2015"},
            "Date of birth must be a real date",
        ),
        ({"family_name": "Smith", "postcode": "QQ12"}, "Enter a real UK postcode"),
    ],
)  # fmt: skip
def test_bad_search_input_is_refused_clearly_and_kept(
    lead_client: Client, fields: dict[str, str], message: str
) -> None:
    response = _search(lead_client, **fields)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    for value in fields.values():
        assert f'value="{value}"' in body


@pytest.mark.parametrize("size", [1, 8])
def test_search_runs_a_fixed_number_of_queries(
    size: int,
    make_case: Callable[..., Case],
    make_child: Callable[..., Child],
    member: User,
    lead: User,
    lead_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(size):
        child = make_child(
            given_names="John", family_name="Smith", date_of_birth=dt.date(2015, 3, 7)
        )
        case = make_case(children=[child])
        if n % 2:
            add_professional_to_team(case, professional=member, by=lead)
            assign_lead_professional(
                case, professional=member, by=lead, basis="MANAGER_ALLOCATED",
                change_reason="MANAGING_CASELOADS",
            )  # fmt: skip
            remove_from_team(case.memberships.active().get(professional=lead), by=member)
    # Whatever the number of matches: three of them save the offers to ask to join
    # (cases.views.team.offer_to_join) in the session, one reads the candidates' earlier
    # names (``KnownName``).
    with django_assert_max_num_queries(16):
        response = _search(lead_client, given_names="Jon", family_name="Smyth")
    body = response.content.decode()
    assert body.count("Known to early help") == size // 2


def test_a_broad_search_asks_for_more_details(
    make_child: Callable[..., Child], lead_client: Client
) -> None:
    for n in range(26):
        make_child(given_names=f"Child{n}", family_name="Smith")
    body = _search(lead_client, family_name="Smith").content.decode()
    assert "Add a date of birth, a given name or a postcode to narrow the search" in body


def test_a_restricted_address_keeps_its_postcode_out_of_search_results(
    john: Child, lead: User, lead_client: Client
) -> None:
    from audit import services as audit_services
    from cases.models import RestrictionTarget

    audit_services.set_restriction(
        john.cases.get(),
        by=lead,
        target=RestrictionTarget.CHILD,
        target_id=john.pk,
        field_name="address",
        reason="The new address must not reach the father.",
    )
    body = _search(lead_client, given_names="John", family_name="Smith").content.decode()
    assert "John Smith" in body
    assert "LS1 4AP" not in body
    assert "Restricted" in body
