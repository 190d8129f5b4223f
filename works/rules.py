"""Who may do what in bidding: the project's editors (the office, the project's own units) keep its
packages; the supervision office and the office record process supervision; others read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projects.models import Project

if TYPE_CHECKING:
    from accounts.models import User


def can_edit_project(user: User, project: Project) -> bool:
    return Project.objects.editable_by(user).filter(pk=project.pk).exists()


def can_supervise(user: User) -> bool:
    return user.is_authenticated and (user.is_supervisor or user.is_office)
