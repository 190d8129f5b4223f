"""The audit log exported for the security auditor (issue 17 item 3): the filtered lines as .csv and
.xlsx, and each export a line of the audit log itself; nobody else exports it when duties are
separated."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry

from .conftest import login
from .security_builders import admins

pytestmark = pytest.mark.django_db


@pytest.fixture
def separated(settings):
    settings.KEYPROJ_SEPARATE_DUTIES = True


@pytest.fixture
def changes(world):
    for unit, name in ((world.water, "县水务局"), (world.transport, "县交通运输局")):
        unit.name = name
        unit.save()


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_auditor_exports_the_filtered_lines_as_csv(world, changes, separated):
    auditor = admins(world.county)["auditor"]
    client = login(auditor)
    response = client.get("/manage/audit/", {"q": "交通运输", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith(".csv")
    rows = read_csv(response)
    assert rows[0][0] == "时间" and rows[0][3] == "对象类型" and rows[0][5] == "变更（原值 → 新值）"
    assert [row[4] for row in rows[1:]] == ["县交通运输局"]
    assert "县交通局 → 县交通运输局" in rows[1][5]


def test_each_export_is_itself_in_the_audit_log(world, changes, separated):
    auditor = admins(world.county)["auditor"]
    client = login(auditor)
    lines = AuditEntry.objects.filter(
        model="regions.unit", region__path__startswith=world.county.path
    ).count()
    client.get("/manage/audit/", {"model": "regions.unit", "format": "xlsx"})
    entry = AuditEntry.objects.get(action="exported")
    assert entry.by == auditor and entry.region == world.county
    assert entry.object_repr == f"审计日志导出（xlsx，{lines}条）"
    assert "regions.unit" in entry.changes[0]["new"]
    page = client.get("/manage/audit/").content.decode()
    assert "审计日志导出" in page and "导出" in page
    # The next export lists the earlier one among its lines.
    rows = read_csv(client.get("/manage/audit/", {"format": "csv"}))
    assert any(row[1] == "auditor" and row[2] == "导出" for row in rows[1:])
    assert AuditEntry.objects.filter(action="exported").count() == 2


def test_the_xlsx_export_holds_the_same_lines(world, changes, separated):
    client = login(admins(world.county)["auditor"])
    response = client.get("/manage/audit/", {"model": "regions.unit", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    objects = {row[4] for row in sheet.iter_rows(values_only=True) if row and row[4]}
    assert {"县水务局", "县交通运输局"} <= objects


@pytest.mark.parametrize("who", ["office", "sysadmin", "secadmin", "viewer"])
def test_nobody_but_the_auditor_exports_it_when_separated(world, changes, separated, who):
    staff = admins(world.county)
    user = staff.get(who) or getattr(world, who)
    for kind in ("csv", "xlsx"):
        assert login(user).get("/manage/audit/", {"format": kind}).status_code == 403
    assert not AuditEntry.objects.filter(action="exported").exists()


def test_under_make_run_the_office_exports_it_too(world, changes, settings):
    settings.KEYPROJ_SEPARATE_DUTIES = False
    response = login(world.office).get("/manage/audit/", {"format": "csv"})
    assert response.status_code == 200 and len(read_csv(response)) >= 3
    assert AuditEntry.objects.get(action="exported").by == world.office
