"""Which files a document may be: the allow-list, checked by content, never by name.

A file's type is what its first bytes (and, for office documents, the parts inside the
zip) say it is. The name and the browser's content type are ignored: a renamed
executable is refused, and a PDF called "letter.txt" is stored and sent as a PDF.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Protocol

#: How much of the start of a file is read to tell its type (and to check plain text).
SNIFF_BYTES = 64 * 1024

#: The control characters plain text may hold: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = {9, 10, 12, 13}


class BinaryFile(Protocol):
    """What the checks, the scan and the storage read a file through."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extension: str


PDF = FileType("pdf", "PDF", "application/pdf", "pdf")
PNG = FileType("png", "PNG image", "image/png", "png")
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", "jpg")
DOCX = FileType(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = FileType(
    "xlsx",
    "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
ODT = FileType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
TEXT = FileType("text", "Plain text", "text/plain; charset=utf-8", "txt")

ALLOWED: tuple[FileType, ...] = (PDF, PNG, JPEG, DOCX, XLSX, ODT, TEXT)
BY_KEY = {t.key: t for t in ALLOWED}
ALLOWED_LABELS = (
    "PDF, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), PNG, JPEG or plain text"
)

_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip_type(file: BinaryFile) -> FileType | None:
    """An office document: a zip holding the parts its format requires."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and "content.xml" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                    return ODT
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    return None


def _is_text(head: bytes, *, complete: bool) -> bool:
    if not head:
        return False
    if any(b < 32 and b not in _TEXT_CONTROLS for b in head) or 127 in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return not complete and error.start >= len(head) - 3
    return True


def detect(file: BinaryFile) -> FileType | None:
    """The allowed type the file's content shows, or None when it is none of them.

    Reads from the start and leaves the file at the start.
    """
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    complete = len(file.read(1)) == 0
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(file)
        if _is_text(head.removeprefix(b"\xef\xbb\xbf"), complete=complete):
            return TEXT
        return None
    finally:
        file.seek(0)


def detect_bytes(data: bytes) -> FileType | None:
    return detect(io.BytesIO(data))
