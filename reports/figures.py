"""The month figures: the only place that says what a plan has done by the end of a month.

    plans = month_plans(user, year=2020, month=9)      # the year's plans in scope, with the figures
    plans.figures()                                    # count, plan, ytd, rate, target, gap, lights
    plans.figures_by("sector")                         # the same per sector, unit, township, ...
    plans.not_started().most_overdue_first()[:15]      # a short list, the same rows on every database
    plans.lagging().furthest_behind_first()

Every page, export, document, job and `/api/v1/` endpoint that shows a month figure reads it here.
Each rule is written once, as one query expression:

- counted report: submitted or approved (`MonthlyReport.COUNTED`); the year to date sums the counted
  reports of months ≤ M, read from the maintained summary `ProjectMonth` (reports/months.py);
- started by month M: a counted report of a month ≤ M says so (and no later counted correction ≤ M
  says it has not, reports/months.py), or the project's `actual_start` is by the end of M.
  Returning the report withdraws it (it no longer counts);
- not started: not started by month M;
- the light: reports/lights.py `light_expression`, with the region's target and yellow band;
- lagging: started, with a red or yellow light.

Rates per plan are SQL arithmetic (the light compares them); rates of groups are computed from the
groups' sums by lib/schedule. tests/test_figures_core.py holds the two equal for one-plan groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from accounts.models import User
from lib import schedule
from lib.money import ZERO, q2
from lib.months import month_end
from projects.models import YearPlan, visible_to
from regions.models import Township

from .config import Rules, rules_for
from .lights import COLOURS, GREEN, PCT, PREPARATORY, RED, YELLOW, light_expression, per_region

MONEY = DecimalField(max_digits=14, decimal_places=2)

# How each grouping reads: (key, label, order) on the plan's project.
GROUPS = {
    "unit": ("project__lead_unit_id", "project__lead_unit__name", "project__lead_unit__name"),
    "sector": ("project__sector_id", "project__sector__name", "project__sector__sort"),
    "township": ("project__townships__id", "project__townships__name", "project__townships__sort"),
    "leader": ("project__leader_id", "project__leader__title", "project__leader__sort"),
    "region": ("project__region_id", "project__region__name", "project__region__path"),
}


@dataclass
class Figures:
    """Plan, year-to-date, rate and schedule for one group (or the whole scope) at one month."""

    key: object
    label: str
    projects: int
    planned: Decimal
    ytd: Decimal
    rate: Decimal | None
    target: Decimal
    gap: Decimal | None
    lights: dict[str, int] = field(default_factory=dict)
    not_started: int = 0
    started: int = 0
    # Plans the schedule asks something of by the month: all but preparatory projects not started
    # whose start is not due (see `ranked`). None where not counted (a Figures built by hand).
    scheduled: int | None = None
    # The place in a ranking (see `ranked`): shared by ties; None for a group not ranked.
    rank: int | None = None

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "projects": self.projects,
            "planned_investment": f"{self.planned:.2f}",
            "ytd_investment": f"{self.ytd:.2f}",
            "completion_rate": None if self.rate is None else float(self.rate),
            "schedule_target": float(self.target),
            "gap_points": None if self.gap is None else float(self.gap),
            "lights": self.lights,
            "not_started": self.not_started,
            "started": self.started,
        }


def _hundred() -> Value:
    # SQLite divides integers as integers; a REAL literal keeps the fraction. PostgreSQL stays exact.
    if connection.vendor == "sqlite":
        return Value(100.0)
    return Value(Decimal(100), output_field=MONEY)


def _zero_if_null(column: str) -> Coalesce:
    return Coalesce(F(column), Value(ZERO, output_field=MONEY), output_field=MONEY)


class _TwoPlaces(Func):
    """An expression read back as a Decimal with exactly two places.

    SQLite computes rate and gap in floating point and Django reads a computed column with 15
    significant digits (a gap of 4.74 arrives as 4.73999999999999); quantizing on the way out
    gives every consumer — pages, exports, the API — the exact figure. PostgreSQL is already exact.
    """

    template = "%(expressions)s"
    output_field = PCT

    def get_db_converters(self, connection) -> list:
        return [*super().get_db_converters(connection), self._quantize]

    @staticmethod
    def _quantize(value, expression, connection) -> Decimal | None:
        return None if value is None else q2(Decimal(value))


def started_by(year: int, month: int) -> Q:
    """Started by the end of month M: a counted report of a month ≤ M says so (the ProjectMonth
    row of M, joined as `pm`), or the project's actual start is by the month's end."""
    return Q(pm__started=True) | Q(project__actual_start__lte=month_end(year, month))


@dataclass(frozen=True)
class _Month:
    user: User
    year: int
    month: int
    rules: Rules


class MonthPlans(QuerySet):
    """YearPlans annotated with one month's figures (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._month: _Month | None = None

    def _clone(self) -> MonthPlans:
        clone = super()._clone()
        clone._month = self._month
        return clone

    # -- the rules, as filters -------------------------------------------------------------
    def started(self) -> MonthPlans:
        return self.filter(started_flag=True)

    def not_started(self) -> MonthPlans:
        return self.filter(started_flag=False)

    def lagging(self) -> MonthPlans:
        """Started, and behind the schedule: a red or yellow light."""
        return self.filter(started_flag=True, light__in=[RED, YELLOW])

    def start_due(self) -> MonthPlans:
        """Not started although the planned start month has come (yellow in it, red after)."""
        return self.filter(started_flag=False, planned_start_month__lte=self._month.month)

    def with_light(self, colour: str) -> MonthPlans:
        return self.filter(light=colour)

    # -- orders that give the same rows on every database ----------------------------------
    def most_overdue_first(self) -> MonthPlans:
        """The earliest planned start first (the longest overdue), plans with none last, then code."""
        return self.order_by(F("planned_start_month").asc(nulls_last=True), "project__code")

    def furthest_behind_first(self) -> MonthPlans:
        """The largest gap behind the schedule first, plans with no rate last, then code."""
        return self.order_by(F("gap").asc(nulls_last=True), "project__code")

    # -- what a list of rows shows ----------------------------------------------------------
    def with_projects(self) -> MonthPlans:
        return self.select_related(
            "project__sector", "project__lead_unit", "project__leader", "project__region"
        ).prefetch_related(Prefetch("project__townships", queryset=Township.objects.only("id", "name")))

    def fetch_rows(self, start: int, stop: int | None) -> list:
        """Rows start..stop of the queryset's order, with their projects.

        Cut on the bare plans first (the order needs every plan's figures, not its unit's name or
        its sector), then only the chosen rows are read with their joins: a province's ledger
        joined to units, sectors, leaders and regions before the sort cost more than the sort, and
        past eight joins PostgreSQL stops choosing the join order (docs/benchmarks.md).
        """
        ids = list(self.values_list("pk", flat=True)[start:stop])
        by_pk = {row.pk: row for row in self.order_by().filter(pk__in=ids)}
        return [by_pk[pk] for pk in ids]

    # -- aggregates -------------------------------------------------------------------------
    def figures(self) -> Figures:
        """The figures of every plan in the queryset together (the user's scope by default)."""
        return self.figures_with()[0]

    def figures_with(self, **extra) -> tuple[Figures, dict]:
        """figures() and further aggregates of the same rows, in the same query."""
        ctx = self._month
        row = self.order_by().aggregate(**_aggregates(ctx.month), **extra)
        figures = _figures(row, key=ctx.user.region_id, label=ctx.user.region.name, target=self._target())
        return figures, {name: row[name] for name in extra}

    def figures_by(self, by: str) -> list[Figures]:
        """One Figures per lead unit, sector, township, leader or region (county), in the grouping's
        order. A project built in two townships counts in both; projects with no township or leader
        fall in a group with key None."""
        if by not in GROUPS:
            raise ValueError(f"unknown grouping {by!r}")
        key, label, order = GROUPS[by]
        values = (key, label, "project__region__path") if by == "region" else (key, label)
        rows = (
            self.order_by()
            .values(*values)
            .annotate(**_aggregates(self._month.month))
            .order_by(order, label, key)
        )
        return [
            _figures(
                row,
                key=row[key],
                label=row[label] or "—",
                target=self._target(row["project__region__path"] if by == "region" else None),
            )
            for row in rows
        ]

    def month_amounts(self) -> dict[int, Decimal]:
        """The counted amount of each month 1..M of the plans' projects, from ProjectMonth."""
        from .models import ProjectMonth

        ctx = self._month
        rows = (
            ProjectMonth.objects.filter(
                year=ctx.year, month__lte=ctx.month, project_id__in=self.order_by().values("project_id")
            )
            .order_by()
            .values_list("month")
            .annotate(s=Sum("month_amount"))
        )
        return {m: q2(s) for m, s in rows}

    def _target(self, path: str | None = None) -> Decimal:
        ctx = self._month
        return ctx.rules.rule(ctx.month, path).target


