"""Who hears of a supervision task (connected in SupervisionConfig.ready): assigned, sent back,
verified (closed) → the assignee unit and the supervision office of the task's region; reported done
→ the supervision office (it has a check to make). Overdue is told by the daily reminders job."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import follow
from notifications.models import Notification
from notifications.services import Announcement, Notice, may_open, supervisors_of, unit_users, units_may_open

from .models import SupervisionTask, TaskFeedback

Kind = TaskFeedback.Kind


def _title(kind: str) -> str | None:
    return {
        Kind.CREATED: _("Task assigned: %(t)s"),
        Kind.SENT_BACK: _("Task sent back: %(t)s"),
        Kind.CLOSED: _("Task verified and closed: %(t)s"),
        Kind.REPORTED: _("Task reported done: %(t)s"),
    }.get(kind)


def task_people(task: SupervisionTask, *, unit: bool = True) -> tuple[list, list]:
    """The assignee unit's users (and the unit, for its robot) and the region's supervision office."""
    units = [task.assignee_unit] if unit else []
    return unit_users(u.pk for u in units) + supervisors_of(task.region_id), units


def task_feedback(feedback: TaskFeedback) -> Announcement | None:
    title = _title(feedback.kind)
    if title is None:
        return None
    task = SupervisionTask.objects.select_related("assignee_unit__region", "region").get(pk=feedback.task_id)
    people, units = task_people(task, unit=feedback.kind != Kind.REPORTED)
    body = feedback.text
    if feedback.kind == Kind.CREATED:
        body = _("Deadline %(d)s.") % {"d": task.deadline.isoformat()} + (
            f" {feedback.text}" if feedback.text else ""
        )
    return Announcement(
        notice=Notice(
            kind=Notification.Kind.TASK,
            key=f"task-feedback:{feedback.pk}",
            title=title % {"t": task.title},
            body=body,
            url=reverse("supervision:task", args=[task.pk]),
        ),
        users=may_open(people, SupervisionTask.objects.for_user, task.pk, besides=feedback.by),
        units=units_may_open(units, SupervisionTask.objects.for_user, task.pk),
        region=task.region,
    )


def connect() -> None:
    follow(TaskFeedback, task_feedback)
