"""Report photos: JPEG and PNG only, checked by content, at most 8 MB (lib/images.py, as for inspections), scoped like the report."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports.models import ReportPhoto

from .conftest import login
from .report_builders import report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def picture(fmt: str, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def url(world):
    return f"/reports/{world.reservoir.pk}/2020/9/photos/"


@pytest.fixture
def draft(world):
    return report(world.reservoir, 9, "10.00", status="draft", by=world.water_user)


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "site.jpg"), ("PNG", "site.png")])
def test_it_accepts_jpeg_and_png(world, draft, fmt, name):
    response = login(world.water_user).post(url(world), {"image": picture(fmt, name), "caption": "大坝"})
    assert response.status_code == 302
    photo = ReportPhoto.objects.get()
    served = login(world.office).get(f"/reports/photos/{photo.pk}/")
    assert served.status_code == 200
    assert login(world.outsider).get(f"/reports/photos/{photo.pk}/").status_code == 404


def test_it_checks_the_content_not_the_extension(world, draft):
    fake = SimpleUploadedFile("site.jpg", b"<?php echo 'not a picture'; ?>")
    response = login(world.water_user).post(url(world), {"image": fake})
    assert response.status_code == 400
    assert "image" in response.context["photo_form"].errors
    gif = picture("GIF", "site.png")
    assert login(world.water_user).post(url(world), {"image": gif}).status_code == 400
    assert not ReportPhoto.objects.exists()


def test_it_refuses_a_photo_over_the_size_limit(world, draft, monkeypatch):
    monkeypatch.setattr("lib.images.PHOTO_MAX_BYTES", 10)
    response = login(world.water_user).post(url(world), {"image": picture("PNG", "big.png")})
    assert response.status_code == 400
    assert not ReportPhoto.objects.exists()


def test_it_refuses_photos_on_an_approved_report(world):
    report(world.reservoir, 9, "10.00", status="approved", by=world.water_user)
    response = login(world.water_user).post(url(world), {"image": picture("PNG", "a.png")})
    assert response.status_code == 403
