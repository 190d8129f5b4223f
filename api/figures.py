"""The figures the pages show: summary, figures by grouping, lights, dashboard, wall chart, map.

Each reads reports/figures.py month_plans (through battlemap's selectors where the battle map
assembles them); nothing is computed here but the shape of the answer.
"""

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from battlemap import selectors as battlemap
from battlemap.maps import boundary_for, project_points
from battlemap.wallchart import PAGE_SIZE as WALL_PAGE_SIZE
from battlemap.wallchart import wall_chart, wall_chart_json
from blockers.selectors import blocker_counts
from reports.figures import month_plans
from reports.lights import annotate_reasons
from supervision.selectors import task_counts

from .params import MAX_PAGE_SIZE, Period
from .schemas import DashboardOut, FiguresOut, LightsOut, MapOut, Summary, WallchartOut, answers

router = Router(tags=["figures"])


def number(value) -> float | None:
    return None if value is None else float(value)


@router.get("summary", response=answers(Summary), url_name="summary")
def summary(request: HttpRequest, when: Query[Period]):
    """The caller's scope for a month, as PRODUCT.md's contract says (amounts strings, percentages numbers)."""
    user = request.auth
    year, month = when.resolve(user)
    fig = month_plans(user, year=year, month=month).figures()
    on = battlemap.as_of(year, month)
    blockers = blocker_counts(user, as_of=on)
    return {
        "year": year,
        "month": month,
        "projects": fig.projects,
        "planned_investment": f"{fig.planned:.2f}",
        "ytd_investment": f"{fig.ytd:.2f}",
        "completion_rate": number(fig.rate),
        "schedule_target": number(fig.target),
        "gap_points": number(fig.gap),
        "lights": fig.lights,
        "not_started": fig.not_started,
        "blockers_open": blockers["open"],
        "blockers_overdue": blockers["overdue"],
        "tasks_overdue": task_counts(user, as_of=on)["overdue"],
    }


class Grouping(Schema):
    by: Literal["unit", "sector", "township", "leader", "region"] = "unit"


@router.get("figures", response=answers(FiguresOut), url_name="figures")
def figures(request: HttpRequest, when: Query[Period], grouping: Query[Grouping]):
    """Figures per lead unit, sector, township, leader or county."""
    year, month = when.resolve(request.auth)
    groups = month_plans(request.auth, year=year, month=month).figures_by(grouping.by)
    return {"year": year, "month": month, "by": grouping.by, "groups": [g.as_json() for g in groups]}


@router.get("lights", response=answers(LightsOut), url_name="lights")
def lights(request: HttpRequest, when: Query[Period]):
    """Every project's light for the month, with its reason and figures."""
    year, month = when.resolve(request.auth)
    rows = annotate_reasons(
        month_plans(request.auth, year=year, month=month).with_projects().order_by("project__code"),
        month=month,
    )
    return {
        "year": year,
        "month": month,
        "projects": [
            {
                "id": row.project_id,
                "code": row.project.code,
                "name": row.project.name,
                "unit": row.project.lead_unit.name,
                "planned_investment": f"{row.planned_investment:.2f}",
                "ytd_investment": f"{row.ytd:.2f}",
                "completion_rate": number(row.rate),
                "schedule_target": number(row.target),
                "gap_points": number(row.gap),
                "started": row.started_flag,
                "light": row.light,
                "reason": row.light_reason,
            }
            for row in rows
        ],
    }


@router.get("dashboard", response=answers(DashboardOut), url_name="dashboard", tags=["battle map"])
def dashboard(request: HttpRequest, when: Query[Period]):
    """Every figure, chart series and short list of the dashboard (battlemap.selectors.dashboard)."""
    year, month = when.resolve(request.auth)
    return battlemap.dashboard(request.auth, year=year, month=month)


class WallQuery(Schema):
    by: Literal["sector", "unit", "leader"] = "sector"
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(WALL_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@router.get("wallchart", response=answers(WallchartOut), url_name="wallchart", tags=["battle map"])
def wallchart(request: HttpRequest, when: Query[Period], wall: Query[WallQuery]):
    """The wall chart's rows: a row per project across the twelve months, grouped, paged."""
    year, month = when.resolve(request.auth)
    groups, page = wall_chart(
        request.auth, year=year, month=month, by=wall.by, page=wall.page, size=wall.page_size
    )
    return wall_chart_json(groups, page, year=year, month=month, by=wall.by)


@router.get("map", response=answers(MapOut), url_name="map", tags=["battle map"])
def map_points(request: HttpRequest, when: Query[Period]):
    """Projects with coordinates as GeoJSON coloured by light, the tile source and the boundary."""
    year, month = when.resolve(request.auth)
    boundary = boundary_for(request.auth)
    return {
        "year": year,
        "month": month,
        "tiles": {
            "url": settings.KEYPROJ_MAP_TILES_URL,
            "attribution": settings.KEYPROJ_MAP_TILES_ATTRIBUTION,
        },
        "boundary": boundary.geojson if boundary else None,
        "projects": project_points(request.auth, year=year, month=month),
    }
