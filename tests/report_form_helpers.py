"""The monthly report form as a unit fills it in (shared by the report form and media tests)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def url(project, month: int, year: int = 2020) -> str:
    return f"/reports/{project.pk}/{year}/{month}/"


def typed(**values) -> dict:
    data = {
        "amount": "120.50",
        "progress": "主体施工",
        "completion_pct": "45",
        "workers": "30",
        "problems": "",
    }
    return {**data, **values}


def picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue())
