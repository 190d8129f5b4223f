"""The pool endpoints under /api/v1/, each from its app's scoped queryset."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from lib.money import q2
from pool import figures
from pool.models import Candidate

from .params import MAX_ID, Paging
from .schemas import Named, answers

router = Router(tags=["pool"])


def money(value) -> str:
    return f"{q2(value):.2f}"


class CandidateOut(Schema):
    id: int
    name: str
    national_code: str = Field(description="项目代码, empty until issued")
    sector: Named
    lead_unit: Named = Field(description="the proposing unit")
    leader: Named | None
    townships: list[Named]
    estimated_investment: str = Field(description="万元, two decimals")
    proposed_start_year: int
    maturity: str = Field(description="idea, packaged, preparatory (in approvals) or ready (ready to start)")
    review_state: str = Field(description="proposed, accepted or returned")
    return_reason: str
    priority: str = Field(description="A, B, C or empty")
    channels: list[Named]
    entered_on: str
    project_id: int | None = Field(description="the key project it was promoted to, if any")


class DocumentOut(Schema):
    kind: str = Field(description="proposal, feasibility or design")
    state: str = Field(description="not_started, prepared or approved")
    approved_on: str | None
    approving_body: str
    document_number: str
    has_file: bool


class ApplicationOut(Schema):
    channel: Named
    batch: str
    amount_applied: str = Field(description="万元, two decimals")
    amount_approved: str
    amount_arrived: str
    applied_on: str | None
    approved_on: str | None
    arrived_on: str | None


class CandidateDetail(CandidateOut):
    owner: str
    location: str
    content: str
    documents: list[DocumentOut]
    applications: list[ApplicationOut]


class Totals(Schema):
    count: int
    estimated_investment: str = Field(description="万元, two decimals")


class PoolList(Schema):
    year: int
    count: int
    totals: Totals
    results: list[CandidateOut]


class PoolQuery(Schema):
    year: int = Field(..., ge=2000, le=2100, description="proposed start year, 2000..2100")


def _named(obj, label: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, label)}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def candidate_json(c: Candidate) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "national_code": c.national_code,
        "sector": _named(c.sector),
        "lead_unit": _named(c.lead_unit),
        "leader": _named(c.leader, "title"),
        "townships": [_named(t) for t in c.townships.all()],
        "estimated_investment": money(c.estimated_investment),
        "proposed_start_year": c.proposed_start_year,
        "maturity": c.maturity,
        "review_state": c.review_state,
        "return_reason": c.return_reason,
        "priority": c.priority,
        "channels": [_named(ch) for ch in c.channels.all()],
        "entered_on": c.entered_on.isoformat(),
        "project_id": c.project_id,
    }


def _scoped(request: HttpRequest):
    return (
        Candidate.objects.for_user(request.auth)
        .select_related("sector", "lead_unit", "leader")
        .prefetch_related("townships", "channels")
    )


@router.get("pool", response=answers(PoolList), url_name="pool")
def pool_list(request: HttpRequest, query: Query[PoolQuery], paging: Query[Paging]):
    """The candidates in the caller's scope whose proposed start year is `year`, with their count and
    estimated investment (a unit sees its own candidates only)."""
    qs = _scoped(request).filter(proposed_start_year=query.year)
    total = figures.sector_maturity(qs).total
    count, rows = paging.cut(qs.order_by("sector__sort", "name", "pk"), total.count)
    return {
        "year": query.year,
        "count": count,
        "totals": {"count": total.count, "estimated_investment": money(total.investment)},
        "results": [candidate_json(c) for c in rows],
    }


@router.get("pool/{id}", response=answers(CandidateDetail, 404), url_name="pool_candidate")
def pool_candidate(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    """One candidate in scope with its packaging documents and funding applications."""
    candidate = get_object_or_404(
        _scoped(request).prefetch_related("documents", "applications__channel"), pk=id
    )
    data = candidate_json(candidate)
    data.update(
        owner=candidate.owner,
        location=candidate.location,
        content=candidate.content,
        documents=[
            {
                "kind": d.kind,
                "state": d.state,
                "approved_on": _iso(d.approved_on),
                "approving_body": d.approving_body,
                "document_number": d.document_number,
                "has_file": bool(d.file),
            }
            for d in candidate.documents.all()
        ],
        applications=[
            {
                "channel": _named(a.channel),
                "batch": a.batch,
                "amount_applied": money(a.amount_applied),
                "amount_approved": money(a.amount_approved),
                "amount_arrived": money(a.amount_arrived),
                "applied_on": _iso(a.applied_on),
                "approved_on": _iso(a.approved_on),
                "arrived_on": _iso(a.arrived_on),
            }
            for a in candidate.applications.all()
        ],
    )
    return data
