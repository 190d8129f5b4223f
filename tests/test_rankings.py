"""reports.figures.ranked, the one ranking order: ties share a rank, a unit or township with only
preparatory projects whose start is not due is listed apart (never last at 0.00 %), and every surface
that ranks (dashboard, big screen, unit plans and their export, quarterly dispatch) shows all of
them in that order."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.models import User
from cadence.periods import quarter_period
from cadence.selectors import quarterly, scope_user
from projects.models import YearPlan
from reports.figures import month_plans, ranked

from . import factories as f
from .conftest import login
from .report_builders import set_plan, started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

PREPARATORY = YearPlan.Stage.PREPARATORY


@pytest.fixture
def ranked_world(reported):
    """reported (water 75 %, transport 36 %) plus 县发展改革委 with one preparatory project that has
    no start due (green, 0 %), and 县林业局 tied with transport at 36 %."""
    county = reported.county
    sector = reported.reservoir.sector
    reported.ndrc = f.unit(county, "县发展改革委")
    reported.prep_town = f.township(county, "钟灵镇")
    reported.prep = f.project(
        region=county,
        lead_unit=reported.ndrc,
        sector=sector,
        name="秀山至酉阳快速通道",
        stage=PREPARATORY,
        townships=[reported.prep_town],
        planned="800.00",
    )
    reported.forestry = f.unit(county, "县林业局")
    reported.forest = f.project(
        region=county,
        lead_unit=reported.forestry,
        sector=sector,
        name="国储林项目",
        planned="1000.00",
        actual_start=dt.date(2019, 3, 1),
    )
    started_report(reported.forest, 9, "360.00", by=reported.office)  # 360 of 1,000 = 36 %
    return reported


def standings(user, by: str = "unit") -> list[tuple]:
    return [(g.rank, g.label) for g in ranked(month_plans(user, year=2020, month=9).figures_by(by))]


def test_it_lists_a_unit_with_only_preparatory_projects_apart_instead_of_last(ranked_world):
    assert standings(ranked_world.office) == [
        (1, "县水利局"),
        (2, "县交通局"),
        (2, "县林业局"),
        (None, "县发展改革委"),  # 0.00 % but nothing is due: not ranked, and not last
    ]


def test_it_ranks_ties_together_and_skips_the_places_they_take(ranked_world):
    slow = f.unit(ranked_world.county, "县商务委")
    p = f.project(
        region=ranked_world.county,
        lead_unit=slow,
        sector=ranked_world.reservoir.sector,
        planned="1000.00",
        actual_start=dt.date(2019, 3, 1),
    )
    started_report(p, 9, "100.00", by=ranked_world.office)
    assert [r for r, _label in standings(ranked_world.office)] == [1, 2, 2, 4, None]


def test_it_ranks_a_preparatory_project_once_its_start_is_due(ranked_world):
    set_plan(ranked_world.prep, start_month=8)  # due in August, not started: red, and ranked last
    assert standings(ranked_world.office)[-1] == (4, "县发展改革委")


def test_it_lists_a_township_with_only_preparatory_projects_apart(ranked_world):
    rows = standings(ranked_world.office, by="township")
    assert rows[-1] == (None, "钟灵镇")
    assert all(rank is not None for rank, _label in rows[:-1])


def test_the_dashboard_sends_every_unit_in_that_order_with_the_apart_ones_named(ranked_world):
    client = login(ranked_world.office)
    data = client.get("/api/v1/dashboard?year=2020&month=9").json()
    assert [(u["rank"], u["label"]) for u in data["units"]] == standings(ranked_world.office)
    assert (data["units_total"], data["units_ranked"]) == (4, 3)
    page = client.get("/battlemap/?year=2020&month=9").content.decode()
    apart = page.split('id="units-apart"')[1].split("</div>")[0]
    assert "县发展改革委" in apart and "县水利局" not in apart
    assert "全部3个参与排名" in page


def test_the_dashboard_sends_every_unit_of_a_county_however_many(world):
    for i in range(30):
        unit = f.unit(world.county, f"测试单位{i:02d}")
        p = f.project(
            region=world.county,
            lead_unit=unit,
            sector=world.reservoir.sector,
            planned="1000.00",
            actual_start=dt.date(2019, 3, 1),
        )
        started_report(p, 9, f"{10 * i + 5}.00", by=world.office)
    data = login(world.office).get("/api/v1/dashboard?year=2020&month=9").json()
    # 30 units, then water and transport, whose unreported projects stand at 0 %, tied last.
    assert len(data["units"]) == data["units_ranked"] == 32
    assert data["units"][29]["label"] == "测试单位00"
    assert [u["rank"] for u in data["units"][30:]] == [31, 31]


def test_the_big_screen_names_the_apart_ones_and_whose_part_a_unit_sees(ranked_world):
    page = login(ranked_world.office).get("/battlemap/screen/?year=2020&month=9").content.decode()
    assert "不参与排名（本期无序时进度要求）：" in page and "县发展改革委" in page
    water = login(ranked_world.water_user).get("/battlemap/screen/").content.decode()
    assert "秀山县重点项目挂图作战（县水利局，2个项目）" in water  # leads the reservoir, helps on the road
    office = login(ranked_world.office).get("/battlemap/screen/").content.decode()
    assert "秀山县重点项目挂图作战</h1>" in office


def test_the_unit_plans_page_and_export_show_the_shared_ranks(ranked_world):
    client = login(ranked_world.office)
    page = client.get("/reports/units/?year=2020&month=9")
    assert [(g.rank, g.label) for g in page.context["ranked"]] == standings(ranked_world.office)
    assert "<td>2</td><td><a" in page.content.decode()
    export = client.get("/reports/units.xlsx?year=2020&month=9")
    sheet = load_workbook(filename=io.BytesIO(export.content)).active
    wanted = {"县交通局", "县林业局", "县发展改革委"}
    firsts = [row[0] for row in sheet.iter_rows(values_only=True) if row[1] in wanted]
    assert firsts == [2, 2, "—"]


def test_the_quarterly_dispatch_ranks_in_that_order_and_never_criticises_the_apart_unit(ranked_world):
    data = quarterly(ranked_world.county, quarter_period(2020, 3), user=scope_user(ranked_world.county))
    assert [(r.rank, r.label) for r in data.units] == [(1, "县水利局"), (2, "县交通局"), (2, "县林业局")]
    assert [r.label for r in data.units_apart] == ["县发展改革委"]
    assert "县发展改革委" not in [r.label for r in data.red_list]
    # The apart unit's plan still counts in the county's figures: 3,510 of 7,300.
    assert data.summary.rate == Decimal("48.08")


def test_the_demo_county_ranks_every_unit_and_township_and_judges_only_the_ranked(demo):
    data = login(User.objects.get(username="office")).get("/api/v1/dashboard?year=2020&month=9").json()
    assert len(data["units"]) == data["units_total"] == 32
    assert len(data["townships"]) == data["townships_total"] == 26
    # Its only project is preparatory with no start due: listed apart, not last at 0.00 % / −75.00.
    assert [u["label"] for u in data["units"] if u["rank"] is None] == ["县发展改革委"]
    dispatch = quarterly(demo.county, quarter_period(2020, 3), user=scope_user(demo.county))
    # The year's rule (the defaults: the last 3 and the first 3 places) makes the lists.
    assert dispatch.red_list == dispatch.units[-3:]
    assert dispatch.commended == dispatch.units[:3]
    assert "县发展改革委" not in [r.label for r in dispatch.red_list + dispatch.units]
