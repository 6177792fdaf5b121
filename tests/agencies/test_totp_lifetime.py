"""A code from the authenticator app works for its own 30-second step only (ASVS 6.5.5):
no step of clock drift either side, on every device, however it is made."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import User
from agencies.services import start_authenticator_app

pytestmark = pytest.mark.django_db

# 15 seconds into a 30-second step.
MID_STEP = dt.datetime(2026, 3, 2, 9, 0, 15, tzinfo=dt.UTC)


def _code(device: TOTPDevice, drift: int = 0) -> int:
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


def test_the_enrolment_page_makes_devices_with_no_drift_allowed(lead: User) -> None:
    assert start_authenticator_app(lead).tolerance == 0


def test_the_database_refuses_a_device_that_allows_drift(lead: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TOTPDevice.objects.create(user=lead, name="Authenticator app")  # default tolerance 1
    device = TOTPDevice.objects.create(user=lead, name="Authenticator app", tolerance=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(tolerance=2)


def test_the_configuration_site_saves_devices_with_no_drift_allowed(
    lead: User, admin_user: User
) -> None:
    page = site._registry[TOTPDevice]
    request = RequestFactory().post("/")
    request.user = admin_user
    assert "tolerance" in page.get_readonly_fields(request)
    device = TOTPDevice(user=lead, name="Authenticator app", tolerance=1)
    page.save_model(request, device, form=None, change=False)  # type: ignore[arg-type]
    device.refresh_from_db()
    assert device.tolerance == 0
