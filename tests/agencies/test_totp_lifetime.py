"""A code from the authenticator app works for its own 30-second step only (ASVS 6.5.5):
no step of clock drift either side. An authenticator app has no setting that allows any."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_otp.oath import totp

from agencies.models import AuthenticatorApp, User
from agencies.services import start_authenticator_app

pytestmark = pytest.mark.django_db

# 15 seconds into a 30-second step.
MID_STEP = dt.datetime(2026, 3, 2, 9, 0, 15, tzinfo=dt.UTC)


def _code(device: AuthenticatorApp, drift: int = 0) -> int:
    return int(
        totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    )


def test_a_code_from_the_step_before_or_after_is_refused(lead: User) -> None:
    device = start_authenticator_app(lead)
    with time_machine.travel(MID_STEP, tick=False):
        for drift in (-1, 1):
            assert not device.verify_token(_code(device, drift))
            device.throttle_reset()
        assert device.verify_token(_code(device))


@pytest.mark.parametrize(("seconds_later", "accepted"), [(14, True), (15, False)])
def test_a_code_is_refused_once_its_30_seconds_are_over(
    lead: User, seconds_later: int, accepted: bool
) -> None:
    device = start_authenticator_app(lead)
    with time_machine.travel(MID_STEP, tick=False) as traveller:
        code = _code(device)
        traveller.shift(dt.timedelta(seconds=seconds_later))
        assert device.verify_token(code) is accepted
