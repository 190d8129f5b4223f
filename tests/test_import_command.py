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
