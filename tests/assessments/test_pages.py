"""Assessment pages over HTTP: reading, saving with and without JavaScript, bad input."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import User
from assessments.models import Assessment, AssessmentSection
from assessments.services.common import AssessmentError
from assessments.services.content import save_section
from assessments.services.lifecycle import begin_assessment, share_with_family
from cases.models import Case, ConsentRecord, FamilyMember, RecordAccess
from tests.assessments.conftest import FRESH, consent, fill_for_completion
from tests.helpers import client_for, date_fields

HTMX = {"HX-Request": "true"}


def section_url(a: Assessment, key: str) -> str:
    return reverse("assessments:section", args=[a.pk, key])


def save_url(a: Assessment, key: str) -> str:
    return reverse("assessments:save_section", args=[a.pk, key])


def narrative(a: Assessment) -> str:
    section = AssessmentSection.objects.filter(assessment=a, key="story").first()
    return section.data.get("narrative", "") if section else ""


def test_the_task_list_shows_every_section_and_logs_the_access(
    lead_client: Client, assessment: Assessment
) -> None:
    response = lead_client.get(reverse("assessments:detail", args=[assessment.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-task-list" in body
    assert "What&#x27;s happening for this family" in body
    assert "K. Consent statements" in body
    assert RecordAccess.objects.filter(
        child=assessment.child, case=assessment.case, route="assessments:detail"
    ).exists()


def test_an_outsider_gets_404_and_nothing_is_logged(
    outsider_client: Client, assessment: Assessment
) -> None:
    response = outsider_client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 404
    assert not RecordAccess.objects.filter(route="assessments:detail").exists()


def test_a_tac_member_reads_but_cannot_save(member_client: Client, assessment: Assessment) -> None:
    page = member_client.get(section_url(assessment, "story")).content.decode()
    assert "<textarea" not in page
    response = member_client.post(
        save_url(assessment, "story"),
        {"fields": "narrative", "f_narrative": "x", "v_narrative": "0"},
    )
    assert response.status_code == 403
    assert narrative(assessment) == ""


def test_a_plain_form_post_saves_and_returns_to_the_section(
    lead_client: Client, assessment: Assessment
) -> None:
    page = lead_client.get(section_url(assessment, "story")).content.decode()
    assert 'name="v_narrative" value="0"' in page
    response = lead_client.post(
        save_url(assessment, "story"),
        {
            "fields": "narrative",
            "f_narrative": "Mornings are hard\r\nfor everyone",
            "v_narrative": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#form-section")
    assert narrative(assessment) == "Mornings are hard\nfor everyone"


def test_a_plain_form_conflict_shows_both_texts_and_keeps_mine_in_the_box(
    lead_client: Client, assessment: Assessment, lead: User
) -> None:
    save_section(assessment, "story", values={"narrative": "Their words"}, bases=FRESH, by=lead)
    response = lead_client.post(
        save_url(assessment, "story"),
        {"fields": "narrative", "f_narrative": "My words", "v_narrative": "0", "h_narrative": ""},
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else has changed" in body
    assert "Their words" in body
    assert ">\nMy words</textarea>" in body
    assert 'name="v_narrative" value="0"' in body  # still based on what I saw: no silent overwrite
    assert 'name="overwrite_narrative" value="1"' in body
    assert narrative(assessment) == "Their words"
    # Choosing to keep mine after seeing theirs saves it.
    response = lead_client.post(
        save_url(assessment, "story"),
        {
            "fields": "narrative",
            "f_narrative": "My words",
            "v_narrative": "0",
            "overwrite_narrative": "1",
        },
    )
    assert response.status_code == 302
    assert narrative(assessment) == "My words"


def test_autosave_answers_with_a_status_and_the_new_version(
    lead_client: Client, assessment: Assessment
) -> None:
    response = lead_client.post(
        save_url(assessment, "story"),
        {"fields": "narrative", "f_narrative": "Typing", "v_narrative": "0", "autosave": "1"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in body
    assert 'id="ver-form-section-narrative" hx-swap-oob="true"' in body
    assert 'name="v_narrative" value="1"' in body
    assert narrative(assessment) == "Typing"


def test_an_autosave_conflict_shows_both_texts_and_saves_nothing(
    lead_client: Client, assessment: Assessment, lead: User
) -> None:
    save_section(assessment, "story", values={"narrative": "Theirs"}, bases=FRESH, by=lead)
    response = lead_client.post(
        save_url(assessment, "story"),
        {"fields": "narrative", "f_narrative": "Mine", "v_narrative": "0", "autosave": "1"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert "Not saved" in body
    assert "Theirs" in body
    assert "Mine" in body
    assert "hx-swap-oob" not in body  # the version I am based on does not move
    assert narrative(assessment) == "Theirs"


def test_empty_views_are_refused_with_a_clear_message(
    lead_client: Client, assessment: Assessment
) -> None:
    url = reverse("assessments:save_view", args=[assessment.pk, "child"])
    response = lead_client.post(
        url,
        {
            "fields": "own_words,not_obtained_reason,communication_method",
            "f_own_words": "  ",
            "v_own_words": "0",
            "f_not_obtained_reason": "",
            "v_not_obtained_reason": "0",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert (
        "Enter Jamie Fairweather&#x27;s views in their own words, or say why they could not "
        "be given." in body
    )
    assert not assessment.views.exists()
    response = lead_client.post(
        url,
        {
            "fields": "own_words,communication_method",
            "f_own_words": "I like art",
            "v_own_words": "0",
            "f_communication_method": "",
            "v_communication_method": "0",
        },
    )
    assert response.status_code == 400
    assert "Choose how Jamie Fairweather gave their views." in response.content.decode()
    assert ">\nI like art</textarea>" in response.content.decode()  # what was typed is kept
    assert not assessment.views.exists()


def test_views_of_the_child_and_each_parent_are_recorded(
    lead_client: Client, assessment: Assessment, parent: FamilyMember
) -> None:
    page = lead_client.get(section_url(assessment, "views")).content.decode()
    assert "Pat Parent (Mother)" in page
    response = lead_client.post(
        reverse("assessments:save_view", args=[assessment.pk, parent.pk]),
        {
            "fields": "own_words,scribed_by,communication_method",
            "f_own_words": "We need help",
            "v_own_words": "0",
            "f_scribed_by": "Lena Lead",
            "v_scribed_by": "0",
            "f_communication_method": "spoken",
            "v_communication_method": "0",
        },
    )
    assert response.status_code == 302
    view = assessment.views.get(family_member=parent)
    assert (view.own_words, view.scribed_by) == ("We need help", "Lena Lead")


def test_consent_is_recorded_and_bad_input_refused(
    lead_client: Client, assessment: Assessment, parent: FamilyMember
) -> None:
    url = reverse("assessments:record_consent", args=[assessment.pk, "start"])
    response = lead_client.post(url, date_fields("start-given_on", dt.date(2999, 1, 1)))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose who gave consent." in body
    assert "must be today or in the past" in body
    assert not ConsentRecord.objects.exists()
    response = lead_client.post(
        url,
        {
            "start-given_by": str(parent.pk),
            "start-capacity_basis": "adult",
            "start-method": "written",
            **date_fields("start-given_on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.consent_to_assessment is not None
    assert assessment.consent_to_assessment.given_by == parent


def test_completion_is_refused_with_what_is_missing(
    lead_client: Client, assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    consent(assessment, "start", lead, parent)
    begin_assessment(assessment, by=lead)
    share_with_family(assessment, by=lead)
    response = lead_client.post(reverse("assessments:complete", args=[assessment.pk]))
    body = response.content.decode()
    assert response.status_code == 400
    assert "record the child&#x27;s views in their own words" in body
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SHARED_WITH_FAMILY
    fill_for_completion(assessment, lead, parent)
    response = lead_client.post(reverse("assessments:complete", args=[assessment.pk]))
    assert response.status_code == 302
    page = lead_client.get(section_url(assessment, "story")).content.decode()
    assert "<textarea" not in page  # read-only now
    assert "Mum says mornings are hard." in page


def test_the_family_copy_prints_conclusions_and_records_the_date(
    lead_client: Client, assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    fill_for_completion(assessment, lead, parent)
    body = lead_client.get(
        reverse("assessments:family_copy", args=[assessment.pk])
    ).content.decode()
    assert "Breakfast club." in body
    assert "We need help in the mornings." in body
    assert "assessment-print.css" in body
    url = reverse("assessments:family_copy_given", args=[assessment.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = lead_client.post(url, date_fields("given_on", tomorrow))
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    response = lead_client.post(url, date_fields("given_on", timezone.localdate()))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.family_copy_given_on == timezone.localdate()


def test_the_family_copy_date_from_two_tabs_is_never_silently_overwritten(
    lead_client: Client, assessment: Assessment, lead: User
) -> None:
    url = reverse("assessments:family_copy_given", args=[assessment.pk])
    detail = reverse("assessments:detail", args=[assessment.pk])
    assert 'name="seen"' in lead_client.get(detail).content.decode()
    today = timezone.localdate()
    first = lead_client.post(url, {"seen": "", **date_fields("given_on", today)})
    assert first.status_code == 302

    other_tab = client_for(lead)
    yesterday = max(today - dt.timedelta(days=1), timezone.localdate(assessment.started_at))
    refused = other_tab.post(url, {"seen": "", **date_fields("given_on", yesterday)})
    page = refused.content.decode()
    assert refused.status_code in (200, 400)
    assert "since you opened this page" in page
    assessment.refresh_from_db()
    assert assessment.family_copy_given_on == today

    assert f'name="seen" value="{today.isoformat()}"' in page
    again = other_tab.post(url, {"seen": today.isoformat(), **date_fields("given_on", yesterday)})
    assert again.status_code == 302
    assessment.refresh_from_db()
    assert assessment.family_copy_given_on == yesterday


def test_starting_from_the_case_page(lead_client: Client, case: Case, caf_template: object) -> None:
    child = case.children.get()
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    start = reverse("assessments:start", args=[case.pk, child.pk])
    assert start in page
    assert lead_client.get(start).status_code == 200
    response = lead_client.post(start, {"copy_from": ""})
    assessment = Assessment.objects.get(case=case)
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    page = lead_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert start not in page  # one assessment being written per child
    mine = lead_client.get(reverse("cases:my_cases")).content.decode()
    assert "Assessments I have in draft" in mine
    assert reverse("assessments:detail", args=[assessment.pk]) in mine


def test_a_second_child_starts_from_a_siblings_family_sections(
    lead_client: Client, assessment: Assessment, lead: User
) -> None:
    from cases.models import Child

    save_section(
        assessment,
        "family_situation",
        values={"household": "Mum, Jamie and Robin"},
        bases=FRESH,
        by=lead,
    )
    sibling = Child.objects.create(
        family=assessment.case.family,
        given_names="Robin",
        family_name="Fairweather",
        date_of_birth=dt.date(2019, 4, 1),
    )
    assessment.case.subjects.create(child=sibling)
    start = reverse("assessments:start", args=[assessment.case_id, sibling.pk])
    page = lead_client.get(start).content.decode()
    assert "Yes, from Jamie Fairweather&#x27;s assessment (Draft)" in page
    response = lead_client.post(start, {"copy_from": str(assessment.pk)})
    assert response.status_code == 302
    second = Assessment.objects.get(child=sibling)
    assert second.sections.get(key="family_situation").data == {"household": "Mum, Jamie and Robin"}


def test_a_consent_statement_is_recorded_once(
    assessment: Assessment, lead: User, parent: FamilyMember
) -> None:
    import pytest

    consent(assessment, "start", lead, parent)
    with pytest.raises(AssessmentError, match="already recorded"):
        consent(assessment, "start", lead, parent)


def test_a_date_in_a_template_is_three_boxes_checked_and_kept(
    lead_client: Client, assessment: Assessment
) -> None:
    # No published template asks for a date yet, but a template may: it is the same field.
    template = assessment.template
    template.definition["sections"][0]["fields"].append(
        {"key": "first_met", "label": "When did you first meet the family?", "type": "date"}
    )
    template.save(update_fields=["definition"])
    page = lead_client.get(section_url(assessment, "story")).content.decode()
    assert 'type="date"' not in page
    assert 'name="f_first_met_day"' in page
    posted = {"fields": "first_met", "v_first_met": "0", "h_first_met": ""}

    bad = lead_client.post(
        save_url(assessment, "story"),
        posted | {"f_first_met_day": "31", "f_first_met_month": "", "f_first_met_year": "2026"},
    )

    body = bad.content.decode()
    assert bad.status_code == 400
    assert "<title>Error: " in body
    message = "When did you first meet the family? must include a month"
    assert f'<a href="#form-section-first_met_month">{message}</a>' in body
    assert 'name="f_first_met_day" type="text" inputmode="numeric" value="31"' in body
    assert not AssessmentSection.objects.filter(assessment=assessment, key="story").exists()

    autosave = lead_client.post(
        save_url(assessment, "story"),
        posted
        | {"f_first_met_day": "x", "f_first_met_month": "3", "f_first_met_year": "2026"}
        | {"autosave": "1"},
        headers={"HX-Request": "true"},
    )
    assert "Not saved: When did you first meet the family? must be a real date" in (
        autosave.content.decode()
    )

    good = lead_client.post(
        save_url(assessment, "story"),
        posted | {"f_first_met_day": "3", "f_first_met_month": "Mar", "f_first_met_year": "2026"},
    )
    assert good.status_code == 302
    section = AssessmentSection.objects.get(assessment=assessment, key="story")
    assert section.data["first_met"] == "2026-03-03"
    page = lead_client.get(section_url(assessment, "story")).content.decode()
    assert 'name="f_first_met_month" type="text" inputmode="numeric" value="3"' in page
