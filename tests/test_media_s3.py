"""Media on an S3-compatible object store (issue 17 item 2, docs/scale-out.md), against moto's server
mode run on this machine: a photo uploaded through the report form lands in the bucket as a private
object and is read back only through the report's permission-checked view; a background export is
written there too and downloaded by the user who asked."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from PIL import Image

from exchange.models import ExportJob
from reports.models import ReportPhoto

from .conftest import login
from .export_helpers import through_job
from .report_form_helpers import picture, typed, url
from .s3_helpers import ALL_USERS, BUCKET

# The moto server, the bucket and the storage on it (fixtures s3_endpoint, s3_options, bucket).
pytest_plugins = ["tests.s3_helpers"]
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_the_settings_make_media_private_objects_in_the_bucket(s3_endpoint, s3_options):
    options = s3_options
    assert options["bucket_name"] == BUCKET and options["endpoint_url"] == s3_endpoint
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True  # never an unsigned, public address
    assert options["file_overwrite"] is False


def test_a_report_photo_goes_to_the_bucket_and_comes_back_through_its_page(world, bucket):
    client = login(world.water_user)
    response = client.post(url(world.reservoir, 9), {**typed(), "upload": "1", "image": picture()})
    assert response.status_code == 302
    photo = ReportPhoto.objects.get(report__project=world.reservoir)

    stored = bucket.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (20, 10)
    served = client.get(f"/reports/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == stored

    # A private object: no grant to everyone; the report page links the app's view, not the bucket.
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=photo.image.name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") == ALL_USERS]
    page = client.get(url(world.reservoir, 9)).content.decode()
    assert f"/reports/photos/{photo.pk}/" in page and BUCKET not in page

    # Another county's office cannot read it.
    assert login(world.outsider).get(f"/reports/photos/{photo.pk}/").status_code == 404


def test_a_removed_photo_is_served_no_more_and_a_deleted_file_leaves_the_bucket(world, bucket):
    client = login(world.water_user)
    client.post(url(world.reservoir, 9), {**typed(), "upload": "1", "image": picture()})
    photo = ReportPhoto.objects.get(report__project=world.reservoir)
    key = photo.image.name

    assert client.post(f"/reports/photos/{photo.pk}/delete/").status_code == 302
    assert client.get(f"/reports/photos/{photo.pk}/").status_code == 404
    assert f"/reports/photos/{photo.pk}/" not in client.get(url(world.reservoir, 9)).content.decode()
    # Removal from a report is kept for the audit trail (the object stays); deleting the file removes it.
    assert bucket.list_objects_v2(Bucket=BUCKET, Prefix=key)["KeyCount"] == 1
    photo.image.delete(save=False)
    assert bucket.list_objects_v2(Bucket=BUCKET, Prefix=key)["KeyCount"] == 0


def test_a_background_export_is_stored_in_the_bucket_and_downloaded_by_its_owner_only(
    world, bucket, settings
):
    settings.KEYPROJ_EXPORT_INLINE_MAX = 0
    client = login(world.office)
    job, _page = through_job(client, "year=2020")
    assert job.status == ExportJob.Status.DONE and job.file.name.startswith("exports/")
    stored = bucket.get_object(Bucket=BUCKET, Key=job.file.name)["Body"].read()
    download = client.get(f"/exchange/exports/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == stored
    assert "洪安水库工程" in str(
        [c.value for row in load_workbook(io.BytesIO(stored)).active.iter_rows() for c in row]
    )
    assert login(world.water_user).get(f"/exchange/exports/{job.pk}/download/").status_code == 404
