"""Permission-matrix routes served by the assessments area (see tests/matrix.py for the helpers).

The assessor (here the lead professional, who started it) and the case's lead
professional may change an assessment; everyone else who can see the case may
read it and record a safeguarding concern; anyone else gets a 404.
"""

from __future__ import annotations

from django.utils import timezone

from assessments.models import Assessment
from tests.helpers import date_fields
from tests.matrix import SIGN_IN, Objects, Route, case_page


def _assessment(o: Objects) -> Assessment:
    from assessments.definition import default_definition
    from assessments.models import AssessmentTemplate
    from assessments.services.starting import start_assessment

    # Seeded by a data migration, but transactional tests empty every table.
    AssessmentTemplate.objects.get_or_create(
        code="caf-2009",
        version=1,
        defaults={"name": "CAF", "definition": default_definition(), "is_default": True},
    )
    lead = o.case.lead_assignment
    assert lead is not None
    return start_assessment(o.case, child=o.case.children.get(), by=lead.professional)


def _editors(ok: int) -> dict[str, int | frozenset[int]]:
    # Readers who may not edit are refused (403); those who cannot see the case get 404.
    return case_page(403) | {"lead": ok, "anonymous": SIGN_IN}


def _on(ok: int, **data: str) -> Route:
    return Route("post", args=lambda o: [_assessment(o).pk], expect=_editors(ok), data=data)


ROUTES: dict[str, Route] = {
    # The lead professional and TAC members may start an assessment; managers and
    # the coordinator read cases but are not on the team.
    "assessments:start": Route(
        "get",
        args=lambda o: [o.case.pk, o.case.children.get().pk],
        expect=case_page(403) | {"lead": 200, "member": 200, "anonymous": SIGN_IN},
    ),
    "assessments:detail": Route("get", args=lambda o: [_assessment(o).pk], expect=case_page()),
    "assessments:section": Route(
        "get", args=lambda o: [_assessment(o).pk, "story"], expect=case_page()
    ),
    "assessments:family_copy": Route("get", args=lambda o: [_assessment(o).pk], expect=case_page()),
    "assessments:family_copy_print": Route(
        "get", args=lambda o: [_assessment(o).pk], expect=case_page()
    ),
    "assessments:save_section": Route(
        "post",
        args=lambda o: [_assessment(o).pk, "story"],
        expect=_editors(302),
        data={"fields": "narrative", "f_narrative": "Matrix", "v_narrative": "0"},
    ),
    "assessments:save_element": Route(
        "post",
        args=lambda o: [_assessment(o).pk, "learning"],
        expect=_editors(302),
        data={"fields": "strengths", "f_strengths": "Matrix", "v_strengths": "0"},
    ),
    "assessments:save_view": Route(
        "post",
        args=lambda o: [_assessment(o).pk, "child"],
        expect=_editors(302),
        data={
            "fields": "own_words,communication_method",
            "f_own_words": "Matrix",
            "v_own_words": "0",
            "f_communication_method": "spoken",
            "v_communication_method": "0",
        },
    ),
    # An empty consent form is refused with messages (400) for the editors.
    "assessments:record_consent": Route(
        "post", args=lambda o: [_assessment(o).pk, "start"], expect=_editors(400)
    ),
    "assessments:awaiting_consent": _on(302),
    # A fresh draft cannot begin (no consent), be shared, completed, resumed or
    # revised: the editors see why (400); others never get that far.
    "assessments:begin": _on(400),
    "assessments:share": _on(400),
    "assessments:complete": _on(400),
    "assessments:resume": _on(400),
    "assessments:revise": _on(400),
    "assessments:abandon": _on(302, reason="Family declined"),
    "assessments:family_copy_given": Route(
        "post",
        args=lambda o: [_assessment(o).pk],
        expect=_editors(302),
        data=lambda: date_fields("given_on", timezone.localdate()),
    ),
    # Escalation is never blocked: anyone who can see the case may record it.
    "assessments:escalate": Route(
        "post", args=lambda o: [_assessment(o).pk], expect=case_page(302), data={"note": ""}
    ),
}
