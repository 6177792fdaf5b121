"""docs/security.md maps OWASP ASVS 5.0.0 to the portal: every Level 1 and Level 2
requirement is in exactly one of its three tables, the tables are well formed, and every
test a mapped row names exists, as does every test docs/data-classification.md names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"
CLASSIFICATION = ROOT / "docs" / "data-classification.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
REQUIREMENT = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
SEPARATOR = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")

MAPPED = "Mapped: what the portal does, and the tests that prove it"
NOT_APPLICABLE = "Not applicable or not testable in the application"
GAPS = "Gaps"
#: Each table's heading and its columns.
TABLES = {
    MAPPED: ["ASVS", "Requirement (in short)", "How the portal meets it", "Proved by"],
    NOT_APPLICABLE: ["ASVS", "Why"],
    GAPS: ["ASVS", "What is missing", "What would meet it"],
}

#: ASVS 5.0.0: how many requirements each section has (V1.1 has 1.1.1 and 1.1.2, ...).
SECTIONS = {
    **{"1.1": 2, "1.2": 10, "1.3": 12, "1.4": 3, "1.5": 3},
    **{"2.1": 3, "2.2": 3, "2.3": 5, "2.4": 2},
    **{"3.1": 1, "3.2": 3, "3.3": 5, "3.4": 8, "3.5": 8, "3.6": 1, "3.7": 5},
    **{"4.1": 5, "4.2": 5, "4.3": 2, "4.4": 4},
    **{"5.1": 1, "5.2": 6, "5.3": 3, "5.4": 3},
    **{"6.1": 3, "6.2": 12, "6.3": 8, "6.4": 6, "6.5": 8, "6.6": 4, "6.7": 2, "6.8": 4},
    **{"7.1": 3, "7.2": 4, "7.3": 2, "7.4": 5, "7.5": 3, "7.6": 2},
    **{"8.1": 4, "8.2": 4, "8.3": 3, "8.4": 2},
    **{"9.1": 3, "9.2": 4},
    **{"10.1": 2, "10.2": 3, "10.3": 5, "10.4": 16, "10.5": 5, "10.6": 2, "10.7": 3},
    **{"11.1": 4, "11.2": 5, "11.3": 5, "11.4": 4, "11.5": 2, "11.6": 2, "11.7": 2},
    **{"12.1": 5, "12.2": 2, "12.3": 5},
    **{"13.1": 4, "13.2": 6, "13.3": 4, "13.4": 7},
    **{"14.1": 2, "14.2": 8, "14.3": 3},
    **{"15.1": 5, "15.2": 5, "15.3": 7, "15.4": 4},
    **{"16.1": 1, "16.2": 5, "16.3": 4, "16.4": 3, "16.5": 4},
    **{"17.1": 2, "17.2": 8, "17.3": 2},
}
#: ASVS 5.0.0's Level 3 requirements; every other one is Level 1 or 2.
LEVEL_3 = frozenset(
    """
    1.2.10 1.3.12 1.5.3 2.3.5 2.4.2 3.1.1 3.2.3 3.3.5 3.4.7 3.4.8 3.5.6 3.5.7 3.5.8 3.6.1
    3.7.3 3.7.4 3.7.5 4.1.4 4.1.5 4.2.2 4.2.3 4.2.4 4.2.5 5.2.4 5.2.5 5.2.6 5.3.3 6.3.5
    6.3.6 6.3.7 6.3.8 6.4.5 6.4.6 6.5.6 6.5.7 6.5.8 6.6.4 6.7.1 6.7.2 7.5.3 8.1.3 8.1.4
    8.2.4 8.3.2 8.3.3 8.4.2 10.2.3 10.3.5 10.4.12 10.4.13 10.4.14 10.4.15 10.4.16 11.1.3
    11.1.4 11.2.4 11.2.5 11.3.4 11.3.5 11.5.2 11.6.2 11.7.1 11.7.2 12.1.4 12.1.5 12.3.5
    13.1.2 13.1.3 13.1.4 13.2.6 13.3.3 13.3.4 13.4.6 13.4.7 14.2.5 14.2.6 14.2.7 14.2.8
    15.1.4 15.1.5 15.2.4 15.2.5 15.4.1 15.4.2 15.4.3 15.4.4 16.5.4 17.1.2 17.2.5 17.2.6
    17.2.7 17.2.8
    """.split()  # noqa: SIM905 - a block of numbers reads better than a list of strings
)
ALL_REQUIREMENTS = frozenset(
    f"{section}.{n}" for section, count in SECTIONS.items() for n in range(1, count + 1)
)
LEVEL_1_AND_2 = ALL_REQUIREMENTS - LEVEL_3


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def read_tables(text: str) -> tuple[dict[str, list[list[str]]], list[str]]:
    """The three tables' rows (cells) by heading, and what is wrong with their shape."""
    problems: list[str] = []
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            heading = line[3:].strip()
        if not line.startswith("|") or heading not in TABLES:
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].startswith("|"):
            block.append(lines[i])
            i += 1
        if heading in tables:
            problems.append(f"{heading}: a second table under the same heading")
            continue
        columns = TABLES[heading]
        if _cells(block[0]) != columns:
            problems.append(f"{heading}: the header is not {' | '.join(columns)}")
        if len(block) < 2 or not SEPARATOR.match(block[1].strip()):
            problems.append(f"{heading}: no separator row under the header")
        rows = []
        for row_line in block[2:]:
            cells = _cells(row_line)
            if not row_line.rstrip().endswith("|") or len(cells) != len(columns):
                problems.append(f"{heading}: malformed row: {row_line[:60]}")
                continue
            if any(not cell for cell in cells):
                problems.append(f"{heading}: an empty cell in the row for {cells[0]}")
            rows.append(cells)
        tables[heading] = rows
    problems.extend(f"{name}: the table is missing" for name in TABLES if name not in tables)
    return tables, problems


