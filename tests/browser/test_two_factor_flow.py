"""Two-factor sign-in in a browser (issue 17 item 3), with the office's role required to give a code
(KEYPROJ_2FA_ROLES as docs/security.md sets it in production): the office signs in, is sent to
enrolment, sees the QR code and the key, confirms with the code its app would show and lands on its
home page; signed in again it must give a code, a wrong one is refused in Chinese, the right one
lets it in. The code is computed from the device's key, as the phone's app computes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(device: TOTPDevice) -> str:
    """The six digits an authenticator app shows for the device's key at this (frozen) moment."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def sign_out(page) -> None:
    """Through the user menu at the top right, as a user signs out."""
    page.click(".dropdown-toggle[data-bs-toggle=dropdown]")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(lambda url: "/login/" in url)


def test_the_office_enrols_then_must_give_a_code_at_each_sign_in(
    page, world, pinned_today, time_machine, settings
):
    settings.KEYPROJ_2FA_ROLES = ["office", "sysadmin", "secadmin", "auditor"]

    # First sign-in: the password alone leads to enrolment, whatever page was asked for.
    sign_in(page, "office")
    assert page.url == page.base + "/manage/two-factor/"
    assert page.locator("h1").inner_text() == "绑定双因素登录"
    qr = page.locator("#otp-qr")
    assert qr.is_visible() and qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the QR code is drawn
    device = TOTPDevice.objects.get(user=world.office, confirmed=False)
    typed_key = page.inner_text("#otp-secret").replace(" ", "")
    assert typed_key and device.config_url.find(f"secret={typed_key}") > 0
    # The key for typing by hand reads on one line (it once broke after its seventh group).
    assert page.locator("#otp-secret").evaluate("code => code.getClientRects().length") == 1
    shot(page, "two-factor-enrol")
    page.goto(page.base + "/projects/")
    assert page.url == page.base + "/manage/two-factor/"  # no other page opens before enrolment

    page.fill("#id_code", app_code(device))
    page.click("form:not([action]) button[type=submit]")
    page.wait_for_url(page.base + "/")
    assert page.locator("#approval-queue").is_visible()  # the office's home page
    assert "双因素登录已启用" in page.inner_text("body")
    device.refresh_from_db()
    assert device.confirmed

    # Signed out and in again (a minute later: the code of the enrolment is never taken twice).
    sign_out(page)
    time_machine.shift(dt.timedelta(seconds=60))
    sign_in(page, "office")
    assert page.url == page.base + "/manage/two-factor/code/"
    assert page.locator("h1").inner_text() == "双因素登录"
    page.goto(page.base + "/")
    assert page.url == page.base + "/manage/two-factor/code/"  # the password alone opens nothing

    page.fill("#id_code", wrong(app_code(device)))
    page.click("form:not([action]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == page.base + "/manage/two-factor/code/"
    assert page.inner_text("#otp-error") == "验证码错误或已过期，请输入应用当前显示的验证码。"
    shot(page, "two-factor-code-refused")
    # The refusal is answered 400 (bad input, nothing changed): Chromium notes that in the console.
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []
    page.console_errors.clear()

    time_machine.shift(dt.timedelta(seconds=5))  # past django-otp's one-second wait after a wrong code
    page.fill("#id_code", app_code(device))
    page.click("form:not([action]) button[type=submit]")
    page.wait_for_url(page.base + "/")
    assert page.locator("#approval-queue").is_visible()
    assert not page.console_errors
