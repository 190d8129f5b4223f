"""Who may do what with supervision tasks and inspections."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projects.models import Project

from .models import SupervisionTask

if TYPE_CHECKING:
    from accounts.models import User


def is_manager(user: User) -> bool:
    return user.is_overseer


def can_assign(user: User, project: Project | None = None) -> bool:
    """Office and supervisors assign tasks; a leader gives instructions on the projects in their charge."""
    if is_manager(user):
        return True
    return user.is_leader and (project is None or project.leader_id == user.leader_id)


def is_assignee(user: User, task: SupervisionTask) -> bool:
    return user.is_unit and user.unit_id is not None and task.assignee_unit_id == user.unit_id


def can_feedback(user: User, task: SupervisionTask) -> bool:
    return task.status == SupervisionTask.Status.OPEN and (is_assignee(user, task) or is_manager(user))


def can_report_done(user: User, task: SupervisionTask) -> bool:
    return task.status == SupervisionTask.Status.OPEN and is_assignee(user, task)


def can_verify(user: User, task: SupervisionTask) -> bool:
    """Closing or sending back a reported task is the supervisor's (or the office's) check."""
    return task.status == SupervisionTask.Status.REPORTED and is_manager(user)


def can_inspect(user: User) -> bool:
    return is_manager(user)


def allowed(user: User, task: SupervisionTask) -> dict:
    return {
        "feedback": can_feedback(user, task),
        "report": can_report_done(user, task),
        "verify": can_verify(user, task),
    }
