"""What the battle map shows, assembled from the reports and blockers selectors.

No figure is computed here that reports.selectors already computes: headline, sector, unit and
township figures are its Figures; lights are its light expression. What is added is the drill-down
address of each figure, the monthly cumulative curve (one grouped query) and the short lists.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.db.models import Q, Sum
from django.urls import NoReverseMatch, get_script_prefix, reverse

from accounts.models import User
from lib import schedule
from lib.money import q2
from lib.today import today
from projects.models import Project, YearPlan
from regions.models import Region
from reports.config import setting_for
from reports.lights import GREEN, RED, YELLOW, annotate_reasons
from reports.models import ProjectMonth
from reports.month_rows import MonthRows, month_rows
from reports.selectors import (
    Figures,
    annotate_month,
    group_figures,
    latest_period,
    summary_figures,
)

LIST_SIZE = 15
# Above county level the unit and township rankings hold thousands of groups: the dashboard sends the
# best and the worst RANK_SIZE of each (the full unit ranking is /reports/units/) and ranks the counties.
RANK_SIZE = 20
# Which ledger filter selects the projects behind a group of each kind.
LEDGER_PARAM = {
    "sector": "sector",
    "unit": "unit",
    "township": "township",
    "leader": "leader",
    "region": "region",
}
# Further ledger filters a group's drill-down needs: the unit ranking counts lead units only.
LEDGER_EXTRA = {"unit": "&unit_role=lead"}


def period(user: User, year: str | None, month: str | None) -> tuple[int, int]:
    """The (year, month) asked for, else the latest month with reports in the user's scope."""
    default_year, default_month = latest_period(user)
    try:
        y = int(year) if year else default_year
        m = int(month) if month else (default_month if y == default_year else 12)
    except ValueError:
        return default_year, default_month
    if not (2000 <= y <= 2100 and 1 <= m <= 12):
        return default_year, default_month
    return y, m


def as_of(year: int, month: int) -> dt.date:
    """The day figures such as open blockers are counted on: the month's last day, or today if earlier."""
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return min(last, today())


def ledger_url(year: int, month: int, **filters: object) -> str:
    """The ledger filtered to the projects behind a figure."""
    query = {"year": year, "month": month}
    query.update({k: v for k, v in filters.items() if v not in (None, "")})
    return f"{reverse('projects:ledger')}?{urlencode(query)}"


def figures_json(figures: Figures, *, year: int, month: int, by: str | None = None) -> dict:
    """Figures as JSON plus what the charts need: the amount the schedule asks for and the drill-down.

    A province ranks thousands of units, so the links are built from one reversed path per
    script prefix, not with reverse() and urlencode() four times per figure.
    """
    data = figures.as_json()
    data["scheduled_investment"] = f"{q2(figures.planned * figures.target / 100):.2f}"
    query = f"year={year}&month={month}"
    if by and figures.key not in (None, ""):
        query += "&" + urlencode({LEDGER_PARAM[by]: figures.key}) + LEDGER_EXTRA.get(by, "")
    url = f"{_ledger_path(get_script_prefix())}?{query}"
    data["url"] = url
    data["light_urls"] = {c: f"{url}&light={c}" for c in (GREEN, YELLOW, RED)}
    return data


@lru_cache(maxsize=8)
def _ledger_path(script_prefix: str) -> str:
    return reverse("projects:ledger")


def headline(user: User, *, year: int, month: int, figures: Figures | None = None) -> dict:
    """The figures at the top of the dashboard; the same numbers as GET /api/v1/summary.

    `figures`: the scope's figures when the caller has them already (the dashboard adds up its
    sector groups), else one aggregate query.
    """
    from blockers.selectors import blocker_counts
    from supervision.selectors import overdue_task_count

    on = as_of(year, month)
    if figures is None:
        figures = summary_figures(user, year=year, month=month)
    blockers = blocker_counts(user, on=on)
    data = figures_json(figures, year=year, month=month)
    data.update(
        blockers_open=blockers["open"],
        blockers_overdue=blockers["overdue"],
        tasks_overdue=overdue_task_count(user, on=on),
        as_of=on.isoformat(),
        started_url=ledger_url(year, month, started="yes"),
        not_started_url=ledger_url(year, month, started="no"),
        blockers_url=_blockers_url(),
        tasks_url=_tasks_url(),
    )
    return data


