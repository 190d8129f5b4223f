"""blocker_counts and task_counts: open and overdue as of a day, scoped to the user."""

from __future__ import annotations

import datetime as dt

import pytest

from blockers.selectors import blocker_counts
from supervision.models import SupervisionTask
from supervision.selectors import task_counts

from .blocker_builders import at, blocker

ON = dt.date(2020, 10, 11)


def task(world, project, *, deadline: dt.date, closed: dt.date | None = None):
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


@pytest.mark.django_db
def test_it_counts_open_and_overdue_blockers_as_of_a_day(world):
    blocker(world.reservoir, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 10, 1))  # overdue
    blocker(world.reservoir, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 10, 30))  # open
    blocker(
        world.road, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 9, 5), resolved=dt.date(2020, 10, 20)
    )
    blocker(world.road, raised=dt.date(2020, 9, 1), resolved=dt.date(2020, 10, 1))  # resolved before
    blocker(world.bridge, raised=dt.date(2020, 10, 12))  # raised after
    blocker(world.far, raised=dt.date(2020, 9, 1), deadline=dt.date(2020, 9, 2))  # other county

    assert blocker_counts(world.office, as_of=ON) == {"open": 3, "overdue": 2}
    assert blocker_counts(world.leader_user, as_of=ON) == {"open": 2, "overdue": 1}
    assert blocker_counts(world.outsider, as_of=ON) == {"open": 1, "overdue": 1}


@pytest.mark.django_db
def test_it_counts_overdue_tasks_in_scope(world):
    task(world, world.reservoir, deadline=dt.date(2020, 10, 1))
    task(world, world.bridge, deadline=dt.date(2020, 10, 1))
    task(world, world.bridge, deadline=dt.date(2020, 10, 20))
    task(world, world.road, deadline=dt.date(2020, 10, 1), closed=dt.date(2020, 10, 5))
    task(world, world.far, deadline=dt.date(2020, 10, 1))

    assert task_counts(world.office, as_of=ON) == {"open": 3, "overdue": 2}
    assert task_counts(world.water_user, as_of=ON) == {"open": 1, "overdue": 1}
    assert task_counts(world.transport_user, as_of=ON) == {"open": 2, "overdue": 1}
    assert task_counts(world.office, as_of=dt.date(2020, 10, 3)) == {"open": 4, "overdue": 3}