class PagedRows:
    """A MonthPlans as Paginator sees it: a count (given when the caller has it already) and slices
    read by MonthPlans.fetch_rows."""

    def __init__(self, plans: MonthPlans, count: int | None = None) -> None:
        self.plans, self._count = plans, count

    def count(self) -> int:
        if self._count is None:
            self._count = self.plans.order_by().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list:
        return self.plans.fetch_rows(item.start or 0, item.stop)


def unscheduled(month: int) -> Q:
    """A plan the schedule asks nothing of by the end of `month`: a preparatory project (前期) not
    started whose planned start month, if any, is still to come. Its light is green and its rate
    0 %, which says nothing about its unit: a group of such plans only is not ranked."""
    start_not_due = Q(planned_start_month__isnull=True) | Q(planned_start_month__gt=month)
    return Q(stage=PREPARATORY, started_flag=False) & start_not_due


def _aggregates(month: int) -> dict:
    return {
        "n": Count("pk"),
        "n_scheduled": Count("pk", filter=~unscheduled(month)),
        "planned_sum": Sum("planned_investment"),
        "ytd_sum": Sum("ytd"),
        "n_started": Count("pk", filter=Q(started_flag=True)),
        **{colour: Count("pk", filter=Q(light=colour)) for colour in COLOURS},
    }


