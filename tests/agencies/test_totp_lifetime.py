"""A code from the authenticator app works for its own 30-second step only (ASVS 6.5.5):
no step of clock drift either side. An authenticator app has no setting that allows any."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_otp.oath import TOTP, totp

from agencies.models import AUTHENTICATOR_KEY_SEALED_AS, AuthenticatorApp, User
from agencies.services import start_authenticator_app
from tac_portal import sealing

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


def _code_at(key: bytes, when: dt.datetime) -> int:
    code = TOTP(key)
    code.time = when.timestamp()
    return int(code.token())


def test_a_code_given_as_a_number_keeps_its_leading_zeros(lead: User) -> None:
    key = bytes(range(20))
    device = AuthenticatorApp.objects.create(
        user=lead,
        name="Authenticator app",
        sealed_key=sealing.seal(key, purpose=AUTHENTICATOR_KEY_SEALED_AS),
    )
    # The first 30-second step from MID_STEP on whose code starts with a 0.
    steps = (MID_STEP + dt.timedelta(seconds=30 * n) for n in range(1000))
    when = next(moment for moment in steps if _code_at(key, moment) < 100_000)
    with time_machine.travel(when, tick=False):
        assert device.verify_token(_code_at(key, when))
