"""The delivery log: what was sent where, its status and attempts — the office's region only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Delivery

from .conftest import login

pytestmark = pytest.mark.django_db
URL = reverse("notifications:deliveries")


@pytest.fixture
def log(world):
    Delivery.objects.create(
        region=world.county,
        channel="email",
        to="water@example.gov.cn",
        key="a",
        title="月报已退回",
        status="sent",
        attempts=1,
    )
    Delivery.objects.create(
        region=world.county,
        channel="robot",
        to="水利局群",
        key="b",
        title="卡点已升级",
        status="failed",
        attempts=4,
        error="HTTP 502",
    )
    Delivery.objects.create(
        region=world.other_county,
        channel="sms",
        to="13900000000",
        key="c",
        title="酉阳通知",
        status="sent",
        attempts=1,
    )


def test_it_lists_what_went_where_with_status_and_attempts(world, log):
    html = login(world.office).get(URL).content.decode()
    assert "water@example.gov.cn" in html and "水利局群" in html and "HTTP 502" in html
    assert "<td>4</td>" in html
    assert "酉阳通知" not in html


def test_it_filters_by_status(world, log):
    html = login(world.office).get(URL, {"status": "failed"}).content.decode()
    assert "卡点已升级" in html and "月报已退回" not in html


def test_it_is_the_offices_page_only(world, log):
    assert login(world.water_user).get(URL).status_code == 403
    assert login(world.supervisor).get(URL).status_code == 403
