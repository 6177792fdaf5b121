"""Find a child with a typing slip in both names, or the day and month swapped: the slip
keys (``cases.phonetics``), the index branch that uses them, and the ranking."""

from __future__ import annotations

import datetime as dt
import importlib
import random
import string
from collections.abc import Callable

import pytest
from django.db import connection

from cases import phonetics
from cases.models import Child, KnownName
from cases.search import ChildQuery, candidate_filter, find_children

# A small set of children with names close to one another, so that the one searched
# for has to be ranked above near neighbours, not merely found.
NAMES = [
    ("Olivia", "Smith"),
    ("Olive", "Smith"),
    ("Olivia", "Smyth"),
    ("Oliver", "Smith"),
    ("Livia", "Smithers"),
    ("Sophia", "Smith"),
    ("Olivia", "Smart"),
    ("Amelia", "Smith"),
    ("Olivia", "Keith"),
    ("Noah", "Okafor"),
    ("Nora", "Okafor"),
    ("Noah", "Okoro"),
    ("Jamal", "Okafor"),
    ("Mohammed", "Rahman"),
    ("Muhammad", "Rahman"),
    ("Mohammed", "Rehman"),
    ("Aisha", "Rahman"),
    ("Grace", "Fairweather"),
    ("Gracie", "Fairweather"),
    ("Grace", "Fairbairn"),
]


@pytest.fixture
def children(make_child: Callable[..., Child]) -> dict[tuple[str, str], Child]:
    made = {}
    for n, (given, family) in enumerate(NAMES):
        born = dt.date(2012, 1, 1) + dt.timedelta(days=37 * n)
        made[(given, family)] = make_child(
            given_names=f"{given} Mary", family_name=family, date_of_birth=born
        )
    return made


def _rank(child: Child, query: ChildQuery) -> int | None:
    ids = [m.child.pk for m in find_children(query)]
    return ids.index(child.pk) + 1 if child.pk in ids else None


@pytest.mark.parametrize(
    ("given", "family", "typed_given", "typed_family"),
    [
        ("Olivia", "Smith", "Olibia", "Smoth"),  # a letter changed in each
        ("Olivia", "Smith", "Oliviaa", "Smitsh"),  # a letter added
        ("Olivia", "Smith", "Olvia", "Smth"),  # a letter left out
        ("Olivia", "Smith", "Oilvia", "Smtih"),  # two letters swapped
        ("Olivia", "Smith", "Plivia", "Amith"),  # the first letter changed
        ("Noah", "Okafor", "Naoh", "Okafro"),
        ("Mohammed", "Rahman", "Mohamed", "Rahmna"),
        ("Grace", "Fairweather", "Grcae", "Fairwaether"),
    ],
)
def test_a_slip_in_both_names_finds_the_child_in_the_first_five(
    children: dict[tuple[str, str], Child],
    given: str,
    family: str,
    typed_given: str,
    typed_family: str,
) -> None:
    child = children[(given, family)]
    rank = _rank(child, ChildQuery(given_names=typed_given, family_name=typed_family))
    assert rank is not None
    assert rank <= 5


def test_a_slip_in_both_names_with_the_date_of_birth_ranks_the_child_first(
    children: dict[tuple[str, str], Child],
) -> None:
    child = children[("Olivia", "Smith")]
    query = ChildQuery(given_names="Plivia", family_name="Amith", date_of_birth=child.date_of_birth)
    assert _rank(child, query) == 1


def test_the_day_and_month_swapped_with_slips_ranks_the_child_first(
    make_child: Callable[..., Child],
) -> None:
    child = make_child(
        given_names="Grace", family_name="Fairweather", date_of_birth=dt.date(2014, 3, 9)
    )
    for n in range(10):  # children born on the date as typed, with other names
        make_child(given_names=f"Child{n}", family_name="Okafor", date_of_birth=dt.date(2014, 9, 3))
    query = ChildQuery(
        given_names="Garce", family_name="Fairwether", date_of_birth=dt.date(2014, 9, 3)
    )
    assert _rank(child, query) == 1


