"""Reads of reports and the schedule: per-project rows, grouped figures, the county summary.

Every read starts from Project.objects.for_user(user). Year-to-date figures count the reports of
months ≤ M that are submitted or approved; they are read from reports.ProjectMonth, which the
database keeps in step with the reports (reports/months.py), so correcting an earlier month changes
every later figure, and lists keep a fixed number of queries and one join per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round

from accounts.models import User
from lib import schedule
from lib.money import ZERO, q2
from lib.today import today
from projects.models import Project, YearPlan
from regions.models import Township

from .config import month_end, previous_month, rules_by_path, rules_in_scope
from .lights import GREEN, PCT, RED, YELLOW, light_expression, per_region
from .models import MonthlyReport

MONEY = DecimalField(max_digits=14, decimal_places=2)
GROUPS = {
    "unit": ("project__lead_unit_id", "project__lead_unit__name"),
    "sector": ("project__sector_id", "project__sector__name"),
    "township": ("project__townships__id", "project__townships__name"),
    "leader": ("project__leader_id", "project__leader__title"),
    "region": ("project__region_id", "project__region__name"),
}
GROUP_ORDER = {
    "unit": "project__lead_unit__name",
    "sector": "project__sector__sort",
    "township": "project__townships__sort",
    "leader": "project__leader__sort",
    "region": "project__region__path",
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


def counted(year: int) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(year=year, status__in=MonthlyReport.COUNTED)


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


def annotate_month(plans: QuerySet[YearPlan], user: User, *, year: int, month: int) -> QuerySet[YearPlan]:
    """Add ytd, month_amount, since_start, report_status, started_flag, rate, target, gap and light.

    One LEFT JOIN on the maintained summary reports.ProjectMonth (the row of the project, year and
    month), so ytd is a column and rate, gap and light are arithmetic on it. No row: nothing counted
    yet — ytd 0, started only if the project's actual start is by the month's end.
    """
    own, rules = rules_by_path(user, year=year, month=month)
    rate = Round(F("ytd") * _hundred() / F("planned_investment"), 2, output_field=PCT)
    return (
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
                When(
                    Q(project__actual_start__lte=month_end(year, month)) | Q(pm__started=True),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            since_start=F("invested_before") + F("ytd"),
            rate=_TwoPlaces(
                Case(When(planned_investment__gt=0, then=rate), default=Value(None), output_field=PCT)
            ),
            target=per_region([(path, r.target) for path, r in rules], own.target),
            floor=per_region([(path, r.floor) for path, r in rules], own.floor),
        )
        .annotate(
            gap=_TwoPlaces(F("rate") - F("target")),
            light=light_expression(month=month),
        )
    )


def plan_rows(user: User, *, year: int, month: int) -> QuerySet[YearPlan]:
    """The year's plans in the user's scope, annotated for month M: ytd, month_amount, since_start,
    report_status, started_flag, rate (percent or None), target, gap (points), light."""
    plans = (
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
        .select_related("project__sector", "project__lead_unit", "project__leader", "project__region")
        .prefetch_related(Prefetch("project__townships", queryset=Township.objects.only("id", "name")))
    )
    return annotate_month(plans, user, year=year, month=month)


# Light tallies packed into one integer: a green adds 1, a yellow 2**20, a red 2**40. Counting each
# colour with its own COUNT(... FILTER (WHERE light = c)) makes the database evaluate the light's
# CASE three times a row (neither SQLite nor PostgreSQL shares the expression); one SUM evaluates it
# once, which takes a province aggregate from ~60 to ~30 ms. 2**20 > any count of plans in scope.
_TALLY_BITS = 20


class _LightTally(Func):
    template = (
        f"CASE %(expressions)s WHEN '{GREEN}' THEN 1 WHEN '{YELLOW}' THEN {1 << _TALLY_BITS} "
        f"ELSE {1 << (2 * _TALLY_BITS)} END"
    )
    output_field = BigIntegerField()


def light_tally() -> Coalesce:
    """An aggregate over annotated plans: the light counts as one integer (see split_tally)."""
    return Coalesce(Sum(_LightTally(F("light"))), Value(0), output_field=BigIntegerField())


def split_tally(tally: object) -> dict[str, int]:
    """{green, yellow, red} counts from a light_tally() value."""
    value, mask = int(tally or 0), (1 << _TALLY_BITS) - 1
    return {GREEN: value & mask, YELLOW: (value >> _TALLY_BITS) & mask, RED: value >> (2 * _TALLY_BITS)}


def _aggregates() -> dict:
    started = Q(started_flag=True)
    return {
        "n": Count("pk", distinct=False),
        "planned_sum": Sum("planned_investment"),
        "ytd_sum": Sum("ytd"),
        "n_started": Count("pk", filter=started),
        "tally": light_tally(),
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
        lights=split_tally(row["tally"]),
        not_started=row["n"] - row["n_started"],
        started=row["n_started"],
    )


def summary_figures(user: User, *, year: int, month: int) -> Figures:
    """The user's whole scope at month M, in one aggregate query."""
    own, _rules = rules_by_path(user, year=year, month=month)
    rows = annotate_month(
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user)),
        user,
        year=year,
        month=month,
    )
    row = rows.order_by().aggregate(**_aggregates())
    return _figures(row, key=user.region_id, label=user.region.name, target=own.target)


