"""The key-project list import (exchange.project_import + services): layouts, problems, confirm."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from exchange import services
from exchange.models import ImportBatch
from exchange.project_import import preview_projects
from lib.tabular import read_tables
from projects.models import Project, Sector, Unit, YearPlan

from . import factories as f
from .sheets import office_list, xlsx

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # kept uploads go to a throwaway folder
    with translation.override("en"):
        yield


def preview_of(data: bytes, region, kind: str = "xlsx", year: int = 2020, accepted=None):
    return preview_projects(read_tables(data, kind), year=year, region=region, accepted=accepted)


def messages(preview) -> list[str]:
    return [str(p) for p in preview.problems]


@pytest.fixture
def fresh(world):
    """酉阳县 with its own units and townships and no project of these names."""
    county = world.other_county
    f.township(county, "钟多街道")
    f.township(county, "龙潭镇")
    f.unit(county, "县交通局")
    f.unit(county, "县住房城乡建委")
    f.sector("城建")
    return county


def test_it_reads_a_two_row_merged_header_under_a_title_with_group_and_total_rows(world):
    data, n = office_list()
    preview = preview_of(data, world.county)
    assert not preview.errors, messages(preview)
    assert len(preview.rows) == n == 3
    assert preview.total("total_investment") == Decimal("21500.00")
    assert preview.total("planned_investment") == Decimal("5500.00")
    assert preview.total("invested_before") == Decimal("800.00")
    assert [c.ok for c in preview.checks] == [True, True, True]
    # All three exist in the county (by name): they are updates, not duplicates.
    assert {r.project_id for r in preview.updates} == {world.road.pk, world.bridge.pk, world.reservoir.pk}
    road = next(r for r in preview.rows if r.get("name") == "中和至平凯公路改造")
    assert (
        road.get("cooperating_units")[0].pk == world.water.pk
    )  # "县交通局、县水利局": the second cooperates
    assert road.get("planned_start").year == 2019 and road.get("planned_end").year == 2021
    reservoir = next(r for r in preview.rows if r.get("name") == "洪安水库工程")
    # Issue 12: "秀山县水利局" is 县水利局 only tolerantly — proposed with its evidence, used once ticked.
    assert reservoir.get("lead_unit").pk is None and reservoir.get("lead_unit").proposed == world.water.pk
    [match] = preview.matches
    assert (match.name, match.known) == ("秀山县水利局", "县水利局") and "秀山县" in match.evidence
    ticked = preview_of(data, world.county, accepted={"match": {"unit": ["秀山县水利局"]}})
    assert (
        next(r for r in ticked.rows if r.get("name") == "洪安水库工程").get("lead_unit").pk == world.water.pk
    )
    assert reservoir.get("stage") == YearPlan.Stage.NEW
    assert reservoir.get("townships") == (world.hongan_town.pk,)


def test_it_converts_a_yi_yuan_column_exactly_and_takes_sectors_from_group_rows(fresh):
    rows = [
        ["酉阳县2020年重点建设项目"] + [None] * 6,
        ["序号", "项目名称", "建设内容", "总投资（亿元）", "2020年计划投资（万元）", "责任单位", "建设地点"],
        [1, 2, 3, 4, 5, 6, 7],
        ["一、交通类（2个）", None, None, 1.2345, 6000, None, None],
        [1, "钟多至龙潭快速路", "双向四车道", 1.2, 5000, "酉阳县交通局", "钟多街道、龙潭镇"],
        [2, "龙潭客运站", "二级客运站", "0.0345", 1000, "县交通局", "龙潭镇"],
        ["二、城建类（1个）", None, None, 0.5, 2000, None, None],
        [3, "桃花源片区棚户区改造", "安置房600套", 0.5, 2000, "县住房城乡建委", "城区"],
    ]
    preview = preview_of(xlsx(rows, ["A1:G1", "A4:C4", "A7:C7"]), fresh)
    assert not preview.errors, messages(preview)
    assert len(preview.creates) == 3
    assert preview.total("total_investment") == Decimal("17345.00")  # 1.7345 亿元
    assert preview.total("planned_investment") == Decimal("8000.00")  # already 万元
    assert [r.get("sector").name for r in preview.rows] == ["交通", "交通", "城建"]
    road = preview.rows[0]
    assert len(road.get("townships")) == 2 and road.get("location") == ""
    assert preview.rows[2].get("location") == "城区"  # not a township: kept as text
    assert [r.get("code") for r in preview.rows] == ["2020001", "2020002", "2020003"]


def test_it_reads_a_title_unit_note_in_yi_yuan(fresh):
    rows = [
        ["酉阳县2020年重点项目", None, None, None],
        ["单位：亿元", None, None, None],
        ["项目名称", "总投资", "年度计划投资", "牵头单位", "行业领域"],
        ["钟多至龙潭快速路", 1.5, "0.25", "县交通局", "城建"],
    ]
    preview = preview_of(xlsx(rows, ["A1:E1", "A2:E2"]), fresh)
    assert not preview.errors, messages(preview)
    assert preview.rows[0].get("total_investment") == Decimal("15000.00")
    assert preview.rows[0].get("planned_investment") == Decimal("2500.00")


def test_it_reads_a_gbk_csv(fresh):
    text = (
        "酉阳县2020年重点项目,,,,,\n"
        "项目编号,项目名称,行业,总投资,本年计划投资,责任单位\n"
        'YY-01,钟多至龙潭快速路,城建,"12,000.50",3000,县交通局\n'
        "YY-02,龙潭客运站,城建,800,200.25,县交通局\n"
    )
    preview = preview_of(text.encode("gbk"), fresh, kind="csv")
    assert not preview.errors, messages(preview)
    assert len(preview.rows) == 2
    assert preview.total("total_investment") == Decimal("12800.50")
    assert preview.total("planned_investment") == Decimal("3200.25")
    assert preview.rows[0].get("code") == "YY-01"


def test_it_reads_the_xls_fixture_made_by_libreoffice(world):
    data = (FIXTURES / "projects_2020.xls").read_bytes()
    preview = preview_of(data, world.county, kind="xls", accepted={"unit": []})
    assert not preview.errors, messages(preview)
    assert len(preview.rows) == 4
    assert preview.total("total_investment") == Decimal("35000.00")
    assert preview.total("planned_investment") == Decimal("10500.00")
    assert preview.total("invested_before") == Decimal("2000.00")
    assert all(c.ok for c in preview.checks) and len(preview.checks) == 3
    assert {r.get("sector").name for r in preview.rows} == {"交通", "水利"}


def test_it_warns_when_a_subtotal_does_not_match_the_rows(world):
    data, _n = office_list()
    tables = read_tables(data, "xlsx")
    tables[0].rows[4][6] = Decimal("2600")  # the 交通 group says 2,600 planned; its rows add up to 2,500
    preview = preview_projects(tables, year=2020, region=world.county)
    assert not preview.errors
    warning = next(p for p in preview.warnings if p.row == 5)
    assert "2,600.00" in warning.message and "2,500.00" in warning.message
    assert [c.ok for c in preview.checks] == [False, True, True]


def test_it_says_which_required_column_is_missing(world):
    rows = [["项目名称", "责任单位", "总投资"], ["新项目", "县水利局", 100]]
    preview = preview_of(xlsx(rows), world.county)
    assert not preview.rows
    assert any("Annual planned investment" in m for m in messages(preview))


def test_it_points_at_the_row_and_column_of_text_in_an_amount(world):
    rows = [
        ["序号", "项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        [1, "新水厂", "水利", "县水利局", "约3亿", 100],
    ]
    preview = preview_of(xlsx(rows), world.county)
    [problem] = preview.errors
    assert (problem.row, problem.column, problem.label) == (2, "E", "总投资")
    assert str(problem) == "Row 2, column E “总投资”: “约3亿” is not an amount"
    assert not preview.can_confirm


def test_it_refuses_a_project_listed_twice(world):
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        ["新水厂", "水利", "县水利局", 100, 50],
        ["新水厂", "水利", "县水利局", 200, 60],
    ]
    preview = preview_of(xlsx(rows), world.county)
    [problem] = preview.errors
    assert problem.row == 3 and "row 2" in problem.message


def test_it_proposes_an_unknown_unit_and_creates_it_once_accepted(world):
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        ["新水厂", "水利", "县生态环境局", 100, 50],
    ]
    data = xlsx(rows)
    preview = preview_of(data, world.county)
    # Issue 12: a name the office can accept in the preview is a decision, not an error in the file.
    [problem] = preview.decisions
    assert (problem.row, problem.column) == (2, "C") and "县生态环境局" in problem.message
    assert preview.proposals == {"unit": {"县生态环境局": [2]}}
    batch = services.import_upload(
        user=world.office, data=data, filename="list.xlsx", kind="projects", year=2020, region=world.county
    )
    services.import_accept(batch=batch, user=world.office, kind="unit", names=["县生态环境局"])
    assert services.import_preview(batch=batch).can_confirm
    services.import_confirm(batch=batch, user=world.office)
    project = Project.objects.get(name="新水厂")
    assert project.lead_unit.name == "县生态环境局" and project.lead_unit.region == world.county


def test_it_writes_nothing_until_confirmed_then_everything_with_the_office_in_history(fresh, world):
    office = f.user("yyoffice", "office", fresh)
    rows = [
        ["项目编号", "项目名称", "行业", "责任单位", "总投资", "2020年计划投资", "截至上年底累计完成投资"],
        ["YY-1", "钟多至龙潭快速路", "城建", "县交通局", 5000, 1000, 300],
        ["YY-2", "龙潭客运站", "城建", "县交通局", 800, 200, None],
    ]
    batch = services.import_upload(
        user=office, data=xlsx(rows), filename="yy.xlsx", kind="projects", year=2020, region=fresh
    )
    services.import_preview(batch=batch)
    assert not Project.objects.filter(region=fresh, code__startswith="YY").exists()
    services.import_confirm(batch=batch, user=office)
    road = Project.objects.get(region=fresh, code="YY-1")
    plan = road.plans.get(year=2020)
    assert (road.total_investment, plan.planned_investment, plan.invested_before) == (
        Decimal("5000.00"),
        Decimal("1000.00"),
        Decimal("300.00"),
    )
    assert plan.stage == YearPlan.Stage.CONTINUING  # money spent before the year: continuing
    assert road.history.first().history_user == office
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CONFIRMED and batch.summary["create"] == 2


def test_it_updates_by_code_and_keeps_columns_the_file_does_not_have(world):
    world.reservoir.owner = "县水务公司"
    world.reservoir.save()
    rows = [
        ["项目编号", "项目名称", "总投资", "2020年计划投资", "责任单位", "行业"],
        [world.reservoir.code, "洪安水库工程（一期）", 13000, 3500, "县水利局", "水利"],
    ]
    batch = services.import_upload(
        user=world.office, data=xlsx(rows), filename="u.xlsx", kind="projects", year=2020, region=world.county
    )
    preview = services.import_preview(batch=batch)
    assert [r.project_id for r in preview.updates] == [world.reservoir.pk]
    assert set(preview.updates[0].changes) == {"name", "total_investment", "planned_investment"}
    services.import_confirm(batch=batch, user=world.office)
    world.reservoir.refresh_from_db()
    assert world.reservoir.name == "洪安水库工程（一期）" and world.reservoir.owner == "县水务公司"
    assert world.reservoir.plans.get(year=2020).planned_investment == Decimal("3500.00")


def test_it_writes_all_or_nothing(fresh, world, monkeypatch):
    office = f.user("yyoffice", "office", fresh)
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        ["甲项目", "城建", "县交通局", 100, 50],
        ["乙项目", "城建", "县交通局", 100, 50],
    ]
    batch = services.import_upload(
        user=office, data=xlsx(rows), filename="a.xlsx", kind="projects", year=2020, region=fresh
    )
    services.import_preview(batch=batch)
    saved = []
    original = YearPlan.save

    def failing(self, *args, **kwargs):
        saved.append(self)
        if len(saved) == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(YearPlan, "save", failing)
    with pytest.raises(RuntimeError):
        services.import_confirm(batch=batch, user=office)
    assert not Project.objects.filter(name__in=["甲项目", "乙项目"]).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW


def test_it_asks_to_look_again_when_the_database_changed_since_the_preview(world):
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
        ["新水厂", "水利", "县水利局", 100, 50],
    ]
    batch = services.import_upload(
        user=world.office, data=xlsx(rows), filename="a.xlsx", kind="projects", year=2020, region=world.county
    )
    services.import_preview(batch=batch)
    f.project(
        region=world.county, lead_unit=world.water, sector=Sector.objects.get(name="水利"), name="新水厂"
    )
    with pytest.raises(services.ImportChanged):
        services.import_confirm(batch=batch, user=world.office)
    assert Project.objects.filter(name="新水厂").count() == 1


def test_it_refuses_a_unit_importing_a_project_list(world):
    from django.core.exceptions import PermissionDenied

    data, _n = office_list()
    with pytest.raises(PermissionDenied):
        services.import_upload(
            user=world.water_user,
            data=data,
            filename="a.xlsx",
            kind="projects",
            year=2020,
            region=world.county,
        )
    with pytest.raises(PermissionDenied):
        services.import_upload(
            user=world.outsider, data=data, filename="a.xlsx", kind="projects", year=2020, region=world.county
        )
    assert not ImportBatch.objects.exists()


def test_it_matches_names_after_normalising_spaces_and_prefixes(world):
    rows = [
        ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资", "建设地点"],
        ["新水厂", "水利类", "秀山县\u3000水利局", 100, 50, "洪安"],
    ]
    preview = preview_of(xlsx(rows), world.county)
    assert not preview.errors, messages(preview)
    # Issue 12: the unit without the county's name and the township without 镇 are tolerant matches,
    # proposed until the office ticks them; the sector "水利类" is the same name.
    assert {(m.kind, m.name, m.known) for m in preview.matches} == {
        ("unit", "秀山县水利局", "县水利局"),
        ("township", "洪安", "洪安镇"),
    }
    ticked = {"match": {"unit": ["秀山县水利局"], "township": ["洪安"]}}
    row = preview_of(xlsx(rows), world.county, accepted=ticked).rows[0]
    assert row.get("lead_unit").pk == world.water.pk and row.get("sector").name == "水利类"
    assert row.get("sector").pk == Sector.objects.get(name="水利").pk
    assert row.get("townships") == (world.hongan_town.pk,)
    assert Unit.objects.filter(region=world.county).count() == 3
