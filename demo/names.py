"""Fictional names and identifiers, deterministic for a seed."""

from __future__ import annotations

import random
from collections.abc import Sequence

from faker import Faker


def weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> list[str]:
    """Expand weights into a list that ``rng.choice`` samples from."""
    out: list[str] = []
    for value, weight in pairs:
        out.extend([value] * max(1, round(weight * 10)))
    return out


class NamePools:
    """Fictional names drawn once from a seeded Faker, then sampled cheaply."""

    def __init__(self, seed: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.female = sorted({fake.first_name_female() for _ in range(1500)})
        self.male = sorted({fake.first_name_male() for _ in range(1500)})
        self.surnames = sorted({fake.last_name() for _ in range(3000)})


class NhsNumbers:
    """Valid (modulus 11) NHS numbers from the 999 range, which is never issued.

    A random permutation of the six middle digits, so the numbers are unique and
    deterministic for a seed; about 909,000 exist, after which children get none.
    """

    def __init__(self, rng: random.Random) -> None:
        while True:
            self._a = rng.randrange(100_001, 999_999, 2)
            if self._a % 5:
                break
        self._b = rng.randrange(1_000_000)
        self._i = 0
        self._step = 1

    def take_share(self, share: int, shares: int) -> None:
        """Give out only every ``shares``-th number from the ``share``-th on, so that
        planners working side by side never give out the same one."""
        self._i, self._step = share, shares

    def next(self) -> str:
        while self._i < 1_000_000:
            middle = (self._a * self._i + self._b) % 1_000_000
            self._i += self._step
            digits = f"999{middle:06d}"
            total = 243 + sum(int(d) * (7 - i) for i, d in enumerate(digits[3:]))
            check = 11 - total % 11
            if check == 11:
                check = 0
            if check != 10:
                return f"{digits}{check}"
        return ""
