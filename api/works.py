"""Tender packages under /api/v1/tenders, from the app's scoped queryset, its state rule and the one
discount-rate computation."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lib.today import current_year
from projects.models import YearPlan
from works.models import Kind, State, TenderPackage, state_condition
from works.rates import discount_rate

from .params import Id, Paging
from .schemas import answers

router = Router(tags=["tenders"])

KINDS = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
STATES = Literal[tuple(State.values)]  # type: ignore[valid-type]


class TenderOut(Schema):
    id: int
    project: dict = Field(description="id, code and name")
    kind: str = Field(description="construction, supervision, design, survey, equipment or other")
    name: str
    method: str = Field(description="open, invited, negotiation, consultation, single_source or direct")
    legal_basis: str = Field(description="required for single_source and direct")
    state: str = Field(description="planned, announced, opened or awarded (from the dates)")
    announced_on: str | None
    opened_on: str | None
    awarded_on: str | None
    budget: Decimal = Field(description="ceiling price (控制价), 万元, two places")
    winner: str
    contract_price: Decimal | None = Field(description="万元, two places; null until awarded")
    discount_rate: Decimal | None = Field(
        description="下浮率: (budget − contract price) ÷ budget × 100, two places; negative above budget"
    )
    agency: str
    chief_engineer: str = Field(description="总监理工程师, on supervision packages")


class TenderList(Schema):
    count: int
    results: list[TenderOut]


class TenderQuery(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="the projects on that year's list; this year by default"
    )
    project: Id | None = None
    kind: KINDS | None = None
    state: STATES | None = None


def _day(value) -> str | None:
    return value.isoformat() if value else None


@router.get("tenders", response=answers(TenderList), url_name="tenders")
def tenders(request: HttpRequest, query: Query[TenderQuery], paging: Query[Paging]):
    """The tender packages of the projects in the caller's scope on the year's list, in project code order."""
    year = query.year or current_year()
    rows = TenderPackage.objects.for_user(request.auth).filter(
        project__in=YearPlan.objects.filter(year=year).values("project_id")
    )
    if query.project:
        rows = rows.filter(project_id=query.project)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.state:
        rows = rows.filter(state_condition(query.state))
    count, page = paging.cut(rows.select_related("project").order_by("project__code", "kind", "pk"))
    return {
        "count": count,
        "results": [
            {
                "id": p.pk,
                "project": {"id": p.project_id, "code": p.project.code, "name": p.project.name},
                "kind": p.kind,
                "name": p.name,
                "method": p.method,
                "legal_basis": p.legal_basis,
                "state": p.state,
                "announced_on": _day(p.announced_on),
                "opened_on": _day(p.opened_on),
                "awarded_on": _day(p.awarded_on),
                "budget": p.budget,
                "winner": p.winner,
                "contract_price": p.contract_price,
                "discount_rate": discount_rate(p.budget, p.contract_price),
                "agency": p.agency,
                "chief_engineer": p.chief_engineer,
            }
            for p in page
        ],
    }
