"""Restricted items: set, masked everywhere, unmasked only by the named with a reason,
never through emergency access, reviewed every 90 days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.utils import InternalError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from agencies.models import User
from audit import services
from cases.masking import MASK, CaseMasks, masks_for
from cases.models import Case, CaseEvent, FamilyMember, Restriction, RestrictionTarget, Unmasking
from notifications.models import SUBJECT_RESTRICTION_REVIEW, Reminder
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "7 Hidden Lane\nSafeton"


@pytest.fixture
def restricted(case: Case, lead: User, member: User, reminder_rules: None) -> Restriction:
    """The child's new address is restricted; Sam (the school) is named."""
    child = case.children.get()
    child.address = NEW_ADDRESS
    child.postcode = "SF1 2AB"
    child.save()
    return services.set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.CHILD,
        target_id=child.pk,
        field_name="address",
        reason="The new address must not reach the father.",
        named_users=[member],
    )


def _render(case: Case, user: User, source: str, request: object = None) -> str:
    child = case.children.get()
    template = Template("{% load masking %}" + source)
    masks = masks_for(case, user, request)  # type: ignore[arg-type]
    return template.render(Context({"masks": masks, "child": child}))


def test_setting_a_restriction_records_it_and_schedules_the_90_day_review(
    restricted: Restriction, lead: User, member: User, reminder_rules: None
) -> None:
    assert restricted.review_due == restricted.set_at.date() + dt.timedelta(days=90)
    assert set(restricted.named_users.all()) == {lead, member}
    event = CaseEvent.objects.get(code="restriction.set")
    assert "father" not in event.summary  # the reason stays on the restriction
    reminder = Reminder.objects.get(subject_type=SUBJECT_RESTRICTION_REVIEW)
    assert (reminder.recipient, reminder.due_on) == (lead, restricted.review_due)


def test_the_value_is_masked_for_everyone_until_unmasked(
    restricted: Restriction, case: Case, lead: User, manager: User
) -> None:
    for user in (lead, manager):
        html = _render(case, user, '{% masked child "address" %} {% masked child "postcode" %}')
        assert "Hidden Lane" not in html
        assert "SF1 2AB" not in html  # the postcode goes with the address
        assert html.count(MASK) == 2
    # Other details are not masked.
    assert "Fairweather" in _render(case, lead, '{% masked child "family_name" %}')


def test_named_people_see_a_show_link_others_do_not(
    restricted: Restriction, case: Case, lead: User, manager: User
) -> None:
    assert "Show" in _render(case, lead, '{% masked child "address" %}')
    assert "Show" not in _render(case, manager, '{% masked child "address" %}')


def test_the_tag_refuses_to_render_without_masks(case: Case) -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Template('{% load masking %}{% masked child "address" %}').render(
            Context({"child": case.children.get()})
        )


