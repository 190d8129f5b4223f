"""The wall chart: a row per project across twelve months, grouped, printable, with a fixed query count."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from battlemap import pdf
from blockers.models import Blocker
from projects.models import PlanMonth

from . import factories as f
from .conftest import login
from .report_builders import started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def rows_by_name(response) -> dict:
    return {row.project.name: row for group in response.context["groups"] for row in group.rows}


def test_it_groups_projects_by_sector_with_the_groups_figures(reported):
    response = login(reported.office).get("/battlemap/wall/?year=2020&month=9")
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g.label, len(g.rows)) for g in groups] == [("交通", 2), ("水利", 1)]
    assert groups[0].figures["planned_investment"] == "2500.00"
    page = response.content.decode()
    assert "洪安水库工程" in page and "酉阳水厂" not in page
    assert "size: A3 landscape" in open("static/css/battlemap.css").read()
    assert "data-print" in page


def test_it_groups_by_unit_and_by_leader(reported):
    client = login(reported.office)
    by_unit = client.get("/battlemap/wall/?year=2020&month=9&by=unit").context["groups"]
    assert [g.label for g in by_unit] == ["县交通局", "县水利局"]
    by_leader = client.get("/battlemap/wall/?year=2020&month=9&by=leader").context["groups"]
    assert {g.label for g in by_leader} == {"分管交通水利的副县长", "—"}


def test_it_shows_each_month_plan_actual_and_whether_it_is_behind(reported):
    plan = reported.road.plans.get(year=2020)
    for m in range(1, 13):
        PlanMonth.objects.create(plan=plan, month=m, amount=Decimal("150.00"))
    response = login(reported.office).get("/battlemap/wall/?year=2020&month=9")
    road = rows_by_name(response)["中和至平凯公路改造"]
    march, september = road.cells[2], road.cells[8]
    # 300 of 450 planned by March is 7.5 points of the annual plan short: within the yellow band, not red.
    assert (march.plan, march.actual, march.behind) == (Decimal("150.00"), Decimal("100.00"), False)
    # 900 of 1,350 planned by September is 22.5 points short: red.
    assert (september.plan, september.actual, september.behind) == (
        Decimal("150.00"),
        Decimal("100.00"),
        True,
    )
    assert road.cells[9].future and road.cells[9].actual is None
    reservoir = rows_by_name(response)["洪安水库工程"]
    assert not any(c.behind for c in reservoir.cells)  # 250 a month is exactly the linear schedule
    assert road.plan.light == "red" and "30.0" in road.plan.light_reason


def test_it_colours_a_month_red_only_beyond_the_yellow_threshold_of_the_schedule(reported):
    response = login(reported.office).get("/battlemap/wall/?year=2020&month=9")
    road = rows_by_name(response)["中和至平凯公路改造"]  # 100 of 2,000 a month: 5 % against 8.33 % a month
    behind = [c.month for c in road.cells if c.behind]
    assert behind == [4, 5, 6, 7, 8, 9]  # April: 20 % against 33.33 %, 13.3 points short
    assert "bm-swatch behind" in response.content.decode()  # the legend says what red means


def test_it_marks_milestones_and_open_blockers(reported):
    reported.bridge.planned_start = dt.date(2020, 4, 1)
    reported.bridge.planned_end = dt.date(2020, 12, 31)
    reported.bridge.save()
    reported.reservoir.actual_end = dt.date(2020, 8, 20)
    reported.reservoir.save()
    Blocker.objects.create(
        project=reported.bridge,
        kind="land",
        description="征地拆迁未完成",
        lead_unit=reported.transport,
        deadline=dt.date(2020, 9, 1),
        raised_at=dt.datetime(2020, 5, 1, tzinfo=dt.UTC),
    )
    response = login(reported.office).get("/battlemap/wall/?year=2020&month=9")
    rows = rows_by_name(response)
    bridge = rows["梅江河大桥"]
    assert "planned_start" in bridge.cells[3].marks and "planned_end" in bridge.cells[11].marks
    assert (bridge.blockers, bridge.overdue_blockers) == (1, 1)
    assert "actual_end" in rows["洪安水库工程"].cells[7].marks


def test_it_serves_the_same_rows_as_json(reported):
    data = login(reported.water_user).get("/api/v1/wallchart?year=2020&month=9&by=unit").json()
    names = [r["name"] for g in data["groups"] for r in g["rows"]]
    assert sorted(names) == ["中和至平凯公路改造", "洪安水库工程"]  # led and cooperating
    road = next(r for g in data["groups"] for r in g["rows"] if r["name"] == "中和至平凯公路改造")
    assert road["months"][8]["actual"] == "100.00" and road["ytd_investment"] == "900.00"


def test_it_refuses_anonymous_callers(reported):
    from django.test import Client

    assert Client().get("/api/v1/wallchart").status_code == 401
    assert Client().get("/battlemap/wall/").status_code == 302


@pytest.mark.parametrize("rows", [5, 60])
def test_it_keeps_a_fixed_number_of_queries(world, rows, django_assert_max_num_queries):
    sector = world.reservoir.sector
    for _ in range(rows):
        p = f.project(
            region=world.county, lead_unit=world.water, sector=sector, actual_start=dt.date(2019, 1, 1)
        )
        started_report(p, 9, "10.00", by=world.office)
        PlanMonth.objects.create(plan=p.plans.get(), month=9, amount=Decimal("20.00"))
        Blocker.objects.create(project=p, kind="funds", description="资金未到位", lead_unit=world.water)
    client = login(world.office)
    with django_assert_max_num_queries(30):
        assert client.get("/battlemap/wall/?year=2020&month=9").status_code == 200
    with django_assert_max_num_queries(26):
        assert client.get("/api/v1/wallchart?year=2020&month=9").status_code == 200


@pytest.mark.skipif(not __import__("battlemap.pdf").pdf.available(), reason="chromium is not installed")
def test_it_prints_the_wall_chart_as_a_landscape_a3_pdf(reported):
    response = login(reported.office).get("/battlemap/wall.pdf?year=2020&month=9")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF")
    # A3 landscape is 420 x 297 mm = 1190.55 x 841.89 points.
    assert b"/MediaBox [0 0 1191.12 841.91998]" in body


def test_it_ends_with_a_total_row_of_every_project_in_scope(reported):
    client = login(reported.office)
    page = client.get("/battlemap/wall/?year=2020&month=9&by=unit").content.decode()
    summary = client.get("/api/v1/summary?year=2020&month=9").json()
    total = page[page.index('<tr class="bm-total">') :]
    total = total[: total.index("</tr>")]
    assert "合计" in total and f"全部{summary['projects']}个项目" in total
    assert f"{Decimal(summary['planned_investment']):,.2f}" in total
    assert f"{Decimal(summary['ytd_investment']):,.2f}" in total


@pytest.mark.skipif(
    not pdf.available() or not shutil.which("pdftotext"), reason="chromium or pdftotext is not installed"
)
def test_it_numbers_the_pdfs_pages_and_ends_it_with_the_total_row(world, tmp_path):
    for i in range(60):  # enough rows for several A3 pages
        f.project(
            name=f"第{i}号小型水库整治",
            region=world.county,
            lead_unit=world.water,
            sector=world.reservoir.sector,
        )
    response = login(world.office).get("/battlemap/wall.pdf?year=2020&month=9")
    assert response.status_code == 200
    (tmp_path / "wall.pdf").write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "wall.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        # pdftotext drops the narrow spaces of the foot's "第 N 页 共 M 页".
        assert f"第{number}页共{len(pages)}页" in "".join(page.split())
    assert "合计" in pages[-1] and "全部" in pages[-1] and "合计" not in pages[0]


def test_it_counts_a_rows_blockers_open_on_the_walls_day(reported):
    # The counts come with the row's project (one statement): open on the day the wall is drawn
    # for, overdue when past their deadline then; resolved or not yet raised ones are not counted.
    def blocker(project, *, raised, deadline=None, resolved=None):
        return Blocker.objects.create(
            project=project,
            kind="land",
            description="征地拆迁未完成",
            lead_unit=reported.transport,
            deadline=deadline,
            raised_at=dt.datetime.combine(raised, dt.time(10), tzinfo=dt.UTC),
            resolved_at=dt.datetime.combine(resolved, dt.time(10), tzinfo=dt.UTC) if resolved else None,
            status=Blocker.Status.RESOLVED if resolved else Blocker.Status.OPEN,
        )

    bridge = reported.bridge
    blocker(bridge, raised=dt.date(2020, 3, 1), deadline=dt.date(2020, 5, 1))  # overdue by June
    blocker(bridge, raised=dt.date(2020, 3, 1), deadline=dt.date(2020, 12, 1))
    blocker(bridge, raised=dt.date(2020, 2, 1))  # no deadline: never overdue
    blocker(bridge, raised=dt.date(2020, 2, 1), deadline=dt.date(2020, 4, 1), resolved=dt.date(2020, 4, 20))
    blocker(bridge, raised=dt.date(2020, 7, 2), deadline=dt.date(2020, 7, 3))  # after June
    client = login(reported.office)
    june = rows_by_name(client.get("/battlemap/wall/?year=2020&month=6"))
    assert (june["梅江河大桥"].blockers, june["梅江河大桥"].overdue_blockers) == (3, 1)
    assert (june["洪安水库工程"].blockers, june["洪安水库工程"].overdue_blockers) == (0, 0)
    march = rows_by_name(client.get("/battlemap/wall/?year=2020&month=3"))
    # In March the one resolved on 20 April was still open; none was past its deadline yet.
    assert (march["梅江河大桥"].blockers, march["梅江河大桥"].overdue_blockers) == (4, 0)
    html = client.get("/battlemap/wall/?year=2020&month=6").content.decode()
    assert html.count('<span class="bm-blocker-badge" title=') == 1  # the bridge's (and the legend's)
    assert re.search(r'<span class="bm-blocker-badge" title="[^"]*1[^"]*">3</span>', html)
