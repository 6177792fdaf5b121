"""Sound-alike keys for children's names, stored on ``Child`` and indexed for search.

The same functions compute the stored keys (``Child.save``, the data migration, the
bulk demo seed, imports) and the keys a search looks up, so the two always agree. Two
kinds: sound-alike keys (metaphone, soundex) for names misheard, and slip keys (the
deletion neighbourhood of each name) for names mistyped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypedDict

import jellyfish
from rapidfuzz.distance import OSA

_NOT_LETTERS = re.compile(r"[^A-Za-z ]+")


def _plain(value: str) -> str:
    """ASCII letters and spaces only: accents dropped, hyphens and apostrophes removed."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = decomposed.encode("ascii", "ignore").decode()
    return _NOT_LETTERS.sub("", ascii_only.replace("-", " ")).strip()


def first_word(value: str) -> str:
    words = _plain(value).split()
    return words[0] if words else ""


def metaphone(value: str) -> str:
    """Metaphone of the whole name with its spaces removed ("O'Brien" → "OBRN")."""
    plain = _plain(value).replace(" ", "")
    return jellyfish.metaphone(plain)[:20] if plain else ""


def soundex(value: str) -> str:
    plain = _plain(value).replace(" ", "")
    return jellyfish.soundex(plain) if plain else ""


#: Letters of a name that its slip keys are made from: a slip past them is not looked for.
SLIP_KEY_LETTERS = 20
#: The prefixes that keep the family name's slip keys apart from the given name's.
FAMILY_PREFIX = "f:"
GIVEN_PREFIX = "g:"


def _letters(value: str) -> str:
    return _plain(value).replace(" ", "").lower()[:SLIP_KEY_LETTERS]


def deletion_neighbourhood(value: str) -> list[str]:
    """The name and every way of leaving one letter out of it ("ann" -> ann, an, nn).

    Two names one typing slip apart (a letter changed, added, left out, or two next to
    each other swapped) always have a string in common here: this is the symmetric
    delete idea (as in SymSpell), which needs only equality on stored keys, so an
    ordinary GIN index on an array column serves it (no ``pg_trgm`` needed).
    """
    letters = _letters(value)
    if not letters:
        return []
    keys = {letters}
    if len(letters) > 1:
        keys.update(letters[:i] + letters[i + 1 :] for i in range(len(letters)))
    return sorted(keys)


def family_slip_keys(family_name: str) -> list[str]:
    return [FAMILY_PREFIX + key for key in deletion_neighbourhood(family_name)]


def given_slip_keys(given_names: str) -> list[str]:
    """Keys of the first given name: the one people type when searching."""
    return [GIVEN_PREFIX + key for key in deletion_neighbourhood(first_word(given_names))]


def name_slip_keys(given_names: str, family_name: str) -> list[str]:
    """The stored ``name_slip_keys`` of a child (or earlier name) with these names."""
    return family_slip_keys(family_name) + given_slip_keys(given_names)


def one_slip_apart(a: str, b: str) -> bool:
    """Whether two names are the same or one typing slip apart (letters only, any case)."""
    return OSA.distance(_letters(a), _letters(b), score_cutoff=1) <= 1


class ChildNameKeys(TypedDict):
    family_name_metaphone: str
    family_name_soundex: str
    given_name_metaphone: str
    name_slip_keys: list[str]


def child_name_keys(given_names: str, family_name: str) -> ChildNameKeys:
    """The indexed key columns of a child with these names."""
    return {
        "family_name_metaphone": metaphone(family_name),
        "family_name_soundex": soundex(family_name),
        "given_name_metaphone": metaphone(first_word(given_names)),
        "name_slip_keys": name_slip_keys(given_names, family_name),
    }
