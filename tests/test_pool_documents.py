"""Packaging documents: a PDF, Word document or scan is kept under a random name and served only
through the scoped download; anything else, whatever its name, is refused with a message."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pool.models import PackagingDocument

from . import factories as f
from . import pool_builders as pb
from .conftest import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def dam(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return pb.candidate(region=world.county, lead_unit=world.water, sector=f.sector("水利"), name="钟灵水库")


def post(client, dam, data: bytes, name: str, **fields):
    payload = {"kind": "feasibility", "state": "prepared", **fields}
    payload["upload"] = SimpleUploadedFile(name, data)
    return client.post(f"/pool/{dam.pk}/documents/", payload)


def test_it_keeps_a_pdf_under_a_random_name_and_serves_it_in_scope(world, dam):
    response = post(
        login(world.water_user),
        dam,
        PDF,
        "../../可研报告.pdf",
        state="approved",
        approved_on="2020-08-01",
        approving_body="县发展改革委",
        document_number="秀发改投〔2020〕12号",
    )
    assert response.status_code == 302
    doc = PackagingDocument.objects.get(candidate=dam)
    assert doc.state == "approved" and doc.approving_body == "县发展改革委"
    assert doc.file.name.startswith(f"pool/{dam.pk}/") and doc.file.name.endswith(".pdf")
    assert "可研" not in doc.file.name and ".." not in doc.file.name
    url = f"/pool/{dam.pk}/documents/{doc.pk}/"
    download = login(world.office).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(world.transport_user).get(url).status_code == 404


def test_it_refuses_a_program_named_like_a_pdf(world, dam):
    response = post(login(world.water_user), dam, b"MZ\x90\x00" + b"\x00" * 100, "报告.pdf")
    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    assert not PackagingDocument.objects.exists()


def test_it_refuses_a_zip_that_is_no_word_document(world, dam):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("evil.txt", "x")
    response = post(login(world.water_user), dam, buffer.getvalue(), "设计.docx")
    assert response.status_code == 400
    assert not PackagingDocument.objects.exists()


def test_it_asks_for_the_approval_date_and_body_of_an_approved_document(world, dam):
    response = post(login(world.water_user), dam, PDF, "a.pdf", state="approved")
    assert response.status_code == 400
    assert not PackagingDocument.objects.exists()


def test_it_lets_no_other_unit_attach_documents(world, dam):
    assert post(login(world.transport_user), dam, PDF, "a.pdf").status_code == 404
    assert post(login(world.viewer), dam, PDF, "a.pdf").status_code == 403
    assert not PackagingDocument.objects.exists()
