"""What the battle map shows, assembled from the month figures (reports/figures.py) and blockers.

No figure is computed here: headline, sector, unit, county and township figures, the lights, the
short lists and the monthly curve's amounts all come from reports.figures. What is added is the
drill-down address of each figure and the ranking order.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import NoReverseMatch, get_script_prefix, reverse

from accounts.models import User
from blockers.selectors import as_of_label, blocker_counts
from blockers.selectors import counts_as_of as as_of
from lib import schedule, statements
from lib.money import q2
from projects import baseline
from projects.models import Project
from regions.models import Region
from reports.config import rules_for
from reports.figures import Figures, MonthPlans, month_plans, scope_key
from reports.figures import ranked as rank_order
from reports.ledger import detail_link
from reports.lights import GREEN, RED, YELLOW, reason
from reports.selectors import period_from
from supervision.selectors import task_counts

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
    return period_from(user, year, month)


def scope_part(user: User) -> str | None:
    """Whose part of the region a user's battle map shows: a unit's name, a leader's title; None
    for the roles that see the whole region."""
    if user.is_unit and user.unit_id:
        return user.unit.name
    if user.is_leader and user.leader_id:
        return user.leader.title
    return None


def ledger_url(year: int, month: int, **filters: object) -> str:
    """The ledger filtered to the projects behind a figure."""
    query = {"year": year, "month": month}
    query.update({k: v for k, v in filters.items() if v not in (None, "")})
    return f"{_ledger_path(get_script_prefix())}?{urlencode(query)}"


def figures_json(figures: Figures, *, year: int, month: int, by: str | None = None) -> dict:
    """Figures as JSON plus what the charts need: the amount the schedule asks for and the drill-down.

    A province ranks thousands of units, so the links are built from one reversed path per
    script prefix, not with reverse() and urlencode() four times per figure.
    """
    data = figures.as_json()
    data["scheduled_investment"] = f"{q2(figures.planned * figures.target / 100):.2f}"
    query = f"year={year}&month={month}"
    if by and figures.key not in (None, ""):
        key = figures.key
        # A group's key is an id: written as urlencode() would, without quoting each digit.
        value = str(key) if type(key) is int else urlencode({"": key})[1:]
        query += f"&{LEDGER_PARAM[by]}={value}{LEDGER_EXTRA.get(by, '')}"
    url = f"{_ledger_path(get_script_prefix())}?{query}"
    data["url"] = url
    data["light_urls"] = {c: f"{url}&light={c}" for c in (GREEN, YELLOW, RED)}
    return data


@lru_cache(maxsize=8)
def _ledger_path(script_prefix: str) -> str:
    return reverse("ledger:list")


def headline(user: User, *, year: int, month: int, figures: Figures | None = None) -> dict:
    """The figures at the top of the dashboard; the same numbers as GET /api/v1/summary.

    `figures`: the scope's figures when the caller has them already (the dashboard adds up its
    sectors, MonthPlans.figures_and_by), else one aggregate query.
    """
    on = as_of(year, month)
    if figures is None:
        figures = month_plans(user, year=year, month=month).figures()
    blockers = blocker_counts(user, as_of=on)
    tasks = task_counts(user, as_of=on)
    data = figures_json(figures, year=year, month=month)
    data.update(
        blockers_open=blockers["open"],
        blockers_overdue=blockers["overdue"],
        tasks_open=tasks["open"],
        tasks_overdue=tasks["overdue"],
        as_of=on.isoformat(),
        as_of_label=as_of_label(on),
        started_url=ledger_url(year, month, started="yes"),
        not_started_url=ledger_url(year, month, started="no"),
        blockers_url=_blockers_url(),
        tasks_url=_tasks_url(),
    )
    return data


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
        for f in month_plans(user, year=year, month=month).figures_by(by)
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
    """Every group in the order of reports.figures.ranked: the ranked ones best first with their
    rank (ties share it), then those listed apart (no schedule requirement this month) with rank None.

    `size`: only the best and the worst `size` ranked groups (each keeps its rank) — the laggards are
    always sent; `figures`: the groups when the caller has them already.
    """
    if figures is None:
        figures = month_plans(user, year=year, month=month).figures_by(by)
    order = rank_order(figures)
    ranked = [f for f in order if f.rank is not None]
    apart = [f for f in order if f.rank is None]
    if size is not None and len(ranked) > 2 * size:
        ranked = ranked[:size] + ranked[-size:]
    if size is not None:
        apart = apart[: 2 * size]
    rows = []
    for f in ranked + apart:
        row = figures_json(f, year=year, month=month, by=by)
        row["rank"] = f.rank
        rows.append(row)
    return rows


def curve(
    user: User, *, year: int, month: int, plans: MonthPlans | None = None, planned: Decimal | None = None
) -> dict:
    """The cumulative completion rate month by month against the schedule.

    Only the months up to `month` have an actual value; the schedule runs the whole year.
    `plans`, `planned`: the month's plans and their annual plan when the caller has them already.
    """
    plans = plans if plans is not None else month_plans(user, year=year, month=month)
    planned = planned if planned is not None else plans.figures().planned
    by_month = plans.month_amounts()
    own = rules_for(user, year).own
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


# What a short list prints of a project, read as tuples: the dashboard's two lists of 15 read as
# model instances with their unit, sector and leader cost more Python than the rest of the lists.
LIST_COLUMNS = ("id", "code", "name", "lead_unit__name", "sector__name", "leader__title")
# What it prints of a plan, read as tuples too, in the statement that chooses the rows. The projects
# are read apart: joined to the plans, PostgreSQL takes longer to plan the statement than to run it
# (planning 0.8 → 10 ms on the bench county's lagging list).
PLAN_COLUMNS = (
    "project_id",
    "planned_investment",
    "ytd",
    "rate",
    "gap",
    "planned_start_month",
    "light",
    "started_flag",
    "stage",
)


def list_projects(rows: list[tuple]) -> dict[int, tuple]:
    """Project id → LIST_COLUMNS of the projects of PLAN_COLUMNS `rows`, one query."""
    ids = sorted({row[0] for row in rows})
    found = statements.rows(
        Project,
        ("list projects", tuple(ids)),
        lambda: Project.objects.filter(pk__in=ids).values_list(*LIST_COLUMNS),
    )
    return {row[0]: row for row in found}


def _short_rows(chosen: MonthPlans, *, size: int) -> list[tuple]:
    """The first `size` plans of an ordered choice as PLAN_COLUMNS tuples, one statement (kept by
    reports.figures under the choice's recipe)."""
    return chosen.first_rows(PLAN_COLUMNS, size)


def _project_json(plan: tuple, project: tuple, *, month: int, url) -> dict:
    """`plan`: PLAN_COLUMNS of a plan; `project`: its LIST_COLUMNS; `url`:
    reports.ledger.detail_link("projects:detail"), reversed once for a list."""
    pk, planned, ytd, rate, gap, start, light, started, stage = plan
    _pk, code, name, unit, sector, leader = project
    return {
        "id": pk,
        "code": code,
        "name": name,
        "unit": unit,
        "sector": sector,
        "leader": leader or "",
        "planned_investment": f"{planned:.2f}",
        "ytd_investment": f"{q2(ytd):.2f}",
        "completion_rate": None if rate is None else float(rate),
        "gap_points": None if gap is None else float(gap),
        "planned_start_month": start,
        "light": light,
        "reason": reason(
            light, month=month, started=started, planned_start_month=start, rate=rate, gap=gap, stage=stage
        ),
        "url": url(pk),
    }


def _short_list(
    chosen: MonthPlans,
    *,
    month: int,
    size: int,
    rows: list[tuple] | None = None,
    projects: dict[int, tuple] | None = None,
) -> list[dict]:
    """The first `size` of an ordered choice of plans as JSON, with their projects and reasons.

    `rows`, `projects`: those plans and their projects already read (the dashboard reads both of its
    lists' projects in one query)."""
    if rows is None:
        rows = _short_rows(chosen, size=size)
    if projects is None:
        projects = list_projects(rows)
    link = detail_link("projects:detail")
    return [_project_json(row, projects[row[0]], month=month, url=link) for row in rows]


def lagging(
    user: User,
    *,
    year: int,
    month: int,
    size: int = LIST_SIZE,
    plans: MonthPlans | None = None,
    rows: list[tuple] | None = None,
    projects: dict[int, tuple] | None = None,
) -> dict:
    """Started projects behind the schedule, the furthest behind first."""
    plans = plans if plans is not None else month_plans(user, year=year, month=month)
    chosen = plans.lagging().furthest_behind_first()
    return {
        "items": _short_list(chosen, month=month, size=size, rows=rows, projects=projects),
        "url": ledger_url(year, month, started="yes", light=RED),
    }


def red_list(
    user: User, *, year: int, month: int, size: int = LIST_SIZE, plans: MonthPlans | None = None
) -> dict:
    """Projects lit red, started or not, the furthest behind first (a leader's and the county
    head's home page); `count` is all of them."""
    plans = plans if plans is not None else month_plans(user, year=year, month=month)
    red = plans.with_light(RED)
    return {
        "items": _short_list(red.furthest_behind_first(), month=month, size=size),
        "count": red.order_by().count(),
        "url": ledger_url(year, month, light=RED),
    }


def not_started(
    user: User,
    *,
    year: int,
    month: int,
    size: int = LIST_SIZE,
    plans: MonthPlans | None = None,
    rows: list[tuple] | None = None,
    projects: dict[int, tuple] | None = None,
) -> dict:
    """Projects not started by the end of the month, the most overdue start first."""
    plans = plans if plans is not None else month_plans(user, year=year, month=month)
    chosen = plans.not_started().most_overdue_first()
    return {
        "items": _short_list(chosen, month=month, size=size, rows=rows, projects=projects),
        "url": ledger_url(year, month, started="no"),
    }


def dashboard(user: User, *, year: int, month: int) -> dict:
    """Everything the dashboard and the big screen draw, as JSON-ready data.

    A county sends all its units and townships. Above county level (a city or the province, with
    thousands of them) the page ranks the counties and sends the best and worst RANK_SIZE ranked
    units and townships (the laggards always) and at most 2 × RANK_SIZE of those listed apart;
    `units_total` and `townships_total` say how many groups there are, `units_ranked` and
    `townships_ranked` how many of them are ranked.
    """
    plans = month_plans(user, year=year, month=month)
    # The headline is its sectors added up: one statement for both.
    total, sectors = plans.figures_and_by("sector")
    data = {
        "year": year,
        "month": month,
        "scope": {"region": user.region.name, "role": user.role},
        "headline": headline(user, year=year, month=month, figures=total),
        "sectors": [figures_json(f, year=year, month=month, by="sector") for f in sectors],
    }
    county = user.region.level == Region.Level.COUNTY
    size = None if county else RANK_SIZE
    data["regions"] = (
        []
        if county
        else ranking(user, year=year, month=month, by="region", figures=plans.figures_by("region"))
    )
    # Both short lists' plans, then their projects in one query.
    lagging_rows = _short_rows(plans.lagging().furthest_behind_first(), size=LIST_SIZE)
    not_started_rows = _short_rows(plans.not_started().most_overdue_first(), size=LIST_SIZE)
    projects = list_projects(lagging_rows + not_started_rows)
    unit_figures = plans.figures_by("unit")
    township_figures = plans.figures_by("township")
    data.update(
        units=ranking(user, year=year, month=month, by="unit", size=size, figures=unit_figures),
        units_total=sum(1 for f in unit_figures if f.key is not None),
        # ranking() gave each group its rank (None: listed apart).
        units_ranked=sum(1 for f in unit_figures if f.rank is not None),
        townships=ranking(user, year=year, month=month, by="township", size=size, figures=township_figures),
        townships_total=sum(1 for f in township_figures if f.key is not None),
        townships_ranked=sum(1 for f in township_figures if f.rank is not None),
        units_url=f"{reverse('reports:units')}?year={year}&month={month}",
        curve=curve(user, year=year, month=month, plans=plans, planned=total.planned),
        lagging=lagging(user, year=year, month=month, plans=plans, rows=lagging_rows, projects=projects),
        not_started=not_started(
            user, year=year, month=month, plans=plans, rows=not_started_rows, projects=projects
        ),
        # Largest overruns and delays against the original baseline (projects/baseline.py).
        baseline=baseline.largest(user, year=year, scope=scope_key(user)),
    )
    return data
