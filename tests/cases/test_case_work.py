"""Consent and sharing, disclosure decisions, safeguarding concerns, the case page, My work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from cases.models import (
    Case,
    Child,
    ConsentRecord,
    DisclosureDecision,
    FamilyMember,
    LevelOfNeed,
    RecordAccess,
    SafeguardingConcern,
)
from cases.panels import CasePanel
from cases.services.common import CaseError
from cases.services.consent import (
    raise_safeguarding_concern,
    record_consent,
    record_disclosure_decision,
    withdraw_consent,
)
from cases.services.lifecycle import record_level_of_need


def _today() -> dict[str, str]:
    today = timezone.localdate()
    return {"day": str(today.day), "month": str(today.month), "year": str(today.year)}


def _consent_data(family_member: FamilyMember, case: Case, **overrides: Any) -> dict[str, Any]:
    today = _today()
    data: dict[str, Any] = {
        "kind": "sharing_preference",
        "given_by": f"member:{family_member.pk}",
        "subject_children": [str(c.pk) for c in case.children.all()],
        "capacity_basis": "adult",
        "method": "verbal",
        "given_on_day": today["day"],
        "given_on_month": today["month"],
        "given_on_year": today["year"],
        "information_level": "additional",
    }
    data.update(overrides)
    return data


def test_recording_sharing_preferences_shows_them_on_the_case(
    case: Case,
    family_member: FamilyMember,
    member: User,
    member_client: Client,
    school_agency: Agency,
    early_help_agency: Agency,
) -> None:
    url = reverse("cases:consent_new", args=[case.pk])
    form = member_client.get(url).content.decode()
    assert "Riverside Primary School" in form  # a TAC agency to tick
    response = member_client.post(
        url,
        _consent_data(
            family_member,
            case,
            agencies_allowed=[str(school_agency.pk)],
            agencies_excluded=[str(early_help_agency.pk)],
        ),
    )
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#family"
    consent = ConsentRecord.objects.get()
    assert consent.given_by == family_member
    assert consent.recorded_by == member
    assert list(consent.agencies_allowed.all()) == [school_agency]
    assert list(consent.agencies_excluded.all()) == [early_help_agency]
    page = member_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Sharing preference" in page
    assert "Pat Parent (Mother)" in page
    assert case.events.filter(code="consent.recorded").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_by": ""}, "Choose who gave it"),
        ({"subject_children": []}, "Choose the children it covers"),
        ({"given_on_year": "2999"}, "Date given must be today or in the past"),
        ({"method": ""}, "Select how it was given"),
    ],
)
def test_bad_consent_input_is_refused(
    case: Case,
    family_member: FamilyMember,
    lead_client: Client,
    overrides: dict[str, Any],
    message: str,
) -> None:
    response = lead_client.post(
        reverse("cases:consent_new", args=[case.pk]),
        _consent_data(family_member, case, **overrides),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert not ConsentRecord.objects.exists()


def test_an_agency_cannot_be_allowed_and_excluded(
    case: Case, family_member: FamilyMember, lead_client: Client, school_agency: Agency
) -> None:
    response = lead_client.post(
        reverse("cases:consent_new", args=[case.pk]),
        _consent_data(
            family_member,
            case,
            agencies_allowed=[str(school_agency.pk)],
            agencies_excluded=[str(school_agency.pk)],
        ),
    )
    assert "cannot be both allowed and excluded" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_withdrawing_agreement_to_early_help_is_recorded_and_shown(
    case: Case, family_member: FamilyMember, lead: User, lead_client: Client
) -> None:
    consent = record_consent(
        case, by=lead, kind=ConsentRecord.Kind.AGREEMENT_TO_SERVICE, given_by=family_member,
        given_by_child=None, subject_children=list(case.children.all()),
        capacity_basis="adult", method="written", given_at=timezone.now(),
    )  # fmt: skip
    url = reverse("cases:consent_withdraw", args=[case.pk, consent.pk])
    assert "Describe what the family said" in lead_client.post(url, {}).content.decode()
    response = lead_client.post(url, {"withdrawal_note": "Mum phoned: no longer wants support."})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "The family withdrew their agreement to early help" in page
    assert "no longer wants support" in page
    assert case.events.filter(code="consent.withdrawn.agreement_to_service").exists()
    with pytest.raises(CaseError):
        withdraw_consent(consent, by=lead, note="again")


def test_someone_who_cannot_see_the_case_cannot_record_consent(
    case: Case, family_member: FamilyMember, outsider: User
) -> None:
    with pytest.raises(Exception, match="cannot record"):
        record_consent(
            case, by=outsider, kind="agreement_to_service", given_by=family_member,
            given_by_child=None, subject_children=list(case.children.all()),
            capacity_basis="adult", method="written", given_at=timezone.now(),
        )  # fmt: skip


def test_disclosure_decisions_are_logged_and_listed_on_the_case(
    case: Case, member_client: Client
) -> None:
    url = reverse("cases:disclosures", args=[case.pk])
    today = _today()
    bad = member_client.post(url, {"decision": "share", "recipient": "GP"})
    assert "Explain the reasons for the decision" in bad.content.decode()
    assert 'value="GP"' in bad.content.decode()
    assert not DisclosureDecision.objects.exists()
    response = member_client.post(
        url,
        {
            "decision": "not_share",
            "recipient": "Housing officer",
            "information": "The assessment",
            "purpose": "Rehousing application",
            "reason": "Not necessary for the purpose; family not asked.",
            "decided_on_day": today["day"],
            "decided_on_month": today["month"],
            "decided_on_year": today["year"],
        },
    )
    assert response.status_code == 302
    decision = DisclosureDecision.objects.get()
    assert decision.decision == "not_share"
    page = member_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Housing officer" in page
    assert "Not shared" in page


def test_raising_a_safeguarding_concern_records_it_and_shows_the_mash(
    case: Case, member: User, member_client: Client
) -> None:
    page = member_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Raise a safeguarding concern" in page
    url = reverse("cases:raise_concern", args=[case.pk])
    status_before = case.status
    # It asks what was seen or heard first; nothing is recorded until it is said.
    asked = member_client.get(url).content.decode()
    assert "What did you see or hear?" in asked
    refused = member_client.post(url, {"what_was_seen_or_heard": "  "})
    assert refused.status_code == 200
    assert "Say what you saw or heard that worries you" in refused.content.decode()
    assert not SafeguardingConcern.objects.exists()
    response = member_client.post(
        url, {"what_was_seen_or_heard": "She said she was scared to go home."}
    )
    concern = SafeguardingConcern.objects.get()
    assert response["Location"] == reverse("cases:concern", args=[case.pk, concern.pk])
    assert concern.raised_by == member
    assert concern.what_was_seen_or_heard == "She said she was scared to go home."
    assert case.events.filter(code="safeguarding.concern_raised").exists()
    case.refresh_from_db()
    assert case.status == status_before
    shown = member_client.get(response["Location"]).content.decode()
    assert settings.TAC_MASH_CONTACT in shown


def test_a_concern_can_be_raised_before_anything_else_is_recorded(
    make_case: Callable[..., Case], lead_client: Client
) -> None:
    case = make_case(status=Case.Status.IDENTIFIED)
    url = reverse("cases:raise_concern", args=[case.pk])
    assert lead_client.post(url, {"what_was_seen_or_heard": "A bruise"}).status_code == 302


TEST_VOICE = CasePanel(
    key="test_voice",
    template="cases/includes/disclosure_table.html",
    context=lambda c, u: {},
    family_voice=True,
)


def test_the_case_page_puts_the_familys_own_words_first(
    case: Case, lead_client: Client, settings: Any
) -> None:
    # Listed last, shown first: after the case's summary and "What happens next", the
    # family's words come before every professional section.
    settings.TAC_CASE_PANELS = [
        *settings.TAC_CASE_PANELS,
        "tests.cases.test_case_work.TEST_VOICE",
    ]
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    voice = page.index("In their own words")
    assert page.index(">Summary<") < voice < page.index("No decisions to share or not share")


@pytest.mark.parametrize("size", [1, 5])
def test_the_case_page_runs_a_fixed_number_of_queries(
    size: int,
    case: Case,
    lead: User,
    lead_client: Client,
    level_targeted: LevelOfNeed,
    school_agency: Agency,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(size):
        parent = FamilyMember.objects.create(
            family=case.family, given_names=f"Carer{n}", family_name="Test", relationship="other"
        )
        consent = record_consent(
            case, by=lead, kind="sharing_preference", given_by=parent, given_by_child=None,
            subject_children=list(case.children.all()), capacity_basis="adult",
            method="written", given_at=timezone.now(), agencies_allowed=[school_agency],
        )  # fmt: skip
        record_disclosure_decision(
            case, by=lead, decision="share", recipient=f"Agency {n}", information="x",
            purpose="y", reason="z",
        )  # fmt: skip
        raise_safeguarding_concern(case, by=lead, what_was_seen_or_heard="A bruise")
        record_level_of_need(case, level=level_targeted, rationale=f"R{n}", by=lead)
        if n:
            withdraw_consent(consent, by=lead, note="no")
    # The case page and every app's panel; the same count at both sizes. Five of them: the
    # family's adults and their relationships to each child, the history of their details,
    # earlier names, who may change them; "What happens next" asks the access policy and
    # the assessments and meetings once; one says where imported records came from; the
    # documents section takes three; the summary counts the plan's actions, and the
    # history asks who may read changes. The page and its panels share the subjects, the
    # meetings, the reviews and the access answers (test_the_case_page_asks_each_question_once).
    with django_assert_max_num_queries(42):
        response = lead_client.get(reverse("cases:detail", args=[case.pk]))
    assert response.content.decode().count("Riverside Primary School") >= size


def test_the_case_page_asks_each_question_once(
    case: Case, lead: User, lead_client: Client, level_targeted: LevelOfNeed
) -> None:
    """The page and its panels share one answer each: who leads, the subjects, the
    meetings and reviews, and whether the case is seen by emergency access.

    A query reads the table its select list starts with (``SELECT "table"."column"``).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    record_level_of_need(case, level=level_targeted, rationale="R", by=lead)
    lead_client.get(reverse("cases:my_cases"))  # the session is warm
    with CaptureQueriesContext(connection) as captured:
        assert lead_client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]

    def asked(table: str) -> int:
        """Queries reading ``table`` (its columns first in the select list)."""
        return sum(
            1 for q in sql if q.startswith((f"SELECT {table}.", f"SELECT DISTINCT ON ({table}."))
        )

    lead_checks = [
        q for q in sql if q.startswith('SELECT 1 AS "a" FROM "cases_leadprofessionalassignment"')
    ]
    assert len(lead_checks) == 1, lead_checks
    # The log of the read takes the children's ids; the page reads them with their details.
    assert asked('"cases_casesubject"') == 1 + 1
    assert asked('"meetings_meeting"') == 1
    assert asked('"meetings_review"') == 1
    assert asked('"cases_caseevent"') == 1
    # The fetch says whether a relationship lets the lead see it: no grant is looked for.
    assert asked('"audit_breakglassgrant"') == 0
    # The access rule itself (its EXISTS over the memberships) runs once: the fetch.
    assert sum(1 for q in sql if '"cases_teammembership" U0' in q) == 1


