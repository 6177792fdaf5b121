"""Two saves of the same field at the same moment: one wins, the other is told; none is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from agencies.models import User
from assessments.models import Assessment, AssessmentSection
from assessments.services.content import Base, SaveResult, save_section

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_saves_of_one_field_never_overwrite_each_other(
    assessment: Assessment, lead: User
) -> None:
    barrier = threading.Barrier(2)
    results: dict[str, SaveResult] = {}
    errors: list[BaseException] = []

    def save(text: str) -> None:
        try:
            barrier.wait()
            results[text] = save_section(
                assessment,
                "story",
                values={"narrative": text},
                bases={"narrative": Base(version=0)},
                by=lead,
            )
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("From one", "From two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    winners = [text for text, r in results.items() if r.ok]
    losers = [r for r in results.values() if not r.ok]
    assert len(winners) == 1
    assert len(losers) == 1
    (conflict,) = losers[0].conflicts
    assert conflict.theirs == winners[0]
    stored = AssessmentSection.objects.get(assessment=assessment, key="story")
    assert stored.data["narrative"] == winners[0]
    assert stored.versions["narrative"]["v"] == 1
