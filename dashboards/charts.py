"""Server-drawn SVG charts. Each chart is drawn from a ``Table`` shown beside it.

The geometry is computed here and the template writes plain SVG elements with
classes (colours live in static/css/dashboard.css), so the charts need no
script and no inline style.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboards.metrics import NO_FIGURE, Table

#: Sized for half the page's width (a chart sits beside its table), about 450 px at
#: desktop, so the text draws near its CSS size; a narrow screen stacks and scales it.
BAR_HEIGHT = 24
BAR_GAP = 8
LABEL_WIDTH = 190
BAR_AREA = 200
VALUE_WIDTH = 60
LABEL_CHARACTERS = 26
COLUMN_WIDTH = 32
COLUMN_GAP = 4
COLUMN_AREA = 160


@dataclass
class Mark:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bars" (horizontal) or "columns" (vertical, for months)
    width: int
    height: int
    marks: list[Mark] = field(default_factory=list)
    baseline_y: float = 0
    summary: str = ""


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def bar_chart(table: Table, *, value_column: int = 1, title: str = "") -> Chart:
    """Horizontal bars: one per table row (a category)."""
    rows = table.rows
    top = max((_number(r[value_column]) for r in rows), default=0.0) or 1.0
    height = len(rows) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    chart_width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    chart = Chart(table.key, title or table.caption, "bars", chart_width, max(height, 40))
    for i, row in enumerate(rows):
        value = _number(row[value_column])
        y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP)
        width = BAR_AREA * value / top
        chart.marks.append(
            Mark(
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label=_clip(str(row[0])),
                value=f"{int(value):,}",
                label_x=LABEL_WIDTH - 8,
                label_y=y + BAR_HEIGHT * 0.7,
                value_x=LABEL_WIDTH + width + 6,
                value_y=y + BAR_HEIGHT * 0.7,
            )
        )
    chart.summary = _summary(table, value_column)
    return chart


def column_chart(table: Table, *, value_column: int = 1, title: str = "") -> Chart:
    """Vertical columns: one per table row, left to right (months)."""
    rows = table.rows
    top = max((_number(r[value_column]) for r in rows), default=0.0) or 1.0
    width = len(rows) * (COLUMN_WIDTH + COLUMN_GAP) + COLUMN_GAP
    baseline = COLUMN_AREA + 24
    chart = Chart(table.key, title or table.caption, "columns", max(width, 100), baseline + 30)
    chart.baseline_y = baseline
    for i, row in enumerate(rows):
        raw = row[value_column]
        value = _number(raw)
        x = COLUMN_GAP + i * (COLUMN_WIDTH + COLUMN_GAP)
        height = COLUMN_AREA * value / top
        chart.marks.append(
            Mark(
                x=x,
                y=round(baseline - height, 1),
                width=COLUMN_WIDTH,
                height=round(height, 1),
                label=_short_month(str(row[0])),
                value=NO_FIGURE if raw is None else f"{int(value):,}",
                label_x=x + COLUMN_WIDTH / 2,
                label_y=baseline + 18,
                value_x=x + COLUMN_WIDTH / 2,
                value_y=round(baseline - height - 6, 1),
            )
        )
    chart.summary = _summary(table, value_column)
    return chart


def _clip(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "\u2026"


def _short_month(label: str) -> str:
    # "Nov 2026" -> "Nov 26"
    parts = label.split()
    return f"{parts[0]} {parts[1][-2:]}" if len(parts) == 2 and parts[1].isdigit() else label


def _summary(table: Table, value_column: int) -> str:
    values = [(str(r[0]), _number(r[value_column])) for r in table.rows]
    if not values or not any(v for _, v in values):
        return f"{table.caption}: no figures yet."
    label, high = max(values, key=lambda p: p[1])
    highest = f"Highest: {label}, {int(high):,}"
    return f"{table.caption}. {highest}. The figures are in the table beside it."
