"""The office renames a unit, finds the change in the audit log by its text, and sees a failed
sign-in in the login log; the flush after this transactional test empties the audit tables through
the only permission the suite holds (audit.immutability)."""

from __future__ import annotations

import pytest

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_finds_a_units_rename_in_the_audit_log(page, world):
    page.goto(page.base + "/login/")
    page.fill("input[name=username]", "water")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    sign_in(page, "office")
    page.goto(page.base + f"/manage/units/{world.water.pk}/")
    page.fill("input[name=name]", "县水务局")
    page.click("main form button[type=submit]")
    page.wait_for_url(page.base + "/manage/units/")

    page.goto(page.base + "/manage/audit/")
    page.fill("input[name=q]", "水务")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "q=" in url)
    table = page.inner_text("main table tbody")
    assert "县水利局 → 县水务局" in table and "office" in table
    shot(page, "audit-log-filtered")

    page.goto(page.base + "/manage/login-log/?kind=failed")
    assert "not-the-password" not in page.content()
    assert "water" in page.inner_text("main table tbody")
    shot(page, "login-log-failed")
    assert page.console_errors == []
