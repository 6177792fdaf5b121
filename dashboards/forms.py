from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container, Mapping, Sequence
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from agencies.models import User
from dashboards.leavers import CaseHeld
from dashboards.metrics import (
    AGENCY_MATCH_LIMIT,
    DEFAULT_PERIOD,
    FILTER_LIST_LIMIT,
    PERIOD_CHOICES,
    AgencyChoice,
    Choices,
    Filters,
    Scope,
    TeamChoice,
    agencies_matching,
    render_options,
)
from tac_portal.forms import GovUKDateField


def _as_id(raw: str) -> int:
    return int(raw) if raw.isdigit() else 0


class KnownIds(Container[str]):
    """The ids (as submitted, text) of a mapping by id: checked without a set of them."""

    def __init__(self, by_id: Mapping[int, Any]) -> None:
        self.by_id = by_id

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value.isdigit() and int(value) in self.by_id


class IdChoiceField(forms.TypedChoiceField):
    """A choice among many ids (a large authority has thousands of teams): checked
    against a set, and offered as ``<option>`` elements rendered once per refresh."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, coerce=int, required=False, empty_value=None, **kwargs)
        self.known: Container[str] = frozenset()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.known


class FilterForm(forms.Form):
    """The dashboard's period picker and filters. Figures only: no personal data."""

    period = forms.TypedChoiceField(
        label="Period",
        choices=PERIOD_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        initial=DEFAULT_PERIOD,
    )
    team = IdChoiceField(label="Team")
    agency = IdChoiceField(
        label="Lead professional's agency",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    # A large authority's agencies are not listed: the coordinator types part of a name.
    agency_name = forms.CharField(
        label="Lead professional's agency",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": False}),
    )
    locality = forms.ChoiceField(label="Locality", required=False)
    level = forms.TypedChoiceField(
        label="Level of need", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, scope: Scope, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.option_lists: dict[str, list[tuple[Any, str]]] = {"period": list(PERIOD_CHOICES)}
        self.rendered: dict[str, SafeString] = {}
        every: list[tuple[Any, str]] = [("", "All")]
        chosen_locality = self._raw("locality")
        #: A large authority's agency filter is typed (``agency_name``), not listed.
        self.agency_typed = scope.is_authority and len(choices.agencies) > FILTER_LIST_LIMIT
        #: Several agencies matched what was typed: the first few, to choose one from.
        self.agency_matches: list[AgencyChoice] = []
        self.more_agency_matches = 0
        self._typed_agency: AgencyChoice | None = None
        if self.agency_typed:
            self._find_typed_agency(choices)
        chosen_agency = self._raw("agency") if scope.is_authority else ""
        if self._typed_agency is not None:
            chosen_agency = str(self._typed_agency.pk)
        teams: Sequence[TeamChoice] = choices.teams
        by = choices.teams_by
        if len(teams) > FILTER_LIST_LIMIT and by is not None:
            # Thousands of teams: list those of the chosen agency or locality only.
            teams = by.agency.get(_as_id(chosen_agency), ()) if chosen_agency else ()
            if not chosen_agency and chosen_locality:
                teams = by.locality.get(chosen_locality, ())
        elif len(teams) > FILTER_LIST_LIMIT:
            teams = [
                t
                for t in teams
                if (chosen_agency and str(t.agency_pk) == chosen_agency)
                or (not chosen_agency and chosen_locality and t.locality == chosen_locality)
            ]
        self._choose_id(
            "team",
            by.id if by is not None else {t.pk: t for t in choices.teams},
            self._bounded(
                "team",
                teams,
                choices.teams,
                choices.team_options if teams is choices.teams else None,
                lambda t: (t.pk, str(t)),
                "teams",
                "an agency or a locality",
            ),
        )
        self._choose("level", every + [(lv.pk, lv.label) for lv in choices.levels])
        self._choose("locality", every + [(name, name) for name in choices.localities])
        if self.agency_typed:
            # Hundreds of agencies: typed, matched in ``clean``; the id is still checked.
            cast(IdChoiceField, self.fields["agency"]).known = KnownIds(choices.agency_by_id)
            how_many = f"{len(choices.agencies):,} agencies in all"
            self.fields["agency_name"].help_text = f"{how_many}. Type part of the agency's name."
        elif scope.is_authority:
            self._choose_id(
                "agency",
                choices.agency_by_id or {a.pk: a for a in choices.agencies},
                choices.agency_options or render_options((a.pk, a.name) for a in choices.agencies),
            )
            del self.fields["agency_name"]
        else:
            # A manager's view is already their teams: the agency filter adds nothing.
            del self.fields["agency"]
            del self.fields["agency_name"]

    def _find_typed_agency(self, choices: Choices) -> None:
        """The agency typed (or, from a link, chosen by id and shown by name in the box)."""
        if not self.is_bound:
            return
        if "agency_name" not in self.data:
            chosen = choices.agency_by_id.get(_as_id(self._raw("agency")))
            if chosen is not None:
                self._show_name(chosen)
            return  # none chosen, or an id ``clean`` refuses
        typed = self._raw("agency_name")
        matches = agencies_matching(choices.agencies, typed)
        exact = " ".join(typed.split()).casefold()
        if matches and (len(matches) == 1 or matches[0].name.casefold() == exact):
            self._show_name(matches[0])
            return
        self.agency_matches = matches[:AGENCY_MATCH_LIMIT]
        self.more_agency_matches = len(matches) - len(self.agency_matches)

    def _show_name(self, agency: AgencyChoice) -> None:
        """Choose ``agency``, and show its whole name in the box."""
        self._typed_agency = agency
        shown = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        shown["agency_name"] = agency.name
        self.data = shown

    @property
    def agency_match_count(self) -> int:
        return len(self.agency_matches) + self.more_agency_matches

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.agency_typed:
            return data
        typed = str(data.get("agency_name") or "")
        if "agency" in self.errors:
            # An id from an old link or bookmark: said at the box the page shows.
            del self.errors["agency"]
            if not typed:
                self.add_error("agency_name", "Type part of the agency's name again")
        data["agency"] = self._typed_agency.pk if self._typed_agency is not None else None
        if typed and self._typed_agency is None and not self.agency_matches:
            self.add_error(
                "agency_name",
                f'No agency has "{typed}" in its name: check the spelling, or type less of it',
            )
        return data

    def agency_match_links(self) -> list[tuple[str, str]]:
        """Each agency that matched, with the query that chooses it (the other filters
        kept)."""
        kept = {
            name: self.data[name]
            for name in ("period", "team", "locality", "level")
            if self.is_bound and self.data.get(name)
        }
        return [(a.name, urlencode({**kept, "agency": a.pk})) for a in self.agency_matches]

    def _raw(self, name: str) -> str:
        """A filter's submitted value, before validation (to narrow the long lists)."""
        return str(self.data.get(name, "") or "") if self.is_bound else ""

    def _bounded(
        self,
        name: str,
        listed: Sequence[Any],
        every: Sequence[Any],
        rendered: SafeString | None,
        option: Callable[[Any], tuple[Any, str]],
        noun: str,
        narrow_by: str,
    ) -> SafeString:
        """The options of a long list: all of them up to ``FILTER_LIST_LIMIT``; past it,
        those of the chosen agency or locality (and always the chosen one), with a hint."""
        if rendered is not None and len(listed) <= FILTER_LIST_LIMIT:
            return rendered
        shown = list(listed[:FILTER_LIST_LIMIT])
        chosen = self._raw(name)
        if chosen and not any(str(item.pk) == chosen for item in shown):
            shown += [item for item in every if str(item.pk) == chosen][:1]
        if len(every) > FILTER_LIST_LIMIT:
            listing = "" if listed else f" Choose {narrow_by} and select Show to list its {noun}."
            if len(listed) > FILTER_LIST_LIMIT:
                listing = f" Showing the first {FILTER_LIST_LIMIT}: choose {narrow_by} to narrow."
            self.fields[name].help_text = f"{len(every):,} {noun} in all.{listing}"
        return render_options(option(item) for item in shown)

    def _choose(self, name: str, choices: list[tuple[Any, str]]) -> None:
        self.option_lists[name] = choices
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices

    def _choose_id(self, name: str, by_id: Mapping[int, Any], options: SafeString) -> None:
        field = cast(IdChoiceField, self.fields[name])
        field.known = KnownIds(by_id)
        self.rendered[name] = options

    def selects(self) -> list[tuple[forms.BoundField, SafeString]]:
        """Each filter with its options as HTML, built here: a team list runs to thousands."""
        out = []
        for bound in self:
            if bound.name == "agency" and self.agency_typed:
                continue  # typed in ``agency_name``
            if bound.name == "agency_name":
                out.append((bound, SafeString("")))  # a text box: no options
                continue
            chosen = "" if bound.value() is None else str(bound.value())
            if bound.name in self.rendered:
                out.append((bound, self._mark_chosen(bound, chosen)))
                continue
            choices = self.option_lists.get(bound.name, [])
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if str(value) == chosen else "", label)
                    for value, label in choices
                ),
            )
            out.append((bound, options))
        return out

    def _mark_chosen(self, bound: forms.BoundField, chosen: str) -> SafeString:
        """The "All" option and the rendered ones, the chosen one (a known id) selected."""
        options = str(self.rendered[bound.name])
        field = cast(IdChoiceField, bound.field)
        if chosen in field.known:
            options = options.replace(
                f'<option value="{chosen}">', f'<option value="{chosen}" selected>', 1
            )
        every = '<option value="">All</option>'
        if chosen == "":
            every = '<option value="" selected>All</option>'
        # Escaped by render_options; only a literal " selected" is added, at a known id.
        return mark_safe(every + options)  # noqa: S308  # nosec B308 B703  # nosemgrep

    def filters(self) -> Filters:
        """The chosen filters; anything invalid falls back to "All" (errors are shown)."""
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            period=data.get("period") or DEFAULT_PERIOD,
            team_id=data.get("team"),
            agency_id=data.get("agency"),
            locality=data.get("locality") or "",
            level_id=data.get("level"),
        )


