"""An approval's attachment is stored under a name of our own (issue 13 item 5): never the uploader's
name or extension; a picture is drawn again, a PDF is named .pdf."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from .approval_builders import node


def _record(client, eia, upload):
    return client.post(
        f"/approvals/node/{eia.pk}/record/",
        {f"r{eia.pk}-submitted_on": "2020-09-01", f"r{eia.pk}-attachment": upload},
    )


def test_a_pdf_named_like_a_page_is_stored_as_a_pdf_under_a_random_name(
    world, as_user, pinned_today, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    eia = node(world.bridge, "环评批复")
    upload = SimpleUploadedFile("poly.html", b"%PDF-1.4 <script>alert(1)</script>", "text/html")
    assert _record(as_user(world.transport_user), eia, upload).status_code == 302
    eia.refresh_from_db()
    name = eia.attachment.name.rsplit("/", 1)[-1]
    assert name.endswith(".pdf") and "poly" not in name and len(name) == 36


def test_a_picture_is_drawn_again_without_what_was_behind_it(
    world, as_user, pinned_today, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    upload = SimpleUploadedFile("批复.html", buffer.getvalue() + b"<html>hidden</html>", "image/png")
    assert _record(as_user(world.transport_user), eia, upload).status_code == 302
    eia.refresh_from_db()
    stored = eia.attachment.read()
    assert eia.attachment.name.endswith(".png") and b"hidden" not in stored
