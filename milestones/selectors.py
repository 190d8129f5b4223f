"""The one slip rule of key milestones, the warning it puts on a project, and the register's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from lib.today import today
from reports import warnings
from reports.ledger import detail_link
from reports.warnings import ProjectWarning

from .models import Milestone

WARNING_KIND = "milestone_slipped"


def slipped_q(on: dt.date) -> Q:
    """Slipped on day `on`: its planned date has passed and it has not been reached."""
    return Q(actual_date__isnull=True, planned_date__lt=on)


def slipped(milestones: QuerySet, on: dt.date) -> QuerySet:
    return milestones.filter(slipped_q(on))


def state(milestone: Milestone, on: dt.date) -> str:
    """reached, reached_late, slipped or ahead (not yet due) — from slipped_q's rule."""
    if milestone.actual_date:
        return "reached_late" if milestone.actual_date > milestone.planned_date else "reached"
    return "slipped" if milestone.planned_date < on else "ahead"


def days_late(milestone: Milestone, on: dt.date) -> int:
    """Days past the planned date: to `on` while not reached, to the actual date once reached."""
    end = milestone.actual_date or on
    return max(0, (end - milestone.planned_date).days)


def slipped_first(milestones: QuerySet, on: dt.date) -> QuerySet:
    """Slipped first (the oldest planned date first), then the rest by planned date."""
    return milestones.annotate(
        slip_order=Case(When(slipped_q(on), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("slip_order", "planned_date", "project__code", "pk")


def reason(milestone: Milestone, on: dt.date) -> str:
    return _("Milestone behind: %(name)s (planned %(planned)s, %(days)s days overdue)") % {
        "name": milestone.name,
        "planned": milestone.planned_date.isoformat(),
        "days": days_late(milestone, on),
    }


def milestone_warnings(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """reports.warnings provider: one warning per slipped milestone of the year, in one query."""
    on = today()

    def build(projects: QuerySet) -> QuerySet:
        milestones = Milestone.objects.filter(project__in=projects.values("pk"), year=year)
        return (
            slipped(milestones, on)
            .order_by("project_id", "planned_date", "pk")
            .values_list("pk", "project_id", "name", "planned_date", "actual_date")
        )

    url = detail_link("milestones:project")
    for pk, project_id, name, planned, actual in warnings.read(projects, (WARNING_KIND, year, on), build):
        milestone = Milestone(
            pk=pk, project_id=project_id, name=name, planned_date=planned, actual_date=actual
        )
        yield ProjectWarning(WARNING_KIND, project_id, reason(milestone, on), url=url(project_id))


def for_projects(project_ids: list[int], year: int) -> dict[int, list[Milestone]]:
    """Project id → its milestones of the year, in planned order (the wall chart's marks), one query."""
    found: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(project_id__in=project_ids, year=year).order_by(
        "planned_date", "pk"
    ):
        found.setdefault(milestone.project_id, []).append(milestone)
    return found
