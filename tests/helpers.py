"""Small helpers that tests import (fixtures live in conftest.py)."""

from __future__ import annotations

from django.test import Client

from agencies.models import User
from cases.models import Case, LeadProfessionalAssignment

PASSWORD = "correct-horse-battery-staple-42"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def active_leads(case: Case) -> list[LeadProfessionalAssignment]:
    return list(LeadProfessionalAssignment.objects.filter(case=case, ended_at__isnull=True))
