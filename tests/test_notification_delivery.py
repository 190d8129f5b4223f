"""notifications.services and .delivery: each user's channels honoured, a unit's robot hears its
events in full and the region's robot titles only, and a failed message is tried again by the queue
(huey retries with a delay) until it goes — the delivery log saying how many attempts it took."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from blockers.services import blocker_raise
from notifications import robots, sms
from notifications.models import Delivery, Preference, Robot

pytestmark = pytest.mark.django_db
LATER = dt.datetime(2100, 1, 1)


class Answer(io.BytesIO):
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


@pytest.fixture
def network(monkeypatch):
    """The robots' HTTP endpoint: `network.failures` calls fail first; every body posted is kept."""

    class Net:
        failures = 0
        posted: list[tuple[str, dict]] = []

    net = Net()
    net.posted = []

    def urlopen(request, timeout):
        if net.failures:
            net.failures -= 1
            raise OSError("connection reset")
        net.posted.append((request.full_url, json.loads(request.data)))
        return Answer(b'{"errcode": 0, "errmsg": "ok"}')

    monkeypatch.setattr(robots.urllib.request, "urlopen", urlopen)
    return net


@pytest.fixture
def queue():
    """huey runs tasks at once in tests; a retry waits in its schedule — `queue()` runs what waits."""
    HUEY.storage.flush_all()

    def run_due() -> int:
        due = HUEY.read_schedule(LATER)
        for task in due:
            HUEY.execute(task, timestamp=LATER)
        return len(due)

    yield run_due
    HUEY.storage.flush_all()


@pytest.fixture
def raise_one(world, pinned_today, django_capture_on_commit_callbacks):
    def go():
        with django_capture_on_commit_callbacks(execute=True):
            return blocker_raise(
                project=world.reservoir, by=world.office, kind="land", description="征地拆迁未完成"
            )

    return go


def water_robot(world) -> Robot:
    return Robot.objects.create(
        region=world.county,
        unit=world.water,
        kind="wecom",
        name="水利局群",
        url="https://qyapi.weixin.qq.com/w?key=1",
    )


def test_it_retries_a_failed_robot_message_until_it_goes(world, network, queue, raise_one):
    water_robot(world)
    network.failures = 1
    raise_one()
    delivery = Delivery.objects.get(channel="robot")
    assert delivery.status == "failed" and delivery.attempts == 1 and "connection reset" in delivery.error
    assert not network.posted
    assert queue() == 1  # the retry, scheduled by huey with its delay
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.attempts == 2 and delivery.error == ""
    assert len(network.posted) == 1 and "洪安水库工程" in network.posted[0][1]["markdown"]["content"]


def test_it_gives_up_after_the_configured_retries(world, network, queue, raise_one, settings):
    water_robot(world)
    network.failures = 99
    raise_one()
    while queue():
        pass
    delivery = Delivery.objects.get(channel="robot")
    assert delivery.status == "failed" and delivery.attempts == 1 + settings.KEYPROJ_DELIVERY_RETRIES


def test_it_tells_the_regions_robot_the_title_only(world, network, queue, raise_one):
    region_robot = Robot.objects.create(
        region=world.county, kind="feishu", name="县群", url="https://open.feishu.cn/hook/x", secret="s"
    )
    Robot.objects.create(
        region=world.other_county, kind="wecom", name="酉阳群", url="https://qyapi.weixin.qq.com/y"
    )
    raise_one()
    assert [url for url, _ in network.posted] == [region_robot.url]
    text = network.posted[0][1]["content"]["text"]
    assert "洪安水库工程" in text and "征地拆迁未完成" not in text  # a title, not the unit's details


def test_it_does_not_post_to_a_disabled_robot(world, network, queue, raise_one):
    robot = water_robot(world)
    robot.active = False
    robot.save()
    raise_one()
    assert not network.posted and not Delivery.objects.exists()


def test_it_honours_each_users_channels(world, network, queue, raise_one):
    world.water_user.email = "water@example.gov.cn"
    world.water_user.phone = "13800000001"
    world.water_user.save()
    world.leader_user.email = "leader@example.gov.cn"
    world.leader_user.phone = "13800000002"
    world.leader_user.save()
    Preference.objects.create(user=world.water_user, email=False, sms=True)  # the leader keeps the default
    sms.ConsoleBackend.sent.clear()
    raise_one()
    assert {r for m in mail.outbox for r in m.to} == {"leader@example.gov.cn"}
    assert [phone for phone, _ in sms.ConsoleBackend.sent] == ["13800000001"]
    assert "洪安水库工程" in sms.ConsoleBackend.sent[0][1]
    assert "http://127.0.0.1:8000/blockers/" in mail.outbox[0].body
    assert set(Delivery.objects.values_list("channel", "status")) == {("email", "sent"), ("sms", "sent")}


def test_it_never_posts_to_the_robot_of_a_unit_that_cannot_open_it(
    world, network, queue, pinned_today, django_capture_on_commit_callbacks
):
    water = water_robot(world)
    Robot.objects.create(
        region=world.county,
        unit=world.transport,
        kind="wecom",
        name="交通局群",
        url="https://qyapi.weixin.qq.com/t?key=2",
    )
    with django_capture_on_commit_callbacks(execute=True):
        # transport cooperates on the blocker but cannot open the reservoir (water's, in 洪安镇)
        blocker_raise(
            project=world.reservoir,
            by=world.office,
            kind="land",
            description="征地",
            cooperating_units=[world.transport],
        )
    assert [url for url, _ in network.posted] == [water.url]
