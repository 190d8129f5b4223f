"""Issue 11 item 9's wall chart on a 1440 px screen: the demo county's chart fits the width with no
horizontal scroll, of the page or of the table, and ends with its total row."""

from __future__ import annotations

import pytest

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_fits_1440_px_wide_with_its_total_row(page, demo):
    sign_in(page, "office")
    page.goto(page.base + "/battlemap/wall/?year=2020&month=9")
    page.wait_for_selector("#chart-wall-curve canvas")
    assert page.viewport_size["width"] == 1440
    widths = page.evaluate(
        """() => {
          const box = document.querySelector("#wallchart").parentElement;
          return {page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                  table: box.scrollWidth, box: box.clientWidth};
        }"""
    )
    assert widths["page"] <= widths["view"], widths  # no horizontal scroll of the page
    assert widths["table"] <= widths["box"], widths  # nor of the table inside its box
    total = page.locator("#wallchart tr.bm-total")
    assert total.count() == 1
    assert "614,700.00" in total.inner_text()  # the county's annual plan, all 108 projects
    shot(page, "battlemap-wallchart-1440")
    assert page.console_errors == []