def _figures(row: dict, *, key: object, label: str, target: Decimal) -> Figures:
    planned, ytd = q2(row["planned_sum"]), q2(row["ytd_sum"])
    rate = schedule.completion_rate(ytd, planned)
    return Figures(
        key=key,
        label=label,
        projects=row["n"],
        planned=planned,
        ytd=ytd,
        rate=rate,
        target=target,
        gap=schedule.gap_points(rate, target),
        lights={colour: row[colour] for colour in COLOURS},
        not_started=row["n"] - row["n_started"],
        started=row["n_started"],
        scheduled=row["n_scheduled"],
    )


def ranked(groups: list[Figures]) -> list[Figures]:
    """Every group in ranking order, each with its `rank`; the one order of every ranking (dashboard,
    big screen, unit plans and their export, the quarterly dispatch).

    Ranked, best first: the highest completion rate; ties share a rank (1, 2, 2, 4) and are listed
    by name, then key (two counties each have a 县水利局), so every database gives the same order.
    After them, with rank None, the groups the schedule asks nothing of this month (only
    preparatory plans whose start is not due, see `unscheduled`) or with nothing planned (no
    rate): listed apart, never ranked last. The group of plans with no unit, township or leader
    (key None) is left out.
    """
    groups = [g for g in groups if g.key is not None]
    by_name = sorted(groups, key=lambda g: (g.label, g.key))
    ranks = [g for g in by_name if g.rate is not None and g.scheduled != 0]
    ranks.sort(key=lambda g: -g.rate)
    apart = [g for g in by_name if g.rate is None or g.scheduled == 0]
    for position, g in enumerate(ranks, start=1):
        before = ranks[position - 2] if position > 1 else None
        g.rank = before.rank if before is not None and before.rate == g.rate else position
    for g in apart:
        g.rank = None
    return ranks + apart


def month_plans(user: User, *, year: int, month: int) -> MonthPlans:
    """The year's plans in the user's scope, annotated for month M: ytd, month_amount, since_start,
    report_status, started_flag, rate (percent or None), target, gap (points), light."""
    rules = rules_for(user, year)
    own, below = rules.rule(month), rules.rules_below(month)
    plans = MonthPlans(model=YearPlan).filter(visible_to(user, via="project"), year=year)
    rate = Round(F("ytd") * _hundred() / F("planned_investment"), 2, output_field=PCT)
    annotated = (
        plans.annotate(
            pm=FilteredRelation(
                "project__report_months",
                condition=Q(project__report_months__year=year, project__report_months__month=month),
            ),
        )
        .annotate(
            ytd=_zero_if_null("pm__ytd"),
            month_amount=_zero_if_null("pm__month_amount"),
            report_status=F("pm__report_status"),
            started_flag=Case(
                When(started_by(year, month), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            since_start=F("invested_before") + F("ytd"),
            rate=_TwoPlaces(
                Case(When(planned_investment__gt=0, then=rate), default=Value(None), output_field=PCT)
            ),
            target=per_region([(path, r.target) for path, r in below], own.target),
            floor=per_region([(path, r.floor) for path, r in below], own.floor),
        )
        .annotate(
            gap=_TwoPlaces(F("rate") - F("target")),
            light=light_expression(month=month),
        )
    )
    annotated._month = _Month(user=user, year=year, month=month, rules=rules)
    return annotated


__all__ = [
    "GREEN",
    "GROUPS",
    "RED",
    "YELLOW",
    "Figures",
    "MonthPlans",
    "PagedRows",
    "month_plans",
    "ranked",
    "started_by",
    "unscheduled",
]
