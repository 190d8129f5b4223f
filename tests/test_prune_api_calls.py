"""The API call log is pruned: `manage.py prune_api_calls` and the nightly huey task keep
KEYPROJ_API_LOG_DAYS days (default 90) and delete older calls."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from api import tasks
from api.models import ApiCall
from api.services import api_calls_prune

pytestmark = [pytest.mark.django_db]

NOW = dt.datetime(2020, 10, 11, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NIGHT = dt.datetime(2020, 10, 12, 3, 30)  # huey reads its schedule in local time ("utc": False)


@pytest.fixture
def calls(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    for days in (1, 89, 90, 91, 400):
        ApiCall.objects.create(
            at=timezone.now() - dt.timedelta(days=days),
            via=ApiCall.Via.SESSION,
            user=world.office,
            method="GET",
            path=f"/api/v1/summary?age={days}",
            status=200,
        )


def ages() -> list[int]:
    return sorted(int(path.rsplit("=", 1)[1]) for path in ApiCall.objects.values_list("path", flat=True))


def test_it_keeps_ninety_days_by_default(calls, settings):
    assert settings.KEYPROJ_API_LOG_DAYS == 90
    assert api_calls_prune() == 2
    assert ages() == [1, 89, 90]


def test_it_keeps_the_days_of_the_setting(calls, settings):
    settings.KEYPROJ_API_LOG_DAYS = 100
    assert api_calls_prune() == 1
    assert ages() == [1, 89, 90, 91]


def test_the_command_prunes_and_says_how_many(calls):
    out = io.StringIO()
    call_command("prune_api_calls", "--days", "60", stdout=out)
    assert ages() == [1]  # 89, 90, 91 and 400 days are past 60
    assert "Deleted 4 API calls older than 60 days." in out.getvalue()


def test_the_command_refuses_to_keep_no_days(calls):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_api_calls", "--days", "0", stdout=io.StringIO())
    assert len(ages()) == 5


def test_the_nightly_task_prunes_with_the_setting(calls, settings):
    settings.KEYPROJ_API_LOG_DAYS = 90
    tasks.prune_api_calls()  # huey is immediate under pytest: enqueued and run at once
    assert ages() == [1, 89, 90]


def test_the_task_is_scheduled_every_night():
    due = {day: [t.name for t in HUEY.read_periodic(day)] for day in (NIGHT, NIGHT + dt.timedelta(minutes=1))}
    assert "prune_api_calls" in due[NIGHT] and "prune_api_calls" not in due[NIGHT + dt.timedelta(minutes=1)]
