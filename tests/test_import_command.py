"""`manage.py import_projects FILE --year Y --region CODE [--dry-run] [--user U] [--accept-new]`."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from projects.models import Project, Unit

from .sheets import office_list, xlsx

pytestmark = pytest.mark.django_db
ROWS = [
    ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
    ["新水厂", "水利", "县水利局", 100, 50],
    ["新车站", "交通", "县客运公司", 300, "约3亿"],
]


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # kept uploads go to a throwaway folder
    with translation.override("en"):
        yield


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_projects", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_preview_and_writes_nothing_on_a_dry_run(world, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(office_list()[0])
    out = run(str(path), "--year", "2020", "--region", "500241", "--dry-run")
    assert "Rows read: 3 (0 to create, 3 to update)" in out and "21,500.00" in out and "Dry run" in out
    assert Project.objects.get(pk=world.road.pk).content == "建设内容"


def test_it_prints_problems_with_row_and_column_and_refuses_to_write(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(ROWS))
    with pytest.raises(CommandError, match="errors: nothing written"):
        run(str(path), "--year", "2020", "--region", "500241")
    assert not Project.objects.filter(name="新水厂").exists()


def test_it_imports_as_the_office_and_accepts_new_names_when_asked(world, tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx(ROWS[:2] + [["新车站", "交通", "县客运公司", 300, 120]]))
    out = run(str(path), "--year", "2020", "--region", "500241", "--user", "office", "--accept-new")
    assert "Imported: 2 created, 0 updated." in out
    station = Project.objects.get(name="新车站")
    assert station.plans.get(year=2020).planned_investment == Decimal("120.00")
    assert Unit.objects.filter(name="县客运公司", region=world.county).exists()
    assert station.history.first().history_user == world.office


def test_it_refuses_an_office_of_another_county(world, tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx(ROWS[:2]))
    with pytest.raises(CommandError, match="does not work in"):
        run(str(path), "--year", "2020", "--region", "500241", "--user", "outsider")


def lines(*args) -> tuple[list[str], bool]:
    out = io.StringIO()
    failed = False
    try:
        call_command("import_projects", *args, stdout=out)
    except CommandError:
        failed = True
    return out.getvalue().strip().splitlines(), failed


def test_it_ends_with_the_summary_line_and_exits_non_zero_on_errors_even_on_a_dry_run(world, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(ROWS))  # "约3亿" is not an amount; 县客运公司 is unknown
    for dry in ([], ["--dry-run"]):
        out, failed = lines(str(path), "--year", "2020", "--region", "500241", *dry)
        assert failed, dry  # call_command raises CommandError: manage.py exits 1
        assert out[-1] == "created 1, updated 0, unchanged 0, errors 1"
    assert not Project.objects.filter(name="新水厂").exists()


def test_its_summary_counts_created_updated_and_unchanged(world, tmp_path):
    rows = [
        ["项目编号", "项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        [world.road.code, world.road.name, "交通", "县交通局", 8000, 2000],  # as it is
        [world.bridge.code, world.bridge.name, "交通", "县交通局", 1600, 500],  # total 1,500 → 1,600
        ["", "新水厂", "水利", "县水利局", 100, 50],
    ]
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx(rows))
    out, failed = lines(str(path), "--year", "2020", "--region", "500241", "--dry-run")
    assert not failed and out[-2:] == [
        "Dry run: nothing written.",
        "created 1, updated 1, unchanged 1, errors 0",
    ]
    assert "      total investment: 1,500.00 → 1,600.00" in out
    out, failed = lines(str(path), "--year", "2020", "--region", "500241")
    assert not failed and out[-1] == "created 1, updated 1, unchanged 1, errors 0"
    assert Project.objects.get(pk=world.bridge.pk).total_investment == Decimal("1600.00")
    out, failed = lines(str(path), "--year", "2020", "--region", "500241")
    assert out[-1] == "created 0, updated 0, unchanged 3, errors 0"


def test_a_real_run_stops_on_an_open_decision_until_told_to_take_it(world, tmp_path):
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        ["新水厂", "水利", "秀山县水利局", 100, 50],
    ]
    path = tmp_path / "loose.xlsx"
    path.write_bytes(xlsx(rows))
    out, failed = lines(str(path), "--year", "2020", "--region", "500241")
    assert failed and not Project.objects.filter(name="新水厂").exists()
    out, failed = lines(str(path), "--year", "2020", "--region", "500241", "--accept-matches")
    assert not failed and out[-1] == "created 1, updated 0, unchanged 0, errors 0"
    assert Project.objects.get(name="新水厂").lead_unit == world.water
