"""Funds by source under /api/v1/funds, from the app's scoped queryset and its figures."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from funds import selectors
from funds.models import FundPlan
from lib.today import current_year
from projects.models import Project

from .params import Paging
from .schemas import answers

router = Router(tags=["funds"])


class SourceOut(Schema):
    source: str = Field(
        description="central, province, city, county, bond, loan, social, own, other; '' on the total"
    )
    label: str
    projects: int
    planned: Decimal = Field(description="万元, two places")
    arrived: Decimal = Field(description="to date: the sum of the months recorded")
    paid: Decimal
    arrival_rate: Decimal | None = Field(
        description="arrived ÷ planned × 100, two places; null when nothing is planned"
    )


class ProjectFundsOut(Schema):
    project: dict = Field(description="id, code and name")
    planned: Decimal
    arrived: Decimal
    paid: Decimal
    arrival_rate: Decimal | None
    invested: Decimal = Field(description="investment completed this year to date (counted reports)")
    behind: bool = Field(description="the funds_behind warning: invested > arrived")


class ProjectFundsList(Schema):
    count: int
    results: list[ProjectFundsOut]


class FundsOut(Schema):
    year: int
    by_source: list[SourceOut]
    total: SourceOut
    projects: ProjectFundsList


class FundsQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="2000..2100; this year by default")


def _source(row: selectors.SourceRow) -> dict:
    return {
        "source": row.source,
        "label": row.label,
        "projects": row.project_count,
        "planned": row.planned,
        "arrived": row.arrived,
        "paid": row.paid,
        "arrival_rate": row.rate,
    }


@router.get("funds", response=answers(FundsOut), url_name="funds")
def funds(request: HttpRequest, query: Query[FundsQuery], paging: Query[Paging]):
    """资金 of the projects in the caller's scope for a year: by source with the total, and each project
    with a fund plan (planned, arrived, paid, arrival rate, invested, behind), page by page in code order."""
    year = query.year or current_year()
    plans = FundPlan.objects.for_user(request.auth).filter(year=year)
    rows, total = selectors.by_source(plans)
    per_project = selectors.per_project(plans, year)
    listed = Project.objects.filter(pk__in=list(per_project)).order_by("code", "pk")
    count, page = paging.cut(listed, len(per_project))
    return {
        "year": year,
        "by_source": [_source(row) for row in rows],
        "total": _source(total),
        "projects": {
            "count": count,
            "results": [
                {
                    "project": {"id": p.pk, "code": p.code, "name": p.name},
                    "planned": per_project[p.pk].planned,
                    "arrived": per_project[p.pk].arrived,
                    "paid": per_project[p.pk].paid,
                    "arrival_rate": per_project[p.pk].rate,
                    "invested": per_project[p.pk].reported,
                    "behind": per_project[p.pk].behind,
                }
                for p in page
            ],
        },
    }
