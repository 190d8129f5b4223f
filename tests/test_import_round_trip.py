"""Export → edit → re-import on the demo county (issue 12): an unchanged ledger changes nothing; one
edited cell changes exactly that field, shown old → new in the preview."""

from __future__ import annotations

import io
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import User
from demo import build
from exchange import services
from exchange.project_import import preview_projects
from lib.tabular import read_tables
from lib.xlsx import workbook_bytes
from projects.exports import ledger_sheet
from projects.models import Project
from regions.models import Region
from reports.ledger import ledger_queryset

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(build, "DEMO_EXTENSIONS", [])
    with time_machine.travel("2020-10-11 10:00 +0800", tick=False), translation.override("zh-hans"):
        call_command("seed_demo", stdout=StringIO())
        yield Region.objects.get(code="500241")


def exported(office: User) -> bytes:
    return workbook_bytes([ledger_sheet(ledger_queryset(office, 2020), year=2020, region=office.region)])


def test_it_re_imports_the_unchanged_demo_ledger_with_nothing_to_change(demo, tmp_path):
    office = User.objects.get(username="office")
    data = exported(office)
    preview = preview_projects(read_tables(data, "xlsx"), year=2020, region=demo)
    assert not preview.errors and not preview.decisions, [str(p) for p in preview.problems]
    assert len(preview.unchanged) == 108
    assert [(r.row, r.diffs) for r in preview.rows if r.diffs] == []
    assert not preview.creates and not preview.updates and not preview.can_confirm
    assert all(c.ok for c in preview.checks) and len(preview.checks) == 11  # 10 sectors and the total
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(data)
    out = StringIO()
    call_command("import_projects", str(path), "--year", "2020", "--region", "500241", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "created 0, updated 0, unchanged 108, errors 0"


def test_it_changes_exactly_the_edited_cell_and_shows_it_old_to_new(demo):
    office = User.objects.get(username="office")
    book = load_workbook(io.BytesIO(exported(office)))
    sheet = book.active
    header = [c.value for c in sheet[4]]  # the investment group's titles stand in the second header row
    total_col = header.index("总投资") + 1
    road = Project.objects.get(region=demo, code="XS2020-002")
    row = next(r for r in range(5, sheet.max_row + 1) if sheet.cell(r, 2).value == road.code)
    assert sheet.cell(row, total_col).value == road.total_investment  # a number, to the cent
    sheet.cell(row, total_col).value = 81234.56
    buffer = io.BytesIO()
    book.save(buffer)
    before = {
        p.pk: (p.name, p.total_investment, p.planned_start, p.planned_end) for p in Project.objects.all()
    }

    batch = services.import_upload(
        user=office, data=buffer.getvalue(), filename="台账.xlsx", kind="projects", year=2020, region=demo
    )
    preview = services.import_preview(batch=batch)
    [update] = preview.updates
    assert update.project_id == road.pk
    assert [(c.key, c.old, c.new) for c in update.diffs] == [("total_investment", "79,400.00", "81,234.56")]
    assert len(preview.unchanged) == 107

    client = login(office)
    page = client.get(reverse("exchange:preview", args=[batch.pk]) + "?tab=update").content.decode()
    assert "79,400.00" in page and "81,234.56" in page and "总投资" in page
    assert "新增 0，更新 1，未变 107，错误 0" in page

    services.import_confirm(batch=batch, user=office)
    after = {
        p.pk: (p.name, p.total_investment, p.planned_start, p.planned_end) for p in Project.objects.all()
    }
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {road.pk}
    assert after[road.pk][1] == Decimal("81234.56") and after[road.pk][2:] == before[road.pk][2:]
