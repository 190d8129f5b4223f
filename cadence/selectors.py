"""The figures behind each cadence document, for a region (through a reader's scope of that region).

Counts are aggregated in the database; the lists (lagging projects, red list) are short by nature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q

from accounts.models import User
from approvals.readiness import Missing, missing
from blockers.models import Blocker
from blockers.selectors import awaiting_meeting, blocker_counts, counts_as_of
from lib.today import today
from projects.models import Project, YearPlan
from regions.models import Region
from reports.config import rules_for
from reports.figures import Figures, month_plans, ranked
from reports.models import MonthlyReport, YearSetting
from supervision.models import Inspection, SupervisionTask
from supervision.selectors import task_counts

from .periods import Period

OPEN = [Blocker.Status.OPEN, Blocker.Status.COORDINATING]


def scope_user(region: Region) -> User:
    """An unsaved reader of the region: the scope a document generated for that region sees."""
    return User(username=f"cadence-{region.code}", role=User.Role.VIEWER, region=region)


@dataclass
class WeeklyData:
    period: Period
    reports_filed: int
    reports_by_unit: list[tuple[str, int]]
    blockers_opened: int
    blockers_resolved: int
    blockers_overdue: int
    blockers_open: int
    opened_by_kind: list[tuple[str, int]]
    tasks_due: int
    tasks_overdue: int
    tasks_closed: int
    inspections: int
    inspection_rows: list[Inspection]
    overdue_blockers: list[Blocker]
    overdue_tasks: list[SupervisionTask]


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def weekly(region: Region, period: Period, *, user: User | None = None) -> WeeklyData:
    user = user or scope_user(region)
    end = period.end
    # Overdue as the dashboard counts it (deadline before the day), on the week's last day or today
    # if the week is not over: a summary made on Friday must not call Sunday's deadlines overdue.
    as_of = min(end, today())
    filed = MonthlyReport.objects.filter(
        project__in=Project.objects.for_user(user).values("pk"),
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=end,
    )
    reports_filed = filed.count()
    by_unit = [
        (r["project__lead_unit__name"], r["n"])
        for r in filed.order_by()
        .values("project__lead_unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "project__lead_unit__name")
    ]
    blockers = Blocker.objects.for_user(user)
    counts = blockers.aggregate(
        opened=Count("pk", filter=_in("raised_at__date", period)),
        resolved=Count("pk", filter=_in("resolved_at__date", period)),
    )
    kinds = dict(Blocker.Kind.choices)
    opened_by_kind = [
        (str(kinds[r["kind"]]), r["n"])
        for r in blockers.filter(_in("raised_at__date", period))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    tasks = SupervisionTask.objects.for_user(user)
    task_counts = tasks.aggregate(
        due=Count("pk", filter=_in("deadline", period)),
        closed=Count("pk", filter=_in("closed_at__date", period)),
    )
    inspections = (
        Inspection.objects.for_user(user).filter(_in("date", period)).select_related("project", "inspector")
    )
    overdue_blockers = list(
        blockers.overdue_on(as_of).select_related("project", "lead_unit").order_by("deadline")
    )
    overdue_tasks = list(
        tasks.overdue_on(as_of).select_related("project", "assignee_unit").order_by("deadline")
    )
    return WeeklyData(
        period=period,
        reports_filed=reports_filed,
        reports_by_unit=by_unit,
        blockers_opened=counts["opened"],
        blockers_resolved=counts["resolved"],
        blockers_overdue=len(overdue_blockers),
        blockers_open=blocker_counts(user, as_of=as_of)["open"],
        opened_by_kind=opened_by_kind,
        tasks_due=task_counts["due"],
        tasks_overdue=len(overdue_tasks),
        tasks_closed=task_counts["closed"],
        inspections=inspections.count(),
        inspection_rows=list(inspections.order_by("date", "pk")),
        overdue_blockers=overdue_blockers,
        overdue_tasks=overdue_tasks,
    )


@dataclass
class ProjectLine:
    project: Project
    planned: Decimal
    ytd: Decimal | None
    rate: Decimal | None
    gap: Decimal | None
    light: str
    started: bool
    blockers: list[Blocker] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)  # 具备开工条件: what it lacks, who owns it


@dataclass
class MonthlyData:
    period: Period
    summary: Figures
    sectors: list
    lagging: list[ProjectLine]
    not_started: list[ProjectLine]
    awaiting_decision: list[Blocker]
    blockers_open: int
    blockers_overdue: int
    tasks_open: int = 0
    tasks_overdue: int = 0
    # The day the counts are taken on (blockers.selectors.counts_as_of): today for the latest
    # reporting month, the month's end for an earlier one.
    as_of: dt.date | None = None


def _open_blockers_prefetch(on: dt.date) -> Prefetch:
    return Prefetch(
        "project__blockers",
        queryset=Blocker.objects.filter(status__in=OPEN)
        .select_related("lead_unit")
        .order_by("deadline", "pk"),
        to_attr="open_blockers",
    )


def _line(plan: YearPlan) -> ProjectLine:
    return ProjectLine(
        project=plan.project,
        planned=plan.planned_investment,
        ytd=plan.ytd,
        rate=plan.rate,
        gap=plan.gap,
        light=plan.light,
        started=plan.started_flag,
        blockers=list(plan.project.open_blockers),
    )


def monthly(region: Region, period: Period, *, user: User | None = None) -> MonthlyData:
    user = user or scope_user(region)
    year, month = period.year, period.month
    plans = month_plans(user, year=year, month=month)
    rows = plans.with_projects().prefetch_related(_open_blockers_prefetch(period.end))
    awaiting = list(awaiting_meeting(user))
    on = counts_as_of(year, month)
    counts, tasks = blocker_counts(user, as_of=on), task_counts(user, as_of=on)
    not_started = [_line(p) for p in rows.start_due().most_overdue_first()]
    lacking = missing([line.project.pk for line in not_started])
    for line in not_started:
        line.missing = lacking.get(line.project.pk, [])
    return MonthlyData(
        period=period,
        summary=plans.figures(),
        sectors=plans.figures_by("sector"),
        lagging=[_line(p) for p in rows.lagging().furthest_behind_first()],
        not_started=not_started,
        awaiting_decision=awaiting,
        blockers_open=counts["open"],
        blockers_overdue=counts["overdue"],
        tasks_open=tasks["open"],
        tasks_overdue=tasks["overdue"],
        as_of=on,
    )


@dataclass
class RankRow:
    label: str
    projects: int
    planned: Decimal
    ytd: Decimal
    rate: Decimal | None
    target: Decimal
    gap: Decimal | None
    rank: int | None = None  # None: listed apart, not ranked (reports.figures.ranked)
    starts_planned: int = 0
    starts_made: int = 0
    resolved: int = 0
    resolved_on_time: int = 0


@dataclass
class QuarterlyData:
    period: Period
    summary: Figures
    units: list[RankRow]
    townships: list[RankRow]
    red_list: list[RankRow]
    commended: list[RankRow]
    starts_planned: int
    starts_made: int
    resolved: int
    resolved_on_time: int
    # The year's rule for the two lists (YearSetting.DISPATCH_RULES), printed with them.
    rule: YearSetting | None = None
    # Units and townships the schedule asks nothing of this quarter: listed, not ranked or judged.
    units_apart: list[RankRow] = field(default_factory=list)
    townships_apart: list[RankRow] = field(default_factory=list)


def _rank(figures: list[Figures]) -> tuple[list[RankRow], list[RankRow]]:
    """(ranked, apart) in the order of reports.figures.ranked."""
    rows = [
        RankRow(f.label, f.projects, f.planned, f.ytd, f.rate, f.target, f.gap, rank=f.rank)
        for f in ranked(figures)
    ]
    return [r for r in rows if r.rank is not None], [r for r in rows if r.rank is None]


def criticised(units: list[RankRow], rule: YearSetting) -> list[RankRow]:
    """The ranked units the year's rule criticises: the last N of the ranking (a tie at the N-th
    place from the bottom is criticised together), or every unit more than X points behind."""
    if rule.criticise_by == YearSetting.Criticise.GAP:
        return [r for r in units if r.gap is not None and r.gap < -rule.criticise_gap]
    n = rule.criticise_count
    if n <= 0 or not units:
        return []
    cut = units[max(len(units) - n, 0)].rank
    return [r for r in units if r.rank >= cut]


def commended(units: list[RankRow], rule: YearSetting, *, exclude: list[RankRow]) -> list[RankRow]:
    """The ranked units the year's rule commends — every one that meets it, the first N places
    (ties included) or a rate of at least Y % — except any it criticises."""
    if rule.commend_by == YearSetting.Commend.RATE:
        chosen = [r for r in units if r.rate is not None and r.rate >= rule.commend_rate]
    else:
        chosen = [r for r in units if r.rank <= rule.commend_count]
    left_out = {id(r) for r in exclude}
    return [r for r in chosen if id(r) not in left_out]


def quarterly(region: Region, period: Period, *, user: User | None = None) -> QuarterlyData:
    user = user or scope_user(region)
    year, month = period.year, period.month
    plans = month_plans(user, year=year, month=month)
    summary = plans.figures()
    units, units_apart = _rank(plans.figures_by("unit"))
    townships, townships_apart = _rank(plans.figures_by("township"))
    # Starts against plan: plans due to start by the quarter's end, and those that did.
    due = plans.filter(planned_start_month__isnull=False, planned_start_month__lte=month)
    made = Count("pk", filter=Q(started_flag=True))
    starts = {
        r["project__lead_unit__name"]: r
        for r in due.order_by().values("project__lead_unit__name").annotate(planned=Count("pk"), made=made)
    }
    # Blockers resolved in the quarter, and those by their deadline.
    resolved_qs = Blocker.objects.for_user(user).filter(
        resolved_at__date__gte=period.start, resolved_at__date__lte=period.end
    )
    on_time = Q(deadline__isnull=True) | Q(deadline__gte=F("resolved_at__date"))
    resolved = {
        r["lead_unit__name"]: r
        for r in resolved_qs.order_by()
        .values("lead_unit__name")
        .annotate(n=Count("pk"), ok=Count("pk", filter=on_time))
    }
    for row in units + units_apart:
        s, r = starts.get(row.label, {}), resolved.get(row.label, {})
        row.starts_planned, row.starts_made = s.get("planned", 0), s.get("made", 0)
        row.resolved, row.resolved_on_time = r.get("n", 0), r.get("ok", 0)
    rule = rules_for(user, year).own
    red_list = criticised(units, rule)
    totals = due.order_by().aggregate(planned=Count("pk"), made=made)
    rtotals = resolved_qs.aggregate(n=Count("pk"), ok=Count("pk", filter=on_time))
    return QuarterlyData(
        period=period,
        summary=summary,
        units=units,
        townships=townships,
        red_list=red_list,
        commended=commended(units, rule, exclude=red_list),
        starts_planned=totals["planned"],
        starts_made=totals["made"],
        resolved=rtotals["n"],
        resolved_on_time=rtotals["ok"],
        rule=rule,
        units_apart=units_apart,
        townships_apart=townships_apart,
    )
