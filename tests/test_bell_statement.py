"""The bell's statement is compiled once and run again for each user
(notifications.templatetags.notifications_tags.latest_unread): each user still sees their own."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification

from .conftest import login

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def bell(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('id="kp-bell"')
    return html[start : html.index("</div>\n</div>", start)]


def notify(user, n: int, *, title: str, at: dt.datetime | None = None) -> None:
    for i in range(n):
        Notification.objects.create(
            user=user,
            kind="report",
            key=f"{title}{i}",
            title=f"{title}{i}",
            url="/reports/",
            **({"created_at": at + dt.timedelta(minutes=i)} if at else {}),
        )


def test_each_user_sees_their_own_after_anothers_page_ran_the_statement(world):
    notify(world.water_user, 2, title="水利月报退回")
    notify(world.transport_user, 7, title="交通月报退回")
    water = bell(login(world.water_user))
    transport = bell(login(world.transport_user))
    assert 'id="topbar-unread">2<' in water and "水利月报退回1" in water and "交通" not in water
    assert 'id="topbar-unread">7<' in transport and "水利" not in transport
    assert transport.count("dropdown-item text-wrap") == 5  # the latest five of seven
    assert "交通月报退回6" in transport and "交通月报退回1" not in transport
    assert "topbar-unread" not in bell(login(world.office))


def test_it_shows_the_time_in_shanghai(world):
    notify(world.water_user, 1, title="催报", at=dt.datetime(2020, 10, 11, 1, 30, tzinfo=dt.UTC))
    assert "2020-10-11 09:30" in bell(login(world.water_user))


def bell_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("home"))
    return len([q for q in ctx.captured_queries if "notifications_notification" in q["sql"]])


def test_the_bell_costs_the_same_queries_however_many_are_unread(world):
    client = login(world.water_user)
    client.get(reverse("home"))
    few = bell_queries(client)
    notify(world.water_user, 40, title="提醒")
    assert bell_queries(client) == few
    assert 'id="topbar-unread">40<' in bell(client)
