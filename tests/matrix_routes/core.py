"""Permission-matrix routes of the core pages: sign-in, "My work", the case page,
notifications, emergency access and the governance pages (see tests/matrix.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import BreakGlassGrant, Restriction, RestrictionTarget
from tests.matrix import (
    HEALTH,
    Objects,
    Route,
    case_page,
    everyone,
    only,
    own_notification,
    runs_the_case,
)


def _grant(o: Objects) -> int:
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user_id=o.notification.recipient_id,
        case=o.case,
        reason_code=BreakGlassGrant.ReasonCode.OTHER,
        justification="Matrix check",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=1),
    ).pk


ROUTES: dict[str, Route] = {
    "home": Route("get", expect=everyone(302, anonymous=302)),
    # Public and free of personal data: healthy (200) or not (503, e.g. no worker).
    "healthz": Route("get", expect=everyone(HEALTH, anonymous=HEALTH)),
    "agencies:sign_in": Route("get", expect=everyone(302, anonymous=200)),
    "agencies:sign_out": Route("post", expect=everyone(302, anonymous=302)),
    # Two-factor is off in the test settings: with no device there is no code to ask for.
    "agencies:two_factor": Route("get", expect=everyone(302, anonymous=302)),
    "agencies:two_factor_setup": Route("get", expect=everyone(200, anonymous=302)),
    "agencies:password_change": Route("get", expect=everyone(200, anonymous=302)),
    "agencies:password_change_done": Route("get", expect=everyone(200, anonymous=302)),
    # One's own sessions. A session that is not one's own (here, one that never was)
    # sends everyone back to the list: "That session had already ended".
    "agencies:sessions": Route("get", expect=everyone(200, anonymous=302)),
    "agencies:session_end": Route(
        "get", args=lambda o: [999_999], expect=everyone(302, anonymous=302)
    ),
    "agencies:sessions_end_others": Route("get", expect=everyone(200, anonymous=302)),
    "agencies:password_reset": Route("get", expect=everyone(200, anonymous=200)),
    "agencies:password_reset_done": Route("get", expect=everyone(200, anonymous=200)),
    "agencies:password_reset_confirm": Route(
        "get", args=lambda o: ["MQ", "not-a-token"], expect=everyone(200, anonymous=200)
    ),
    "agencies:password_reset_complete": Route("get", expect=everyone(200, anonymous=200)),
    "cases:my_cases": Route("get", expect=everyone(200)),
    "cases:detail": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    # The case page's history in full: whoever sees the case.
    "cases:chronology": Route("get", args=lambda o: [o.case.pk], expect=case_page()),
    # Information governance for any case; those who run the case for theirs. The rest
    # of the team sees the case but not its history (403); anyone else gets a 404.
    "cases:history": Route(
        "get", args=lambda o: [o.case.pk], expect=runs_the_case(200) | {"auditor": 200}
    ),
    "notifications:list": Route("get", expect=everyone(200)),
    "notifications:open": Route(
        "get", args=lambda o: [o.notification.pk], expect=own_notification(302)
    ),
    "notifications:read": Route(
        "post", args=lambda o: [o.notification.pk], expect=own_notification(302)
    ),
    "notifications:unread": Route(
        "post", args=lambda o: [o.notification.pk], expect=own_notification(302)
    ),
    "notifications:read_all": Route("post", expect=everyone(302)),
    "notifications:preferences": Route("get", expect=everyone(200)),
    # Those who work on cases may ask for emergency (break-glass) access; the
    # administrator and information governance do not work on cases.
    "audit:break_glass_request": Route(
        "get", expect=everyone(200) | {"admin": 403, "auditor": 403}
    ),
    # Information governance's report of every access, and its CSV.
    "audit:access_report": Route("get", expect=only(200, "auditor")),
    "audit:access_report_csv": Route("get", expect=only(200, "auditor")),
    "audit:case_access": Route(
        "get", args=lambda o: [o.case.pk], expect=only(200, "lead", "manager", "auditor")
    ),
    "audit:professional_access": Route(
        "get",
        args=lambda o: [o.notification.recipient_id],  # the lead
        expect=only(200, "manager", "auditor"),
    ),
    "audit:break_glass_list": Route("get", expect=only(200, "auditor")),
    "audit:break_glass_review": Route(
        "post",
        args=lambda o: [_grant(o)],
        data={"review_outcome": "APPROPRIATE", "review_note": ""},
        expect=only(302, "auditor"),
    ),
}


def _restriction(o: Objects) -> int:
    restriction = Restriction.objects.create(
        case=o.case,
        target=RestrictionTarget.FAMILY,
        target_id=o.case.family_id,
        field_name="address",
        reason="Matrix check",
        set_by_id=o.notification.recipient_id,  # the lead
        set_at=timezone.now(),
        review_due=timezone.localdate() + dt.timedelta(days=90),
    )
    return restriction.pk


ROUTES |= {
    "audit:case_restrictions": Route("get", args=lambda o: [o.case.pk], expect=runs_the_case(200)),
    "audit:restriction_review": Route(
        "get", args=lambda o: [_restriction(o)], expect=runs_the_case(200)
    ),
    # Only the people a restriction names (here the lead who set it) may ask to see it.
    "audit:unmask": Route(
        "get",
        args=lambda o: [_restriction(o)],
        expect=only(200, "lead")
        | {"member": 403, "manager": 403, "member_manager": 403, "coordinator": 403},
    ),
}