def test_a_named_person_unmasks_with_a_reason_and_it_is_logged(
    restricted: Restriction, case: Case, member: User
) -> None:
    client = client_for(member)
    url = reverse("audit:unmask", args=[restricted.pk])
    next_url = reverse("cases:detail", args=[case.pk])

    refused = client.post(url, {"reason": "", "next": next_url})
    assert refused.status_code == 200
    assert "Enter why you need to see it" in refused.content.decode()
    assert not Unmasking.objects.exists()

    response = client.post(url, {"reason": "Sending the school report home", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    unmasking = Unmasking.objects.get()
    assert (unmasking.user, unmasking.reason) == (member, "Sending the school report home")

    request = RequestFactory().get("/")
    request.session = client.session  # type: ignore[attr-defined]
    assert "Hidden Lane" in _render(case, member, '{% masked child "address" %}', request)


def test_unmasking_lasts_only_a_while(restricted: Restriction, case: Case, member: User) -> None:
    client = client_for(member)
    with time_machine.travel(dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        client.post(reverse("audit:unmask", args=[restricted.pk]), {"reason": "Report home"})
    request = RequestFactory().get("/")
    request.session = client.session  # type: ignore[attr-defined]
    with time_machine.travel(dt.datetime(2027, 1, 1, 9, 20, tzinfo=dt.UTC), tick=False):
        assert "Hidden Lane" not in _render(case, member, '{% masked child "address" %}', request)


def test_someone_not_named_cannot_unmask(restricted: Restriction, manager: User) -> None:
    response = client_for(manager).post(
        reverse("audit:unmask", args=[restricted.pk]), {"reason": "Curious"}
    )
    assert response.status_code == 403
    assert not Unmasking.objects.exists()


def test_someone_who_cannot_see_the_case_gets_404(restricted: Restriction, outsider: User) -> None:
    url = reverse("audit:unmask", args=[restricted.pk])
    assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404


def test_break_glass_never_unmasks_even_a_named_person(
    restricted: Restriction, case: Case, outsider: User
) -> None:
    restricted.named_users.add(outsider)
    services.grant_break_glass(
        case, user=outsider, reason_code="SAFEGUARDING_CONCERN", justification="Call-out"
    )
    masks = masks_for(case, outsider)
    assert masks.may_unmask == frozenset()
    response = client_for(outsider).post(
        reverse("audit:unmask", args=[restricted.pk]), {"reason": "Call-out"}
    )
    assert response.status_code == 403
    assert not Unmasking.objects.exists()


def test_a_whole_family_member_record_can_be_restricted(
    case: Case, lead: User, family_member: FamilyMember
) -> None:
    services.set_restriction(
        case,
        by=lead,
        target=RestrictionTarget.FAMILY_MEMBER,
        target_id=family_member.pk,
        field_name="",
        reason="An informant: their identity must not be known.",
    )
    masks = masks_for(case, lead)
    assert masks.value(family_member, "given_names") == MASK
    assert masks.value(family_member, "phone") == MASK


@pytest.mark.parametrize(
    ("target", "field_name", "error"),
    [
        (RestrictionTarget.CHILD, "date_of_birth", "field_name"),
        (RestrictionTarget.CHILD, "", "field_name"),
        (RestrictionTarget.FAMILY, "address", "target"),  # another family's household
    ],
)
def test_it_refuses_a_target_or_field_it_cannot_restrict(
    case: Case, lead: User, make_family: object, target: str, field_name: str, error: str
) -> None:
    other_family = make_family()  # type: ignore[operator]
    target_id = other_family.pk if target == RestrictionTarget.FAMILY else case.children.get().pk
    with pytest.raises(ValidationError) as raised:
        services.set_restriction(
            case, by=lead, target=target, target_id=target_id, field_name=field_name, reason="x"
        )
    assert error in raised.value.message_dict


def test_only_those_who_run_the_case_may_restrict(case: Case, member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.set_restriction(
            case,
            by=member,
            target=RestrictionTarget.CHILD,
            target_id=case.children.get().pk,
            field_name="address",
            reason="x",
        )


def test_the_review_keeps_it_for_90_days_or_lifts_it_with_a_reason(
    restricted: Restriction, lead: User, reminder_rules: None
) -> None:
    with time_machine.travel(dt.datetime(2027, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        kept = services.review_restriction(restricted, by=lead, keep=True)
    assert kept.review_due == dt.date(2027, 8, 30)
    assert Reminder.objects.get(
        subject_type=SUBJECT_RESTRICTION_REVIEW, status="pending"
    ).due_on == dt.date(2027, 8, 30)

    with pytest.raises(ValidationError):
        services.review_restriction(kept, by=lead, keep=False, note="")
    lifted = services.review_restriction(kept, by=lead, keep=False, note="The family moved on")
    assert lifted.lifted_at is not None
    assert not Reminder.objects.filter(subject_type=SUBJECT_RESTRICTION_REVIEW, status="pending")
    assert masks_for(lifted.case, lead) == CaseMasks()


def test_the_restrictions_page_sets_one_and_keeps_input_on_error(case: Case, lead: User) -> None:
    client = client_for(lead)
    url = reverse("audit:case_restrictions", args=[case.pk])
    child = case.children.get()
    item = f"child:{child.pk}:address"

    bad = client.post(url, {"item": item, "reason": ""})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Enter why it must be restricted" in body
    assert f'value="{item}" checked' in body

    good = client.post(url, {"item": item, "reason": "Must not reach the father"})
    assert good.status_code == 302
    assert Restriction.objects.get().field_name == "address"


def test_unmaskings_are_append_only(restricted: Restriction, member: User) -> None:
    Unmasking.objects.create(restriction=restricted, user=member, reason="Report home")
    with pytest.raises(InternalError), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_unmasking SET reason = 'changed'")
