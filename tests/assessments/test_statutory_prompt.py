"""The assessment prompts for the statutory facts nobody has asked about yet, with a link
to the child's details, and never blocks on them (DOMAIN §2.2 B, §7 M16)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from agencies.models import User
from assessments.models import Assessment
from audit.services import set_restriction
from cases.masking import MASK
from cases.models import Child, DisabilityStatus, RestrictionTarget, SenStatus
from tests.helpers import client_for


def detail(client: Client, assessment: Assessment) -> str:
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_missing_facts_are_named_with_a_link_to_the_childs_details(
    lead_client: Client, assessment: Assessment
) -> None:
    Child.objects.filter(pk=assessment.child_id).update(
        ethnicity="NOBT", sen_status=SenStatus.NOT_OBTAINED, first_language=""
    )
    body = detail(lead_client, assessment)
    assert 'id="missing-facts"' in body
    assert "ethnicity" in body
    assert "special educational needs" in body
    edit = reverse("cases:child_details", args=[assessment.case_id, assessment.child_id])
    assert f'href="{edit}"' in body
    assert "You can carry on with the assessment without them." in body


def test_declined_is_an_answer_and_nothing_is_prompted_when_all_are_known(
    lead_client: Client, assessment: Assessment
) -> None:
    Child.objects.filter(pk=assessment.child_id).update(
        ethnicity="REFU",
        sex="female",
        disability_status=DisabilityStatus.DECLINED,
        sen_status=SenStatus.NONE,
        first_language="English",
    )
    assert 'id="missing-facts"' not in detail(lead_client, assessment)


def test_the_facts_are_listed_by_the_child_model() -> None:
    child = Child(
        ethnicity="WBRI",
        sex="unknown",
        disability_status=DisabilityStatus.NOT_OBTAINED,
        sen_status=SenStatus.EHC_PLAN,
        first_language="Polish",
    )
    assert child.missing_statutory_facts() == ["sex", "disability"]
    unborn = Child(is_unborn=True, ethnicity="NOBT")
    assert unborn.missing_statutory_facts() == ["ethnicity", "disability"]


def test_the_assessment_masks_a_restricted_fact(
    assessment: Assessment, lead: User, member: User
) -> None:
    Child.objects.filter(pk=assessment.child_id).update(ethnicity="WROM", first_language="Romanian")
    for field_name in ("ethnicity", "first_language"):
        set_restriction(
            assessment.case,
            by=lead,
            target=RestrictionTarget.CHILD,
            target_id=assessment.child_id,
            field_name=field_name,
            reason="Only the named people may know this.",
            named_users=[member],
        )
    url = reverse("assessments:section", args=[assessment.pk, "child"])
    page = client_for(lead).get(url).content.decode()
    assert "Gypsy/Roma" not in page
    assert "Romanian" not in page
    assert MASK in page
