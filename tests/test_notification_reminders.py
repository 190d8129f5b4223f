"""Reminders: units hear of tasks and blockers near or past deadline and of reports due — in the app,
by e-mail and by webhook — and never twice for the same thing on the same day."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse

from blockers.services import blocker_raise
from cadence.reminders import send_reminders
from cadence.tasks import daily_reminders
from notifications import robots
from notifications.models import Notification, Robot
from supervision.services import task_assign

from .conftest import login

ON = dt.date(2020, 10, 11)


@pytest.fixture
def due(world):
    world.water.email = "water@example.gov.cn"
    world.water.save()
    task_assign(
        region=world.county,
        title="逾期任务",
        assignee_unit=world.water,
        deadline=dt.date(2020, 10, 9),
        by=world.supervisor,
        project=world.reservoir,
    )
    task_assign(
        region=world.county,
        title="临期任务",
        assignee_unit=world.water,
        deadline=dt.date(2020, 10, 13),
        by=world.supervisor,
        project=world.reservoir,
    )
    task_assign(
        region=world.county,
        title="远期任务",
        assignee_unit=world.water,
        deadline=dt.date(2020, 11, 30),
        by=world.supervisor,
        project=world.reservoir,
    )
    blocker_raise(
        project=world.bridge,
        by=world.office,
        kind="funds",
        description="资金缺口",
        deadline=dt.date(2020, 10, 1),
    )
    return world


def titles(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_it_tells_units_of_near_and_past_deadlines(due):
    send_reminders(on=ON)
    water = titles(due.water_user)
    assert any("逾期任务" in t for t in water) and any("临期任务" in t for t in water)
    assert not any("远期任务" in t for t in water)
    assert any("梅江河大桥" in t for t in titles(due.transport_user))
    kinds = set(Notification.objects.filter(user=due.water_user).values_list("kind", flat=True))
    assert {"task_overdue", "task_due"} <= kinds


def test_it_does_not_notify_twice_the_same_day(due):
    first = send_reminders(on=ON)
    assert first > 0
    assert send_reminders(on=ON) == 0
    assert send_reminders(on=ON + dt.timedelta(days=1)) > 0  # a new day, a new reminder


def test_it_emails_the_units_address(due, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # e-mails are queued after the commit
        send_reminders(on=ON)
    recipients = {r for m in mail.outbox for r in m.to}
    assert "water@example.gov.cn" in recipients


def test_it_posts_the_days_counts_to_the_regions_robot(due, django_capture_on_commit_callbacks, monkeypatch):
    robot = Robot.objects.create(
        region=due.county, kind="wecom", name="县群", url="https://qyapi.weixin.qq.com/x"
    )
    posted = []
    monkeypatch.setattr(robots, "post", lambda request, timeout=5: posted.append(request))
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(on=ON)
    assert len(posted) == 1 and posted[0].url == robot.url
    content = posted[0].body["markdown"]["content"]
    assert "1" in content and "逾期任务" not in content and "梅江河大桥" not in content  # counts, no details
    json.dumps(posted[0].body)  # serialisable


def test_it_tells_units_of_missing_monthly_reports(world):
    from .report_builders import report

    report(world.bridge, 9, "100.00")  # transport filed one of its two
    # Deadline 5 October, in the National Day holiday, moved to Friday the 9th: the 7th is within three days.
    send_reminders(on=dt.date(2020, 10, 7))
    transport = [n for n in Notification.objects.filter(user=world.transport_user, kind="report_due")]
    assert (
        len(transport) == 1
        and "中和至平凯公路改造" in transport[0].body
        and "梅江河大桥" not in transport[0].body
    )
    assert Notification.objects.filter(user=world.water_user, kind="report_due").exists()
    for project in (world.reservoir, world.road, world.bridge):
        report(project, 8, "50.00")
    send_reminders(on=dt.date(2020, 9, 20))  # August all filed; September's not due for two weeks
    assert Notification.objects.filter(kind="report_due", day=dt.date(2020, 9, 20)).count() == 0


def test_it_runs_as_a_huey_task(due, pinned_today):
    daily_reminders.call_local()
    assert Notification.objects.filter(user=due.water_user).exists()


def test_it_shows_the_unread_count_and_marks_read(due):
    send_reminders(on=ON)
    client = login(due.water_user)
    n = Notification.objects.filter(user=due.water_user).count()
    badge = client.get(reverse("notifications:badge")).content.decode()
    assert f">{n}<" in badge
    html = client.get(reverse("notifications:list")).content.decode()
    assert "逾期任务" in html
    client.post(reverse("notifications:read"))
    assert "unread-count" not in client.get(reverse("notifications:badge")).content.decode()


def test_it_keeps_notifications_private(due):
    send_reminders(on=ON)
    theirs = Notification.objects.filter(user=due.water_user).first()
    response = login(due.transport_user).get(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:list")
    theirs.refresh_from_db()
    assert theirs.read_at is None
