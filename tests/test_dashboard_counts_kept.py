"""The dashboard's open and overdue blockers and tasks (blocker_counts, task_counts) are compiled once
per process for each scope and day (lib.statements): a kept statement must count what the scoped
aggregate counts afresh, for every role and day, and one kept for a user or a day must never answer
another's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q

from blockers.models import Blocker, open_on
from blockers.selectors import blocker_counts
from lib import statements
from supervision.models import SupervisionTask, task_open_on
from supervision.selectors import task_counts

from .blocker_builders import at, blocker

pytestmark = pytest.mark.django_db

WHO = (
    "office",
    "water_user",
    "transport_user",
    "hongan_user",
    "leader_user",
    "supervisor",
    "viewer",
    "city_office",
    "outsider",
)
DAYS = (dt.date(2020, 9, 30), dt.date(2020, 10, 3), dt.date(2020, 10, 11))


def task(project, *, deadline: dt.date, closed: dt.date | None = None) -> SupervisionTask:
    return SupervisionTask.objects.create(
        region=project.region,
        project=project,
        title="完成征地",
        assignee_unit=project.lead_unit,
        deadline=deadline,
        created_at=at(dt.date(2020, 9, 1)),
        closed_at=at(closed) if closed else None,
        status=SupervisionTask.Status.CLOSED if closed else SupervisionTask.Status.OPEN,
    )


@pytest.fixture
def counted(world):
    blocker(world.reservoir, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 10, 1))
    blocker(
        world.road, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 9, 5), resolved=dt.date(2020, 10, 2)
    )
    blocker(world.bridge, raised=dt.date(2020, 10, 2), deadline=dt.date(2020, 10, 30))
    blocker(world.far, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 9, 2))
    task(world.reservoir, deadline=dt.date(2020, 10, 1))
    task(world.bridge, deadline=dt.date(2020, 10, 20))
    task(world.road, deadline=dt.date(2020, 10, 1), closed=dt.date(2020, 10, 5))
    task(world.far, deadline=dt.date(2020, 10, 1))
    return world


def fresh_blockers(user, on: dt.date) -> dict:
    is_open = open_on(on)
    return Blocker.objects.for_user(user).aggregate(
        open=Count("pk", filter=is_open), overdue=Count("pk", filter=is_open & Q(deadline__lt=on))
    )


def fresh_tasks(user, on: dt.date) -> dict:
    is_open = task_open_on(on)
    return SupervisionTask.objects.for_user(user).aggregate(
        open=Count("pk", filter=is_open), overdue=Count("pk", filter=is_open & Q(deadline__lt=on))
    )


@pytest.mark.parametrize("who", WHO)
def test_it_counts_from_the_kept_statement_what_the_aggregate_counts_afresh(counted, who):
    user = getattr(counted, who)
    for on in DAYS:
        statements.forget()
        for _ in range(2):  # compiled, then kept
            assert blocker_counts(user, as_of=on) == fresh_blockers(user, on), on
            assert task_counts(user, as_of=on) == fresh_tasks(user, on), on


def test_a_count_kept_for_one_user_or_day_does_not_answer_another(counted):
    statements.forget()
    said = {
        (who, on): (
            blocker_counts(getattr(counted, who), as_of=on),
            task_counts(getattr(counted, who), as_of=on),
        )
        for who in WHO
        for on in DAYS
    }
    for (who, on), (blockers, tasks) in said.items():
        user = getattr(counted, who)
        assert blockers == fresh_blockers(user, on), (who, on)
        assert tasks == fresh_tasks(user, on), (who, on)
    assert said["office", DAYS[-1]] != said["outsider", DAYS[-1]]


def test_a_kept_count_reads_the_blockers_and_tasks_of_now(counted):
    on = DAYS[-1]
    before = blocker_counts(counted.office, as_of=on), task_counts(counted.office, as_of=on)
    blocker(counted.bridge, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 9, 20))
    task(counted.bridge, deadline=dt.date(2020, 9, 20))
    after = blocker_counts(counted.office, as_of=on), task_counts(counted.office, as_of=on)
    assert after[0] == {"open": before[0]["open"] + 1, "overdue": before[0]["overdue"] + 1}
    assert after[1] == {"open": before[1]["open"] + 1, "overdue": before[1]["overdue"] + 1}


def test_a_scope_that_holds_nothing_counts_nothing(counted):
    counted.water_user.unit = None
    assert task_counts(counted.water_user, as_of=DAYS[-1]) == {"open": 0, "overdue": 0}
    assert blocker_counts(counted.water_user, as_of=DAYS[-1]) == {"open": 0, "overdue": 0}
