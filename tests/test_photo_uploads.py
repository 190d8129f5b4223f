"""Uploads that cannot hurt (issue 13 item 5): a photo is stored as a picture drawn again under a
random name, never the uploader's file; a decompression bomb is refused with a message; a file is cut
off while it is received, not checked once it is whole."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from PIL import Image

from exchange.models import ImportBatch
from lib import images
from lib.upload_limits import TooLargeUpload
from reports.models import ReportPhoto
from supervision.models import Inspection

from .conftest import login
from .report_builders import report

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path, pinned_today):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_html() -> bytes:
    """A real JPEG, with a camera's EXIF, and an HTML page after its image data."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "uploader's phone"  # Software
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A few hundred bytes of PNG whose header says width × height (the IHDR rewritten)."""
    buffer = io.BytesIO()
    Image.new("1", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def inspect(client, world, *photos):
    data = {
        "project": world.reservoir.pk,
        "date": "2020-10-11",
        "findings": "现场未见施工人员",
        "follow_up": "none",
        "photos": list(photos),
    }
    return client.post(reverse("supervision:inspection_create"), data)


def test_an_inspection_photo_is_stored_drawn_again_under_a_random_name(world):
    upload = SimpleUploadedFile("poly.html", jpeg_with_html(), content_type="text/html")
    assert inspect(login(world.supervisor), world, upload).status_code == 302
    photo = Inspection.objects.get().photos.get()
    name = photo.image.name.rsplit("/", 1)[1]
    assert name.endswith(".jpg") and "poly" not in name and len(name) == 32 + 4
    stored = photo.image.read()
    assert b"<html" not in stored and b"SecretCam" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.format == "JPEG" and picture.size == (40, 30) and not picture.getexif()
    served = login(world.supervisor).get(reverse("supervision:inspection_photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/jpeg"


def test_a_report_photo_is_drawn_again_without_its_metadata(world):
    report(world.reservoir, 9, "10.00", status="draft", by=world.water_user)
    upload = SimpleUploadedFile("site.png", jpeg_with_html())  # a JPEG, whatever its name says
    response = login(world.water_user).post(
        f"/reports/{world.reservoir.pk}/2020/9/photos/", {"image": upload}
    )
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    assert photo.image.name.endswith(f"{photo.uid}.jpg")
    stored = photo.image.read()
    assert b"<html" not in stored and b"SecretCam" not in stored


def test_a_decompression_bomb_is_refused_with_a_message(world):
    data = bomb_png()
    assert len(data) < 200
    response = inspect(login(world.supervisor), world, SimpleUploadedFile("bomb.png", data))
    assert response.status_code == 200
    [error] = response.context["form"].errors["photos"]
    assert "bomb.png" in error and "50" in error
    assert not Inspection.objects.exists()
    # Within Pillow's own limit but past ours, the same message.
    upload = SimpleUploadedFile("wide.png", bomb_png(10000, 6000))
    with pytest.raises(images.ValidationError, match="wide.png"):
        images.photo_file(upload)


def test_a_png_keeps_its_transparency_and_loses_its_text_chunks():
    from PIL import PngImagePlugin

    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>x</script>")
    Image.new("RGBA", (10, 10), (255, 0, 0, 0)).save(buffer, "PNG", pnginfo=info)
    picture = images.photo_file(SimpleUploadedFile("a.png", buffer.getvalue()))
    assert picture.name.endswith(".png") and b"<script>" not in picture.read()
    picture.seek(0)
    with Image.open(picture) as again:
        assert again.mode == "RGBA" and again.getpixel((0, 0))[3] == 0


def test_a_file_past_the_limit_is_cut_off_while_it_is_received(world, monkeypatch):
    received = []  # what reached the temporary file (too large for memory, it passes there)
    real = TemporaryFileUploadHandler.receive_data_chunk
    monkeypatch.setattr(
        TemporaryFileUploadHandler,
        "receive_data_chunk",
        lambda self, raw, start: received.append(len(raw)) or real(self, raw, start),
    )
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * (30 * MB))
    response = login(world.office).post(
        reverse("exchange:upload"), {"file": big, "kind": "projects", "year": 2020}
    )
    assert response.status_code == 200
    assert "10 MB" in response.context["form"].errors["file"][0]
    assert response.context["form"]["year"].value() == "2020"  # the fields after it arrived
    assert sum(received) <= 10 * MB + 64 * 1024  # the other 20 MB were never kept
    assert not ImportBatch.objects.exists()


def test_a_photo_past_the_limit_is_refused_by_its_size_not_read(world):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (12 * MB))
    response = inspect(login(world.supervisor), world, big)
    assert response.status_code == 200
    assert "8 MB" in response.context["form"].errors["photos"][0]
    assert not Inspection.objects.exists()
    cut = TooLargeUpload("big.jpg", 10 * MB + 1, "image/jpeg")
    with pytest.raises(ValueError):  # a form that forgot to check the size fails loudly
        cut.read()
