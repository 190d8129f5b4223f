"""Uploaded files cut off while they are received, not checked once they are whole.

Django's own handlers keep every byte of a file (in memory, then in a temporary file) before any
form sees its size. LimitedUploadHandler, first in settings.FILE_UPLOAD_HANDLERS, counts each file's
bytes as they arrive; past settings.KEYPROJ_UPLOAD_MAX_MB it passes nothing more on, and the form
receives a TooLargeUpload: no content, and a size past the limit. Every form that takes a file
checks the size first (the spreadsheet's 10 MB, a photo's 8 MB, both within the handler's limit),
so the user reads the form's own message ("… is larger than 10 MB") and the rest of the request
(the other fields) arrives as usual.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def upload_limit() -> int:
    """The most bytes of one uploaded file that are received."""
    return settings.KEYPROJ_UPLOAD_MAX_MB * 1024 * 1024


class TooLargeUpload(UploadedFile):
    """A file cut off past the limit: empty, and `size` the bytes sent before the cut (> limit)."""

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size)

    def read(self, *args, **kwargs) -> bytes:
        # Nobody may store it for a real file: a form that forgot its size check fails loudly.
        raise ValueError(f"{self.name} was cut off at the upload limit and has no content")

    def chunks(self, chunk_size: int | None = None):
        raise ValueError(f"{self.name} was cut off at the upload limit and has no content")


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes; past the limit they go to no handler (see the module)."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.cut = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > upload_limit():
            self.cut = True
        return None if self.cut else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.cut:
            return TooLargeUpload(self.file_name, self.received, self.content_type)
        return None  # the next handler (memory, then temporary file) holds the file
