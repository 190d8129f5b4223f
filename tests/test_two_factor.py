"""Two-factor sign-in (issue 17 item 3): required by role when DEBUG is off, enforced before every
page, enrolment with a QR code and the key in text, a wrong code counted like a wrong password,
API tokens not asked, nobody asked under `make run`."""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings as django_settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from api.models import ApiToken

from .security_builders import admins, code_now, enrolled, every_url, sign_in, wrong_code

pytestmark = pytest.mark.django_db

PRODUCTION_ROLES = ["office", "sysadmin", "secadmin", "auditor"]
MOMENT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OPEN_WHILE_PENDING = {"accounts:otp_enrol", "accounts:otp_verify", "logout", "set_language"}


@pytest.fixture
def required(settings):
    settings.KEYPROJ_2FA_ROLES = PRODUCTION_ROLES


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MOMENT, tick=False)
    return time_machine


def test_it_sends_an_office_not_enrolled_to_enrol_before_any_page(world, required):
    client, response = sign_in("office")
    assert response.status_code == 302
    start = client.get("/")
    assert start.status_code == 302 and start["Location"] == "/manage/two-factor/"
    for name, url in every_url({}, world.reservoir.pk):
        if name in OPEN_WHILE_PENDING or name in {"login", "healthz", "metrics"}:
            continue
        for answer in (client.get(url), client.post(url, {})):
            assert answer.status_code == 302, (name, url, answer.status_code)
            assert answer["Location"] == "/manage/two-factor/", (name, url)


def test_it_asks_an_enrolled_office_the_code_before_any_page(world, required):
    enrolled(world.office)
    client, _ = sign_in("office")
    for url in ("/", "/projects/", "/api/v1/summary?year=2020&month=9", "/manage/password/"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"] == "/manage/two-factor/code/", url
    # Enrolling a second authenticator with the password alone is not possible.
    assert client.get("/manage/two-factor/")["Location"] == "/manage/two-factor/code/"


def test_it_enrols_with_a_qr_code_and_the_key_then_opens_the_pages(world, required, frozen):
    client, _ = sign_in("office")
    page = client.get("/manage/two-factor/")
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body
    device = TOTPDevice.objects.get(user=world.office, confirmed=False)
    key = "".join(body.split('id="otp-secret">')[1].split("</code>")[0].split())
    assert base64.b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    assert "完成前其他页面都无法打开" in body
    confirmed = client.post("/manage/two-factor/", {"code": code_now(device)})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/projects/").status_code == 200
    assert SecurityEvent.objects.filter(user=world.office, kind="otp_enrolled").count() == 1
    # The next sign-in asks the code, and the right one opens the pages.
    frozen.shift(dt.timedelta(seconds=60))
    again, _ = sign_in("office")
    assert again.get("/projects/")["Location"] == "/manage/two-factor/code/"
    verified = again.post("/manage/two-factor/code/", {"code": code_now(device)})
    assert verified.status_code == 302 and verified["Location"] == "/"
    assert again.get("/projects/").status_code == 200


def test_a_wrong_code_is_a_clear_message_and_a_counted_failure(world, required, frozen):
    device = enrolled(world.office)
    client, _ = sign_in("office")
    answer = client.post("/manage/two-factor/code/", {"code": wrong_code(device)})
    assert answer.status_code == 400
    assert "验证码错误或已过期" in answer.content.decode()
    assert client.get("/projects/")["Location"] == "/manage/two-factor/code/"
    assert SecurityEvent.objects.filter(user=world.office, kind="otp_failed").count() == 1
    assert AccessFailureLog.objects.filter(username="office").count() == 1
    frozen.shift(dt.timedelta(seconds=5))  # past django-otp's one-second delay after a wrong code
    not_digits = client.post("/manage/two-factor/code/", {"code": "abc"})
    assert not_digits.status_code == 400 and "六位数字" in not_digits.content.decode()


def test_wrong_codes_lock_the_account_like_wrong_passwords(world, required, frozen):
    device = enrolled(world.office)
    client, _ = sign_in("office")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        frozen.shift(dt.timedelta(seconds=40))  # past django-otp's doubling delay each time
        last = client.post("/manage/two-factor/code/", {"code": wrong_code(device)})
    assert "账户已锁定" in last.content.decode()
    assert AccessAttempt.objects.get(username="office").failures_since_start >= 5
    assert client.get("/projects/")["Location"].startswith("/login/")  # signed out
    _, refused = sign_in("office")
    assert "账户已锁定" in refused.content.decode()


def test_a_code_asked_too_soon_after_a_wrong_one_waits(world, required, frozen):
    device = enrolled(world.office)
    client, _ = sign_in("office")
    client.post("/manage/two-factor/code/", {"code": wrong_code(device)})
    answer = client.post("/manage/two-factor/code/", {"code": code_now(device)})
    assert answer.status_code == 429 and "请在" in answer.content.decode()
    frozen.shift(dt.timedelta(seconds=2))
    assert client.post("/manage/two-factor/code/", {"code": code_now(device)})["Location"] == "/"


def test_the_administrators_are_required_too_and_a_unit_is_not(world, required):
    admins(world.county)
    for name in ("sysadmin", "secadmin", "auditor"):
        client, _ = sign_in(name)
        assert client.get("/")["Location"] == "/manage/two-factor/", name
    water, _ = sign_in("water")
    assert water.get("/projects/").status_code == 200


def test_an_api_token_is_not_asked_a_code(world, required):
    enrolled(world.office)
    _token, secret = ApiToken.issue(user=world.office, name="省平台", by=world.office)
    answer = Client().get("/api/v1/summary?year=2020&month=9", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and "planned_investment" in answer.json()


def test_nobody_is_asked_when_no_role_requires_it(world, settings):
    settings.KEYPROJ_2FA_ROLES = []
    client, _ = sign_in("office")
    assert client.get("/projects/").status_code == 200


def _settings_value(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "keyproj.settings",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "keyproj.example.gov.cn",
        "KEYPROJ_TESTING": "0",
        **env,
    }
    for key in ("KEYPROJ_2FA_ROLES", "KEYPROJ_SEPARATE_DUTIES", "KEYPROJ_PASSWORD_DAYS"):
        if key not in env:
            environment.pop(key, None)
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_it_requires_the_office_and_administrators_when_debug_is_off_and_nobody_under_make_run():
    assert _settings_value("KEYPROJ_2FA_ROLES", DEBUG="0") == str(PRODUCTION_ROLES)
    assert _settings_value("KEYPROJ_2FA_ROLES", DEBUG="1") == "[]"
    assert _settings_value("KEYPROJ_2FA_ROLES", DEBUG="0", KEYPROJ_2FA_ROLES="none") == "[]"
    assert _settings_value("KEYPROJ_2FA_ROLES", DEBUG="1", KEYPROJ_2FA_ROLES="office") == "['office']"


def test_a_user_who_enrolled_of_their_own_accord_is_asked_the_code_too(world, settings, frozen):
    settings.KEYPROJ_2FA_ROLES = []
    device = enrolled(world.water_user)
    client, _ = sign_in("water")
    assert client.get("/projects/")["Location"] == "/manage/two-factor/code/"
    assert client.post("/manage/two-factor/code/", {"code": code_now(device)})["Location"] == "/"
    assert client.get("/projects/").status_code == 200
