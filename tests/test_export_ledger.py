"""The ledger export (projects.exports via the ledger page and `manage.py export_ledger`)."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from exchange import services
from exchange.project_import import preview_projects
from lib.tabular import read_tables
from projects.models import Project, Sector

from . import factories as f
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # kept uploads go to a throwaway folder
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def column_values(ws, col: int) -> list:
    return [ws.cell(row=r, column=col).value for r in range(5, ws.max_row + 1)]


def test_it_prints_like_an_office_title_unit_groups_subtotals_total_and_print_setup(world):
    ws = workbook(login(world.office).get("/projects/export.xlsx?year=2020")).active
    assert ws["A1"].value == "秀山县 2020 key projects"
    # Issue 12: the ledger carries every field the import reads and the month figures: 27 columns;
    # issue 14 adds the national project code: 28; issue 16's baseline the original total investment,
    # its overrun and the months late after it: 31.
    assert "A1:AE1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["AB3"].value == "National project code"
    assert [ws["AC3"].value, ws["AE3"].value] == ["Original total investment", "Months late"]
    assert ws["A2"].value == "Unit: 10k yuan"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "H3:J3" in merged and ws["H3"].value == "Investment"  # group header over the three amounts
    assert "C3:C4" in merged and ws["C3"].value == "Project name"
    assert [ws["H4"].value, ws["I4"].value, ws["J4"].value] == [
        "Total investment",
        "Completed before the year",
        "2020 planned investment",
    ]
    names = column_values(ws, 3)
    assert names == [
        "水利 (1 projects)",
        "洪安水库工程",
        "交通 (2 projects)",
        "中和至平凯公路改造",
        "梅江河大桥",
        "Total (3 projects)",
    ] or names == [
        "交通 (2 projects)",
        "中和至平凯公路改造",
        "梅江河大桥",
        "水利 (1 projects)",
        "洪安水库工程",
        "Total (3 projects)",
    ]
    assert column_values(ws, 1)[0] == "一"
    totals = {
        ws.cell(row=r, column=3).value: ws.cell(row=r, column=10).value for r in range(5, ws.max_row + 1)
    }
    assert totals["交通 (2 projects)"] == 2500 and totals["水利 (1 projects)"] == 3000
    assert totals["Total (3 projects)"] == 5500
    assert ws.cell(row=ws.max_row, column=8).value == 21500
    assert ws.cell(row=ws.max_row, column=3).font.b
    assert ws.freeze_panes == "C5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.print_area == f"'{ws.title}'!$A$1:$AE${ws.max_row}"  # 27 columns, the code 28, the baseline 31
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws["H6"].number_format == "#,##0.00"


def test_it_exports_only_what_the_user_may_see_with_the_page_filters(world):
    ws = workbook(login(world.water_user).get("/projects/export.xlsx?year=2020")).active
    names = set(column_values(ws, 3))
    assert (
        {"洪安水库工程", "中和至平凯公路改造"} <= names
        and "梅江河大桥" not in names
        and "酉阳水厂" not in names
    )
    ws = workbook(login(world.office).get("/projects/export.xlsx?year=2020&q=大桥")).active
    assert "梅江河大桥" in column_values(ws, 3) and "洪安水库工程" not in column_values(ws, 3)
    ws = workbook(login(world.city_office).get("/projects/export.xlsx?year=2020")).active
    assert ws["C3"].value == "County or district" and "酉阳水厂" in column_values(ws, 4)


def test_it_escapes_text_that_a_spreadsheet_would_run_as_a_formula(world):
    Project.objects.filter(pk=world.bridge.pk).update(
        name='=HYPERLINK("http://x")', owner="@SUM(A1)", content="-1+2"
    )
    ws = workbook(login(world.office).get("/projects/export.xlsx?year=2020")).active
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x")' in cells and "'@SUM(A1)" in cells and "'-1+2" in cells
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_it_issues_a_fixed_number_of_queries_whatever_the_row_count(world, django_assert_max_num_queries):
    client = login(world.office)
    with django_assert_max_num_queries(14):
        client.get("/projects/export.xlsx?year=2020")
    for i in range(30):
        f.project(
            region=world.county,
            lead_unit=world.water,
            sector=Sector.objects.get(name="水利"),
            townships=[world.hongan_town],
            cooperating=[world.transport],
            name=f"批量项目{i}",
        )
    with django_assert_max_num_queries(14):
        response = client.get("/projects/export.xlsx?year=2020")
    assert len(column_values(load_workbook(io.BytesIO(response.content)).active, 3)) == 36


def test_the_command_writes_the_region_ledger(world, tmp_path):
    out = tmp_path / "ledger.xlsx"
    call_command("export_ledger", "--year", "2020", "--region", "500241", "-o", str(out))
    ws = load_workbook(out).active
    assert "洪安水库工程" in column_values(ws, 3) and "酉阳水厂" not in column_values(ws, 3)
    assert ws.cell(row=ws.max_row, column=10).value == 5500


def test_the_command_can_export_what_one_user_sees(world, tmp_path):
    out = tmp_path / "water.xlsx"
    call_command("export_ledger", "--year", "2020", "--user", "water", "-o", str(out))
    assert "梅江河大桥" not in column_values(load_workbook(out).active, 3)


def test_it_round_trips_into_an_empty_county(world, tmp_path):
    """Export the county, import into a fresh county (units, sectors, leaders accepted as new)."""
    sector = Sector.objects.get(name="水利")
    for i in range(12):
        f.project(
            region=world.county,
            lead_unit=world.transport,
            sector=sector,
            name=f"演示项目{i}",
            planned=f"{100 + i}.25",
            total=f"{1000 + i}.50",
            stage="new",
            cooperating=[world.water],
            leader=world.leader,
            townships=[world.hongan_town],
            planned_start="2020-03-01",
            planned_end="2021-12-31",
        )
    body = login(world.office).get("/projects/export.xlsx?year=2020").content
    fresh = f.region("新县", "509999", "county", world.city)
    f.township(fresh, "洪安镇")
    f.township(fresh, "中和街道")
    office = f.user("newoffice", "office", fresh)
    preview = preview_projects(read_tables(body, "xlsx"), year=2020, region=fresh)
    assert set(preview.proposals) == {"unit", "leader"}  # sectors are shared, units and leaders are not
    batch = services.import_upload(
        user=office, data=body, filename="ledger.xlsx", kind="projects", year=2020, region=fresh
    )
    for kind, names in preview.proposals.items():
        services.import_accept(batch=batch, user=office, kind=kind, names=list(names))
    again = services.import_preview(batch=batch)
    assert not again.errors, [str(p) for p in again.problems]
    assert all(c.ok for c in again.checks)
    services.import_confirm(batch=batch, user=office)

    def snapshot(region):
        return sorted(
            (
                p.code,
                p.name,
                p.sector.name,
                p.lead_unit.name,
                p.total_investment,
                p.plans.get(year=2020).planned_investment,
                p.plans.get(year=2020).stage,
                tuple(sorted(u.name for u in p.cooperating_units.all())),
                tuple(sorted(t.name for t in p.townships.all())),
                p.leader.title if p.leader else "",
            )
            for p in Project.objects.filter(region=region)
        )

    assert snapshot(fresh) == snapshot(world.county)
    assert len(snapshot(fresh)) == 15
    total = sum(row[5] for row in snapshot(fresh))
    assert total == Decimal("5500.00") + sum(Decimal(f"{100 + i}.25") for i in range(12))


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed: conversion not checked"
)
def test_libreoffice_opens_and_converts_the_export(world, tmp_path):
    source = tmp_path / "ledger.xlsx"
    source.write_bytes(login(world.office).get("/projects/export.xlsx?year=2020").content)
    result = subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "ledger.csv").read_bytes().decode("utf-8", errors="replace")
    assert "洪安水库工程" in text and "5500" in text.replace(",", "")
