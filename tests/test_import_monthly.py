"""A unit's monthly figures import (exchange.monthly_import through the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from exchange import services
from reports.models import MonthlyReport
from reports.services import report_save, report_submit

from . import factories as f
from .sheets import xlsx

pytestmark = pytest.mark.django_db
HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "本月完成投资（万元）",
    "形象进度",
    "完成率（%）",
    "是否开工",
    "开工日期",
    "施工人数",
    "存在问题",
]


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # kept uploads go to a throwaway folder
    with translation.override("en"):
        yield


def table(world, *rows) -> bytes:
    return xlsx([["县水利局2020年9月重点项目进展情况表"] + [None] * 9, HEADER, *rows], ["A1:J1"])


def batch_for(user, data, region, month=9):
    return services.import_upload(
        user=user, data=data, filename="m.xlsx", kind="monthly", year=2020, month=month, region=region
    )


def test_it_reads_a_units_table_and_files_draft_reports(world):
    f.project(
        region=world.county, lead_unit=world.water, sector=world.reservoir.sector, name="县城供水管网改造"
    )
    data = table(
        world,
        [
            1,
            world.reservoir.code,
            "洪安水库工程",
            "350.5",
            "大坝浇筑完成60%",
            "45%",
            "是",
            "2020-03-15",
            120,
            "征地尚有3户未签约",
        ],
        [2, None, "县城供水管网改造", 0, "前期手续办理中", 0, "否", None, 0, None],
    )
    batch = batch_for(world.water_user, data, world.county)
    preview = services.import_preview(batch=batch)
    assert not preview.errors, [str(p) for p in preview.problems]
    assert preview.total("amount") == Decimal("350.50") and len(preview.creates) == 2
    assert not MonthlyReport.objects.exists()
    services.import_confirm(batch=batch, user=world.water_user)
    report = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    assert (report.amount, report.completion_pct, report.workers, report.status) == (
        Decimal("350.50"),
        Decimal("45.00"),
        120,
        MonthlyReport.Status.DRAFT,
    )
    assert report.started and report.start_date.isoformat() == "2020-03-15"
    assert report.created_by == world.water_user


def test_it_refuses_projects_the_unit_does_not_report_for(world):
    data = table(world, [1, None, "梅江河大桥", 100, "桥墩施工", 30, "是", "2020-04-01", 50, None])
    preview = services.import_preview(batch=batch_for(world.water_user, data, world.county))
    [problem] = preview.errors
    assert problem.row == 3 and problem.column == "C" and "梅江河大桥" in problem.message
    assert not preview.can_confirm


def test_it_points_at_bad_cells_and_writes_nothing(world):
    data = table(world, [1, None, "洪安水库工程", "约300", "大坝浇筑", "120", "也许", None, "-3", None])
    batch = batch_for(world.water_user, data, world.county)
    preview = services.import_preview(batch=batch)
    assert {p.column for p in preview.errors} == {"D", "F", "G", "I"}
    with pytest.raises(ValidationError):
        services.import_confirm(batch=batch, user=world.water_user)
    assert not MonthlyReport.objects.exists()


def test_it_does_not_overwrite_a_submitted_report(world):
    report = report_save(
        project=world.reservoir,
        year=2020,
        month=9,
        by=world.water_user,
        data={"amount": Decimal("10"), "progress": "开工准备"},
    )
    report_submit(report=report, by=world.water_user)
    data = table(world, [1, None, "洪安水库工程", 300, "大坝浇筑", 40, "是", "2020-03-15", 80, None])
    preview = services.import_preview(batch=batch_for(world.water_user, data, world.county))
    [problem] = preview.errors
    assert "Submitted" in problem.message
    assert MonthlyReport.objects.get().amount == Decimal("10.00")


def test_it_updates_a_draft_report(world):
    report_save(
        project=world.reservoir,
        year=2020,
        month=9,
        by=world.water_user,
        data={"amount": Decimal("10"), "progress": "开工准备"},
    )
    data = table(world, [1, None, "洪安水库工程", 300, "大坝浇筑", 40, "否", None, 80, None])
    batch = batch_for(world.water_user, data, world.county)
    preview = services.import_preview(batch=batch)
    assert [r.action for r in preview.rows] == ["update"]
    services.import_confirm(batch=batch, user=world.water_user)
    assert MonthlyReport.objects.get().amount == Decimal("300.00")


def test_it_refuses_a_row_saying_a_started_project_has_not_started(world):
    world.reservoir.actual_start = dt.date(2020, 3, 15)
    world.reservoir.save()
    data = table(world, [1, None, "洪安水库工程", 100, "大坝浇筑", 30, "否", None, 50, None])
    preview = services.import_preview(batch=batch_for(world.water_user, data, world.county))
    [problem] = preview.errors
    assert problem.row == 3 and problem.column == "G" and "has already started" in problem.message
    assert not preview.can_confirm