def scope_total(user: User, groups: list[Figures]) -> Figures:
    """The scope's figures as the sum of a partition of it (every plan in exactly one group, such
    as the sector groups, whose key None holds the plans with no sector): what summary_figures
    computes, without a further pass over the plans."""
    lights = {c: sum(g.lights.get(c, 0) for g in groups) for c in (GREEN, YELLOW, RED)}
    planned = sum((g.planned for g in groups), Decimal(0))
    ytd = sum((g.ytd for g in groups), Decimal(0))
    target = groups[0].target
    rate = schedule.completion_rate(ytd, planned)
    return Figures(
        key=user.region_id,
        label=user.region.name,
        projects=sum(g.projects for g in groups),
        planned=q2(planned),
        ytd=q2(ytd),
        rate=rate,
        target=target,
        gap=schedule.gap_points(rate, target),
        lights=lights,
        not_started=sum(g.not_started for g in groups),
        started=sum(g.started for g in groups),
    )


def _blockers_url() -> str | None:
    try:
        return reverse("blockers:register")
    except NoReverseMatch:  # the register is another app's; the dashboard works without it
        return None


def _tasks_url() -> str | None:
    try:
        return reverse("supervision:tasks")
    except NoReverseMatch:
        return None


def groups(user: User, *, year: int, month: int, by: str) -> list[dict]:
    return [
        figures_json(f, year=year, month=month, by=by)
        for f in group_figures(user, year=year, month=month, by=by)
    ]


def ranking(
    user: User,
    *,
    year: int,
    month: int,
    by: str,
    size: int | None = None,
    figures: list[Figures] | None = None,
) -> list[dict]:
    """Groups ranked by completion rate (best first; groups with nothing planned last).

    `size`: only the best and the worst `size` groups (each keeps its rank); `figures`: the groups
    when the caller has them already.
    """
    if figures is None:
        figures = group_figures(user, year=year, month=month, by=by)
    ranked = [f for f in figures if f.key is not None]
    ranked.sort(key=lambda f: (f.rate is None, -(f.rate or 0), f.label))
    numbered = list(enumerate(ranked, start=1))
    if size is not None and len(numbered) > 2 * size:
        numbered = numbered[:size] + numbered[-size:]
    rows = []
    for rank, f in numbered:
        row = figures_json(f, year=year, month=month, by=by)
        row["rank"] = rank
        rows.append(row)
    return rows


def curve(
    user: User, *, year: int, month: int, planned: Decimal | None = None, rows: MonthRows | None = None
) -> dict:
    """The cumulative completion rate month by month against the schedule, in one grouped query.

    Only the months up to `month` have an actual value; the schedule runs the whole year.
    `rows`: the month's plans already materialised (the dashboard's), read instead of the scope.
    """
    plans = YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
    if planned is None:
        planned = q2(rows.planned() if rows else plans.aggregate(s=Sum("planned_investment"))["s"])
    # The month's counted amounts from the maintained summary (one row per project and month,
    # read from its covering index) rather than summing the reports themselves.
    if rows is not None:
        by_month = rows.month_amounts()
    else:
        by_month = dict(
            ProjectMonth.objects.filter(
                year=year, month__lte=month, project_id__in=plans.values("project_id")
            )
            .order_by()
            .values_list("month")
            .annotate(s=Sum("month_amount"))
        )
    own = setting_for(user.region, year)
    cumulative, actual, amounts = Decimal(0), [], []
    for m in range(1, 13):
        if m > month:
            actual.append(None)
            amounts.append(None)
            continue
        cumulative += by_month.get(m) or 0
        rate = schedule.completion_rate(q2(cumulative), planned)
        actual.append(None if rate is None else float(rate))
        amounts.append(f"{q2(cumulative):.2f}")
    return {
        "months": list(range(1, 13)),
        "planned_investment": f"{planned:.2f}",
        "actual_rate": actual,
        "actual_ytd": amounts,
        "schedule_target": [float(own.target(m)) for m in range(1, 13)],
    }


def _project_json(plan: YearPlan, *, year: int, month: int) -> dict:
    project = plan.project
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "unit": project.lead_unit.name,
        "sector": project.sector.name,
        "leader": project.leader.title if project.leader else "",
        "planned_investment": f"{plan.planned_investment:.2f}",
        "ytd_investment": f"{q2(plan.ytd):.2f}",
        # rate and gap come from SQL arithmetic (floating on SQLite): two places, as on the pages.
        "completion_rate": None if plan.rate is None else float(q2(plan.rate)),
        "gap_points": None if plan.gap is None else float(q2(plan.gap)),
        "planned_start_month": plan.planned_start_month,
        "light": plan.light,
        "reason": plan.light_reason,
        "url": reverse("projects:detail", args=[project.pk]),
    }


