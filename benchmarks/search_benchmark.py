"""Find-a-child benchmark: does a search with slips still find the child, and how fast.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_search \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/search_benchmark.py \\
        [--searches 1000] [--others 100] [--seed 20261207]

Reads only. Picks real children at random (fixed seed) and builds, for each, a search
a practitioner might type with mistakes in it:

- a typing slip in **both** the first given name and the family name: a letter
  changed, a letter added, a letter left out, or two letters next to each other
  swapped (the same kind of slip in both names, the four kinds in turn, anywhere in
  the name including its first letter); with no other detail, and with the date of
  birth;
- the right names with the **day and month of the date of birth swapped** (children
  whose swapped date is a real, different date), and the same with a slip in both names;

and, on fewer children, the searches without mistakes (exact name, NHS number, ...).
"Found" means the child searched for is among the **first five** results
(``find_children`` ranks best first). The time is the matching plus the access
decision (``resolve_for_user``) for a practitioner on some cases. The kinds are run
interleaved (one search of each kind in turn), so a change in the machine's load
touches every kind alike. Prints recall and median / 95th percentile per kind, recall
per kind of slip, recall by names alone among the children that fewer than five others
share their names with, and the query plan of one slip-in-both-names candidate query.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from agencies.models import User  # noqa: E402
from cases import phonetics  # noqa: E402
from cases.models import Child, TeamMembership  # noqa: E402
from cases.search import (  # noqa: E402
    ChildQuery,
    candidate_filter,
    find_children,
    resolve_for_user,
    swapped,
)

TOP = 5
SLIPS = ("substitution", "insertion", "deletion", "transposition")


def slip(name: str, kind: str, rng: random.Random) -> str:
    """``name`` with one typing slip of ``kind``, anywhere in it (first letter too)."""
    letters = string.ascii_lowercase

    def case_like(i: int, letter: str) -> str:
        return letter.upper() if i < len(name) and name[i].isupper() else letter

    for _ in range(50):
        if kind == "substitution":
            i = rng.randrange(len(name))
            new = rng.choice([c for c in letters if c != name[i].lower()])
            out = name[:i] + case_like(i, new) + name[i + 1 :]
        elif kind == "insertion":
            i = rng.randrange(len(name) + 1)
            out = name[:i] + case_like(i, rng.choice(letters)) + name[i:]
        elif kind == "deletion":
            if len(name) < 3:
                return name + rng.choice(letters)  # too short to lose a letter
            i = rng.randrange(len(name))
            out = name[:i] + name[i + 1 :]
        else:
            pairs = [i for i in range(len(name) - 1) if name[i].lower() != name[i + 1].lower()]
            if not pairs:
                return name + rng.choice(letters)
            i = rng.choice(pairs)
            out = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
            out = out[0].upper() + out[1:] if name[0].isupper() else out
        if out.lower() != name.lower() and phonetics.first_word(out):
            return out
    return name + rng.choice(letters)


def first(given: str) -> str:
    return given.split()[0] if given.split() else given


@dataclass
class Search:
    child: Child
    query: ChildQuery
    slip: str = ""


Builder = Callable[[Child, str, random.Random], ChildQuery]

#: Kinds with mistakes: ``--searches`` each. The date kinds use children whose day and
#: month can be swapped.
WITH_MISTAKES: dict[str, tuple[Builder, bool]] = {
    "slip in both names": (
        lambda c, k, r: ChildQuery(
            given_names=slip(first(c.given_names), k, r), family_name=slip(c.family_name, k, r)
        ),
        False,
    ),
    "slip in both names + date of birth": (
        lambda c, k, r: ChildQuery(
            given_names=slip(first(c.given_names), k, r),
            family_name=slip(c.family_name, k, r),
            date_of_birth=c.date_of_birth,
        ),
        False,
    ),
    "names + day and month swapped": (
        lambda c, k, r: ChildQuery(
            given_names=first(c.given_names),
            family_name=c.family_name,
            date_of_birth=swapped(c.date_of_birth) if c.date_of_birth else None,
        ),
        True,
    ),
    "slip in both names + day and month swapped": (
        lambda c, k, r: ChildQuery(
            given_names=slip(first(c.given_names), k, r),
            family_name=slip(c.family_name, k, r),
            date_of_birth=swapped(c.date_of_birth) if c.date_of_birth else None,
        ),
        True,
    ),
}

#: Kinds without mistakes, for comparison: ``--others`` each.
WITHOUT_MISTAKES: dict[str, Builder] = {
    "exact name": lambda c, k, r: ChildQuery(
        given_names=first(c.given_names), family_name=c.family_name
    ),
    "name + date of birth": lambda c, k, r: ChildQuery(
        given_names=first(c.given_names), family_name=c.family_name, date_of_birth=c.date_of_birth
    ),
    "date of birth + postcode": lambda c, k, r: ChildQuery(
        date_of_birth=c.date_of_birth, postcode=c.postcode.lower().replace(" ", "")
    ),
    "NHS number": lambda c, k, r: ChildQuery(nhs_number=c.nhs_number),
}


def sample(n: int, rng: random.Random, *, swappable: bool) -> list[Child]:
    """``n`` children at random (born, with an NHS number; a swappable date if asked)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM cases_child")
        low, high = cursor.fetchone()
    chosen: dict[int, Child] = {}
    for _ in range(20):
        ids = [rng.randint(low, high) for _ in range(n * 4)]
        candidates = (
            Child.objects.filter(pk__in=ids, is_unborn=False, merged_into__isnull=True)
            .exclude(nhs_number="")
            .order_by("pk")
        )
        for child in candidates:
            if swappable and (child.date_of_birth is None or swapped(child.date_of_birth) is None):
                continue
            chosen.setdefault(child.pk, child)
        if len(chosen) >= n:
            break
    children = sorted(chosen.values(), key=lambda c: c.pk)
    rng.shuffle(children)
    return children[:n]


