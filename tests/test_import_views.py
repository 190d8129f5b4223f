"""Import pages: upload form, preview with tabs, accept new names, confirm, cancel, templates."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from exchange.models import ImportBatch
from projects.models import Project, Unit

from .conftest import login
from .sheets import office_list, xlsx

pytestmark = pytest.mark.django_db
ROWS = [["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"], ["新水厂", "水利", "县水利局", 100, 50]]


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # kept uploads go to a throwaway folder
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def upload(client, data: bytes, name: str = "list.xlsx", **fields):
    payload = {"kind": "projects", "year": 2020, **fields, "file": SimpleUploadedFile(name, data)}
    return client.post("/exchange/import/", payload)


def test_it_previews_an_upload_with_tabs_and_confirms_it(world):
    client = login(world.office)
    response = upload(client, xlsx(ROWS))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchange/import/{batch.pk}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "To create" in html and "To update" in html and "Problems" in html and "新水厂" in html
    assert 'id="confirm"' in html and 'id="confirm" disabled' not in html
    assert not Project.objects.filter(name="新水厂").exists()
    response = client.post(f"/exchange/import/{batch.pk}/confirm/", follow=True)
    # Issue 12: the confirm page shows the command's counts (created, updated, unchanged, errors).
    assert "Imported: created 1, updated 0, unchanged 0, errors 0." in response.content.decode()
    assert Project.objects.filter(name="新水厂", region=world.county).exists()


def test_it_disables_confirm_while_there_are_errors_and_shows_where(world):
    client = login(world.office)
    rows = [ROWS[0], ["新水厂", "水利", "县水利局", "约3亿", 50]]
    response = upload(client, xlsx(rows))
    html = client.get(response["Location"]).content.decode()
    assert 'id="confirm" disabled' in html
    assert "Row 2, column D “总投资”: “约3亿” is not an amount" in html
    batch = ImportBatch.objects.get()
    client.post(f"/exchange/import/{batch.pk}/confirm/")
    assert not Project.objects.filter(name="新水厂").exists()


def test_it_lets_the_office_accept_a_proposed_unit(world):
    client = login(world.office)
    response = upload(client, xlsx([ROWS[0], ["新水厂", "水利", "县生态环境局", 100, 50]]))
    batch = ImportBatch.objects.get()
    assert "县生态环境局" in client.get(response["Location"]).content.decode()
    client.post(f"/exchange/import/{batch.pk}/accept/", {"kind": "unit", "name": ["县生态环境局"]})
    assert 'id="confirm" disabled' not in client.get(response["Location"]).content.decode()
    client.post(f"/exchange/import/{batch.pk}/confirm/")
    assert Unit.objects.filter(name="县生态环境局", region=world.county).exists()


def test_it_shows_a_clear_error_next_to_the_file_for_a_wrong_type(world):
    client = login(world.office)
    response = upload(client, b"%PDF-1.4\n\x00\x00binary", name="list.xlsx")
    assert response.status_code == 200
    assert "This is not an Excel workbook (.xlsx, .xls) or a CSV file." in response.content.decode()
    assert not ImportBatch.objects.exists()
    response = upload(client, b"", name="empty.csv")
    assert "The submitted file is empty." in response.content.decode() or "empty" in response.content.decode()


def test_it_keeps_a_batch_private_to_its_uploader(world):
    upload(login(world.office), xlsx(ROWS))
    batch = ImportBatch.objects.get()
    other = login(world.city_office)
    assert other.get(f"/exchange/import/{batch.pk}/").status_code == 404
    assert other.post(f"/exchange/import/{batch.pk}/confirm/").status_code == 404
    assert login(world.viewer).get("/exchange/").status_code == 403
    assert login(world.viewer).post(f"/exchange/import/{batch.pk}/confirm/").status_code == 403


def test_it_offers_a_unit_only_the_monthly_figures(world):
    client = login(world.water_user)
    html = client.get("/exchange/import/").content.decode()
    assert 'value="monthly"' in html and 'value="projects"' not in html
    data, _n = office_list()
    response = upload(client, data)
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert client.get("/exchange/templates/projects.xlsx").status_code == 403


def test_it_serves_templates_with_headers_an_example_and_notes(world):
    response = login(world.office).get("/exchange/templates/projects.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[3]] + [c.value for c in ws[4]]
    assert "项目名称" in headers and "总投资" in headers and "责任单位" in headers
    assert ws["C3"].value == "项目名称" and ws["G3"].value == "投资情况"
    assert ws["C6"].value.startswith("示例")
    assert len(wb.worksheets) == 2 and wb.worksheets[1].max_row > 3


def test_the_template_imports_cleanly(world):
    from exchange.project_import import preview_projects
    from lib.tabular import read_tables

    body = login(world.office).get("/exchange/templates/projects.xlsx").content
    preview = preview_projects(read_tables(body, "xlsx"), year=2020, region=world.county)
    assert preview.proposals == {"leader": {"分管交通的副县长": [6]}}
    preview = preview_projects(
        read_tables(body, "xlsx"), year=2020, region=world.county, accepted={"leader": ["分管交通的副县长"]}
    )
    assert not preview.errors and len(preview.rows) == 1 and all(c.ok for c in preview.checks)
