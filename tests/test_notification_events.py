"""notifications/events.py: a followed row is announced once its transaction commits — not when it
rolls back, not while history is loaded under quiet()."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from notifications.events import quiet
from notifications.models import Notification
from reports import services
from reports.models import ReportEvent
from reports.services import commit_start

pytestmark = pytest.mark.django_db


def move(world, day: int) -> None:
    commit_start(project=world.reservoir, date=dt.date(2020, 11, day), by=world.water_user)


def test_it_announces_after_the_commit(world, pinned_today, django_capture_on_commit_callbacks):
    move(world, 1)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        move(world, 2)
    assert not Notification.objects.exists()  # nothing before the commit
    for callback in queued:
        callback()
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"office", "leader"}


def test_it_announces_nothing_of_a_rolled_back_change(
    world, pinned_today, django_capture_on_commit_callbacks
):
    move(world, 1)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(RuntimeError), transaction.atomic():
            move(world, 2)
            raise RuntimeError
    assert queued == [] and not Notification.objects.exists()


def test_it_keeps_quiet_while_history_is_loaded(world, pinned_today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued, quiet():
        move(world, 1)
        move(world, 2)
    assert queued == [] and not Notification.objects.exists()


def test_a_draft_queues_no_job_and_a_submission_queues_its_own(
    world, pinned_today, django_capture_on_commit_callbacks
):
    """follow(..., when=told): a report created or saved as a draft is nobody's news, so it queues no
    job at all; "save and submit" in one transaction queues the submission's job only, which tells the
    office."""
    data = {
        "amount": Decimal("10.00"),
        "progress": "施工中",
        "started": True,
        "start_date": dt.date(2020, 5, 1),
    }
    args = {"project": world.reservoir, "year": 2020, "month": 9, "by": world.water_user}
    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.report_save(data=data, **args)
        services.report_save(data={**data, "amount": Decimal("12.50")}, **args)
    assert ReportEvent.objects.filter(report__project=world.reservoir).count() == 2  # created, saved
    assert queued == [] and not Notification.objects.exists()

    with django_capture_on_commit_callbacks(execute=True) as queued, transaction.atomic():
        report = services.report_save(data={**data, "amount": Decimal("13.00")}, **args)
        services.report_submit(report=report, by=world.water_user, locked=True)
    assert len(queued) == 1
    told = Notification.objects.get()
    assert told.user.username == "office" and told.title == "月报已报送：洪安水库工程，2020年09月"
