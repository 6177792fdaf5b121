"""An XLSX import is a zip: its unpacked size and number of parts are checked before it is
opened (ASVS 5.0 V5.2.3), so a small upload cannot unpack into gigabytes."""

from __future__ import annotations

import io
import zipfile

import pytest

from imports import files
from tests.imports.caseload import good_file


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(files, "MAX_UNPACKED_BYTES", 1024 * 1024)
    bomb = _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 2_000_000})
    assert len(bomb) < 10_000
    with pytest.raises(files.FileProblem, match="too large when unpacked"):
        files.read_file("caseload.xlsx", bomb)


def test_a_workbook_of_too_many_parts_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_PARTS", 10)
    many = _zip({f"xl/part{n}.xml": b"<x/>" for n in range(11)})
    with pytest.raises(files.FileProblem, match="too large when unpacked"):
        files.read_file("caseload.xlsx", many)


def test_an_ordinary_workbook_is_read() -> None:
    sheets = files.read_file("caseload.xlsx", good_file())
    assert [sheet.kind for sheet in sheets][:2] == ["families", "children"]