class LateReasonForm(forms.Form):
    # The reason the page showed, posted back unchanged: a reason saved by someone else
    # since is not silently written over (tac_portal.concurrency).
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200, strip=False)
    reason = forms.CharField(
        label="Why is it late?",
        help_text="For example: the family asked to move the meeting. Leave empty to clear it.",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"max_length": "The reason must be 200 characters or fewer"},
    )

    def stale_values(self, record: Any) -> dict[str, Any]:
        """What the reason says now (a case's or an action's), for a stale save."""
        return {"reason": getattr(record, "review_late_reason", None) or record.late_reason}


class AnnexAForm(forms.Form):
    end = GovUKDateField(
        label="Last day of the six months",
        subject="The last day",
        help_text="Usually the day before the inspection. For example, 31 10 2026.",
        past=True,
        min_value=dt.date(2000, 1, 1),
    )


YES_NO = [("yes", "Yes"), ("no", "No")]
EVERYTHING_TO_MESSAGE = "Choose who takes over, for every case or for each case"


class SuccessorChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}, {obj.role_and_agency}"


class ReassignCaseloadForm(forms.Form):
    """Who takes a leaver's cases: one person for everything, or someone per case."""

    everything_to = SuccessorChoiceField(
        label="Who takes over every case?",
        help_text="Or choose someone for each case below.",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose for each case",
        error_messages={"invalid_choice": "Choose someone from the list"},
    )
    note = forms.CharField(
        label="Handover note",
        help_text="What the new lead needs to know: the family's situation, the plan, what "
        "is outstanding and any risks.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write a handover note for the new lead professional"},
    )
    family_consulted = forms.ChoiceField(
        label="Were the families consulted about their new lead professional?",
        choices=YES_NO,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Say whether the families were consulted"},
    )
    family_note = forms.CharField(
        label="What the families said, or why not, and how they will be told",
        help_text="Needed if the families were not consulted.",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        successors: QuerySet[User],
        held: list[CaseHeld],
        leaver: User,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.held = held
        field = self.fields["everything_to"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = successors
        for item in held:
            # Besides the teams' own people, anyone already on this case's team.
            on_the_team = (
                User.objects.filter(
                    Q(pk__in=successors.values("pk"))
                    | Q(
                        tac_memberships__case=item.case,
                        tac_memberships__left_at__isnull=True,
                        is_active=True,
                        role__in=User.CASE_WORKING_ROLES,
                    )
                )
                .exclude(pk=leaver.pk)
                .select_related("agency")
                .distinct()
                .order_by("full_name", "pk")
            )
            self.fields[f"case_{item.case.pk}"] = SuccessorChoiceField(
                label=f"Who takes {item.case.reference}?",
                help_text="Someone in the teams, or a professional already on the case's team.",
                queryset=on_the_team,
                required=False,
                empty_label="The person chosen above",
                error_messages={"invalid_choice": "Choose someone from the list"},
            )
            self.fields[f"lead_{item.case.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=item.lead_assignment_id
            )

    def rows(self) -> list[tuple[CaseHeld, forms.BoundField, forms.BoundField]]:
        return [
            (item, self[f"case_{item.case.pk}"], self[f"lead_{item.case.pk}"]) for item in self.held
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        everything = data.get("everything_to")
        missing = [
            item
            for item in self.held
            if everything is None and data.get(f"case_{item.case.pk}") is None
        ]
        if missing and "everything_to" not in self.errors:
            self.add_error("everything_to", EVERYTHING_TO_MESSAGE)
        return data

    def successors(self) -> dict[int, User]:
        everything = self.cleaned_data.get("everything_to")
        chosen: dict[int, User] = {}
        for item in self.held:
            to = self.cleaned_data.get(f"case_{item.case.pk}") or everything
            if to is not None:
                chosen[item.case.pk] = to
        return chosen

    def expected_leads(self) -> dict[int, int | None]:
        return {item.case.pk: self.cleaned_data.get(f"lead_{item.case.pk}") for item in self.held}
