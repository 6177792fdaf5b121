"""What every partner API endpoint that shows case data shares (ARCHITECTURE §5, §6).

``Viewer`` is the caller as the access policy sees it: a partner system (whose agency's
relationships decide what it reaches) or a signed-in professional (the access policy
without break-glass). ``CaseDataView`` gives an endpoint its viewer and writes the
record-access log for what the response shows; every endpoint in ``cases``,
``meetings`` and ``assessments`` that shows a child's record builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Q
from rest_framework import exceptions
from rest_framework.request import Request

from agencies.api_auth import PartnerPrincipal
from agencies.models import PartnerClient, User
from cases.access import (
    agency_relationship_filter,
    cases_visible_to_agency,
    record_records_shown,
    visible_cases_filter,
)
from cases.models import AccessPurpose, Case, CaseQuerySet, CaseSubject
from cases.sharing import information_levels
from tac_portal.api.views import ApiDetailView, ApiListView, ApiView, get_object_or_404

CASES_READ = "cases:read"


@dataclass(frozen=True)
class Viewer:
    """The caller as the access policy sees it: a partner client or a professional."""

    user: User | None
    client: PartnerClient | None

    @classmethod
    def of(cls, request: Request) -> Viewer:
        principal = request.user
        if isinstance(principal, PartnerPrincipal):
            return cls(user=None, client=principal.client)
        if isinstance(principal, User):
            return cls(user=principal, client=None)
        raise exceptions.NotAuthenticated()

    @property
    def agency_id(self) -> int | None:
        """The agency whose relationship and sharing preferences decide what is shown."""
        if self.client is not None:
            return self.client.agency_id
        return self.user.agency_id if self.user is not None else None

    @property
    def client_id(self) -> str:
        return self.client.client_id if self.client is not None else ""

    def visible_cases(self) -> CaseQuerySet:
        """The cases this caller may reach (404 and absent from lists otherwise).

        A professional's session follows the access policy without break-glass:
        emergency access is a browser journey with its own justification.
        """
        if self.client is not None:
            return cases_visible_to_agency(self.client.agency_id)
        if self.user is None:
            return Case.objects.none()
        return Case.objects.filter(visible_cases_filter(self.user, include_break_glass=False))

    def case_filter(self) -> Q:
        """The same policy as ``visible_cases()``, as probes: for reaching a case by id."""
        if self.client is not None:
            return agency_relationship_filter(self.client.agency_id)
        if self.user is None:
            return Q(pk__in=[])
        return visible_cases_filter(self.user, include_break_glass=False)

    def reachable_cases(self) -> CaseQuerySet:
        return Case.objects.filter(self.case_filter())


class CaseDataView(ApiView):
    """An endpoint that shows case data: it knows its viewer and logs what it shows."""

    @property
    def viewer(self) -> Viewer:
        return Viewer.of(self.request)

    def shown_records(self, objects: Sequence[Any]) -> Iterable[tuple[int, int | None]]:
        """The (child id, case id) pairs the response shows, for the record-access log."""
        return ()

    def log_access(self, objects: Sequence[Any]) -> None:
        shown = list(self.shown_records(objects))
        if shown:
            record_records_shown(
                self.request._request,
                shown,
                purpose=AccessPurpose.API,
                client_id=self.viewer.client_id,
            )


class CaseDataListView(CaseDataView, ApiListView):
    """A list of case data in cursor pages (``tac_portal.api.views.ApiListView``)."""


class CaseDataDetailView(CaseDataView, ApiDetailView):
    """One object of case data, with an ETag (``tac_portal.api.views.ApiDetailView``)."""


class CaseScopedListView(CaseDataListView):
    """A list belonging to one visible case (``case_pk`` in the URL); 404 otherwise."""

    required_scopes: ClassVar[Sequence[str]] = [CASES_READ]
    _case: Case | None = None
    _level: str | None = None

    @property
    def case(self) -> Case:
        if self._case is None:
            self._case = get_object_or_404(self.viewer.reachable_cases(), pk=self.kwargs["case_pk"])
        return self._case

    @property
    def level(self) -> str:
        """What the caller's agency may see of this case under the sharing preferences."""
        if self._level is None:
            self._level = information_levels([self.case.pk], self.viewer.agency_id)[self.case.pk]
        return self._level

    def shown_records(self, objects: Sequence[Any]) -> Iterable[tuple[int, int | None]]:
        children = CaseSubject.objects.filter(case=self.case).values_list("child_id", flat=True)
        return [(child_id, self.case.pk) for child_id in children]
