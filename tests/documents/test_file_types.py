"""The allow-list, checked by content (documents/content.py), and what the scanner's
answers mean (documents/scanning.py)."""

from __future__ import annotations

import pytest

from documents import content, scanning
from tests.documents.conftest import (
    EXECUTABLE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    odt_bytes,
    plain_zip_bytes,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, content.PDF),
        (PNG_BYTES, content.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, content.JPEG),
        (docx_bytes(), content.DOCX),
        (odt_bytes(), content.ODT),
        (b"Notes from the visit: Poppy is settled.\n", content.TEXT),
        ("Zoë's notes, with an accent\r\n".encode(), content.TEXT),
    ],
)
def test_it_tells_an_allowed_type_by_its_content(data: bytes, expected: content.FileType) -> None:
    assert content.detect_bytes(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        EXECUTABLE_BYTES,
        plain_zip_bytes(),
        b"PK\x03\x04 not really a zip",
        b"\x00\x01\x02 binary",
        b"<html>\x00</html>",
        "caf\xe9".encode("latin-1"),
        b"",
    ],
)
def test_it_refuses_anything_else(data: bytes) -> None:
    assert content.detect_bytes(data) is None


def test_a_clean_answer_is_the_only_clean_one() -> None:
    assert scanning.parse_reply("stream: OK").is_clean
    found = scanning.parse_reply("stream: Win.Test.EICAR_HDB-1 FOUND")
    assert found.outcome == scanning.ScanOutcome.INFECTED
    assert "Win.Test.EICAR_HDB-1" in found.detail
    too_big = scanning.parse_reply("INSTREAM size limit exceeded. ERROR")
    assert too_big.outcome == scanning.ScanOutcome.FAILED
    assert scanning.parse_reply("").outcome == scanning.ScanOutcome.FAILED
    assert scanning.parse_reply("stream: something odd").outcome == scanning.ScanOutcome.FAILED


def test_an_unset_scanner_fails_every_scan(settings: object) -> None:
    settings.TAC_CLAMD_ADDRESS = ""  # type: ignore[attr-defined]

    result = scanning.scan_chunks([b"hello"])

    assert result.outcome == scanning.ScanOutcome.FAILED
    assert "No virus scanner is set up" in result.detail


def test_the_daemon_answers_ping(settings: object) -> None:
    assert scanning.ping()
    assert not scanning.ping("tcp://127.0.0.1:9")
