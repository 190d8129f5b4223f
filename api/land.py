"""The land endpoints under /api/v1/, each from its app's scoped queryset."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from land import selectors
from lib.today import current_year, today

from .params import Paging
from .schemas import answers

router = Router(tags=["land"])


class LandFigures(Schema):
    area_needed: Decimal = Field(description="亩, two places")
    farmland: Decimal
    acquired: Decimal
    handed_over: Decimal
    households: int
    households_relocated: int
    buildings: int
    buildings_relocated: int
    compensation_needed: Decimal = Field(description="万元, two places")
    compensation_paid: Decimal


class TownshipOut(LandFigures):
    township: dict | None = Field(description="id and name; null on the total row")
    plans: int
    behind: int = Field(description="plans whose hand-over date has passed with land still to hand over")


class LandPlanOut(LandFigures):
    id: int
    project: dict
    township: dict
    approval: str = Field(description="not_submitted, submitted or approved (用地报批)")
    approved_on: str | None
    approval_number: str
    handover_due: str | None


class PlanList(Schema):
    count: int
    results: list[LandPlanOut]


class LandOut(Schema):
    year: int
    by_township: list[TownshipOut]
    total: TownshipOut
    plans: PlanList


class LandQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="2000..2100; this year by default")


def _township(row: selectors.TownshipRow) -> dict:
    return {
        "township": None if row.township_id is None else {"id": row.township_id, "name": row.name},
        "plans": row.plans,
        "behind": row.behind,
        "area_needed": row.area_needed,
        "farmland": row.farmland,
        "acquired": row.acquired,
        "handed_over": row.handed_over,
        "households": row.households,
        "households_relocated": row.households_done,
        "buildings": row.buildings,
        "buildings_relocated": row.buildings_done,
        "compensation_needed": row.compensation_needed,
        "compensation_paid": row.compensation_paid,
    }


@router.get("land", response=answers(LandOut), url_name="land")
def land(request: HttpRequest, query: Query[LandQuery], paging: Query[Paging]):
    """征地拆迁 of the projects on a year's list in scope: by township with the total (figures to date
    through that year), and the plans, page by page, in township order."""
    year = query.year or current_year()
    plans = selectors.register_plans(request.auth, year=year)
    rows, total = selectors.by_township(plans, year=year, on=today())
    listed = (
        selectors.with_totals(plans, year=year)
        .select_related("project", "township")
        .order_by("township__sort", "township__name", "project__code", "pk")
    )
    count, page = paging.cut(listed, total.plans)
    return {
        "year": year,
        "by_township": [_township(row) for row in rows],
        "total": _township(total),
        "plans": {
            "count": count,
            "results": [
                {
                    "id": p.pk,
                    "project": {"id": p.project_id, "code": p.project.code, "name": p.project.name},
                    "township": {"id": p.township_id, "name": p.township.name},
                    "approval": p.approval,
                    "approved_on": p.approved_on.isoformat() if p.approved_on else None,
                    "approval_number": p.approval_number,
                    "handover_due": p.handover_due.isoformat() if p.handover_due else None,
                    "area_needed": p.area_needed,
                    "farmland": p.farmland,
                    "acquired": p.acquired_total,
                    "handed_over": p.handed_total,
                    "households": p.households,
                    "households_relocated": p.households_done,
                    "buildings": p.buildings,
                    "buildings_relocated": p.buildings_done,
                    "compensation_needed": p.compensation_needed,
                    "compensation_paid": p.paid_total,
                }
                for p in page
            ],
        },
    }
