"""``manage.py demo_partner_clients``: the demo's partner systems and new secrets for them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from demo.partners import issue_partner_clients


class Command(BaseCommand):
    help = (
        "Create the demo's partner API clients (a school MIS and a police case system) and "
        "print a new secret for each. Secrets are shown here only: they are stored hashed "
        "and never logged."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        issued = issue_partner_clients()
        if not issued:
            self.stdout.write("No demo partner clients: load the demo data first (seed_demo).")
            return
        self.stdout.write(
            "Partner API clients (new secrets at every start; see docs/partner-api.md):"
        )
        for client in issued:
            self.stdout.write(f"  {client.name} ({client.agency})")
            self.stdout.write(f"    client id:     {client.client_id}")
            self.stdout.write(f"    client secret: {client.secret}")
            self.stdout.write(f"    scopes:        {' '.join(client.scopes)}")
