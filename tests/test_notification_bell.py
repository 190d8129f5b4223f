"""The bell in the top bar (notifications/_topbar.html on every page), the list, and marking one or
all read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(world):
    return [
        Notification.objects.create(
            user=world.water_user, kind="report", key=f"k{i}", title=f"月报已退回{i}", url="/reports/"
        )
        for i in range(3)
    ]


def bell(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('id="kp-bell"')
    return html[start : html.index("</div>\n</div>", start)]


def test_it_shows_the_unread_count_and_the_latest_in_the_top_bar(world, three):
    top = bell(login(world.water_user))
    assert 'id="topbar-unread">3<' in top and "月报已退回2" in top


def test_it_shows_no_count_to_someone_with_nothing_unread(world, three):
    assert "topbar-unread" not in bell(login(world.transport_user))


def test_it_marks_one_read_and_returns_to_the_page(world, three):
    client = login(world.water_user)
    response = client.post(reverse("notifications:read"), {"id": three[0].pk, "next": "/reports/"})
    assert response.status_code == 302 and response.url == "/reports/"
    assert 'id="topbar-unread">2<' in bell(client)


def test_it_marks_all_read_from_the_top_bar(world, three):
    client = login(world.water_user)
    client.post(reverse("notifications:read"), {"next": "/"})
    assert "topbar-unread" not in bell(client)
    assert not Notification.objects.filter(user=world.water_user, read_at__isnull=True).exists()


def test_it_never_marks_someone_elses(world, three):
    login(world.transport_user).post(reverse("notifications:read"), {"id": three[0].pk})
    three[0].refresh_from_db()
    assert three[0].read_at is None


def test_it_does_not_follow_a_next_to_another_site(world, three):
    response = login(world.water_user).post(reverse("notifications:read"), {"next": "https://evil.example/"})
    assert response.url == reverse("notifications:list")


def test_it_opens_the_object_and_marks_it_read(world, three):
    client = login(world.water_user)
    response = client.get(reverse("notifications:open", args=[three[1].pk]))
    assert response.status_code == 302 and response.url == "/reports/"
    three[1].refresh_from_db()
    assert three[1].read_at is not None
    html = client.get(reverse("notifications:list")).content.decode()
    assert html.count(">Mark read<") + html.count(">标为已读<") == 2