def _short_list(
    user: User,
    *,
    year: int,
    month: int,
    chosen: Q,
    order: tuple[str, ...],
    size: int,
    ids: list[int] | None = None,
) -> list:
    """The first `size` plans in scope matching `chosen` in `order`, with their projects.

    Sorted and cut on the bare plans first (the order needs every plan's figures), then only the
    chosen rows are joined to their projects, units and sectors: joining a province's 20,000 plans
    before the sort cost more than the sort itself. `ids`: the chosen plans when the caller has
    picked them already (from MonthRows).
    """
    if ids is None:
        plans = YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
        bare = annotate_month(plans, user, year=year, month=month).filter(chosen).order_by(*order)
        ids = list(bare.values_list("pk", flat=True)[:size])
    rows = annotate_month(
        YearPlan.objects.filter(pk__in=ids).select_related(
            "project__sector", "project__lead_unit", "project__leader", "project__region"
        ),
        user,
        year=year,
        month=month,
    )
    by_id = {row.pk: row for row in rows}
    return annotate_reasons([by_id[pk] for pk in ids], month=month)


def lagging(
    user: User, *, year: int, month: int, size: int = LIST_SIZE, rows: MonthRows | None = None
) -> dict:
    """Started projects behind the schedule (red first, furthest behind first)."""
    items = _short_list(
        user,
        year=year,
        month=month,
        chosen=Q(started_flag=True, light__in=[RED, YELLOW]),
        order=("gap", "project__code"),
        size=size,
        ids=rows.lagging_ids(size) if rows else None,
    )
    return {
        "items": [_project_json(p, year=year, month=month) for p in items],
        "url": ledger_url(year, month, started="yes", light=RED),
    }


def not_started(
    user: User, *, year: int, month: int, size: int = LIST_SIZE, rows: MonthRows | None = None
) -> dict:
    """Projects not started by the end of the month, the most overdue start first."""
    items = _short_list(
        user,
        year=year,
        month=month,
        chosen=Q(started_flag=False),
        order=("planned_start_month", "project__code"),
        size=size,
        ids=rows.not_started_ids(size) if rows else None,
    )
    return {
        "items": [_project_json(p, year=year, month=month) for p in items],
        "url": ledger_url(year, month, started="no"),
    }


def dashboard(user: User, *, year: int, month: int) -> dict:
    """Everything the dashboard and the big screen draw, as JSON-ready data.

    A county ranks all its units and townships. Above county level (a city or the province, with
    thousands of them) the page ranks the counties and sends the best and worst RANK_SIZE units
    and townships; `units_total` and `townships_total` say how many were ranked.

    The month's per-plan figures are computed once (reports.month_rows) and every grouping, list
    and the curve read them: the same figures as group_figures and friends, one pass over the plans.
    """
    with month_rows(user, year=year, month=month) as rows:
        return _dashboard(user, year=year, month=month, rows=rows)


def _dashboard(user: User, *, year: int, month: int, rows: MonthRows) -> dict:
    sectors = rows.group_figures("sector")
    total = scope_total(user, sectors) if sectors else None
    data = {
        "year": year,
        "month": month,
        "scope": {"region": user.region.name, "role": user.role},
        "headline": headline(user, year=year, month=month, figures=total),
        "sectors": [figures_json(f, year=year, month=month, by="sector") for f in sectors],
    }
    if user.region.level == Region.Level.COUNTY:
        unit_figures = rows.group_figures("unit")
        data["regions"] = []
        size = None
    else:
        unit_figures, region_figures = rows.unit_and_region_figures()
        data["regions"] = ranking(user, year=year, month=month, by="region", figures=region_figures)
        size = RANK_SIZE
    township_figures = rows.group_figures("township")
    data.update(
        units=ranking(user, year=year, month=month, by="unit", size=size, figures=unit_figures),
        units_total=sum(1 for f in unit_figures if f.key is not None),
        townships=ranking(user, year=year, month=month, by="township", size=size, figures=township_figures),
        townships_total=sum(1 for f in township_figures if f.key is not None),
        units_url=f"{reverse('reports:units')}?year={year}&month={month}",
        curve=curve(user, year=year, month=month, planned=total.planned if total else None, rows=rows),
        lagging=lagging(user, year=year, month=month, rows=rows),
        not_started=not_started(user, year=year, month=month, rows=rows),
    )
    return data
