"""Issue 5's browser test: the dashboard, the wall chart and the big screen draw their charts with no
console errors, as the office and as a unit; a chart click drills down to the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ..report_builders import create_report
from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = {
    "dashboard": (
        "/battlemap/?year=2020&month=9",
        ["#chart-sectors", "#chart-curve", "#chart-units", "#chart-townships"],
    ),
    "wallchart": ("/battlemap/wall/?year=2020&month=9", ["#chart-wall-curve"]),
    "screen": (
        "/battlemap/screen/?year=2020&month=9",
        ["#screen-sectors", "#screen-lights", "#screen-curve", "#screen-units", "#screen-townships"],
    ),
}


@pytest.fixture
def reported(world, pinned_today):
    for project in (world.reservoir, world.road):
        project.actual_start = dt.date(2019, 5, 1)
        project.save()
    for month in range(1, 10):
        for project, amount in ((world.reservoir, "250.00"), (world.road, "100.00")):
            create_report(
                project=project,
                year=2020,
                month=month,
                amount=Decimal(amount),
                progress="施工中",
                status="approved",
                started=True,
                created_by=world.office,
            )
    return world


def assert_drawn(page, selectors: list[str]) -> None:
    for selector in selectors:
        page.wait_for_selector(f"{selector} canvas")
        box = page.locator(f"{selector} canvas").first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, selector


@pytest.mark.parametrize("username", ["office", "water"])
def test_it_draws_the_dashboard_wall_chart_and_big_screen(page, reported, username):
    sign_in(page, username)
    for name, (path, selectors) in CHARTS.items():
        page.goto(page.base + path)
        assert_drawn(page, selectors)
        page.wait_for_timeout(400)  # let the chart animations settle before the screenshot
        shot(page, f"battlemap-{name}-{username}")
    assert page.console_errors == []


def test_it_opens_the_ledger_behind_a_sector_bar(page, reported):
    sign_in(page, "office")
    page.goto(page.base + "/battlemap/?year=2020&month=9")
    assert "57.27%" in page.inner_text("#stat-rate")
    assert_drawn(page, ["#chart-sectors"])
    box = page.locator("#chart-sectors canvas").first.bounding_box()
    # Two sectors (交通, 水利): click the middle of the left half, on the 交通 bars.
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.75)
    page.wait_for_url(lambda url: "/projects/" in url and "sector=" in url)
    assert "中和至平凯公路改造" in page.inner_text("main") and "洪安水库工程" not in page.inner_text("main")
    assert page.console_errors == []


def test_it_refreshes_the_big_screen_from_the_api(page, reported):
    sign_in(page, "office")
    page.goto(page.base + "/battlemap/screen/?year=2020&month=9")
    assert_drawn(page, ["#screen-curve"])
    with page.expect_response(lambda r: "/api/v1/dashboard" in r.url) as answer:
        page.evaluate("window.dispatchEvent(new Event('bm-refresh'))")
    assert answer.value.status == 200
    page.wait_for_function("document.getElementById('bm-updated').textContent !== '—'")
    assert page.console_errors == []
