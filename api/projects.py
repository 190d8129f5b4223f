"""Projects: the ledger with its filters and each row's month figures; one project with its plans."""

from typing import Literal

from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from lib.money import q2
from lib.today import today
from projects import baseline
from projects.filters import LedgerFilter
from projects.models import Project, YearPlan
from reports import warnings
from reports.figures import month_plans
from reports.ledger import ledger_queryset
from reports.lights import annotate_reasons

from .params import MAX_ID, Id, Paging, Period
from .schemas import ProjectDetail, ProjectList, answers

router = Router(tags=["projects"])


class LedgerQuery(Schema):
    """The ledger page's filters, by id where the page offers a list."""

    region: Id | None = Field(None, description="a county or district in the caller's region")
    sector: Id | None = None
    unit: Id | None = Field(None, description="lead or cooperating unit (see unit_role)")
    unit_role: Literal["lead"] | None = None
    township: Id | None = None
    leader: Id | None = None
    stage: Literal[tuple(YearPlan.Stage.values)] | None = None  # type: ignore[valid-type]
    started: Literal["yes", "no"] | None = None
    light: Literal["green", "yellow", "red"] | None = None
    q: str | None = Field(
        None, max_length=100, description="name, code, national project code, content or owner"
    )


def money(value) -> str:
    return f"{q2(value):.2f}"


def number(value) -> float | None:
    return None if value is None else float(value)


def iso(day) -> str | None:
    return day.isoformat() if day else None


def named(obj, label: str = "name") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": getattr(obj, label)}


def month_figures(plan: YearPlan, *, year: int, month: int) -> dict:
    """A plan row of reports.figures.month_plans (with its light reason) as JSON."""
    return {
        "year": year,
        "month": month,
        "stage": plan.stage,
        "planned_investment": money(plan.planned_investment),
        "month_amount": money(plan.month_amount),
        "ytd_investment": money(plan.ytd),
        "since_start": money(plan.since_start),
        "completion_rate": number(plan.rate),
        "schedule_target": number(plan.target),
        "gap_points": number(plan.gap),
        "started": plan.started_flag,
        "light": plan.light,
        "reason": plan.light_reason,
        "report_status": plan.report_status,
    }


def project_json(project: Project) -> dict:
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "region": named(project.region),
        "sector": named(project.sector),
        "lead_unit": named(project.lead_unit),
        "leader": named(project.leader, "title"),
        "townships": [named(t) for t in project.townships.all()],
        "level": project.level,
        "status": project.status,
        "total_investment": money(project.total_investment),
        "planned_start": iso(project.planned_start),
        "planned_end": iso(project.planned_end),
        "actual_start": iso(project.actual_start),
        "actual_end": iso(project.actual_end),
    }


@router.get("projects", response=answers(ProjectList), url_name="projects")
def project_list(
    request: HttpRequest, when: Query[Period], ledger: Query[LedgerQuery], paging: Query[Paging]
):
    """The ledger: the year's plans in scope, filtered as on the ledger page, each with the month's
    figures and light (a unit sees its own and its cooperating projects only)."""
    user = request.auth
    year, month = when.resolve(user)
    data = QueryDict(mutable=True)
    for name, value in ledger.dict(exclude_none=True).items():
        data[name] = str(value)
    filtered = LedgerFilter(data, queryset=ledger_queryset(user, year, month), user=user)
    if not filtered.is_valid():
        name, errors = next(iter(filtered.errors.items()))
        raise HttpError(400, _("%(name)s: %(error)s") % {"name": name, "error": " ".join(errors)})
    count, rows = paging.cut(filtered.qs.order_by("project__code", "pk"))
    return {
        "count": count,
        "year": year,
        "month": month,
        "results": [
            {**project_json(plan.project), "figures": month_figures(plan, year=year, month=month)}
            for plan in annotate_reasons(rows, month=month)
        ],
    }


@router.get("projects/{id}", response=answers(ProjectDetail, 404), url_name="project")
def project_detail(request: HttpRequest, when: Query[Period], id: int = Path(..., ge=1, le=MAX_ID)):
    """One project in scope with its year plans (and monthly plans) and its figures for the month."""
    user = request.auth
    project = get_object_or_404(
        Project.objects.for_user(user)
        .select_related("region", "sector", "lead_unit", "leader")
        .prefetch_related("townships", "cooperating_units", "plans__months"),
        pk=id,
    )
    year, month = when.resolve(user)
    row = month_plans(user, year=year, month=month).filter(project=project).first()
    data = project_json(project)
    data.update(
        national_code=project.national_code,
        nature=project.nature,
        content=project.content,
        owner=project.owner,
        location=project.location,
        cooperating_units=[named(u) for u in project.cooperating_units.all()],
        team_name=project.team_name,
        contact_person=project.contact_person,
        contact_phone=project.contact_phone,
        funding_sources=project.funding_sources,
        longitude=number(project.longitude),
        latitude=number(project.latitude),
        plans=[
            {
                "year": plan.year,
                "stage": plan.stage,
                "planned_investment": money(plan.planned_investment),
                "invested_before": money(plan.invested_before),
                "planned_start_month": plan.planned_start_month,
                "progress_target": plan.progress_target,
                "months": [{"month": m.month, "amount": money(m.amount)} for m in plan.months.all()],
            }
            for plan in sorted(project.plans.all(), key=lambda p: p.year)
        ],
        figures=month_figures(annotate_reasons([row], month=month)[0], year=year, month=month)
        if row
        else None,
        warnings=project_warnings(project),
        **baseline_json(project),
    )
    return data


def _figures(total, start, end) -> dict:
    return {
        "total_investment": None if total is None else money(total),
        "planned_start": iso(start),
        "planned_end": iso(end),
    }


def baseline_json(project: Project) -> dict:
    """original, current, variance and revisions, as the project page's card shows them."""
    card = baseline.card(project)
    b, v = card.baseline, card.variance
    return {
        "original": _figures(b.total_investment, b.planned_start, b.planned_end) if b else None,
        "current": _figures(project.total_investment, project.planned_start, project.planned_end),
        "variance": {"overrun_pct": number(v.overrun_pct), "months_late": v.months_late},
        "revisions": [
            {
                "id": r.pk,
                "state": r.state,
                "old": _figures(r.old_total_investment, r.old_planned_start, r.old_planned_end),
                "new": _figures(r.new_total_investment, r.new_planned_start, r.new_planned_end),
                "reason": r.reason,
                "approval_number": r.approval_number,
                "approving_authority": r.approving_authority,
                "requested_by": str(r.requested_by) if r.requested_by else None,
                "requested_at": r.requested_at.isoformat(),
                "decided_by": str(r.decided_by) if r.decided_by else None,
                "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                "rejection_reason": r.rejection_reason,
            }
            for r in card.revisions
        ],
    }


def project_warnings(project: Project) -> list[dict]:
    """The project's warnings from the one registry, as the project page shows them."""
    labels = {kind.code: str(kind.label) for kind in warnings.kinds()}
    found = warnings.for_projects(Project.objects.filter(pk=project.pk), today().year).get(project.pk, [])
    return [{"kind": w.kind, "label": labels[w.kind], "reason": w.reason} for w in found]
