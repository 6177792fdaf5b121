"""The directory of professionals: finding someone by name, agency or team.

It lists people who could work on a case (active accounts in the roles that work on
cases: never the system administrators or information governance, who join no team).
It holds no case data.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from agencies.models import User

#: At most this many people are listed: a longer list means the words were too broad.
DIRECTORY_LIMIT = 20
#: Words shorter than this match too much to be useful.
MIN_TERM_LENGTH = 2


def directory() -> QuerySet[User]:
    """Everyone who could be added to a team."""
    return User.objects.filter(is_active=True, role__in=User.CASE_WORKING_ROLES).select_related(
        "agency", "team"
    )


def find_professionals(text: str) -> list[User]:
    """The professionals whose name, job title, agency or team holds every word of ``text``.

    Best first: exact name matches, then by name. Empty or too short words find nobody.
    """
    terms = [t for t in text.split() if len(t) >= MIN_TERM_LENGTH]
    if not terms:
        return []
    people = directory()
    for term in terms:
        people = people.filter(
            Q(full_name__icontains=term)
            | Q(job_title__icontains=term)
            | Q(agency__name__icontains=term)
            | Q(team__name__icontains=term)
        )
    return list(people.order_by("full_name", "pk")[:DIRECTORY_LIMIT])