def test_an_earlier_name_with_slips_in_both_names_finds_the_child(
    make_child: Callable[..., Child],
) -> None:
    child = make_child(given_names="Amara", family_name="Okafor")
    KnownName.objects.create(child=child, given_names="Amara", family_name="Hutchinson")
    assert _rank(child, ChildQuery(given_names="Amraa", family_name="Hutchinsno")) == 1


def test_the_child_keeps_slip_keys_of_its_names(make_child: Callable[..., Child]) -> None:
    child = make_child(given_names="Ann Marie", family_name="O'Neil")
    assert child.name_slip_keys == phonetics.name_slip_keys("Ann Marie", "O'Neil")
    assert {"g:ann", "g:nn", "f:oneil", "f:onil"} <= set(child.name_slip_keys)
    assert not any("marie" in key for key in child.name_slip_keys)  # first given name only
    child.family_name = "Okafor"
    child.save(update_fields=["family_name"])
    child.refresh_from_db()
    assert "f:okafor" in child.name_slip_keys
    assert "f:oneil" not in child.name_slip_keys


def test_slip_keys_are_not_kept_in_the_change_history(make_child: Callable[..., Child]) -> None:
    child = make_child(given_names="Ann", family_name="Lee")
    history = child.history.count()  # type: ignore[attr-defined]
    Child.objects.filter(pk=child.pk).update(name_slip_keys=["f:x"])
    assert child.history.count() == history  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["substitution", "insertion", "deletion", "transposition"])
def test_names_one_slip_apart_always_share_a_slip_key(kind: str) -> None:
    rng = random.Random(kind)
    for _ in range(300):
        name = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 12)))
        i = rng.randrange(len(name))
        if kind == "substitution":
            typed = name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1 :]
        elif kind == "insertion":
            typed = name[:i] + rng.choice(string.ascii_lowercase) + name[i:]
        elif kind == "deletion":
            typed = name[:i] + name[i + 1 :]
        else:
            i = min(i, len(name) - 2)
            typed = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        if not typed:
            continue
        shared = set(phonetics.deletion_neighbourhood(name)) & set(
            phonetics.deletion_neighbourhood(typed)
        )
        assert shared, (name, typed)
        assert phonetics.one_slip_apart(name, typed)


def test_two_slips_are_not_one() -> None:
    assert not phonetics.one_slip_apart("Smith", "Smoht")
    assert phonetics.one_slip_apart("Smith", "SMITH")


def test_the_slip_branch_is_an_index_lookup_and_earlier_names_no_subplan() -> None:
    sql = str(
        Child.objects.filter(
            candidate_filter(ChildQuery(given_names="Olvia", family_name="Smtih"))
        ).query
    )
    assert "name_slip_keys" in sql
    assert "&&" in sql
    # Earlier names come as an array computed once (an InitPlan), which the planner looks
    # up in the primary key index; "id IN (SELECT ...)" would make the OR a table scan.
    assert "= ANY(ARRAY(SELECT" in sql
    assert " IN (SELECT" not in sql


def test_the_migration_fills_the_slip_keys_of_existing_rows(
    make_child: Callable[..., Child],
) -> None:
    child = make_child(given_names="Priya", family_name="Patel")
    known = KnownName.objects.create(child=child, given_names="Priya", family_name="Shah")
    Child.objects.filter(pk=child.pk).update(name_slip_keys=[])
    KnownName.objects.filter(pk=known.pk).update(name_slip_keys=[])
    migration = importlib.import_module("cases.migrations.0026_name_slip_keys")
    with connection.schema_editor(atomic=False) as editor:
        migration.fill_slip_keys(None, editor)
    child.refresh_from_db()
    known.refresh_from_db()
    assert child.name_slip_keys == phonetics.name_slip_keys("Priya", "Patel")
    assert known.name_slip_keys == phonetics.name_slip_keys("Priya", "Shah")
