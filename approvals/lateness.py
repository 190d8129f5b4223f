"""How late an approval node is — the one place the two figures are computed.

They are kept apart because they blame different people:

- the department is late when the working days from a complete submission to approval (to today while
  it is pending), less the working days the node was suspended (补正, expert review, 公示), exceed the
  node's time limit;
- the owner is late when it submits after the planned date (or has not submitted and today is past it).

Working days come from workdays.calendar, nothing else counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from workdays.calendar import ONE_DAY, WorkCalendar

from .models import ApprovalNode, NodeSuspension


@dataclass(frozen=True)
class Lateness:
    used: int | None  # working days the department has taken, net of suspensions; None before submission
    suspended: int  # working days suspended after submission
    department_late: int  # working days over the limit (0: within it)
    owner_late: int  # working days after the planned submission (0: on time or no plan)

    @property
    def overdue(self) -> bool:
        return self.department_late > 0 or self.owner_late > 0


def _merged(spans: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def assess(node: ApprovalNode, calendar: WorkCalendar, on: dt.date) -> Lateness:
    """The node's lateness on `on` (its suspensions must be prefetched: `node.suspensions.all()`)."""
    owner_late = 0
    if node.planned_on is not None:
        submitted_or_now = node.submitted_on or on
        if submitted_or_now > node.planned_on:
            owner_late = calendar.workdays_between(node.planned_on, submitted_or_now)
    if node.submitted_on is None:
        return Lateness(used=None, suspended=0, department_late=0, owner_late=owner_late)
    end = node.approved_on or on
    elapsed = calendar.workdays_between(node.submitted_on, end)
    suspended = 0
    spans = []
    for suspension in node.suspensions.all():
        start = max(suspension.starts_on, node.submitted_on + ONE_DAY)
        stop = min(suspension.ends_on or end, end)
        if start <= stop:
            spans.append((start, stop))
    for start, stop in _merged(spans):
        suspended += calendar.workdays_between(start - ONE_DAY, stop)
    used = max(elapsed - suspended, 0)
    return Lateness(
        used=used,
        suspended=suspended,
        department_late=max(used - node.time_limit, 0),
        owner_late=owner_late,
    )


def is_suspended(node: ApprovalNode, on: dt.date) -> NodeSuspension | None:
    """The suspension running on `on`, if any (prefetched suspensions)."""
    for suspension in node.suspensions.all():
        if suspension.starts_on <= on and (suspension.ends_on is None or suspension.ends_on >= on):
            return suspension
    return None
