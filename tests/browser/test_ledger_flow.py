"""Issue 2's browser test: water filters the ledger, opens a project, edits it, sees the history;
transport cannot reach that project."""

from __future__ import annotations

import re

import pytest

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_water_edit_its_project_and_keeps_transport_out(page, world):
    sign_in(page, "water")
    page.goto(page.base + "/projects/?year=2020")
    assert page.locator("#ledger tbody tr").count() == 2
    page.fill("input[name=q]", "水库")
    page.locator("#ledger tbody tr").first.wait_for()
    page.wait_for_function("document.querySelectorAll('#ledger tbody tr').length === 1")
    assert "洪安水库工程" in page.inner_text("#ledger tbody")
    shot(page, "ledger-water-filtered")

    page.click("text=洪安水库工程")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project_url = page.url
    page.click("main a[href$='/edit/']")
    page.fill("input[name=contact_phone]", "023-76661234")
    page.click("main form button[type=submit]")
    page.wait_for_url(project_url)
    assert "023-76661234" in page.inner_text("main")
    page.click("#history-tab")
    page.wait_for_selector("#history", state="visible")
    history = page.inner_text("#history")
    assert "023-76661234" in history and "water" in history
    shot(page, "project-history")
    assert page.console_errors == []

    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    sign_in(page, "transport")
    response = page.goto(project_url)
    assert response.status == 404
    page.goto(page.base + "/projects/?year=2020")
    assert "洪安水库工程" not in page.inner_text("#ledger")
