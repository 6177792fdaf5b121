"""Only step-downs in are counted by date: index those events alone, not every event
by code and date (the largest index on the chronology, kept up by every entry)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0029_overdue_review_order"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="caseevent", name="caseevent_code_at_idx"),
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(
                condition=models.Q(("code", "case.stepped_down_in")),
                fields=["at"],
                name="caseevent_stepdown_at_idx",
            ),
        ),
    ]
