"""A unit types September's figures, then chooses a photo and uploads it: the typed figures are
saved with the photo (issue 11: the upload used to throw them away), and the form shows them."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reports.models import MonthlyReport, ReportPhoto

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_photo_upload_keeps_the_typed_figures(page, world, pinned_today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    sign_in(page, "water")
    page.goto(f"{page.base}/reports/{world.reservoir.pk}/2020/9/")
    page.fill("#id_amount", "１，３２５．４５")  # as a Chinese input method types it
    page.fill("#id_progress", "大坝填筑至高程420米")
    page.fill("#id_workers", "120")
    page.set_input_files(
        "#id_image", files=[{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}]
    )
    page.click("button[name=upload]")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_amount") == "1325.45"
    assert page.input_value("#id_progress") == "大坝填筑至高程420米"
    stored = MonthlyReport.objects.get(project=world.reservoir, month=9)
    assert stored.workers == 120 and stored.status == "draft"
    assert ReportPhoto.objects.filter(report=stored).count() == 1
    shot(page, "report-photo-upload-keeps-figures")
    assert not page.console_errors
