"""Find-a-child benchmark: search timings by kind against a large database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tac_bench_search \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/search_benchmark.py

Reads only. Picks real children at random (fixed seed), builds the searches a
practitioner would type (exact, misspelt, with a swapped date of birth, ...), and
times the matching (``find_children``) plus the access split (``resolve_for_user``)
for a practitioner who is on some cases. Prints median and 95th percentile per kind
in milliseconds, how often the child searched for was found, and the query plan of
one name search so that the indexes in use can be checked.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAC_ENVIRONMENT", "development")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tac_portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from agencies.models import User  # noqa: E402
from cases.models import Child, TeamMembership  # noqa: E402
from cases.search import (  # noqa: E402
    ChildQuery,
    candidate_filter,
    find_children,
    resolve_for_user,
    swapped,
)


def misspell(name: str, rng: random.Random) -> str:
    """A typing or hearing slip: a vowel changed, a letter doubled or dropped."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    choice = rng.choice(["vowel", "double", "drop"])
    if choice == "vowel" and name[i].lower() in "aeiou":
        return name[:i] + rng.choice([v for v in "aeiouy" if v != name[i].lower()]) + name[i + 1 :]
    if choice == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1 :]


def first(given: str) -> str:
    return given.split()[0] if given.split() else given


KINDS: dict[str, Callable[[Child, random.Random], ChildQuery]] = {
    "exact name": lambda c, r: ChildQuery(
        given_names=first(c.given_names), family_name=c.family_name
    ),
    "misspelt name": lambda c, r: ChildQuery(
        given_names=misspell(first(c.given_names), r), family_name=misspell(c.family_name, r)
    ),
    "name + date of birth": lambda c, r: ChildQuery(
        given_names=first(c.given_names), family_name=c.family_name, date_of_birth=c.date_of_birth
    ),
    "misspelt family name + swapped date of birth": lambda c, r: ChildQuery(
        family_name=misspell(c.family_name, r),
        date_of_birth=swapped(c.date_of_birth) or c.date_of_birth if c.date_of_birth else None,
    ),
    "date of birth + postcode": lambda c, r: ChildQuery(
        date_of_birth=c.date_of_birth, postcode=c.postcode.lower().replace(" ", "")
    ),
    "NHS number": lambda c, r: ChildQuery(nhs_number=c.nhs_number),
    "family name only": lambda c, r: ChildQuery(family_name=c.family_name),
}


def sample(n: int, rng: random.Random) -> list[Child]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM cases_child")
        low, high = cursor.fetchone()
    ids = [rng.randint(low, high) for _ in range(n * 3)]
    children = list(
        Child.objects.filter(pk__in=ids, is_unborn=False).exclude(nhs_number="").order_by("pk")
    )
    rng.shuffle(children)
    return children[:n]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    user = practitioner()
    children = sample(args.per_kind, rng)
    total = Child.objects.count()
    print(f"children in the database: {total:,}; searches per kind: {len(children)}")

    # Warm the connection and the caches the way a running server would be.
    for child in children[:5]:
        find_children(KINDS["exact name"](child, rng))

    print("| search | median ms | p95 ms | max ms | found | mean results |")
    print("|---|---|---|---|---|---|")
    for kind, build in KINDS.items():
        timings: list[float] = []
        found = 0
        results = 0
        for child in children:
            query = build(child, rng)
            started = time.perf_counter()
            matches = find_children(query)
            resolve_for_user(user, matches)
            timings.append((time.perf_counter() - started) * 1000)
            found += any(m.child.pk == child.pk for m in matches)
            results += len(matches)
        print(
            f"| {kind} | {statistics.median(timings):.1f} | {percentile(timings, 0.95):.1f} "
            f"| {max(timings):.1f} | {found}/{len(children)} | {results / len(children):.1f} |"
        )

    child = children[0]
    query = KINDS["misspelt name"](child, rng)
    sql, params = Child.objects.filter(candidate_filter(query)).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql} LIMIT 400", params)
        print("\nplan of one misspelt-name candidate query:")
        for (line,) in cursor.fetchall():
            print("   ", line)


if __name__ == "__main__":
    main()
