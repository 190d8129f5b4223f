"""Lists as offices really send them (issue 12): a total row at the top, under the header or at the
bottom; no sector column and no group rows; names written loosely; a missing required column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from exchange import services
from exchange.project_import import preview_projects
from lib.tabular import read_tables
from projects.models import Leader, Project

from . import factories as f
from .conftest import login
from .sheets import xlsx

pytestmark = pytest.mark.django_db
HEADER = ["序号", "项目名称", "总投资", "2020年计划投资", "责任单位", "行业领域"]
PROJECTS = [
    [1, "新水厂", 100, 50, "县水利局", "水利"],
    [2, "新公路", 300, 120, "县交通局", "交通"],
]


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def preview_of(rows, region, merges=(), accepted=None):
    return preview_projects(
        read_tables(xlsx(rows, merges), "xlsx"), year=2020, region=region, accepted=accepted
    )


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([HEADER, [None, "合计（2个）", 400, 170, None, None], *PROJECTS], id="under-the-header"),
        pytest.param(
            [
                ["秀山县2020年重点项目", *[None] * 5],
                [None, "合计（2个）", 400, 170, None, None],
                HEADER,
                *PROJECTS,
            ],
            id="at-the-top",
        ),
        pytest.param([HEADER, *PROJECTS, [None, "合计（2个）", 400, 170, None, None]], id="at-the-bottom"),
    ],
)
def test_it_checks_a_total_row_anywhere_against_the_rows_read(world, rows):
    preview = preview_of(rows, world.county)
    assert not preview.errors and not preview.warnings, [str(p) for p in preview.problems]
    [check] = preview.checks
    assert check.ok and check.label == "合计（2个）"
    assert len(preview.creates) == 2


def test_it_still_says_when_a_total_under_the_header_does_not_match(world):
    preview = preview_of([HEADER, [None, "合计（3个）", 400, 999, None, None], *PROJECTS], world.county)
    [check] = preview.checks
    assert not check.ok and "it says 3 projects, 2 were read" in check.detail and "999.00" in check.detail


def test_it_proposes_a_sector_per_row_when_the_list_gives_none(world):
    f.sector("生态环保")
    rows = [
        ["项目名称", "总投资", "2020年计划投资", "责任单位"],
        ["洪安集镇污水处理厂", 800, 300, "洪安镇人民政府"],  # the township's unit has no project: by the name
        ["中和供水管网延伸", 600, 200, "县水利局"],  # 县水利局 leads a 水利 project
        ["党群服务中心", 100, 50, "洪安镇人民政府"],  # nothing to go by
    ]
    preview = preview_of(rows, world.county)
    assert not preview.errors, [str(p) for p in preview.errors]
    sewage, water, hall = preview.sector_choices
    assert (preview.sectors[sewage.proposed], sewage.evidence) == ("生态环保", "the name says “污水”")
    assert preview.sectors[water.proposed] == "水利" and "lead unit" in water.evidence
    assert hall.proposed is None
    assert len(preview.decisions) == 3 and not preview.can_confirm  # proposed, not applied

    transport = next(pk for pk, name in preview.sectors.items() if name == "交通")
    chosen = {sewage.key: sewage.proposed, water.key: water.proposed, hall.key: transport}
    ready = preview_of(rows, world.county, accepted={"sectors": chosen})
    assert ready.can_confirm
    assert [r.get("sector").name for r in ready.rows] == ["生态环保", "水利", "交通"]


def test_it_proposes_a_loosely_written_leader_and_uses_it_only_when_ticked(world):
    rows = [
        ["项目名称", "总投资", "2020年计划投资", "责任单位", "行业", "分管县领导"],
        ["新水厂", 100, 50, "县水利局", "水利", "分管交通水利副县长"],
    ]
    data = xlsx(rows)
    batch = services.import_upload(
        user=world.office, data=data, filename="l.xlsx", kind="projects", year=2020, region=world.county
    )
    preview = services.import_preview(batch=batch)
    [match] = preview.matches
    assert (match.kind, match.known, match.pk) == ("leader", "分管交通水利的副县长", world.leader.pk)
    assert "“的”" in match.evidence and not match.ticked
    assert not preview.errors and preview.decisions and not preview.can_confirm

    client = login(world.office)
    page = client.get(reverse("exchange:preview", args=[batch.pk])).content.decode()
    assert "分管交通水利副县长" in page and "分管交通水利的副县长" in page and "“的”" in page
    client.post(
        reverse("exchange:choose", args=[batch.pk]), {"what": "matches", "match": "leader:分管交通水利副县长"}
    )
    batch.refresh_from_db()
    preview = services.import_preview(batch=batch)
    assert preview.can_confirm
    services.import_confirm(batch=batch, user=world.office)
    assert Project.objects.get(name="新水厂").leader == world.leader
    assert Leader.objects.filter(region=world.county).count() == 1  # no duplicate leader


def test_it_names_a_missing_required_column_once(world):
    rows = [
        ["项目名称", "总投资", "2020年计划投资", "行业"],
        *[[f"项目{i}", 100, 50, "水利"] for i in range(5)],
    ]
    preview = preview_of(rows, world.county)
    [error] = preview.errors
    assert "Lead responsible unit" in error.message and error.row == 1
    with translation.override("zh-hans"):
        [error] = preview_of(rows, world.county).errors
        assert "牵头责任单位" in error.message


def test_a_year_range_never_overwrites_exact_dates(world):
    world.road.planned_start, world.road.planned_end = dt.date(2019, 4, 2), dt.date(2021, 7, 31)
    world.road.save()
    rows = [
        ["项目编号", "项目名称", "总投资", "2020年计划投资", "责任单位", "行业", "建设起止年限"],
        [world.road.code, world.road.name, 8000, 2000, "县交通局", "交通", "2019-2021"],
        [world.bridge.code, world.bridge.name, 1500, 500, "县交通局", "交通", "2020-2022"],
    ]
    world.bridge.planned_start = dt.date(2020, 5, 1)
    world.bridge.save()
    preview = preview_of(rows, world.county)
    road, bridge = preview.rows
    assert road.action == "unchanged"  # the years agree with the exact dates
    assert [(c.key, c.old, c.new) for c in bridge.diffs] == [("planned_end", "—", "2022-12-31")]


def test_a_rounded_yi_yuan_amount_does_not_overwrite_the_exact_one(world):
    rows = [
        ["项目编号", "项目名称", "总投资（亿元）", "2020年计划投资", "责任单位", "行业"],
        [world.road.code, world.road.name, "0.80", 2000, "县交通局", "交通"],
        [world.bridge.code, world.bridge.name, "0.16", 500, "县交通局", "交通"],
    ]
    world.road.total_investment = Decimal("8012.34")  # 0.80 亿元 to the nearest 50 万元
    world.road.save()
    road, bridge = preview_of(rows, world.county).rows
    assert road.action == "unchanged"
    assert [(c.key, c.new) for c in bridge.diffs] == [("total_investment", "1,600.00")]
