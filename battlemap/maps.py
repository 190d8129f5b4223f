"""The map's data: project points coloured by light, and the boundary drawn under them."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from lib.money import q2
from reports.figures import month_plans
from reports.lights import annotate_reasons

from .models import MapBoundary


def boundary_for(user: User) -> MapBoundary | None:
    return MapBoundary.objects.for_region(user.region)


def project_points(user: User, *, year: int, month: int) -> dict:
    """A GeoJSON FeatureCollection of the year's projects in scope that have coordinates."""
    rows = (
        month_plans(user, year=year, month=month)
        .with_projects()
        .filter(project__longitude__isnull=False, project__latitude__isnull=False)
        .prefetch_related(None)
        .order_by("project__code")
    )
    features = []
    for plan in annotate_reasons(rows, month=month):
        project = plan.project
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(project.longitude), float(project.latitude)],
                },
                "properties": {
                    "id": project.pk,
                    "code": project.code,
                    "name": project.name,
                    "sector": project.sector.name,
                    "unit": project.lead_unit.name,
                    "planned_investment": f"{plan.planned_investment:.2f}",
                    "ytd_investment": f"{q2(plan.ytd):.2f}",
                    "completion_rate": None if plan.rate is None else float(plan.rate),
                    "light": plan.light,
                    "reason": plan.light_reason,
                    "url": reverse("projects:detail", args=[project.pk]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
