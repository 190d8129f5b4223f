"""Check an uploaded spreadsheet before anything parses it.

The type is decided by the content, never by the file name: an .xlsx is a zip holding
[Content_Types].xml and xl/workbook.xml, an .xls is an OLE2 compound file, a .csv is text that
decodes as UTF-8 or GBK. Zip archives are bounded by what they really inflate to (a zip bomb
declares small sizes and inflates to gigabytes), XML with a DTD is refused outright (Office never
writes one) — every XML part read whole, in whatever encoding it declares (UTF-16 included) — and
openpyxl is only used with defusedxml installed (assert_safe_xml). Limits also carries the caps the
reader (lib.tabular) stops at: rows, columns and merged ranges.

Knows nothing of Django; messages are plain English and the caller translates them.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass

XLSX, XLS, CSV = "xlsx", "xls", "csv"
MAX_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200  # inflated size ÷ archive size; real workbooks stay far below
MAX_MEMBERS = 2000
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_MERGES = 1000
MAX_CELLS = 1_000_000  # filled cells in a sheet: 20,000 rows of 50 columns
MAX_MERGED_CELLS = 200_000  # the cells all merged ranges cover together: headers and unit names
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


class UploadRejected(ValueError):
    """The file is not one we read. `code` names the reason for callers that translate."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_unzipped: int = MAX_UNZIPPED
    max_ratio: int = MAX_RATIO
    max_members: int = MAX_MEMBERS
    max_rows: int = MAX_ROWS
    max_columns: int = MAX_COLUMNS
    max_merges: int = MAX_MERGES
    max_cells: int = MAX_CELLS
    max_merged_cells: int = MAX_MERGED_CELLS


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
                scan = DtdScan()
                while chunk := stream.read(64 * 1024):
                    inflated += len(chunk)
                    if inflated > budget:
                        raise UploadRejected(
                            "bomb", "The workbook inflates to far more than its size; refused."
                        )
                    scan.feed(chunk)
                scan.close()
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRejected("damaged", "The workbook is damaged and cannot be read.")


# The byte order marks and, without one, how "<?" opens in each encoding (XML 1.0, appendix F).
BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
OPENINGS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
FORBIDDEN = ("<!DOCTYPE", "<!ENTITY")
KEEP = max(len(word) for word in FORBIDDEN) - 1  # characters carried over between chunks


def xml_encoding(head: bytes) -> str | None:
    """The encoding a part's first bytes announce (BOM, then the XML declaration), or None when the
    part does not look like XML at all (an image, a .bin)."""
    for mark, encoding in BOMS:
        if head.startswith(mark):
            return encoding
    for opening, encoding in OPENINGS:
        if head.startswith(opening):
            return encoding
    if not head.lstrip().startswith(b"<"):
        return None
    declared = DECLARED.match(head)
    return declared.group(1).decode("ascii").lower() if declared else "utf-8"


class DtdScan:
    """Fed a part chunk by chunk: refuses a DOCTYPE or ENTITY declaration anywhere in it, in the
    encoding the part declares. A part that is not XML is not scanned; one whose encoding is unknown
    or that does not decode in it is damaged (an XML parser would not read it either)."""

    def __init__(self) -> None:
        self.head = b""
        self.decoder: codecs.IncrementalDecoder | None = None
        self.tail = ""
        self.skip = False

    def feed(self, chunk: bytes) -> None:
        if self.skip:
            return
        if self.decoder is None:
            self.head += chunk
            if len(self.head) < 1024 and chunk:
                return  # enough bytes for the BOM and the declaration
            encoding = xml_encoding(self.head)
            if encoding is None:
                self.skip = True
                return
            try:
                self.decoder = codecs.getincrementaldecoder(encoding)()
            except LookupError:
                raise UploadRejected("damaged", "The workbook is damaged and cannot be read.")
            chunk, self.head = self.head, b""
        try:
            text = self.tail + self.decoder.decode(chunk)
        except UnicodeDecodeError:
            raise UploadRejected("damaged", "The workbook is damaged and cannot be read.")
        upper = text.upper()
        if any(word in upper for word in FORBIDDEN):
            raise UploadRejected("dtd", "The workbook contains a document type declaration; refused.")
        self.tail = text[-KEEP:]

    def close(self) -> None:
        if self.decoder is None and not self.skip:
            self.feed(b"")  # a part shorter than the head
        if self.decoder is not None:
            self.feed(b"")