def requirement_problems(tables: dict[str, list[list[str]]]) -> list[str]:
    """Rows for unknown, repeated, missing or unmarked Level 3 requirements."""
    problems = []
    seen: dict[str, str] = {}
    for heading, rows in tables.items():
        for cells in rows:
            number = cells[0]
            if not REQUIREMENT.match(number) or number not in ALL_REQUIREMENTS:
                problems.append(f"{number}: not an ASVS 5.0.0 requirement")
                continue
            if number in seen:
                problems.append(f"{number}: in more than one row ({seen[number]}, {heading})")
            seen[number] = heading
            if number in LEVEL_3 and (heading != MAPPED or "*beyond L2*" not in cells[1]):
                problems.append(f"{number}: Level 3, so only a mapped row marked *beyond L2*")
    problems.extend(
        f"{number}: in no table"
        for number in sorted(LEVEL_1_AND_2 - seen.keys(), key=lambda n: [*map(int, n.split("."))])
    )
    return problems


def named_test_problems(tables: dict[str, list[list[str]]]) -> list[str]:
    """Mapped rows that name no test, and named tests that do not exist."""
    problems = []
    for cells in tables.get(MAPPED, []):
        named = NAMED.findall(cells[3])
        if not named:
            problems.append(f"{cells[0]}: a mapped row must name a test")
        for path, name in named:
            file = ROOT / path
            if not file.is_file() or not re.search(
                rf"^(async )?def {name}\(", file.read_text(), re.MULTILINE
            ):
                problems.append(f"{cells[0]}: {path}::{name} does not exist")
    return problems


def test_the_catalogue_is_asvs_5_0_0() -> None:
    assert len(ALL_REQUIREMENTS) == 345
    assert len(LEVEL_3) == 92
    assert LEVEL_3 <= ALL_REQUIREMENTS
    assert len(LEVEL_1_AND_2) == 253


def test_the_tables_are_well_formed() -> None:
    _, problems = read_tables(DOC.read_text())
    assert problems == []


def test_every_level_1_and_2_requirement_is_in_exactly_one_row() -> None:
    tables, _ = read_tables(DOC.read_text())
    assert requirement_problems(tables) == []


def missing_tests(text: str) -> list[str]:
    """The tests ``text`` names that do not exist."""
    return [
        f"{path}::{name}"
        for path, name in NAMED.findall(text)
        if not (ROOT / path).is_file()
        or not re.search(rf"^(async )?def {name}\(", (ROOT / path).read_text(), re.MULTILINE)
    ]


def test_every_test_the_security_mapping_names_exists() -> None:
    text = DOC.read_text()
    tables, _ = read_tables(text)
    assert len(tables[MAPPED]) >= 100
    assert named_test_problems(tables) == []
    # Tests named anywhere else in the document exist too.
    assert missing_tests(text) == []


