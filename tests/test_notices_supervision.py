"""supervision/notices.py: a task assigned, sent back, verified (and reported done) reaches the
assignee unit and the region's supervision office; overdue (the daily job) both — nobody else."""

from __future__ import annotations

import datetime as dt

import pytest

from cadence.reminders import send_reminders
from notifications.models import Notification
from supervision.services import task_assign, task_close, task_report_done, task_send_back

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(pinned_today, django_capture_on_commit_callbacks):
    def run(action) -> set[str]:
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return set(Notification.objects.exclude(pk__in=before).values_list("user__username", flat=True))

    return run


@pytest.fixture
def task(world, told):
    f.user("farsupervisor", "supervisor", world.other_county)
    holder = {}

    def go():
        holder["task"] = task_assign(
            region=world.county,
            title="完成剩余征地协议签订",
            assignee_unit=world.water,
            deadline=dt.date(2020, 10, 20),
            by=world.office,
            project=world.reservoir,
        )

    holder["told"] = told(go)
    return holder


def test_it_tells_the_assignee_unit_and_the_supervisor_of_a_new_task(world, task):
    assert task["told"] == {"water", "supervisor"}
    n = Notification.objects.get(user=world.water_user)
    assert n.kind == "task" and "完成剩余征地协议签订" in n.title and "2020-10-20" in n.body


def test_it_tells_the_supervisor_a_task_is_reported_done(world, task, told):
    assert told(lambda: task_report_done(task=task["task"], by=world.water_user, text="已签订")) == {
        "supervisor"
    }


def test_it_tells_the_unit_of_a_send_back_and_of_the_closure(world, task, told):
    t = task["task"]
    task_report_done(task=t, by=world.water_user, text="已签订")
    assert told(lambda: task_send_back(task=t, by=world.supervisor, reason="缺两户协议")) == {"water"}
    assert Notification.objects.filter(user=world.water_user, body__contains="缺两户协议").exists()
    task_report_done(task=t, by=world.water_user, text="补签完成")
    assert told(lambda: task_close(task=t, by=world.supervisor, note="核实无误")) == {"water"}


def test_it_tells_unit_and_supervisor_of_an_overdue_task(world, task):
    send_reminders(on=dt.date(2020, 10, 22))  # (the units also hear of September's missing reports)
    overdue = Notification.objects.filter(kind="task_overdue", title__contains="完成剩余征地协议签订")
    assert set(overdue.values_list("user__username", flat=True)) == {"water", "supervisor"}


def test_it_tells_nobody_outside(world, task):
    send_reminders(on=dt.date(2020, 10, 22))
    about = Notification.objects.filter(title__contains="完成剩余征地协议签订")
    for name in ("transport", "hongan", "leader", "viewer", "outsider", "cityoffice", "farsupervisor"):
        assert not about.filter(user__username=name).exists(), name
