"""The figures of funds by source — to-date sums, the arrival rate, totals by source — and the one rule
of the "funds behind" warning. Every page, export and endpoint of funds reads them here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lib.money import ZERO, fmt
from lib.schedule import completion_rate
from reports import warnings
from reports.ledger import detail_link
from reports.models import ProjectMonth
from reports.warnings import ProjectWarning

from .models import FundMonth, FundPlan, Source

WARNING_KIND = "funds_behind"
DECEMBER = 12
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def arrival_rate(arrived: Decimal, planned: Decimal) -> Decimal | None:
    """Arrived ÷ planned × 100, two places; None when nothing is planned (shown as "—")."""
    return completion_rate(arrived, planned)


def _summed(name: str, through: int) -> Coalesce:
    return Coalesce(
        Sum(f"months__{name}", filter=Q(months__month__lte=through)), Value(ZERO), output_field=_MONEY
    )


def with_totals(plans: QuerySet, *, through: int = DECEMBER) -> QuerySet:
    """Each plan with `arrived_total` and `paid_total`: the sums of its months up to `through`."""
    return plans.annotate(arrived_total=_summed("arrived", through), paid_total=_summed("paid", through))


@dataclass
class SourceRow:
    source: str
    label: str
    planned: Decimal = ZERO
    arrived: Decimal = ZERO
    paid: Decimal = ZERO
    projects: set[int] = field(default_factory=set)

    @property
    def rate(self) -> Decimal | None:
        return arrival_rate(self.arrived, self.planned)

    @property
    def project_count(self) -> int:
        return len(self.projects)


def by_source(plans: QuerySet, *, through: int = DECEMBER) -> tuple[list[SourceRow], SourceRow]:
    """Planned, arrived and paid by source (in the one order of Source, sources with none left out) and
    the total, for the given (scoped) plans, in one query."""
    rows = {value: SourceRow(value, str(label)) for value, label in Source.choices}
    total = SourceRow("", _("Total"))
    for plan in with_totals(plans, through=through).values(
        "source", "project_id", "planned", "arrived_total", "paid_total"
    ):
        for row in (rows[plan["source"]], total):
            row.planned += plan["planned"]
            row.arrived += plan["arrived_total"]
            row.paid += plan["paid_total"]
            row.projects.add(plan["project_id"])
    return [row for row in rows.values() if row.projects], total


def reported_ytd(project_ids: Iterable[int] | QuerySet, year: int) -> dict[int, Decimal]:
    """Investment completed in the year to date per project, as the figures core counts it: the project's
    ProjectMonth row of December (rows run from the first reported month to December, so December's
    holds every counted report of the year so far) — the same row reports.figures.month_plans reads
    as `ytd` at month 12 (tests/test_funds.py holds the two equal)."""
    rows = _year_so_far(year).filter(project__in=project_ids)
    return dict(rows.values_list("project_id", "ytd"))


def _year_so_far(year: int) -> QuerySet:
    """The ProjectMonth rows of December of `year`: each holds its project's counted year to date."""
    return ProjectMonth.objects.filter(year=year, month=DECEMBER)


@dataclass
class ProjectFunds:
    project_id: int
    planned: Decimal = ZERO
    arrived: Decimal = ZERO
    paid: Decimal = ZERO
    reported: Decimal = ZERO

    @property
    def rate(self) -> Decimal | None:
        return arrival_rate(self.arrived, self.planned)

    @property
    def behind(self) -> bool:
        """The warning's rule: more investment reported this year than money arrived for it."""
        return self.reported > self.arrived


def per_project(plans: QuerySet, year: int) -> dict[int, ProjectFunds]:
    """Project id → its year's funds to date and reported investment, for projects with a fund plan
    in the given (scoped) plans: two queries."""
    found: dict[int, ProjectFunds] = {}
    for plan in with_totals(plans.filter(year=year)).values(
        "project_id", "planned", "arrived_total", "paid_total"
    ):
        row = found.setdefault(plan["project_id"], ProjectFunds(plan["project_id"]))
        row.planned += plan["planned"]
        row.arrived += plan["arrived_total"]
        row.paid += plan["paid_total"]
    for project_id, ytd in reported_ytd(list(found), year).items():
        found[project_id].reported = ytd
    return found


def reason(row: ProjectFunds) -> str:
    return _("Funds behind: %(reported)s (10k yuan) invested this year, %(arrived)s arrived") % {
        "reported": fmt(row.reported),
        "arrived": fmt(row.arrived),
    }


def funds_warnings(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """reports.warnings provider: a project with a fund plan whose reported investment of the year runs
    ahead of the money that arrived for it. One query: the fund plans' totals with the project's
    year to date (reported_ytd's row) beside each."""

    def build(projects: QuerySet) -> QuerySet:
        plans = FundPlan.objects.filter(project__in=projects.values("pk"), year=year)
        reported = _year_so_far(year).filter(project=OuterRef("project_id")).values("ytd")[:1]
        return (
            with_totals(plans)
            .annotate(reported=Subquery(reported))
            .values_list("project_id", "planned", "arrived_total", "reported")
        )

    found: dict[int, ProjectFunds] = {}
    for project_id, planned, arrived, reported in warnings.read(projects, (WARNING_KIND, year), build):
        row = found.setdefault(project_id, ProjectFunds(project_id, reported=reported or ZERO))
        row.planned += planned
        row.arrived += arrived
    url = detail_link("funds:project")
    for row in found.values():
        if row.behind:
            yield ProjectWarning(WARNING_KIND, row.project_id, reason(row), url=url(row.project_id))


def months_of(plan_ids: Iterable[int]) -> dict[int, dict[int, FundMonth]]:
    """Plan id → month → its entry, in one query."""
    found: dict[int, dict[int, FundMonth]] = {}
    for entry in FundMonth.objects.filter(plan_id__in=list(plan_ids)):
        found.setdefault(entry.plan_id, {})[entry.month] = entry
    return found
