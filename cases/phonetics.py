"""Sound-alike keys for children's names, stored on ``Child`` and indexed for search.

The same functions compute the stored keys (``Child.save``, the data migration, the
bulk demo seed) and the keys a search looks up, so the two always agree.
"""

from __future__ import annotations

import re
import unicodedata

import jellyfish

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


def child_name_keys(given_names: str, family_name: str) -> dict[str, str]:
    """The indexed key columns of a child with these names."""
    return {
        "family_name_metaphone": metaphone(family_name),
        "family_name_soundex": soundex(family_name),
        "given_name_metaphone": metaphone(first_word(given_names)),
    }