def test_every_test_the_data_classification_names_exists() -> None:
    # Each level's controls there name the tests that prove them (ASVS 14.2.4).
    text = CLASSIFICATION.read_text()
    assert len(NAMED.findall(text)) >= 40
    assert missing_tests(text) == []


def test_the_counts_in_the_introduction_are_the_tables() -> None:
    text = DOC.read_text()
    tables, _ = read_tables(text)
    beyond = sum("*beyond L2*" in cells[1] for cells in tables[MAPPED])
    expected = (
        f"Today: {len(tables[MAPPED])} mapped ({beyond} of them beyond L2), "
        f"{len(tables[NOT_APPLICABLE])} not applicable or not testable,\n"
        f"{len(tables[GAPS])} gap{'' if len(tables[GAPS]) == 1 else 's'}."
    )
    assert expected in text


IDLE = "`tests/agencies/test_sessions.py::test_idle_for_30_minutes_signs_out`"
GOOD = f"""
## Mapped: what the portal does, and the tests that prove it

| ASVS | Requirement (in short) | How the portal meets it | Proved by |
|---|---|---|---|
| 7.3.1 | Inactivity timeout | 30 minutes | {IDLE} |

## Not applicable or not testable in the application

| ASVS | Why |
|---|---|
| 4.3.1 | No GraphQL |

## Gaps

| ASVS | What is missing | What would meet it |
|---|---|---|
| 7.5.2 | No list of sessions | A page |
"""


def test_the_checks_catch_a_malformed_table() -> None:
    tables, problems = read_tables(GOOD)
    assert problems == []
    assert [len(rows) for rows in tables.values()] == [1, 1, 1]
    short_row = GOOD.replace("| 4.3.1 | No GraphQL |", "| 4.3.1 No GraphQL |")
    assert read_tables(short_row)[1] == [f"{NOT_APPLICABLE}: malformed row: | 4.3.1 No GraphQL |"]
    no_separator = GOOD.replace("|---|---|\n", "")
    assert f"{NOT_APPLICABLE}: no separator row under the header" in read_tables(no_separator)[1]
    renamed = GOOD.replace("| ASVS | Why |", "| Number | Why |")
    assert f"{NOT_APPLICABLE}: the header is not ASVS | Why" in read_tables(renamed)[1]
    empty = GOOD.replace("| 7.5.2 | No list of sessions |", "| 7.5.2 |  |")
    assert f"{GAPS}: an empty cell in the row for 7.5.2" in read_tables(empty)[1]
    gone = GOOD.replace("## Gaps", "## Later")
    assert read_tables(gone)[1] == [f"{GAPS}: the table is missing"]


def test_the_checks_catch_a_repeated_unknown_or_missing_requirement() -> None:
    tables, _ = read_tables(GOOD)
    problems = requirement_problems(tables)
    assert "7.3.1: in no table" not in problems
    assert "7.3.2: in no table" in problems
    assert len(problems) == len(LEVEL_1_AND_2) - 3
    twice = GOOD.replace("| 7.5.2 | No list", "| 7.3.1 | No list")
    assert f"7.3.1: in more than one row ({MAPPED}, {GAPS})" in requirement_problems(
        read_tables(twice)[0]
    )
    unknown = GOOD.replace("| 4.3.1 |", "| 4.3.9 |")
    assert "4.3.9: not an ASVS 5.0.0 requirement" in requirement_problems(read_tables(unknown)[0])
    level_3 = GOOD.replace("| 4.3.1 |", "| 3.4.7 |")
    assert "3.4.7: Level 3, so only a mapped row marked *beyond L2*" in requirement_problems(
        read_tables(level_3)[0]
    )


def test_the_checks_catch_a_test_that_does_not_exist() -> None:
    tables, _ = read_tables(GOOD)
    assert named_test_problems(tables) == []
    renamed = GOOD.replace("test_idle_for_30_minutes", "test_idle_for_31_minutes")
    assert named_test_problems(read_tables(renamed)[0]) == [
        "7.3.1: tests/agencies/test_sessions.py::test_idle_for_31_minutes_signs_out does not exist"
    ]
    untested = GOOD.replace(IDLE, "by inspection")
    assert named_test_problems(read_tables(untested)[0]) == ["7.3.1: a mapped row must name a test"]
