"""The daily reminders job: units hear of reports due and of tasks and blockers near (≤3 days) or past
their deadline. Each thing is told once a day (Notification is unique per user, thing and day)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from blockers.models import Blocker
from lib.months import previous_month
from notifications.models import Notification
from notifications.services import Notice, notify
from reports.config import rules_for
from reports.selectors import missing_reports
from supervision.models import SupervisionTask

NEAR_DAYS = 3


def _unit_users() -> dict[int, list[User]]:
    users = defaultdict(list)
    for user in User.objects.filter(role=User.Role.UNIT, is_active=True, unit__isnull=False).select_related(
        "unit"
    ):
        users[user.unit_id].append(user)
    return users


def _who_may_see(users: list[User], model: type, pk: int) -> list[User]:
    """Only the users whose own scope contains the thing: a reminder never tells a unit of a task or
    blocker it could not open (the office may name any unit, even one outside the project's scope)."""
    return [user for user in users if model.objects.for_user(user).filter(pk=pk).exists()]


def _deadline_notices(on: dt.date, by_unit: dict[int, list[User]]) -> int:
    near = on + dt.timedelta(days=NEAR_DAYS)
    sent = 0
    tasks = SupervisionTask.objects.filter(
        status=SupervisionTask.Status.OPEN, deadline__lte=near
    ).select_related("project")
    for task in tasks:
        overdue = task.deadline < on
        notice = Notice(
            kind=Notification.Kind.TASK_OVERDUE if overdue else Notification.Kind.TASK_DUE,
            key=f"task:{task.pk}",
            title=(_("Overdue task: %(t)s") if overdue else _("Task due soon: %(t)s")) % {"t": task.title},
            body=_("Deadline %(d)s.") % {"d": task.deadline.isoformat()},
            url=reverse("supervision:task", args=[task.pk]),
        )
        users = _who_may_see(by_unit.get(task.assignee_unit_id, []), SupervisionTask, task.pk)
        sent += len(notify(users=users, notice=notice, day=on))
    blockers = Blocker.objects.filter(
        status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING], deadline__lte=near
    ).select_related("project")
    for blocker in blockers:
        overdue = blocker.deadline < on
        notice = Notice(
            kind=Notification.Kind.BLOCKER_OVERDUE if overdue else Notification.Kind.BLOCKER_DUE,
            key=f"blocker:{blocker.pk}",
            title=(_("Overdue blocker: %(p)s") if overdue else _("Blocker due soon: %(p)s"))
            % {"p": blocker.project.name},
            body=_("%(kind)s — deadline %(d)s.")
            % {"kind": blocker.get_kind_display(), "d": blocker.deadline.isoformat()},
            url=reverse("blockers:detail", args=[blocker.pk]),
        )
        users = _who_may_see(by_unit.get(blocker.lead_unit_id, []), Blocker, blocker.pk)
        sent += len(notify(users=users, notice=notice, day=on))
    return sent


def _report_notices(on: dt.date, by_unit: dict[int, list[User]]) -> int:
    """Reports for last month still missing when their deadline is near or past."""
    year, month = previous_month(on)
    sent = 0
    for users in by_unit.values():
        user = users[0]
        if user.region_id is None:
            continue
        due = rules_for(user, year).deadline(month)
        if on < due - dt.timedelta(days=NEAR_DAYS):
            continue
        missing = list(missing_reports(user, year=year, month=month).values_list("project__name", flat=True))
        if not missing:
            continue
        late = on > due
        notice = Notice(
            kind=Notification.Kind.REPORT_DUE,
            key=f"reports:{year}-{month:02d}:unit:{user.unit_id}",
            title=(
                _("Monthly reports for %(y)d-%(m)02d are late")
                if late
                else _("Monthly reports for %(y)d-%(m)02d are due")
            )
            % {"y": year, "m": month},
            body=_("Due %(d)s; not yet filed: %(p)s") % {"d": due.isoformat(), "p": "、".join(missing)},
            url="/reports/",
        )
        sent += len(notify(users=users, notice=notice, day=on))
    return sent


def send_reminders(*, on: dt.date) -> int:
    """Send the day's reminders; returns how many notifications were created."""
    by_unit = _unit_users()
    return _deadline_notices(on, by_unit) + _report_notices(on, by_unit)


__all__ = ["send_reminders"]
