"""Who may do what in quality and safety: the supervision office and the key-project office record
inspections, hazards and accidents and verify rectifications; the project's own unit (lead or
cooperating) records a rectification; leaders and readers read. Every view and service asks here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projects.models import Project

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Hazard


def can_record(user: User) -> bool:
    """Record inspections, hazards and accidents (on the projects in sight)."""
    return user.is_authenticated and user.is_overseer


def can_verify(user: User) -> bool:
    return user.is_authenticated and user.is_overseer


def is_projects_unit(user: User, project_id: int) -> bool:
    """A unit user whose unit leads or cooperates on the project."""
    if not (user.is_authenticated and user.is_unit):
        return False
    return Project.objects.editable_by(user).filter(pk=project_id).exists()


def can_rectify(user: User, hazard: Hazard) -> bool:
    return is_projects_unit(user, hazard.project_id)


def allowed(user: User, hazard: Hazard) -> dict[str, bool]:
    """What the hazard's page offers this user now (the services check again under the lock)."""
    open_, rectified = hazard.state == hazard.State.OPEN, hazard.state == hazard.State.RECTIFIED
    return {
        "rectify": open_ and can_rectify(user, hazard),
        "verify": rectified and can_verify(user),
    }
