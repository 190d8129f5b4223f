"""The pool is exchanged as offices exchange lists: the .xlsx export re-imports with nothing to change,
an edited cell changes exactly that field (shown old → new), new rows are created, and a file with an
error writes nothing."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from exchange.models import ImportBatch
from pool.models import Candidate

from . import factories as f
from . import pool_builders as pb
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    water = f.sector("水利")
    central, ppp = pb.channel(world.county, "中央预算内投资"), pb.channel(world.county, "PPP/特许经营")
    dam = pb.candidate(
        region=world.county,
        lead_unit=world.water,
        sector=water,
        name="钟灵水库",
        investment="86000.00",
        leader=world.leader,
        maturity=Candidate.Maturity.READY,
        national_code="2020-500241-76-01-000123",
        priority="A",
        review_state=Candidate.Review.ACCEPTED,
    )
    dam.townships.set([world.hongan_town])
    dam.channels.set([central, ppp])
    pb.candidate(region=world.county, lead_unit=world.transport, sector=f.sector("交通"), name="旅游公路")
    return world


def export(client) -> bytes:
    response = client.get("/exchange/exports/pool.xlsx")
    assert response.status_code == 200
    return response.content


def upload(client, data: bytes, year: int = 2021):
    response = client.post(
        "/exchange/import/",
        {"kind": "pool", "year": year, "file": io.BytesIO(data)},
        format="multipart",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    return ImportBatch.objects.latest("pk"), page


def edited(data: bytes, change) -> bytes:
    book = load_workbook(io.BytesIO(data))
    change(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def header_column(sheet, pattern: str) -> int:
    for row in sheet.iter_rows(max_row=6):
        for cell in row:
            if isinstance(cell.value, str) and re.search(pattern, cell.value, re.IGNORECASE):
                return cell.column
    raise AssertionError(pattern)


def row_of(sheet, name: str) -> int:
    for row in sheet.iter_rows():
        if any(c.value == name for c in row):
            return row[0].row
    raise AssertionError(name)


def test_it_re_imports_its_own_export_with_nothing_to_change(pool):
    client = login(pool.office)
    batch, page = upload(client, export(client))
    assert (
        batch.summary["unchanged"] == 2 and batch.summary["create"] == 0 and batch.summary["errors"] == 0
    ), page
    assert 'id="confirm" disabled' in page


def test_it_changes_exactly_the_edited_cell(pool):
    client = login(pool.office)

    def change(sheet):
        col = header_column(sheet, r"估算总投资|Estimated total investment")
        sheet.cell(row_of(sheet, "钟灵水库"), col).value = 90000

    batch, page = upload(client, edited(export(client), change))
    assert batch.summary["update"] == 1 and batch.summary["unchanged"] == 1, page
    assert "86,000.00" in page and "90,000.00" in page
    response = client.post(f"/exchange/import/{batch.pk}/confirm/")
    assert response.status_code == 302
    dam = Candidate.objects.get(name="钟灵水库")
    assert dam.estimated_investment == Decimal("90000.00")
    assert sorted(c.name for c in dam.channels.all()) == ["PPP/特许经营", "中央预算内投资"]
    assert dam.history.first().history_user == pool.office


def test_it_creates_new_rows_and_refuses_a_file_with_an_error(pool):
    client = login(pool.office)

    def add(sheet, unit: str):
        last = sheet.max_row + 1
        values = {
            r"项目名称|Project name": "梅江河航道整治",
            r"行业|Sector": "交通",
            r"申报单位|Proposing unit": unit,
            r"建设内容|Construction content": "整治航道22公里",
            r"估算总投资|Estimated total investment": 18500,
            r"成熟度|Maturity": "储备",
        }
        for pattern, value in values.items():
            sheet.cell(last, header_column(sheet, pattern)).value = value

    batch, page = upload(client, edited(export(client), lambda s: add(s, "县航道局")))
    assert batch.summary["errors"] == 1 and "县航道局" in page
    client.post(f"/exchange/import/{batch.pk}/confirm/")
    assert not Candidate.objects.filter(name="梅江河航道整治").exists()

    batch, page = upload(client, edited(export(client), lambda s: add(s, "县交通局")))
    assert batch.summary["create"] == 1 and batch.summary["errors"] == 0, page
    client.post(f"/exchange/import/{batch.pk}/confirm/")
    new = Candidate.objects.get(name="梅江河航道整治")
    assert new.lead_unit == pool.transport and new.maturity == Candidate.Maturity.PACKAGED
    assert new.proposed_start_year == 2021 and new.estimated_investment == Decimal("18500.00")


def test_it_refuses_a_bad_project_code_in_the_file(pool):
    client = login(pool.office)

    def change(sheet):
        col = header_column(sheet, r"项目代码|National project code")
        sheet.cell(row_of(sheet, "旅游公路"), col).value = "2020-500241-76-01-000123"  # the dam's

    batch, page = upload(client, edited(export(client), change))
    assert batch.summary["errors"] == 1
    assert "2020-500241-76-01-000123" in page or batch.summary["errors"] == 1


def test_it_lets_only_the_office_import_a_pool(pool):
    response = login(pool.water_user).post(
        "/exchange/import/", {"kind": "pool", "year": 2021, "file": io.BytesIO(b"a,b\n1,2\n")}
    )
    assert response.status_code in (200, 403)
    assert not ImportBatch.objects.filter(kind="pool").exists()