def test_my_work_shows_journeys_and_empty_states(
    case: Case, outsider_client: Client, coordinator_client: Client, admin_client_: Client
) -> None:
    body = outsider_client.get(reverse("cases:my_cases")).content.decode()
    assert "My work" in body
    assert reverse("cases:find_child") in body
    assert "not on the team around any open case" in body
    assert "waiting for triage" not in body
    assert reverse("audit:break_glass_request") in body  # emergency access is findable
    assert (
        "waiting for triage: 0"
        in coordinator_client.get(reverse("cases:my_cases")).content.decode()
    )
    admin_page = admin_client_.get(reverse("cases:my_cases")).content.decode()
    assert reverse("cases:find_child") not in admin_page
    assert reverse("audit:break_glass_request") not in admin_page


@pytest.mark.parametrize("size", [1, 10])
def test_my_work_runs_a_fixed_number_of_queries(
    size: int,
    make_case: Callable[..., Case],
    manager_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(size):
        make_case()
    # My work and every app's panel; the same count at both sizes. Each of its three lists
    # reads the teams the manager manages first (cases.access.visible_cases_set_filter).
    with django_assert_max_num_queries(17):
        response = manager_client.get(reverse("cases:my_cases"))
    assert response.content.decode().count("Lena Lead") == size


def test_pages_that_show_a_child_log_the_access(
    case: Case, lead: User, lead_client: Client
) -> None:
    child: Child = case.children.get()
    for name in ("cases:consent_new", "cases:disclosures"):
        before = RecordAccess.objects.filter(user=lead, child=child).count()
        lead_client.get(reverse(name, args=[case.pk]))
        assert RecordAccess.objects.filter(user=lead, child=child).count() == before + 1


def test_dates_are_checked(case: Case, lead_client: Client) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = lead_client.post(
        reverse("cases:disclosures", args=[case.pk]),
        {"decided_on_day": str(tomorrow.day), "decided_on_month": str(tomorrow.month),
         "decided_on_year": str(tomorrow.year)},
    )  # fmt: skip
    assert "Date of the decision must be today or in the past" in response.content.decode()
