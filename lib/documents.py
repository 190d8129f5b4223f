"""Check an uploaded document (a feasibility study, a design, an approval scan) by its content.

Accepted: PDF, Word (.docx, .doc) and JPEG/PNG scans, told apart by their first bytes, never by
the file's name; a .docx must be a sound zip holding word/document.xml that does not inflate to far
more than its size. Knows nothing of Django; messages are plain English and the caller translates.
"""

from __future__ import annotations

import io
import zipfile

MAX_BYTES = 10 * 1024 * 1024
MAX_RATIO = 200
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocumentRejected(ValueError):
    """Not a document we keep. `code` names the reason for callers that translate."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def sniff_document(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """The extension the content deserves ("pdf", "docx", "doc", "jpg", "png") or DocumentRejected."""
    if not data:
        raise DocumentRejected("empty", "The file is empty.")
    if len(data) > max_bytes:
        raise DocumentRejected("too_large", f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(OLE2):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                inflated = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise DocumentRejected("damaged", "The document is damaged and cannot be read.") from exc
        if inflated > MAX_RATIO * len(data):
            raise DocumentRejected("bomb", "The document inflates to far more than its size and was refused.")
        if "word/document.xml" in names:
            return "docx"
    raise DocumentRejected("type", "Attach a PDF, a Word document (.docx, .doc) or a JPEG or PNG scan.")
