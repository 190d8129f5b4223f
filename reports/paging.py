"""Pages of month plans as Django's Paginator reads them (reports.figures.MonthPlans): the count
given when the caller has it already, and each page read in one statement kept under the plans'
recipe, as YearPlans (PagedRows) or as tuples made PlanLines (PagedPlans)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .figures import MonthPlans


class PagedRows:
    """A MonthPlans as Paginator sees it: a count (given when the caller has it already) and slices
    read by MonthPlans.fetch_rows."""

    def __init__(self, plans: MonthPlans, count: int | None = None) -> None:
        self.plans, self._count = plans, count

    def count(self) -> int:
        if self._count is None:
            self._count = self.plans.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list:
        return self.plans.fetch_rows(item.start or 0, item.stop)


# What a page prints of a plan's month figures (the wall chart's rows, the ledger's).
PLAN_COLUMNS = (
    "id",
    "project_id",
    "planned_investment",
    "ytd",
    "rate",
    "gap",
    "light",
    "started_flag",
    "planned_start_month",
    "stage",
)


class PlanLine:
    """A plan's month figures as a page of rows prints them, read as a tuple (MonthPlans.page_rows)
    rather than a YearPlan: a wall chart's 150 model instances cost ~7,400 Python calls. The page sets
    what it adds: `light_reason` (reports.lights.annotate_reasons), `light_month` and `project` (the
    ledger's RowProject)."""

    __slots__ = (*PLAN_COLUMNS, "light_reason", "light_month", "project")

    def __init__(
        self,
        id: int,
        project_id: int,
        planned_investment: Decimal,
        ytd: Decimal,
        rate: Decimal | None,
        gap: Decimal | None,
        light: str,
        started_flag: bool,
        planned_start_month: int | None,
        stage: str,
    ) -> None:
        self.id, self.project_id, self.planned_investment, self.ytd = id, project_id, planned_investment, ytd
        self.rate, self.gap, self.light, self.started_flag = rate, gap, light, started_flag
        self.planned_start_month, self.stage = planned_start_month, stage
        self.light_reason = self.light_month = self.project = None


class PagedPlans(PagedRows):
    """A MonthPlans as Paginator sees it, its pages read as PlanLines in one statement kept under
    the plans' recipe (MonthPlans.page_rows)."""

    def __getitem__(self, item: slice) -> list[PlanLine]:
        return [PlanLine(*row) for row in self.plans.page_rows(PLAN_COLUMNS, item.start or 0, item.stop)]
