"""The bulk seed's progress: a bar redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from demo.bulk import SeedProgress

BAR_WIDTH = 30
#: Without a terminal, a line at most this often (seconds), besides the first and last.
LINE_EVERY = 10.0


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


def describe(p: SeedProgress) -> str:
    """ "412,000 / 1,000,000 children, 201,312 families, 4,120 children/s, about 2m 23s left"."""
    if p.phase == "indexing":
        return (
            f"{p.children:,} children, {p.families:,} families written in "
            f"{_duration(p.elapsed)}; building indexes and checking foreign keys…"
        )
    if p.phase == "done":
        return f"{p.children:,} children, {p.families:,} families in {_duration(p.elapsed)}"
    rate = p.children / p.elapsed if p.elapsed > 0 else 0.0
    left = (p.total_children - p.children) / rate if rate else None
    eta = "estimating time left" if left is None else f"about {_duration(left)} left"
    return (
        f"{p.children:,} / {p.total_children:,} children, {p.families:,} families, "
        f"{rate:,.0f} children/s, {eta}"
    )


class ProgressDisplay:
    """Shows ``SeedProgress`` reports on ``stream`` (a command's ``stdout``)."""

    def __init__(
        self, stream: Any, *, tty: bool, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.stream = stream
        self.tty = tty
        self.clock = clock
        self.last_line: float | None = None

    def __call__(self, p: SeedProgress) -> None:
        if self.tty:
            self._draw(p)
        else:
            self._line(p)

    def _draw(self, p: SeedProgress) -> None:
        share = p.children / p.total_children if p.total_children else 1.0
        filled = round(share * BAR_WIDTH)
        bar = "█" * filled + "·" * (BAR_WIDTH - filled)
        end = "\n" if p.phase == "done" else ""
        self.stream.write(f"\r\x1b[2K  [{bar}] {share:4.0%}  {describe(p)}", ending=end)
        self.stream.flush()

    def _line(self, p: SeedProgress) -> None:
        now = self.clock()
        due = self.last_line is None or now - self.last_line >= LINE_EVERY
        if due or p.phase != "writing" or p.children >= p.total_children:
            self.last_line = now
            self.stream.write(f"  {describe(p)}")
