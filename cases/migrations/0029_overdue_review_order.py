"""The overdue reviews list pages in (review date, id) order: its index holds both, so a
page after the first is read from its position, not past every case due the same day."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0028_redundant_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_open_review_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)),
                fields=["next_review_due", "id"],
                name="case_open_review_id_idx",
            ),
        ),
    ]
