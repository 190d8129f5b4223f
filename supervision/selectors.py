"""Read-side queries over supervision tasks and inspections, always scoped to the user."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from lib import statements
from lib.today import today
from reports.figures import scope_key

from .models import Inspection, SupervisionTask, task_open_on

if TYPE_CHECKING:
    from accounts.models import User


def task_counts(user: User, *, as_of: dt.date) -> dict:
    """{"open": n, "overdue": n}: tasks in the user's scope open on `as_of` (created by then, not
    closed), and those of them with a deadline before it; in one query. The day comes from
    blockers.selectors.counts_as_of.

    Compiled once per process under the user's scope and the day, as blockers.selectors.blocker_counts.
    """

    def build():
        is_open = task_open_on(as_of)
        counts = {
            "open": Count("pk", filter=is_open),
            "overdue": Count("pk", filter=is_open & Q(deadline__lt=as_of)),
        }
        return SupervisionTask.objects.for_user(user), counts

    found = statements.aggregate(
        SupervisionTask, ("task counts", scope_key(user), as_of), ("open", "overdue"), build
    )
    return found or {"open": 0, "overdue": 0}  # None: a scope that cannot hold any (no statement)


def with_overdue(qs, *, on: dt.date):
    """Annotate `overdue_now`: not closed and past its deadline on `on`."""
    return qs.annotate(
        overdue_now=ExpressionWrapper(
            Q(deadline__lt=on) & ~Q(status=SupervisionTask.Status.CLOSED), output_field=BooleanField()
        )
    )


def task_list_queryset(user: User, *, on: dt.date):
    qs = SupervisionTask.objects.for_user(user).select_related("project", "assignee_unit", "leader")
    return with_overdue(qs, on=on)


def overdue_tasks(user: User, *, as_of: dt.date, limit: int = 10) -> list[SupervisionTask]:
    """The first `limit` tasks in the user's scope overdue on `as_of`, the longest overdue first
    (a leader's and the supervision office's home page); task_counts counts them all."""
    qs = with_overdue(SupervisionTask.objects.for_user(user).overdue_on(as_of), on=as_of)
    qs = qs.select_related("project", "assignee_unit")
    return list(qs.order_by("deadline", "pk")[:limit])


def open_tasks_for(user: User, *, on: dt.date | None = None, limit: int = 10) -> list[SupervisionTask]:
    """A unit's open tasks (assigned to it), overdue and nearest deadline first — for the home page.
    Other roles get the open tasks of their scope."""
    on = on or today()
    qs = task_list_queryset(user, on=on).exclude(status=SupervisionTask.Status.CLOSED)
    if user.is_authenticated and user.is_unit:
        qs = qs.filter(assignee_unit_id=user.unit_id)
    return list(qs.order_by("deadline", "pk")[:limit])


def inspection_queryset(user: User):
    return (
        Inspection.objects.for_user(user)
        .select_related("project", "inspector")
        .annotate(n_photos=Count("photos", distinct=True))
    )
