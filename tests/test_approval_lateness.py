"""Two lateness figures, kept apart: the department is late when the working days from a complete
submission to approval (or today), less suspended working days, exceed the limit; the owner is late when
it submits after the planned date (or has not submitted and today is past it)."""

import datetime as dt

import pytest

from approvals.lateness import assess
from workdays.calendar import WorkCalendar

from .approval_builders import late_eia, node, suspend, unsubmitted

MEETING = dt.date(2020, 10, 11)


@pytest.fixture
def cal(db):
    return WorkCalendar.load()


def test_it_counts_a_departments_working_days_less_its_suspensions(world, cal):
    eia = late_eia(world.reservoir, world.water)
    late = assess(eia, cal, MEETING)
    # 3 Aug → 11 Oct 2020: 20 in August, 23 in September (27 Sep worked), 9 and 10 Oct; 3 suspended.
    assert (late.used, late.suspended, late.department_late, late.owner_late) == (42, 3, 12, 0)


def test_it_blames_the_owner_not_the_department_for_a_late_submission(world, cal):
    kyb = node(
        world.road,
        "可研批复",
        planned_on=dt.date(2020, 9, 1),
        submitted_on=dt.date(2020, 9, 8),
        approved_on=dt.date(2020, 9, 10),
        time_limit=5,
        doc_number="秀发改投〔2020〕88号",
    )
    late = assess(kyb, cal, MEETING)
    assert late.owner_late == 5  # 2, 3, 4, 7 and 8 September
    assert late.department_late == 0  # approved two working days after the complete submission
    assert late.used == 2


def test_it_blames_the_department_not_the_owner_for_a_slow_approval(world, cal):
    eia = late_eia(world.reservoir, world.water)
    eia.planned_on = dt.date(2020, 8, 10)  # submitted a week early
    assert assess(eia, cal, MEETING).owner_late == 0
    assert assess(eia, cal, MEETING).department_late == 12


def test_it_counts_an_unsubmitted_node_against_the_owner_from_its_planned_date(world, cal):
    late = assess(unsubmitted(world.bridge), cal, MEETING)
    assert (late.used, late.department_late, late.owner_late) == (None, 0, 2)


def test_it_stops_the_clock_while_a_suspension_lasts(world, cal):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1), time_limit=20)
    suspend(eia, dt.date(2020, 9, 10), None, reason="publicity")  # still out for public notice
    late = assess(eia, cal, MEETING)
    assert late.used == 6  # 2–4 and 7–9 September; nothing counts from the 10th
    assert late.department_late == 0


def test_it_counts_overlapping_suspensions_once(world, cal):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1), approved_on=dt.date(2020, 9, 30))
    suspend(eia, dt.date(2020, 9, 7), dt.date(2020, 9, 11), reason="correction")
    suspend(eia, dt.date(2020, 9, 10), dt.date(2020, 9, 14), reason="expert")
    assert assess(eia, cal, MEETING).suspended == 6  # 7–11 and 14 September
