"""Reading an uploaded file (CSV or XLSX) into the template's sheets.

A CSV file holds one sheet, known by its first column (``family_key``, ``child_key``...);
an XLSX workbook holds any of the sheets, by name. Nothing here checks values: that is
``imports.columns``' business.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml.common import DefusedXmlException

from imports.columns import KIND_BY_FIRST_COLUMN, SHEETS

#: The largest file accepted (a 100,000-child CSV is about 15 MB).
MAX_BYTES = 64 * 1024 * 1024
#: An XLSX workbook is a zip: before it is opened, the sizes and number of its parts, as
#: its directory lists them, must stay within these (a "zip bomb" does not), and reading
#: stops at each part's listed size. A 100,000-child workbook unpacks to about 150 MB.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_PARTS = 1000


class FileProblem(Exception):
    """The file cannot be read as the template; the message says why."""


@dataclass
class Sheet:
    kind: str
    headers: list[str]
    #: (row number, counting the header as 1; the cells by column name)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def read_file(name: str, content: bytes) -> list[Sheet]:
    """The sheets in the file, in the template's order."""
    if len(content) > MAX_BYTES:
        raise FileProblem(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    lowered = name.lower()
    if lowered.endswith(".csv"):
        sheets = [_read_csv(content)]
    elif lowered.endswith(".xlsx"):
        sheets = _read_xlsx(content)
    else:
        raise FileProblem("The file must be a CSV or an XLSX file")
    order = list(SHEETS)
    return sorted(sheets, key=lambda sheet: order.index(sheet.kind))


def _headers(cells: list[Any]) -> list[str]:
    return [("" if cell is None else str(cell)).strip().lower() for cell in cells]


def _blank(values: list[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def _sheet(kind: str, headers: list[str], rows: Any, first_row: int = 2) -> Sheet:
    sheet = Sheet(kind=kind, headers=headers)
    for number, values in enumerate(rows, start=first_row):
        values = list(values)
        if _blank(values):
            continue
        cells = {header: value for header, value in zip(headers, values, strict=False) if header}
        sheet.rows.append((number, cells))
    return sheet


def _read_csv(content: bytes) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("Save the CSV file as UTF-8 and upload it again") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = _headers(next(reader))
    except StopIteration:
        raise FileProblem("The file is empty") from None
    except csv.Error:
        raise FileProblem("The file is not a readable CSV file") from None
    kind = KIND_BY_FIRST_COLUMN.get(headers[0] if headers else "")
    if kind is None:
        firsts = ", ".join(KIND_BY_FIRST_COLUMN)
        raise FileProblem(f"The first column of a CSV file must be one of: {firsts}")
    try:
        return _sheet(kind, headers, reader)
    except csv.Error:
        raise FileProblem("The file is not a readable CSV file") from None


def _check_archive(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem("The file is not a readable XLSX workbook") from None
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise FileProblem(
            "The workbook is too large when unpacked. Save it again from your spreadsheet "
            "program, or split it into smaller files"
        )


UNSAFE_XML = (
    "The workbook holds XML entity declarations, so it cannot be read safely. Save it again "
    "from your spreadsheet program"
)


def _read_xlsx(content: bytes) -> list[Sheet]:
    from openpyxl import load_workbook

    _check_archive(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ParseError) as error:
        # openpyxl wraps what its XML parser refused in a ValueError of its own.
        if isinstance(error, DefusedXmlException) or isinstance(
            error.__cause__, DefusedXmlException
        ):
            raise FileProblem(UNSAFE_XML) from None
        raise FileProblem("The file is not a readable XLSX workbook") from None
    try:
        return _xlsx_sheets(book)
    except DefusedXmlException:
        raise FileProblem(UNSAFE_XML) from None
    except ParseError:
        raise FileProblem("The file is not a readable XLSX workbook") from None
    finally:
        book.close()


def _xlsx_sheets(book: Any) -> list[Sheet]:
    sheets = []
    for title in book.sheetnames:
        kind = title.strip().lower()
        if kind not in SHEETS:
            raise FileProblem(
                f"The workbook has a sheet called '{title[:40]}'. Sheets must be called: "
                + ", ".join(SHEETS)
            )
        rows = book[title].iter_rows(values_only=True)
        try:
            headers = _headers(list(next(rows)))
        except StopIteration:
            continue
        sheets.append(_sheet(kind, headers, rows))
    if not sheets:
        raise FileProblem("The workbook has no sheets with rows")
    return sheets
