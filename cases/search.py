"""Find a child: typo- and sound-alike tolerant matching over indexed candidates.

A search never scans the children table (and needs no database extension: the
embedded PostgreSQL used by ``make run`` has no ``pg_trgm``). Candidates come from
indexed columns only: the NHS number, the sound-alike keys and the typing-slip keys of
the names (``cases.phonetics``), the date of birth (also with day and month swapped)
and the postcode, combined so that every branch of the ``OR`` is an index lookup. The
candidates are then scored in Python with ``rapidfuzz`` and the likely matches returned, best first.

Who may see what is decided here too (DOMAIN §6, ARCHITECTURE §5): a full row only
for a child the user may see through a case; for a child in an open case the user
may not see, one line saying who to contact; nothing at all otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Prefetch, Q
from rapidfuzz import fuzz

from cases import phonetics
from cases.expressions import AnyOf
from cases.models import Case, CaseSubject, Child, KnownName, LeadProfessionalAssignment
from cases.validators import normalise_postcode

if TYPE_CHECKING:
    from agencies.models import User

#: At most this many candidates are scored (the best-narrowed branches first).
CANDIDATE_LIMIT = 400
#: At most this many results are shown.
RESULT_LIMIT = 25
#: A candidate scoring below this is not a likely match.
LIKELY_MATCH_SCORE = 65.0


@dataclass(frozen=True)
class ChildQuery:
    given_names: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""
    nhs_number: str = ""

    @property
    def kinds(self) -> list[str]:
        """Which parts were given (for the security log: no values)."""
        parts = {
            "given_names": self.given_names,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "postcode": self.postcode,
            "nhs_number": self.nhs_number,
        }
        return [name for name, value in parts.items() if value]


@dataclass
class Match:
    child: Child
    score: float
    reasons: list[str] = field(default_factory=list)


def swapped(day: date) -> date | None:
    """The date with day and month swapped, when that is a different real date."""
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def _dates(query: ChildQuery) -> list[date]:
    if query.date_of_birth is None:
        return []
    other = swapped(query.date_of_birth)
    return [query.date_of_birth] if other is None else [query.date_of_birth, other]


def candidate_filter(query: ChildQuery) -> Q:
    """An ``OR`` of index lookups on ``Child`` that every likely match satisfies."""
    family_meta = phonetics.metaphone(query.family_name)
    family_sdx = phonetics.soundex(query.family_name)
    given_meta = phonetics.metaphone(phonetics.first_word(query.given_names))
    family_slips = phonetics.family_slip_keys(query.family_name)
    given_slips = phonetics.given_slip_keys(query.given_names)
    postcode = normalise_postcode(query.postcode) if query.postcode else ""
    dates = _dates(query)

    branches: list[Q] = []
    if query.nhs_number:
        branches.append(Q(nhs_number=query.nhs_number))
    if family_slips and given_slips:
        # A typing slip in each name: both names within one slip, through the GIN index
        # of the slip keys (the two overlaps are one bitmap index scan).
        branches.append(
            Q(name_slip_keys__overlap=family_slips) & Q(name_slip_keys__overlap=given_slips)
        )
    if dates:
        on_date = Q(date_of_birth__in=dates)
        if family_meta:
            branches.append(on_date & Q(family_name_metaphone=family_meta))
            # A slip that changes both sound keys rarely changes the first letter: the
            # children born that day (the date index) whose family name starts the same.
            branches.append(on_date & Q(family_name_soundex__startswith=family_sdx[:1]))
        if family_slips or given_slips:
            # ... and whatever the letter: born that day, either name within one slip.
            branches.append(on_date & Q(name_slip_keys__overlap=family_slips + given_slips))
        if given_meta:
            branches.append(on_date & Q(given_name_metaphone=given_meta))
        if postcode:
            branches.append(on_date & Q(postcode=postcode))
        if not (family_meta or given_meta or postcode):
            branches.append(on_date)
    else:
        if family_meta and given_meta:
            branches.append(Q(family_name_metaphone=family_meta, given_name_metaphone=given_meta))
            # Soundex drops vowels and doubled letters: it catches most typing slips
            # that change the metaphone ("Smiht").
            branches.append(Q(family_name_soundex=family_sdx, given_name_metaphone=given_meta))
        elif family_meta and postcode:
            branches.append(Q(family_name_metaphone=family_meta, postcode=postcode))
        elif family_meta:
            branches.append(Q(family_name_metaphone=family_meta))
        if postcode and given_meta:
            branches.append(Q(postcode=postcode, given_name_metaphone=given_meta))
        if postcode and not (family_meta or given_meta):
            branches.append(Q(postcode=postcode))
    known = _known_name_filter(family_meta, family_sdx, given_meta, dates)
    if family_slips and given_slips:
        slipped = Q(name_slip_keys__overlap=family_slips) & Q(name_slip_keys__overlap=given_slips)
        known = slipped if known is None else known | slipped
    if known is not None:
        branches.append(
            Q(
                AnyOf(
                    F("pk"),
                    ArraySubquery(KnownName.objects.filter(known).order_by().values("child_id")),
                )
            )
        )
    if not branches:
        return Q(pk__in=[])
    combined = branches[0]
    for branch in branches[1:]:
        combined |= branch
    return combined


def _known_name_filter(
    family_meta: str, family_sdx: str, given_meta: str, dates: list[date]
) -> Q | None:
    """Index lookups on the names children were known by before (``KnownName``)."""
    if family_meta and given_meta:
        return Q(family_name_metaphone=family_meta, given_name_metaphone=given_meta) | Q(
            family_name_soundex=family_sdx, given_name_metaphone=given_meta
        )
    if family_meta and dates:
        return Q(family_name_metaphone=family_meta, child__date_of_birth__in=dates)
    if given_meta and dates:
        return Q(given_name_metaphone=given_meta, child__date_of_birth__in=dates)
    if family_meta:
        return Q(family_name_metaphone=family_meta)
    return None


#: How alike two names one typing slip apart count: a little more than names that only
#: sound alike (90), which may be several letters apart ("Woosd" sounds like "West", and
#: is one slip from "Woods").
ONE_SLIP_SIMILARITY = 92.0


def _name_score(query: str, value: str, *, slip_in: Callable[[str], str] = str) -> float:
    """0 to 100: fuzzy similarity, at least ``ONE_SLIP_SIMILARITY`` when the names
    (``slip_in`` of them: the first given name) are one typing slip apart."""
    if not query:
        return 0.0
    similarity = float(fuzz.WRatio(query.lower(), value.lower()))
    if similarity < ONE_SLIP_SIMILARITY and phonetics.one_slip_apart(
        slip_in(query), slip_in(value)
    ):
        return ONE_SLIP_SIMILARITY
    return similarity


def score(query: ChildQuery, child: Child) -> Match:
    """How likely ``child`` is the child described, 0 to 100, with the reasons why.

    A child's earlier names count as well as the current one (the best of them wins).
    """
    best = _score_as(query, child, child)
    for known in child.known_names.all():
        match = _score_as(query, child, known)
        if match.score > best.score:
            match.reasons.append(f"earlier name {known.full_name}")
            best = match
    return best


def _score_as(query: ChildQuery, child: Child, name: Child | KnownName) -> Match:
    """The score of ``child`` if it were known by ``name`` (its own, or an earlier one)."""
    reasons: list[str] = []
    if query.nhs_number and child.nhs_number == query.nhs_number:
        return Match(child, 100.0, ["NHS number"])

    points = 0.0
    weight = 0.0
    if query.family_name:
        weight += 40
        similarity = _name_score(query.family_name, name.family_name)
        if phonetics.metaphone(query.family_name) == name.family_name_metaphone:
            similarity = max(similarity, 90.0)
        points += 40 * similarity / 100
        if similarity >= 80:
            reasons.append("family name")
    if query.given_names:
        weight += 25
        similarity = _name_score(query.given_names, name.given_names, slip_in=phonetics.first_word)
        given_meta = phonetics.metaphone(phonetics.first_word(query.given_names))
        if given_meta and given_meta == name.given_name_metaphone:
            similarity = max(similarity, 90.0)
        points += 25 * similarity / 100
        if similarity >= 80:
            reasons.append("given name")
    if query.date_of_birth:
        weight += 25
        if child.date_of_birth == query.date_of_birth:
            points += 25
            reasons.append("date of birth")
        elif child.date_of_birth == swapped(query.date_of_birth):
            points += 18
            reasons.append("date of birth (day and month swapped)")
    if query.postcode:
        weight += 10
        if child.postcode == normalise_postcode(query.postcode):
            points += 10
            reasons.append("postcode")
    if query.nhs_number:
        weight += 20  # given but different: counts against the candidate
    return Match(child, round(100 * points / weight, 1) if weight else 0.0, reasons)


def find_children(query: ChildQuery) -> list[Match]:
    """The likely matches for ``query``, best first (one query whatever the data)."""
    # No ORDER BY: sorting would tempt the planner to walk the primary key instead of
    # the bitmap of the index branches. Candidates are ranked by score below.
    candidates = (
        Child.objects.filter(candidate_filter(query))
        # A record merged into another is found through the record kept.
        .filter(merged_into__isnull=True)
        .prefetch_related("known_names")
        .order_by()[:CANDIDATE_LIMIT]
    )
    matches = [score(query, child) for child in candidates]
    likely = [m for m in matches if m.score >= LIKELY_MATCH_SCORE]
    likely.sort(key=lambda m: (-m.score, m.child.family_name, m.child.given_names, m.child.pk))
    return likely[:RESULT_LIMIT]


def find_children_in_bulk(queries: Sequence[ChildQuery], *, chunk: int = 1000) -> list[list[Match]]:
    """The likely matches for each of many queries (a file of children to import), scored
    as ``find_children`` scores them, best first.

    Candidates are loaded in sets, not one query per child: every child born on one of
    the queries' dates of birth (or with the day and month swapped), with one of their
    NHS numbers, or earlier known by one of their names. That covers every branch
    ``candidate_filter`` uses for a query with a date of birth. A few queries per
    ``chunk`` dates, whatever the number of rows.
    """
    dates: set[date] = set()
    numbers: set[str] = set()
    name_keys: set[tuple[str, str]] = set()
    for query in queries:
        dates.update(_dates(query))
        if query.nhs_number:
            numbers.add(query.nhs_number)
        family_meta = phonetics.metaphone(query.family_name)
        given_meta = phonetics.metaphone(phonetics.first_word(query.given_names))
        if family_meta and given_meta:
            name_keys.add((family_meta, given_meta))

    # Children once known by one of the names: (family key, given key) -> their ids.
    known_by_name: dict[tuple[str, str], set[int]] = {}
    family_metas = sorted({family for family, _ in name_keys})
    for start in range(0, len(family_metas), chunk):
        rows = KnownName.objects.filter(
            family_name_metaphone__in=family_metas[start : start + chunk]
        ).values_list("child_id", "family_name_metaphone", "given_name_metaphone")
        for child_id, family_meta, given_meta in rows:
            if (family_meta, given_meta) in name_keys:
                known_by_name.setdefault((family_meta, given_meta), set()).add(child_id)

    candidates: dict[int, Child] = {}
    live = Child.objects.filter(merged_into__isnull=True).prefetch_related("known_names")
    lookups: list[tuple[str, list[Any]]] = [
        ("date_of_birth__in", sorted(dates)),
        ("nhs_number__in", sorted(numbers)),
        ("pk__in", sorted(set().union(*known_by_name.values()))),
    ]
    for lookup, values in lookups:
        for start in range(0, len(values), chunk):
            for child in live.filter(**{lookup: values[start : start + chunk]}):
                candidates[child.pk] = child

    by_date: dict[date | None, list[Child]] = {}
    by_number: dict[str, list[Child]] = {}
    for child in candidates.values():
        by_date.setdefault(child.date_of_birth, []).append(child)
        if child.nhs_number:
            by_number.setdefault(child.nhs_number, []).append(child)

    results = []
    for query in queries:
        pool: dict[int, Child] = {}
        for day in _dates(query):
            pool.update((c.pk, c) for c in by_date.get(day, []))
        pool.update((c.pk, c) for c in by_number.get(query.nhs_number, []))
        keys = (
            phonetics.metaphone(query.family_name),
            phonetics.metaphone(phonetics.first_word(query.given_names)),
        )
        pool.update((pk, candidates[pk]) for pk in known_by_name.get(keys, ()) if pk in candidates)
        matches = [score(query, child) for child in pool.values()]
        likely = [m for m in matches if m.score >= LIKELY_MATCH_SCORE]
        likely.sort(key=lambda m: (-m.score, m.child.family_name, m.child.given_names, m.child.pk))
        results.append(likely[:RESULT_LIMIT])
    return results


@dataclass
class VisibleResult:
    child: Child
    score: float
    reasons: list[str]
    case: Case | None  # the visible case to open (the open one when there is one)
    open_case: Case | None
    #: When the child's open case is one the user cannot see: who to contact.
    elsewhere: str = ""


@dataclass
class KnownElsewhere:
    """A child in an open case the user may not see: who to contact, nothing else.

    ``case_id`` is never shown: the page offers to ask to join that case's team through
    an opaque token kept in the session (``cases.views.team``).
    """

    contact: str
    case_id: int | None = None
    offer: str = ""


@dataclass
class SearchOutcome:
    visible: list[VisibleResult]
    known_elsewhere: list[KnownElsewhere]
    hidden: int  # likely matches the user is told nothing about
    #: Every likely match, shown or not: kept with a new record's duplicate check, never shown.
    matched_ids: list[int] = field(default_factory=list)
    #: Shown children whose address (and so postcode) is restricted: shown as "Restricted".
    restricted_addresses: frozenset[int] = frozenset()

    @property
    def may_be_more(self) -> bool:
        """As many matches as are shown: a broad search; more details would narrow it."""
        return len(self.matched_ids) >= RESULT_LIMIT

    @property
    def shown(self) -> list[tuple[int, int | None]]:
        """(child id, case id) pairs shown in full, for the record-access log."""
        return [(r.child.pk, r.case.pk if r.case else None) for r in self.visible]


def _contact_for(case: Case) -> str:
    lead = case.lead_assignment
    if lead is None:
        return "the early help hub"
    agency = lead.agency or lead.professional.agency
    team = lead.professional.team
    phone = (team.phone if team and team.phone else "") or (agency.phone if agency else "")
    name = agency.name if agency else "the lead professional's agency"
    return f"{name}, {phone}" if phone else name


def known_to_early_help(case: Case) -> str:
    """The one line shown for a child in an open case the user may not see."""
    return f"Known to early help: contact {_contact_for(case)}"


def children_visible_to(user: User, ids: Iterable[int]) -> set[int]:
    """Which of the children ``ids`` ``user`` may see: those with a case the user may see.

    The rule ``resolve_for_user`` shows a full row by, for a write path that is
    handed a child id (a forged form must not reach a child the user was never shown).
    """
    visible_cases = Case.objects.visible_to(user).values("pk")
    return set(
        CaseSubject.objects.filter(child_id__in=list(ids), case__in=visible_cases).values_list(
            "child_id", flat=True
        )
    )


def resolve_for_user(user: User, matches: Iterable[Match]) -> SearchOutcome:
    """Split matches into what ``user`` may see (fixed number of queries)."""
    matches = list(matches)
    ids = [m.child.pk for m in matches]
    # The cases come by primary key (a prefetch, not a join): index lookups whatever
    # the planner's estimates.
    subjects = list(
        CaseSubject.objects.filter(child_id__in=ids)
        .prefetch_related(
            Prefetch("case", queryset=Case.objects.select_related("current_level")),
            Prefetch(
                "case__lead_assignments",
                queryset=LeadProfessionalAssignment.objects.active().select_related(
                    "professional__team", "professional__agency", "agency"
                ),
                to_attr="active_lead_assignments",
            ),
        )
        .order_by("child_id", "-case_id")
    )
    # Decided for these few cases only, so the access rules run as index lookups.
    visible = set(
        Case.objects.visible_to(user)
        .filter(pk__in={s.case_id for s in subjects})
        .values_list("pk", flat=True)
    )
    by_child: dict[int, list[CaseSubject]] = {}
    for subject in subjects:
        by_child.setdefault(subject.child_id, []).append(subject)

    outcome = SearchOutcome(visible=[], known_elsewhere=[], hidden=0, matched_ids=ids)
    for match in matches:
        rows = by_child.get(match.child.pk, [])
        seen = [s for s in rows if s.case_id in visible]
        open_row = next((s for s in rows if s.is_open), None)
        if seen:
            open_seen = next((s.case for s in seen if s.is_open), None)
            elsewhere = ""
            if open_seen is None and open_row is not None:
                elsewhere = known_to_early_help(open_row.case)
            outcome.visible.append(
                VisibleResult(
                    match.child,
                    match.score,
                    match.reasons,
                    open_seen or seen[0].case,
                    open_seen,
                    elsewhere,
                )
            )
        elif open_row is not None:
            outcome.known_elsewhere.append(
                KnownElsewhere(known_to_early_help(open_row.case), case_id=open_row.case_id)
            )
        else:
            outcome.hidden += 1
    return outcome


def open_cases_matching(reference: str, query: ChildQuery) -> list[Case]:
    """Emergency access: the open case with ``reference``, or the open cases of the
    children who match ``query`` as "Find a child" would find them (best match first).

    Run only once the person has said why they need emergency access.
    """
    if reference:
        return list(Case.objects.open().filter(reference=reference).prefetch_related("children"))
    if not query.kinds:
        return []
    ranked = [m.child.pk for m in find_children(query)]
    cases = (
        Case.objects.open()
        .filter(subjects__child_id__in=ranked)
        .distinct()
        .prefetch_related("children")
    )

    def rank(case: Case) -> int:
        return min(ranked.index(c.pk) for c in case.children.all() if c.pk in ranked)

    return sorted(cases, key=rank)
