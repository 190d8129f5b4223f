"""Who may do what to a blocker. Views ask here to show buttons; services ask here before they act."""

from __future__ import annotations

from accounts.models import User
from projects.models import Project

from .models import Blocker

S = Blocker.Status
Role = User.Role

# (from, to) → roles that may make the move; units only on blockers they act on (see unit_acts_on).
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (S.OPEN, S.COORDINATING): {Role.OFFICE, Role.SUPERVISOR, Role.UNIT, Role.LEADER},
    (S.OPEN, S.RESOLVED): {Role.OFFICE, Role.SUPERVISOR, Role.UNIT},
    (S.COORDINATING, S.RESOLVED): {Role.OFFICE, Role.SUPERVISOR, Role.UNIT},
    (S.RESOLVED, S.CLOSED): {Role.OFFICE, Role.SUPERVISOR},
    # Reopened when the check finds it is not cleared after all.
    (S.RESOLVED, S.COORDINATING): {Role.OFFICE, Role.SUPERVISOR},
}


def is_manager(user: User) -> bool:
    return user.is_overseer


def unit_acts_on(user: User, blocker: Blocker) -> bool:
    """A unit acts on blockers it leads or cooperates on, and on those of projects it is responsible for."""
    if not user.is_unit or not user.unit_id:
        return False
    if blocker.lead_unit_id == user.unit_id:
        return True
    if any(u.pk == user.unit_id for u in blocker.cooperating_units.all()):
        return True
    return Project.objects.editable_by(user).filter(pk=blocker.project_id).exists()


def leads_project(user: User, blocker: Blocker) -> bool:
    return user.is_leader and user.leader_id is not None and blocker.project.leader_id == user.leader_id


def can_raise(user: User, project: Project) -> bool:
    if is_manager(user):
        return True
    if user.is_leader:
        return project.leader_id == user.leader_id
    if user.is_unit:
        return Project.objects.editable_by(user).filter(pk=project.pk).exists()
    return False


def can_move(user: User, blocker: Blocker, to: str) -> bool:
    roles = TRANSITIONS.get((blocker.status, to), set())
    if user.role not in roles:
        return False
    if user.is_unit:
        return unit_acts_on(user, blocker)
    if user.is_leader:
        return leads_project(user, blocker)
    return True


def can_edit_measures(user: User, blocker: Blocker) -> bool:
    if blocker.status == S.CLOSED:
        return False
    return is_manager(user) or unit_acts_on(user, blocker)


def can_escalate(user: User, blocker: Blocker) -> bool:
    if not blocker.is_open or blocker.level >= Blocker.Level.MEETING:
        return False
    return is_manager(user) or leads_project(user, blocker)


def can_comment(user: User, blocker: Blocker) -> bool:
    return is_manager(user) or leads_project(user, blocker) or unit_acts_on(user, blocker)


def can_edit(user: User, blocker: Blocker) -> bool:
    """Kind, deadline, units and leader: the office and the supervisors keep them."""
    return is_manager(user) and blocker.status != S.CLOSED


def allowed(user: User, blocker: Blocker) -> dict:
    """Everything the page needs to know to show or hide the actions."""
    moves = [to for (frm, to) in TRANSITIONS if frm == blocker.status and can_move(user, blocker, to)]
    return {
        "moves": moves,
        "measures": can_edit_measures(user, blocker),
        "escalate": can_escalate(user, blocker),
        "comment": can_comment(user, blocker),
        "edit": can_edit(user, blocker),
        "any": bool(moves) or can_comment(user, blocker),
    }