def group_figures(user: User, *, year: int, month: int, by: str) -> list[Figures]:
    """One Figures per unit (lead unit), sector, township, leader or region, in one grouped query.

    A project built in two townships counts in both; projects with no township or leader fall in a
    group with key None.
    """
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    key_field, label_field = GROUPS[by]
    own, rules = rules_in_scope(user, year=year, month=month)
    rows = annotate_month(
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user)),
        user,
        year=year,
        month=month,
    )
    grouped = (
        rows.order_by()
        .values(key_field, label_field)
        .annotate(**_aggregates())
        .order_by(GROUP_ORDER[by], label_field)
    )
    result = []
    for row in grouped:
        key = row[key_field]
        target = rules[key].target if by == "region" and key in rules else own.target
        result.append(_figures(row, key=key, label=row[label_field] or "—", target=target))
    return result


def unit_and_region_figures(user: User, *, year: int, month: int) -> tuple[list[Figures], list[Figures]]:
    """Figures per lead unit and per region of the projects, from one query grouped by both.

    The same figures as group_figures(by="unit") and group_figures(by="region"), added up in
    Python from a few thousand grouped rows: a province dashboard ranks both, and one aggregate
    over its 20,000 plans costs ~50 ms.
    """
    own, rules = rules_in_scope(user, year=year, month=month)
    rows = annotate_month(
        YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user)),
        user,
        year=year,
        month=month,
    )
    grouped = (
        rows.order_by()
        .values(
            "project__region_id", "project__region__name", "project__lead_unit_id", "project__lead_unit__name"
        )
        .annotate(**_aggregates())
    )
    sums = ("n", "planned_sum", "ytd_sum", "n_started", "tally")
    units: dict[object, dict] = {}
    regions: dict[object, dict] = {}
    for row in grouped:
        for key, label, into in (
            (row["project__lead_unit_id"], row["project__lead_unit__name"], units),
            (row["project__region_id"], row["project__region__name"], regions),
        ):
            total = into.setdefault(key, {"label": label, **{k: 0 for k in sums}})
            for k in sums:
                total[k] += row[k] or 0
    unit_figures = [
        _figures(total, key=key, label=total["label"] or "—", target=own.target)
        for key, total in units.items()
    ]
    region_figures = [
        _figures(
            total,
            key=key,
            label=total["label"] or "—",
            target=rules[key].target if key in rules else own.target,
        )
        for key, total in regions.items()
    ]
    return unit_figures, region_figures


def missing_reports(user: User, *, year: int, month: int) -> QuerySet[YearPlan]:
    """Plans in scope with no submitted or approved report for the month (drafts and returns count as
    missing). For a unit user: only the projects it leads — the ones it must report."""
    plans = YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
    if user.is_unit:
        plans = plans.filter(project__lead_unit_id=user.unit_id)
    filed = counted(year).filter(project_id=OuterRef("project_id"), month=month)
    return (
        plans.exclude(Exists(filed))
        .select_related("project__lead_unit", "project__sector", "project__leader")
        .annotate(
            report_status=Subquery(
                MonthlyReport.objects.filter(
                    project_id=OuterRef("project_id"), year=year, month=month
                ).values("status")[:1]
            )
        )
        .order_by("project__lead_unit__name", "project__code")
    )


def latest_period(user: User) -> tuple[int, int]:
    """The latest (year, month) with a submitted or approved report in scope; else last month.

    Walks the (year, month, status, project) index backwards from the newest month, checking the
    scope per entry, so the province stops at its first entry and a county after a few hundred.
    The walk is bounded to this year and last; only a scope with no recent report looks further.
    """
    in_scope = Exists(Project.objects.for_user(user).filter(pk=OuterRef("project_id")))
    reports = MonthlyReport.objects.filter(in_scope, status__in=MonthlyReport.COUNTED)
    newest_first = ("-year", "-month")
    last = (
        reports.filter(year__gte=today().year - 1)
        .order_by(*newest_first)
        .values_list("year", "month")
        .first()
    )
    if last is None:
        last = reports.order_by(*newest_first).values_list("year", "month").first()
    return tuple(last) if last else previous_month(today())


def light_counts(rows: QuerySet[YearPlan]) -> dict[str, int]:
    return split_tally(rows.order_by().aggregate(tally=light_tally())["tally"])


__all__ = [
    "Figures",
    "GREEN",
    "RED",
    "YELLOW",
    "annotate_month",
    "group_figures",
    "latest_period",
    "light_counts",
    "light_tally",
    "missing_reports",
    "plan_rows",
    "split_tally",
    "summary_figures",
    "unit_and_region_figures",
]


def project_months(user: User, project: Project, *, year: int, upto: int) -> list:
    """A project's rows for months 1..upto of a year (light, reason, ytd, report status), oldest first.

    One small query per month: used on the project page only, never per row of a list.
    """
    from .lights import annotate_reasons

    plans = YearPlan.objects.filter(year=year, project=project, project__in=Project.objects.for_user(user))
    months = []
    for month in range(1, upto + 1):
        rows = annotate_reasons(annotate_month(plans, user, year=year, month=month), month=month)
        if not rows:
            return []
        rows[0].month = month
        months.append(rows[0])
    return months
