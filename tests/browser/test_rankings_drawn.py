"""Issue 11's rankings in a browser: the dashboard draws every unit of a county (no top-25 cut), and the
big screen pages its ranking with the last places on every page."""

from __future__ import annotations

import datetime as dt

import pytest

from .. import factories as f
from ..report_builders import started_report
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNITS = 30


@pytest.fixture
def many_units(world, pinned_today):
    """30 started units at 0.5 %, 1.5 %, ... 29.5 % (测试单位00 the lowest); water and transport at 0 %."""
    for i in range(UNITS):
        unit = f.unit(world.county, f"测试单位{i:02d}")
        p = f.project(
            region=world.county,
            lead_unit=unit,
            sector=world.reservoir.sector,
            planned="1000.00",
            actual_start=dt.date(2019, 3, 1),
        )
        started_report(p, 9, f"{10 * i + 5}.00", by=world.office)
    return world


def categories(page, selector: str) -> list[str]:
    page.wait_for_selector(f"{selector} canvas")
    return page.evaluate(
        "(s) => echarts.getInstanceByDom(document.querySelector(s)).getOption().yAxis[0].data", selector
    )


def test_it_draws_every_unit_on_the_dashboard(page, many_units):
    sign_in(page, "office")
    page.goto(page.base + "/battlemap/?year=2020&month=9")
    drawn = categories(page, "#chart-units")
    assert len(drawn) == UNITS + 2
    assert drawn[0].startswith("31. ")  # the chart lists bottom-up: the last place is drawn, first
    assert page.console_errors == []


def test_it_keeps_the_last_places_on_every_page_of_the_big_screen(page, many_units):
    page.clock.install()
    sign_in(page, "office")
    page.goto(page.base + "/battlemap/screen/?year=2020&month=9")
    page.wait_for_selector("#screen-units canvas")

    def shown() -> list[int]:
        return [int(r) for r in page.get_attribute("#screen-units", "data-shown").split(",")]

    first = shown()
    assert first[:9] == list(range(1, 10)) and first[-3:] == [30, 31, 31]
    assert page.inner_text('[data-page="units"]') == "第1页，共4页"
    page.clock.fast_forward(13_000)
    second = shown()
    assert second[:9] == list(range(10, 19)) and second[-3:] == [30, 31, 31]
    assert page.console_errors == []
