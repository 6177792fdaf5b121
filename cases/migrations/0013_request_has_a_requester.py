"""A request for support always says who asked.

Its own migration: PostgreSQL will not alter a table with deferred foreign-key checks
still pending from 0012's updates in the same transaction.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_request_requester_agency_and_partner"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="requestforsupport",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("requester__isnull", False),
                    ("partner_client__isnull", False),
                    models.Q(("requester_name", ""), _negated=True),
                    _connector="OR",
                ),
                name="request_has_a_requester",
            ),
        ),
    ]
