"""An XLSX workbook is XML inside a zip: entity declarations and external entities in it
are refused (ASVS 5.0 V1.5.1). openpyxl parses through ``defusedxml`` when it is
installed, and the portal requires it."""

from __future__ import annotations

import io
import zipfile

import pytest

from imports import files
from tests.imports.caseload import good_file

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/hostname">]>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"""


def _with_doctype(doctype: bytes, entity: bytes) -> bytes:
    """The good workbook, its first sheet's first cell made an inline string of an entity."""
    source = zipfile.ZipFile(io.BytesIO(good_file()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            data = source.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[-1] if data.startswith(b"<?xml") else data
                start = body.index(b"<c ")
                end = body.index(b"</c>", start) + len(b"</c>")
                cell = b'<c r="A1" t="inlineStr"><is><t>' + entity + b"</t></is></c>"
                data = doctype + body[:start] + cell + body[end:]
            archive.writestr(part, data)
    return out.getvalue()


def test_defusedxml_is_what_openpyxl_parses_with() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


@pytest.mark.parametrize(("doctype", "entity"), [(EXTERNAL, b"&secret;"), (LAUGHS, b"&b;")])
def test_a_workbook_declaring_entities_is_refused_with_a_message(doctype, entity) -> None:
    with pytest.raises(files.FileProblem, match="cannot be read safely"):
        files.read_file("caseload.xlsx", _with_doctype(doctype, entity))
