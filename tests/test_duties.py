"""Separation of duties (三员分立, issue 17 item 3): the system administrator keeps users and units,
the security administrator locks, tokens and the login log, the auditor the audit log; none opens
another's page or any business page, endpoint or export; with separation on the office loses
these pages; no administrator role is granted on a page."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts import duties
from accounts.models import User
from api.models import ApiToken
from projects.models import Project

from .conftest import login
from .security_builders import admins, enrolled, every_url, sign_in

pytestmark = pytest.mark.django_db

OWN = {
    "sysadmin": {duties.USERS, duties.UNITS},
    "secadmin": {duties.LOCKS, duties.TOKENS, duties.LOGIN_LOG},
    "auditor": {duties.AUDIT},
}
# Each duty's pages that open with a GET.
LANDINGS = {
    duties.USERS: "/manage/users/",
    duties.UNITS: "/manage/units/",
    duties.LOCKS: "/manage/security/",
    duties.TOKENS: "/manage/tokens/",
    duties.LOGIN_LOG: "/manage/login-log/",
    duties.AUDIT: "/manage/audit/",
}
NOT_WALKED = {"healthz", "metrics"}  # no user data; metrics has its own scraper check


@pytest.fixture
def separated(settings):
    settings.KEYPROJ_SEPARATE_DUTIES = True


@pytest.fixture
def staff(world):
    return admins(world.county)


@pytest.fixture
def urls(world):
    token, _secret = ApiToken.issue(user=world.water_user, name="水利局系统", by=world.office)
    ids = {
        "accounts:user_edit": {"pk": world.water_user.pk},
        "accounts:user_unlock": {"pk": world.water_user.pk},
        "accounts:otp_reset": {"pk": world.water_user.pk},
        "accounts:unit_edit": {"pk": world.water.pk},
        "api_tokens:revoke": {"pk": token.pk},
    }
    return every_url(ids, world.reservoir.pk)


@pytest.mark.parametrize("role", sorted(OWN))
def test_each_administrator_opens_its_own_pages_and_is_refused_every_other(
    world, staff, urls, separated, role
):
    client = login(staff[role])
    walked = 0
    for name, url in urls:
        if name in NOT_WALKED or name in duties.OPEN:
            continue
        duty = duties.PAGES.get(name)
        answers = (client.get(url), client.post(url, {}))
        if duty in OWN[role]:
            assert all(a.status_code != 403 for a in answers), (role, name, url)
        else:
            walked += 1
            assert [a.status_code for a in answers] == [403, 403], (role, name, url)
    assert walked > 200  # every business page, export and endpoint of the site, and the others' pages
    for duty in OWN[role]:
        assert client.get(LANDINGS[duty]).status_code == 200, (role, duty)


@pytest.mark.parametrize("role", sorted(OWN))
def test_an_administrator_lands_on_its_own_page_and_reads_no_project(world, staff, role):
    client = login(staff[role])
    landing = client.get("/")
    assert (
        landing.status_code == 302
        and landing["Location"]
        == {
            "sysadmin": "/manage/users/",
            "secadmin": "/manage/security/",
            "auditor": "/manage/audit/",
        }[role]
    )
    assert Project.objects.for_user(staff[role]).count() == 0
    assert Project.objects.for_user(world.office).count() == 3
    nav = client.get(landing["Location"]).content.decode()
    assert "项目台账" not in nav and "/battlemap/" not in nav and "/notifications/" not in nav


@pytest.mark.parametrize("role", sorted(OWN))
def test_an_administrators_api_token_reads_nothing(world, staff, role):
    _token, secret = ApiToken.issue(user=staff[role], name="脚本", by=staff["secadmin"])
    answer = Client().get("/api/v1/projects?year=2020", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401
    assert "管理员账号不能调用接口" in answer.json()["detail"]


@pytest.mark.parametrize("who", ["office", "supervisor", "viewer", "water_user", "leader_user"])
def test_with_separation_on_no_business_role_opens_the_administration_pages(world, staff, separated, who):
    client = login(getattr(world, who))
    for duty, url in LANDINGS.items():
        assert client.get(url).status_code == 403, (who, duty)
    nav = client.get("/projects/").content.decode()
    assert "/manage/users/" not in nav and "/manage/audit/" not in nav


def test_under_make_run_the_office_keeps_the_pages_and_the_administrators_only_theirs(world, staff, settings):
    settings.KEYPROJ_SEPARATE_DUTIES = False
    office = login(world.office)
    for url in LANDINGS.values():
        assert office.get(url).status_code == 200, url
    assert login(staff["auditor"]).get("/manage/users/").status_code == 403
    assert login(staff["sysadmin"]).get("/manage/audit/").status_code == 403
    assert login(staff["secadmin"]).get("/projects/").status_code == 403


def user_data(**extra) -> dict:
    data = {
        "username": "newclerk",
        "first_name": "新用户",
        "role": "viewer",
        "region": "",
        "unit": "",
        "leader": "",
        "phone": "",
        "email": "",
        "is_active": "on",
        "password": "Reservoir#88",
    }
    return {**data, **extra}


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_the_system_administrator_grants_no_administrator_role(world, staff, separated, role):
    client = login(staff["sysadmin"])
    answer = client.post("/manage/users/new/", user_data(role=role, region=world.county.pk))
    assert answer.status_code == 200 and "role" in answer.context["form"].errors
    assert not User.objects.filter(username="newclerk").exists()
    # Nor makes an existing business account an administrator.
    edit = client.post(
        f"/manage/users/{world.viewer.pk}/",
        user_data(username="viewer", role=role, region=world.county.pk, password=""),
    )
    assert edit.status_code == 200
    assert User.objects.get(pk=world.viewer.pk).role == "viewer"


def test_no_administrator_account_is_edited_on_a_page(world, staff, separated):
    client = login(staff["sysadmin"])
    for admin in staff.values():  # itself included
        assert client.get(f"/manage/users/{admin.pk}/").status_code == 404
    listing = client.get("/manage/users/").content.decode()
    assert "secadmin" not in listing and "water" in listing


def test_the_system_administrator_creates_a_business_user(world, staff, separated):
    client = login(staff["sysadmin"])
    answer = client.post("/manage/users/new/", user_data(region=world.county.pk))
    assert answer.status_code == 302
    assert User.objects.get(username="newclerk").role == "viewer"


def test_the_security_administrator_issues_tokens_for_business_users_only(world, staff, separated):
    client = login(staff["secadmin"])
    answer = client.post("/manage/tokens/", {"name": "脚本", "user": staff["auditor"].pk})
    assert answer.status_code == 400 and "user" in answer.context["form"].errors
    issued = client.post("/manage/tokens/", {"name": "省平台", "user": world.water_user.pk})
    assert issued.status_code == 200 and ApiToken.objects.filter(user=world.water_user).exists()


def test_the_security_administrator_unlocks_and_resets_a_second_factor(world, staff, separated):
    for _ in range(5):
        sign_in("water", "wrong-Password1")
    enrolled(world.water_user)
    client = login(staff["secadmin"])
    page = client.get("/manage/security/").content.decode()
    assert 'data-locked="water"' in page and "已绑定" in page and "现行安全策略" in page
    unlocked = client.post(f"/manage/users/{world.water_user.pk}/unlock/")
    assert unlocked.status_code == 302 and unlocked["Location"] == "/manage/security/"
    assert 'data-locked="water"' not in client.get("/manage/security/").content.decode()
    reset = client.post(f"/manage/users/{world.water_user.pk}/otp-reset/", follow=True)
    assert "下次登录时将重新绑定身份验证器" in reset.content.decode()
    assert not world.water_user.totpdevice_set.exists()
    # Its own second factor is not reset from the page.
    enrolled(staff["secadmin"])
    assert client.post(f"/manage/users/{staff['secadmin'].pk}/otp-reset/").status_code == 302
    assert staff["secadmin"].totpdevice_set.exists()


def test_the_lockout_page_names_the_security_administrator_when_separated(world, separated):
    for _ in range(5):
        sign_in("water", "wrong-Password1")
    _, locked = sign_in("water")
    body = locked.content.decode()
    assert "请联系安全管理员解锁账户" in body and "重点项目办" not in body


def test_create_admins_makes_the_three_once_with_temporary_passwords(world):
    out = io.StringIO()
    call_command("create_admins", region="500241", stdout=out)
    made = {u.username: u for u in User.objects.filter(role__in=["sysadmin", "secadmin", "auditor"])}
    assert {name: u.role for name, u in made.items()} == {
        "sysadmin": "sysadmin",
        "secadmin": "secadmin",
        "auditor": "auditor",
    }
    assert all(u.must_change_password and u.region == world.county for u in made.values())
    password = out.getvalue().split("sysadmin: created")[1].split("temporary password ")[1].split()[0]
    assert made["sysadmin"].check_password(password)
    again = io.StringIO()
    call_command("create_admins", region="500241", stdout=again)
    assert again.getvalue().count("left as it is") == 3 and User.objects.filter(role="auditor").count() == 1
    reset = io.StringIO()
    call_command("create_admins", region="500241", reset="auditor", stdout=reset)
    assert not User.objects.get(username="auditor").check_password(password)
    assert "new temporary password" in reset.getvalue()


def test_create_admins_refuses_an_unknown_region_and_a_business_account_of_the_name(world):
    with pytest.raises(CommandError, match="no region"):
        call_command("create_admins", region="999999")
    with pytest.raises(CommandError, match="role office"):
        call_command("create_admins", region="500241", sysadmin="office")
    assert not User.objects.filter(role__in=["sysadmin", "secadmin", "auditor"]).exists()
