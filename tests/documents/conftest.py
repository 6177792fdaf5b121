"""The document tests scan with the real ClamAV daemon (tests/clamav.py) and keep files in a
temporary directory through the same storage API as production.

- ``clamd``: one daemon per test process (per xdist worker), started with the local test
  signature database; the tests that need it FAIL, saying how to get one, when clamd is
  not installed. They are never skipped.
- ``documents_settings`` (every test here): the portal scans with that daemon and keeps
  documents in the test's own directory.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import clamav
from tests.api.conftest import (  # noqa: F401 - the partner API fixtures, for the API tests
    make_partner,
    police_api,
    police_partner,
    school_api,
    school_partner,
    share,
)


@pytest.fixture(scope="session")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[clamav.Daemon]:
    if clamav.find() is None:
        pytest.fail(clamav.missing_message(), pytrace=False)
    try:
        daemon = clamav.start(tmp_path_factory.mktemp("clamd"))
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield daemon
    daemon.stop()


@pytest.fixture(autouse=True)
def documents_settings(settings: Any, clamd: clamav.Daemon, tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    settings.TAC_CLAMD_ADDRESS = clamd.address
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None},
        },
    }
    return root


def body(response: Any) -> bytes:
    """All of a streamed download's bytes."""
    return b"".join(response.streaming_content)


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXECUTABLE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()
