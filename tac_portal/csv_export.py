"""CSV for people to open in a spreadsheet, safe against formula injection.

Every text cell is neutralised: a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is prefixed with an apostrophe, so a spreadsheet shows it as
text instead of running it. Every CSV export of the portal writes through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The cell as written to CSV: numbers as they are, risky text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV text, a line at a time (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow([neutralise(h) for h in header])
    yield flush()
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
        yield flush()
