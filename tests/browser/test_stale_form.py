"""Issue 13 item 3 in a browser: the office and the water bureau open one project's edit form; water
saves its start date first; the office's save of the funding comes back with "changed by water at T",
the start date water gave beside the office's, and the funding the office typed still in its form;
saving again keeps both. (The actual start, not the planned one: a change of planned dates is a baseline
revision with its own reason and, from a unit, a request — projects/baseline.py.)"""

from __future__ import annotations

import datetime as dt

import pytest

from projects.models import Project

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stale_project_form_shows_who_changed_it_and_keeps_what_was_typed(
    browser, page, world, pinned_today
):
    url = f"{page.base}/projects/{world.reservoir.pk}/edit/"
    sign_in(page, "office")
    page.goto(url)
    other = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", bypass_csp=True)
    water = other.new_page()
    water.base = page.base
    sign_in(water, "water")
    water.goto(url)
    water.fill("input[name=actual_start]", "2020-03-15")
    water.click("button[type=submit]")
    water.wait_for_url(lambda u: "/edit/" not in u)
    other.close()

    page.fill("input[name=funding_sources]", "中央预算内投资")
    page.fill("input[name=actual_start]", "2020-04-01")
    page.click("button[type=submit]")
    box = page.locator("#kp-stale")
    box.wait_for()
    text = box.inner_text()
    assert "已被water于" in text
    assert "2020-03-15" in text and "2020-04-01" in text
    assert page.input_value("input[name=funding_sources]") == "中央预算内投资"
    shot(page, "stale-project-form")
    project = Project.objects.get(pk=world.reservoir.pk)
    assert (project.actual_start, project.funding_sources) == (dt.date(2020, 3, 15), "")

    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/edit/" not in u)
    project.refresh_from_db()
    assert (project.actual_start, project.funding_sources) == (dt.date(2020, 4, 1), "中央预算内投资")
    # The form shown again answers 409 (Chromium logs that status); nothing else may be logged.
    assert [e for e in page.console_errors if "409" not in e] == []
