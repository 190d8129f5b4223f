"""Meeting reads shared by the pages and the API: which part of a meeting a user reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from projects.models import Project

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Decision


def sees_whole_meeting(user: User) -> bool:
    """The region-wide roles read whole minutes; units and leaders read their own part."""
    return user.is_region_wide


def decisions_seen_by(user: User, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """The decisions a user reads: all for the region-wide roles; for a unit or a leader (who sees the
    meeting because one of its projects was on the agenda) those about its projects or about none."""
    if sees_whole_meeting(user):
        return decisions
    mine = Project.objects.for_user(user).values("pk")
    return decisions.filter(Q(project__isnull=True) | Q(project__in=mine))


def projects_seen_by(user: User, projects: QuerySet[Project]) -> QuerySet[Project]:
    """The agenda's projects a user reads: all for the region-wide roles, its own for a unit or a leader."""
    if sees_whole_meeting(user):
        return projects
    return projects.filter(pk__in=Project.objects.for_user(user).values("pk"))
