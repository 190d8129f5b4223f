"""The office's robot page: add a unit's or the region's robot, send it a test, disable it — only the
office, only its own region, the secret stored and never shown back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications import robots
from notifications.models import Delivery, Robot

from .conftest import login

pytestmark = pytest.mark.django_db
URL = reverse("notifications:robots")
SECRET = "SECb1f0c3a9d7e5f2a8c6b4d2e0f9a7c5"


def add(client, **data):
    body = {
        "name": "水利局工作群",
        "kind": "dingtalk",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=t0k3n",
    }
    return client.post(URL, {**body, "secret": SECRET, **data})


def test_it_adds_a_units_robot_and_never_shows_its_secret(world):
    client = login(world.office)
    response = add(client, unit=world.water.pk)
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert robot.region == world.county and robot.unit == world.water and robot.secret == SECRET
    html = client.get(URL).content.decode()
    assert "水利局工作群" in html and SECRET not in html and "t0k3n" not in html


def test_it_adds_the_regions_robot_when_no_unit_is_chosen(world):
    add(
        login(world.office),
        name="县重点项目群",
        kind="wecom",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        secret="",
    )
    assert Robot.objects.get().unit is None


def test_it_refuses_a_dingtalk_robot_without_its_secret_and_a_plain_http_address(world):
    response = add(login(world.office), secret="", url="http://oapi.dingtalk.com/robot/send")
    assert response.status_code == 200 and not Robot.objects.exists()
    assert response.content.decode().count("invalid-feedback") == 2


def test_it_refuses_a_unit_of_another_county(world):
    response = add(login(world.office), unit=world.other_unit.pk)
    assert response.status_code == 200 and not Robot.objects.exists()


@pytest.mark.parametrize("who", ["water_user", "supervisor", "leader_user", "viewer"])
def test_it_is_the_offices_page_only(world, who):
    assert login(getattr(world, who)).get(URL).status_code == 403


def test_it_sends_a_test_and_logs_it(world, monkeypatch, django_capture_on_commit_callbacks):
    posted = []
    monkeypatch.setattr(robots, "post", lambda request, timeout=5: posted.append(request))
    client = login(world.office)
    add(client, unit=world.water.pk)
    robot = Robot.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("notifications:robot_test", args=[robot.pk])).status_code == 302
    assert len(posted) == 1 and "sign=" in posted[0].url
    assert Delivery.objects.get().status == "sent"


def test_it_disables_and_enables_a_robot(world):
    client = login(world.office)
    add(client)
    robot = Robot.objects.get()
    client.post(reverse("notifications:robot_toggle", args=[robot.pk]))
    robot.refresh_from_db()
    assert not robot.active
    client.post(reverse("notifications:robot_toggle", args=[robot.pk]))
    robot.refresh_from_db()
    assert robot.active


def test_it_hides_another_countys_robots(world):
    theirs = Robot.objects.create(
        region=world.other_county, kind="wecom", name="酉阳群", url="https://q.example/x"
    )
    client = login(world.office)
    assert "酉阳群" not in client.get(URL).content.decode()
    assert client.post(reverse("notifications:robot_toggle", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:robot_test", args=[theirs.pk])).status_code == 404
