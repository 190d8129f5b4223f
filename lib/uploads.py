"""Check an uploaded spreadsheet before anything parses it.

The type is decided by the content, never by the file name: an .xlsx is a zip holding
[Content_Types].xml and xl/workbook.xml, an .xls is an OLE2 compound file, a .csv is text that
decodes as UTF-8 or GBK. Zip archives are bounded by what they really inflate to (a zip bomb
declares small sizes and inflates to gigabytes), XML with a DTD is refused outright (Office never writes one), and openpyxl is only used
with defusedxml installed (assert_safe_xml).

Knows nothing of Django; messages are plain English and the caller translates them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

XLSX, XLS, CSV = "xlsx", "xls", "csv"
MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200  # inflated size ÷ archive size; real workbooks stay far below
MAX_MEMBERS = 2000
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class UploadRejected(ValueError):
    """The file is not one we read. `code` names the reason for callers that translate."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_unzipped: int = MAX_UNZIPPED
    max_ratio: int = MAX_RATIO
    max_members: int = MAX_MEMBERS


def assert_safe_xml() -> None:
    """Refuse to read .xlsx if openpyxl would parse XML without defusedxml (billion laughs, XXE)."""
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise RuntimeError("defusedxml is not installed: openpyxl would parse untrusted XML unsafely")


def sniff(data: bytes, *, limits: Limits = Limits()) -> str:
    """Return "xlsx", "xls" or "csv" for the bytes, or raise UploadRejected saying why not."""
    if not data or not data.strip():
        raise UploadRejected("empty", "The file is empty.")
    if len(data) > limits.max_bytes:
        raise UploadRejected("too_large", f"The file is larger than {limits.max_bytes // (1024 * 1024)} MB.")
    if data.startswith(ZIP):
        _check_xlsx(data, limits)
        return XLSX
    if data.startswith(OLE2):
        return XLS
    if b"\x00" not in data and decode_text(data) is not None:
        return CSV
    raise UploadRejected("type", "This is not an Excel workbook (.xlsx, .xls) or a CSV file.")


def decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (with or without BOM) or GBK/GB18030, or None when it is neither."""
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _check_xlsx(data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRejected("type", "The file looks like a zip archive but cannot be opened.")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UploadRejected("type", "This zip archive is not an Excel workbook (.xlsx).")
    if len(members) > limits.max_members:
        raise UploadRejected("bomb", "The workbook holds too many parts.")
    if any(m.flag_bits & 0x1 for m in members):
        raise UploadRejected("encrypted", "The workbook is encrypted; save it without a password.")
    budget = min(limits.max_unzipped, len(data) * limits.max_ratio)
    # The declared sizes can lie, so inflate every member and count what really comes out.
    inflated = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                first = True
                while chunk := stream.read(64 * 1024):
                    inflated += len(chunk)
                    if inflated > budget:
                        raise UploadRejected(
                            "bomb", "The workbook inflates to far more than its size; refused."
                        )
                    # Office never writes a DTD; one is an entity-expansion or external-entity attack.
                    if first and b"<!DOCTYPE" in chunk[:4096].upper():
                        raise UploadRejected(
                            "dtd", "The workbook contains a document type declaration; refused."
                        )
                    first = False
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRejected("damaged", "The workbook is damaged and cannot be read.")
