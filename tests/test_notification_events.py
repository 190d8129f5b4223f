"""notifications/events.py: a followed row is announced once its transaction commits — not when it
rolls back, not while history is loaded under quiet()."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from notifications.events import quiet
from notifications.models import Notification
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
