"""The daily reminders job: units hear of reports due and of tasks and blockers near (≤3 days) or past
their deadline (an overdue task also goes to the supervision office); each unit's group robot hears
its own, each region's robot the day's counts. Each thing is told once a day (Notification is unique
per user, thing and day); delivery goes through notifications.services (queued, retried)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from blockers.models import Blocker
from lib.months import previous_month
from notifications.models import Notification
from notifications.services import Notice, notify, supervisors_of, tell_region, units_may_open
from regions.models import Region
from reports.config import rules_for
from reports.selectors import missing_reports
from supervision.models import SupervisionTask

NEAR_DAYS = 3
Counts = dict[int, dict[str, int]]


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


def _deadline_notices(on: dt.date, by_unit: dict[int, list[User]], counts: Counts) -> int:
    near = on + dt.timedelta(days=NEAR_DAYS)
    sent = 0
    tasks = SupervisionTask.objects.filter(
        status=SupervisionTask.Status.OPEN, deadline__lte=near
    ).select_related("project", "region", "assignee_unit__region")
    for task in tasks:
        overdue = task.deadline < on
        notice = Notice(
            kind=Notification.Kind.TASK_OVERDUE if overdue else Notification.Kind.TASK_DUE,
            key=f"task:{task.pk}",
            title=(_("Overdue task: %(t)s") if overdue else _("Task due soon: %(t)s")) % {"t": task.title},
            body=_("Deadline %(d)s.") % {"d": task.deadline.isoformat()},
            url=reverse("supervision:task", args=[task.pk]),
        )
        users = by_unit.get(task.assignee_unit_id, [])
        if overdue:
            users = users + supervisors_of(task.region_id)
            counts[task.region_id]["tasks"] += 1
        users = _who_may_see(users, SupervisionTask, task.pk)
        units = units_may_open([task.assignee_unit], SupervisionTask.objects.for_user, task.pk)
        sent += len(notify(users=users, notice=notice, day=on, units=units, region=task.region))
    blockers = Blocker.objects.filter(
        status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING], deadline__lte=near
    ).select_related("project__region", "lead_unit__region")
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
        if overdue:
            counts[blocker.project.region_id]["blockers"] += 1
        users = _who_may_see(by_unit.get(blocker.lead_unit_id, []), Blocker, blocker.pk)
        units = units_may_open([blocker.lead_unit], Blocker.objects.for_user, blocker.pk)
        region = blocker.project.region
        sent += len(notify(users=users, notice=notice, day=on, units=units, region=region))
    return sent


def _report_notices(on: dt.date, by_unit: dict[int, list[User]], counts: Counts) -> int:
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
        if late:
            counts[user.region_id]["units"] += 1
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
        sent += len(notify(users=users, notice=notice, day=on, units=[user.unit]))
    return sent


def _region_digests(on: dt.date, counts: Counts) -> None:
    """Each region's robot hears the day's counts only (never which unit is behind)."""
    for region in Region.objects.filter(pk__in=[pk for pk, c in counts.items() if any(c.values())]):
        c = counts[region.pk]
        tell_region(
            region=region,
            key=f"reminders:{on.isoformat()}",
            title=_("Reminders for %(d)s") % {"d": on.isoformat()},
            text=_("Overdue tasks: %(t)d; overdue blockers: %(b)d; units late with monthly reports: %(u)d.")
            % {"t": c["tasks"], "b": c["blockers"], "u": c["units"]},
            day=on,
        )


def send_reminders(*, on: dt.date) -> int:
    """Send the day's reminders; returns how many notifications were created."""
    by_unit = _unit_users()
    counts: Counts = defaultdict(lambda: {"tasks": 0, "blockers": 0, "units": 0})
    sent = _deadline_notices(on, by_unit, counts) + _report_notices(on, by_unit, counts)
    _region_digests(on, counts)
    return sent


__all__ = ["send_reminders"]
