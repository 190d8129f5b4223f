"""The figures core (reports/figures.py): every surface says the same about started, not started
and lagging through a report's whole workflow; the figures equal an independent recomputation
from the raw reports; short lists keep one order on every database; a request reads the year
settings once; list pages cost the same number of queries in a small and a large world."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cadence import selectors as cadence_selectors
from cadence.periods import month_period
from lib import schedule
from projects.models import Project, YearPlan
from reports import services
from reports.figures import month_plans
from reports.lights import annotate_reasons

from . import factories as f
from .conftest import login
from .report_builders import report, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
SEPTEMBER = "year=2020&month=9"


@pytest.fixture
def county(world):
    """Reservoir on schedule, road lagging (45 % against 75 %), bridge not started (planned for June)."""
    for project in (world.reservoir, world.road):
        started(project)
    for m in range(1, 10):
        report(world.reservoir, m, "250.00", by=world.office, started=True)
        report(world.road, m, "100.00", by=world.office, started=True)
    YearPlan.objects.filter(project=world.bridge).update(stage=YearPlan.Stage.NEW, planned_start_month=6)
    return world


def surfaces(client, project: Project) -> dict[str, tuple[int, bool]]:
    """What each surface says for September: (projects not started, whether `project` started)."""
    said = {}
    summary = client.get(f"/api/v1/summary?{SEPTEMBER}").json()
    lights = {p["id"]: p for p in client.get(f"/api/v1/lights?{SEPTEMBER}").json()["projects"]}
    said["summary + lights API"] = (summary["not_started"], lights[project.pk]["started"])
    no = client.get(f"/projects/?{SEPTEMBER}&started=no").context
    yes = client.get(f"/projects/?{SEPTEMBER}&started=yes").context
    said["ledger filter"] = (no["totals"].count, project.pk in [plan.project_id for _n, plan in yes["rows"]])
    assert project.pk in [plan.project_id for _n, plan in (no["rows"] + yes["rows"])]
    headline = client.get(f"/api/v1/dashboard?{SEPTEMBER}").json()
    listed = [p["id"] for p in headline["not_started"]["items"]]
    said["dashboard"] = (headline["headline"]["not_started"], project.pk not in listed)
    board = client.get(f"/reports/not-started/?{SEPTEMBER}").context
    said["not-started board"] = (
        board["page"].paginator.count,
        project.pk not in [r.project_id for r in board["rows"]],
    )
    home = client.get("/").context["figures"]
    said["home"] = (home.not_started, said["dashboard"][1])
    assert home.not_started == headline["headline"]["not_started"]
    return said


def assert_all_say(client, project: Project, *, not_started: int, is_started: bool) -> None:
    said = surfaces(client, project)
    assert set(said.values()) == {(not_started, is_started)}, said


def test_every_surface_follows_a_start_report_through_its_workflow(county):
    w, office = county, login(county.office)
    assert_all_say(office, w.bridge, not_started=1, is_started=False)

    data = {
        "amount": Decimal("80.00"),
        "progress": "开工",
        "started": True,
        "start_date": dt.date(2020, 9, 10),
    }
    filed = services.report_save(project=w.bridge, year=2020, month=9, data=data, by=w.transport_user)
    assert_all_say(office, w.bridge, not_started=1, is_started=False)  # a draft does not count

    services.report_submit(report=filed, by=w.transport_user)
    assert_all_say(office, w.bridge, not_started=0, is_started=True)  # submitted: counts at once

    services.report_return(report=filed, by=w.office, reason="开工日期有误")
    assert_all_say(office, w.bridge, not_started=1, is_started=False)  # returned: withdrawn

    services.report_submit(report=filed, by=w.transport_user)
    assert_all_say(office, w.bridge, not_started=0, is_started=True)

    services.report_approve(report=filed, by=w.office)
    assert_all_say(office, w.bridge, not_started=0, is_started=True)
    assert Project.objects.get(pk=w.bridge.pk).actual_start == dt.date(2020, 9, 10)


def test_lagging_is_the_same_project_on_the_dashboard_the_ledger_and_the_study_pack(county):
    w, office = county, login(county.office)
    dashboard = office.get(f"/api/v1/dashboard?{SEPTEMBER}").json()
    assert [p["id"] for p in dashboard["lagging"]["items"]] == [w.road.pk]
    lagging_link = office.get(dashboard["lagging"]["url"]).context
    assert [plan.project_id for _n, plan in lagging_link["rows"]] == [w.road.pk]
    pack = cadence_selectors.monthly(w.county, month_period(2020, 9), user=w.office)
    assert [line.project.pk for line in pack.lagging] == [w.road.pk]
    assert [line.project.pk for line in pack.not_started] == [w.bridge.pk]


@pytest.mark.parametrize(
    "who", ["office", "viewer", "water_user", "transport_user", "leader_user", "city_office"]
)
def test_every_dashboard_figure_opens_a_ledger_with_the_same_count(county, who):
    client = login(getattr(county, who))
    data = client.get(f"/api/v1/dashboard?{SEPTEMBER}").json()
    head = data["headline"]
    links = [(head["url"], head["projects"]), (head["started_url"], head["started"])]
    links += [(head["not_started_url"], head["not_started"])]
    links += [(head["light_urls"][c], n) for c, n in head["lights"].items()]
    for group in data["sectors"] + data["units"] + data["townships"] + data["regions"]:
        links.append((group["url"], group["projects"]))
        links += [(group["light_urls"][c], n) for c, n in group["lights"].items()]
    assert len(links) > 8
    for url, expected in links:
        assert client.get(url).context["totals"].count == expected, url


def test_the_not_started_list_puts_the_most_overdue_first_and_no_planned_start_last(world):
    w = world
    for n, month in enumerate([None, 7, None, 2, 5]):
        stage = YearPlan.Stage.PREPARATORY if month is None else YearPlan.Stage.NEW
        p = f.project(
            region=w.county, lead_unit=w.water, sector=w.reservoir.sector, code=f"N{n}", stage=stage
        )
        YearPlan.objects.filter(project=p).update(planned_start_month=month)
    items = login(w.office).get(f"/api/v1/dashboard?{SEPTEMBER}").json()["not_started"]["items"]
    months = [p["planned_start_month"] for p in items if p["code"].startswith("N")]
    assert months == [2, 5, 7, None, None]
    board = login(w.office).get(f"/reports/not-started/?{SEPTEMBER}").context["rows"]
    assert [r.planned_start_month for r in board if r.project.code.startswith("N")] == months


def test_a_dashboard_request_reads_the_year_settings_once(county):
    client = login(county.office)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/battlemap/?{SEPTEMBER}").status_code == 200
    settings_reads = [q["sql"] for q in ctx.captured_queries if "reports_yearsetting" in q["sql"]]
    assert len(settings_reads) == 1, settings_reads


def test_the_rate_of_each_plan_is_the_rate_of_a_group_of_one(county):
    """The per-plan rate is SQL (the light compares it); a group's rate comes from its sums in
    lib/schedule. For every plan and month they agree."""
    report(county.bridge, 9, "333.33", by=county.office, status="submitted")
    for month in range(1, 10):
        for plan in month_plans(county.office, year=2020, month=month):
            assert plan.rate == schedule.completion_rate(plan.ytd, plan.planned_investment)
            assert plan.gap == schedule.gap_points(plan.rate, plan.target)


LIST_PAGES = [
    "/projects/?year=2020&month=9",
    "/projects/?year=2020&month=9&started=no",
    "/reports/?year=2020&month=9",
    "/reports/not-started/?year=2020&month=9",
    "/reports/units/?year=2020&month=9",
    "/battlemap/?year=2020&month=9",
    "/battlemap/wall/?year=2020&month=9",
    "/api/v1/dashboard?year=2020&month=9",
    "/api/v1/summary?year=2020&month=9",
    "/api/v1/lights?year=2020&month=9",
]


def _queries(client, url: str) -> int:
    client.get(url)  # warm (session, language)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_list_pages_issue_as_many_queries_for_many_projects_as_for_few(county):
    client = login(county.office)
    small = {url: _queries(client, url) for url in LIST_PAGES}
    w = county
    town = f.township(w.county, "钟灵镇")
    for n in range(30):
        unit = f.unit(w.county, f"县单位{n}")
        p = f.project(
            region=w.county,
            lead_unit=unit,
            sector=f.sector(f"行业{n % 4}"),
            townships=[town, w.hongan_town],
            cooperating=[w.water],
            leader=w.leader,
            stage=YearPlan.Stage.NEW if n % 2 else YearPlan.Stage.CONTINUING,
        )
        if n % 3:
            started(p)
            for m in range(1, 10):
                report(p, m, f"{10 + n}.00", by=w.office, started=True)
    large = {url: _queries(client, url) for url in LIST_PAGES}
    assert large == small


# -- an independent recomputation -------------------------------------------------------------
# From the raw tables with a literal status set and its own light rules: nothing from reports/.
COUNTED = ("submitted", "approved")


def _setting(region_path: str, year: int) -> tuple[str, list, Decimal]:
    codes = [c for c in region_path.strip("/").split("/") if c]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.code, s.mode, s.curve, s.yellow_threshold FROM reports_yearsetting s "
            "JOIN regions_region r ON r.id = s.region_id WHERE s.year = %s",
            [year],
        )
        found = {code: (mode, curve, threshold) for code, mode, curve, threshold in cursor.fetchall()}
    for code in reversed(codes):
        if code in found:
            mode, curve, threshold = found[code]
            curve = json.loads(curve) if isinstance(curve, str) else curve
            return mode, curve, Decimal(str(threshold))
    return "linear", [], Decimal("10")


def _recomputed(user, year: int, month: int) -> dict:
    plans = YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user)).select_related(
        "project__region"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT project_id, month, amount, started, status FROM reports_monthlyreport WHERE year = %s",
            [year],
        )
        reports = cursor.fetchall()
    last_day = dt.date(year, month, 1).replace(day=28) + dt.timedelta(days=4)
    last_day -= dt.timedelta(days=last_day.day)
    out = {
        "projects": 0,
        "planned": Decimal(0),
        "ytd": Decimal(0),
        "not_started": 0,
        "lights": {},
        "rows": {},
    }
    lights = {"green": 0, "yellow": 0, "red": 0}
    for plan in plans:
        mine = [r for r in reports if r[0] == plan.project_id and r[1] <= month and r[4] in COUNTED]
        ytd = sum((Decimal(str(r[2])) for r in mine), Decimal(0))
        began = any(r[3] for r in mine) or (
            plan.project.actual_start is not None and plan.project.actual_start <= last_day
        )
        mode, curve, threshold = _setting(plan.project.region.path, year)
        target = schedule.target(mode, year=year, month=month, curve=curve)
        rate = schedule.completion_rate(ytd, plan.planned_investment)
        start = plan.planned_start_month
        if not began and start:
            light = "green" if month < start else "yellow" if month == start else "red"
        elif not began and plan.stage == "preparatory":
            light = "green"
        elif rate is None or rate >= target:
            light = "green"
        elif rate >= target - threshold:
            light = "yellow"
        else:
            light = "red"
        lights[light] += 1
        out["projects"] += 1
        out["planned"] += plan.planned_investment
        out["ytd"] += ytd
        out["not_started"] += 0 if began else 1
        out["rows"][plan.project_id] = (f"{ytd:.2f}", began, light, None if rate is None else float(rate))
    out["lights"] = lights
    return out


@pytest.mark.parametrize("month", [3, 6, 9])
def test_the_figures_equal_a_recomputation_from_the_raw_reports(demo, month):
    from accounts.models import User

    for username in ("office", "water", "transport", "hongan", "leader", "viewer"):
        user = User.objects.get(username=username)
        expected = _recomputed(user, 2020, month)
        client = login(user)
        summary = client.get(f"/api/v1/summary?year=2020&month={month}").json()
        assert summary["projects"] == expected["projects"], username
        assert summary["planned_investment"] == f"{expected['planned']:.2f}", username
        assert summary["ytd_investment"] == f"{expected['ytd']:.2f}", username
        assert summary["not_started"] == expected["not_started"], username
        assert summary["lights"] == expected["lights"], username
        rows = client.get(f"/api/v1/lights?year=2020&month={month}").json()["projects"]
        got = {r["id"]: (r["ytd_investment"], r["started"], r["light"], r["completion_rate"]) for r in rows}
        assert got == expected["rows"], username


GREEN_WORDS = ("not due yet", "no start planned", "No investment planned", "Exactly on schedule", "ahead")
YELLOW_WORDS = ("not started yet", "behind schedule")
RED_WORDS = ("still not started", "behind schedule")


@pytest.mark.parametrize("month", [2, 3, 4, 9])
def test_the_words_of_every_light_agree_with_its_colour(world, month):
    """reports.lights.reason() words a light in Python from the row; the colour is SQL. Over every
    branch (start due or not, preparatory, nothing planned, ahead, in the band, beyond it) the
    words never contradict the colour."""
    w = world
    cases = [
        # (stage, planned start month, planned, ytd by the month, started)
        ("new", 3, "1000.00", None, False),
        ("preparatory", None, "1000.00", None, False),
        ("continuing", None, "0.00", "5.00", True),
        ("continuing", None, "1000.00", "900.00", True),
        ("continuing", None, "1200.00", None, True),
        ("continuing", None, "1000.00", "100.00", True),
        ("continuing", None, "1000.00", "700.00", True),
        ("new", 2, "1000.00", "10.00", True),
    ]
    for n, (stage, start, planned, ytd, began) in enumerate(cases):
        p = f.project(
            region=w.county, lead_unit=w.water, sector=w.reservoir.sector, code=f"L{n}", planned=planned
        )
        YearPlan.objects.filter(project=p).update(stage=stage, planned_start_month=start)
        if began:
            started(p)
        if ytd:
            report(p, 1, ytd, by=w.office)
    with translation.override("en"):
        rows = annotate_reasons(month_plans(w.office, year=2020, month=month).with_projects(), month=month)
    for row in rows:
        words = {"green": GREEN_WORDS, "yellow": YELLOW_WORDS, "red": RED_WORDS}[row.light]
        assert any(word in row.light_reason for word in words), (
            row.project.code,
            row.light,
            row.light_reason,
        )
        if "behind schedule" in row.light_reason:
            band = row.target - row.floor
            assert (row.gap >= -band) == (row.light == "yellow"), (row.project.code, row.gap, row.light)
