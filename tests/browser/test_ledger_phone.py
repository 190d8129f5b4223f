"""Issue 11 item 9: on a phone the ledger's filters fold away behind one button, and project names keep
a readable width (the table scrolls sideways within its card, not the page); on a desktop the filters show."""

from __future__ import annotations

import pytest

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEDGER = "/projects/?year=2020&month=9"


def test_on_a_phone_the_filters_fold_away_and_names_keep_their_width(page, reported):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "office")
    page.goto(page.base + LEDGER)
    assert not page.locator("#id_year").is_visible()
    page.get_by_role("button", name="筛选条件").click()
    page.wait_for_selector("#id_year", state="visible")
    name_cell = page.locator("#ledger tbody tr").first.locator("td").nth(2)
    assert name_cell.bounding_box()["width"] >= 200  # 13rem: a name is not broken every few characters
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page itself scrolls sideways; only the table should"
    shot(page, "ledger-phone")


def test_on_a_desktop_the_filters_show_without_a_click(page, reported):
    sign_in(page, "office")
    page.goto(page.base + LEDGER)
    assert page.locator("#id_year").is_visible()
    assert not page.get_by_role("button", name="筛选条件").is_visible()