def namesakes(child: Child) -> int:
    """How many other children have the same family name and first given name (an index
    lookup on the sound keys, then exact names)."""
    return (
        Child.objects.filter(
            family_name_metaphone=child.family_name_metaphone,
            given_name_metaphone=child.given_name_metaphone,
            family_name=child.family_name,
            merged_into__isnull=True,
        )
        .exclude(pk=child.pk)
        .filter(given_names__regex=rf"^{first(child.given_names)}( |$)")
        .count()
    )


def practitioner() -> User:
    membership = (
        TeamMembership.objects.filter(left_at__isnull=True, professional__isnull=False)
        .select_related("professional")
        .order_by("pk")
        .first()
    )
    if membership is None or membership.professional is None:
        raise SystemExit("No professional on any case: seed the database first.")
    return membership.professional


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def build(args: argparse.Namespace) -> dict[str, list[Search]]:
    rng = random.Random(args.seed)
    anyone = sample(args.searches, rng, swappable=False)
    swappable = sample(args.searches, rng, swappable=True)
    searches: dict[str, list[Search]] = {}
    for kind, (builder, needs_swap) in WITH_MISTAKES.items():
        children = swappable if needs_swap else anyone
        searches[kind] = [
            Search(child, builder(child, SLIPS[i % len(SLIPS)], rng), SLIPS[i % len(SLIPS)])
            for i, child in enumerate(children)
        ]
    for kind, plain in WITHOUT_MISTAKES.items():
        searches[kind] = [Search(c, plain(c, "", rng)) for c in anyone[: args.others]]
    return searches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--searches", type=int, default=1000, help="per kind with mistakes")
    parser.add_argument("--others", type=int, default=100, help="per kind without mistakes")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    user = practitioner()
    searches = build(args)
    total = Child.objects.count()
    print(
        f"children in the database: {total:,}; searches: "
        + ", ".join(f"{kind} {len(s)}" for kind, s in searches.items())
    )

    # Warm the connection and the caches the way a running server would be.
    for search in searches["exact name"][:10]:
        find_children(search.query)

    timings: dict[str, list[float]] = {kind: [] for kind in searches}
    found: Counter[str] = Counter()
    results: Counter[str] = Counter()
    missed: dict[str, list[Search]] = {kind: [] for kind in searches}
    by_slip: Counter[tuple[str, str, bool]] = Counter()
    longest = max(len(s) for s in searches.values())
    for i in range(longest):
        for kind, kind_searches in searches.items():
            if i >= len(kind_searches):
                continue
            search = kind_searches[i]
            started = time.perf_counter()
            matches = find_children(search.query)
            resolve_for_user(user, matches)
            timings[kind].append((time.perf_counter() - started) * 1000)
            hit = any(m.child.pk == search.child.pk for m in matches[:TOP])
            found[kind] += hit
            results[kind] += len(matches)
            if search.slip:
                by_slip[(kind, search.slip, hit)] += 1
            if not hit:
                missed[kind].append(search)

    print(f"\n'found' = the child is among the first {TOP} results\n")
    print("| search | searches | found in first five | recall | median ms | p95 ms | max ms "
          "| mean results |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for kind, kind_searches in searches.items():
        n = len(kind_searches)
        t = timings[kind]
        print(
            f"| {kind} | {n} | {found[kind]} | {100 * found[kind] / n:.1f} % "
            f"| {statistics.median(t):.1f} | {percentile(t, 0.95):.1f} | {max(t):.1f} "
            f"| {results[kind] / n:.1f} |"
        )

    print("\nrecall by kind of slip (the same kind in both names):\n")
    print("| search | " + " | ".join(SLIPS) + " |")
    print("|---|" + "---|" * len(SLIPS))
    for kind in WITH_MISTAKES:
        cells = []
        for s in SLIPS:
            hits, misses = by_slip[(kind, s, True)], by_slip[(kind, s, False)]
            if hits + misses:
                cells.append(f"{100 * hits / (hits + misses):.1f} %")
            else:
                cells.append("-")
        if any(c != "-" for c in cells):
            print(f"| {kind} | " + " | ".join(cells) + " |")

    # A child whose exact names five or more other children share cannot be told from
    # them by the names alone: no search by name alone can rank it in the first five.
    kind = "slip in both names"
    crowded = {s.child.pk for s in searches[kind] if namesakes(s.child) >= TOP}
    missed_crowded = sum(s.child.pk in crowded for s in missed[kind])
    distinct = len(searches[kind]) - len(crowded)
    found_distinct = distinct - (len(missed[kind]) - missed_crowded)
    print(
        f"\n{kind}: {len(crowded)} of the {len(searches[kind])} children have {TOP} or more "
        f"namesakes (same family name and first given name); {missed_crowded} of the "
        f"{len(missed[kind])} missed are among them. Among the {distinct} others: "
        f"{found_distinct} found in the first five ({100 * found_distinct / distinct:.1f} %)."
    )

    search = searches["slip in both names"][0]
    sql, params = Child.objects.filter(candidate_filter(search.query)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql} LIMIT 400", params)
        print("\nplan of one slip-in-both-names candidate query:")
        for (line,) in cursor.fetchall():
            print("   ", line)


if __name__ == "__main__":
    main()
