"""Reads of next year's list: the rollover of this year's projects and the draft-vs-this-year comparison.

The rollover reads the year to date of the year before from the figures core only
(reports.figures.month_plans at December): completed before the list's year =
plan(Y).invested_before + ytd(Y through December) — the `since_start` the core already computes.
It follows this year's reports (a correction in June moves it) until the project's December report
is approved; then lists.services.entries_freeze stores it on the entry and it no longer moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from accounts.models import User
from lib.money import ZERO, q2
from pool.models import Candidate
from projects.models import Project, Sector, YearPlan
from reports.figures import month_plans
from reports.models import MonthlyReport

from .models import ListEntry, YearList

DECEMBER = 12
# A promoted candidate's first-year plan by default: a third of its estimated total (a three-year
# build, the usual span of a county's key project); the office sets each entry's plan anyway.
CANDIDATE_SHARE = Decimal(3)


@dataclass(frozen=True)
class Rolled:
    """A project of the year before as it rolls over into the list's year."""

    project_id: int
    invested_before: Decimal  # completed before the list's year (万元)
    december_approved: bool  # December's report approved: the value is final and may be frozen
    stage: str
    default_plan: Decimal

    @property
    def stage_label(self) -> str:
        return YearPlan.Stage(self.stage).label


def completed_in(year: int) -> Q:
    """A project done by the end of `year`: status completed, or an actual completion by then."""
    return Q(project__status=Project.Status.COMPLETED) | Q(project__actual_end__lte=dt.date(year, 12, 31))


def stage_for(*, planned_end: dt.date | None, started: bool, year: int) -> str:
    """The stage of a rolled-over project in `year`: 竣工 if its planned completion falls in that year
    (or is already past: it is due then), 新开工 if it has not started yet, else 续建."""
    if not started:
        return YearPlan.Stage.NEW
    if planned_end is not None and planned_end.year <= year:
        return YearPlan.Stage.COMPLETING
    return YearPlan.Stage.CONTINUING


def default_plan(*, total: Decimal, invested_before: Decimal, this_year: Decimal, stage: str) -> Decimal:
    """The annual plan an entry starts with: what remains of the total for a completing project,
    else this year's plan again, never more than what remains."""
    remaining = max(total - invested_before, ZERO)
    if stage == YearPlan.Stage.COMPLETING:
        return q2(remaining)
    return q2(min(remaining, this_year))


def candidate_plan(estimated: Decimal) -> Decimal:
    return q2(estimated / CANDIDATE_SHARE)


def rollover(user: User, year_list: YearList, *, project_ids: list[int] | None = None) -> dict[int, Rolled]:
    """The rollover of the base year's plans in the list's region (or of `project_ids`), each from
    the figures core at December of the base year. Completed projects are left out. One query."""
    base = year_list.base_year
    plans = (
        month_plans(user, year=base, month=DECEMBER)
        .filter(project__region=year_list.region)
        .exclude(completed_in(base))
    )
    if project_ids is not None:
        plans = plans.filter(project_id__in=project_ids)
    rows = plans.values_list(
        "project_id",
        "since_start",
        "report_status",
        "started_flag",
        "planned_investment",
        "project__total_investment",
        "project__planned_end",
    )
    rolled = {}
    for project_id, since_start, status, started, planned, total, planned_end in rows:
        stage = stage_for(planned_end=planned_end, started=started, year=year_list.year)
        rolled[project_id] = Rolled(
            project_id=project_id,
            invested_before=q2(since_start),
            december_approved=status == MonthlyReport.Status.APPROVED,
            stage=stage,
            default_plan=default_plan(
                total=total, invested_before=q2(since_start), this_year=planned, stage=stage
            ),
        )
    return rolled


def entry_rows(user: User, year_list: YearList) -> list[ListEntry]:
    """The list's entries the user sees, each with `before` — the stored value, or for a
    continuing project of a draft still following the reports, the live rollover. Two queries."""
    entries = list(
        ListEntry.objects.for_user(user)
        .filter(year_list=year_list)
        .with_rows()
        .order_by(
            Coalesce("project__sector__sort", "candidate__sector__sort"),
            F("candidate_id").asc(nulls_first=True),
            "project__code",
            "pk",
        )
    )
    live_ids = [e.project_id for e in entries if e.project_id and e.invested_before is None]
    live = rollover(user, year_list, project_ids=live_ids) if live_ids else {}
    for entry in entries:
        if entry.invested_before is not None:
            entry.before, entry.live = entry.invested_before, False
        elif entry.candidate_id:
            entry.before, entry.live = ZERO, False
        else:
            rolled = live.get(entry.project_id)
            entry.before, entry.live = (rolled.invested_before if rolled else ZERO), True
    return entries


def continuing_choices(user: User, year_list: YearList) -> list[tuple[Project, Rolled]]:
    """The base year's continuing projects not on the list yet, for the office's picker."""
    on_list = ListEntry.objects.filter(year_list=year_list, project__isnull=False).values("project_id")
    rolled = rollover(user, year_list)
    projects = (
        Project.objects.for_user(user)
        .filter(pk__in=list(rolled))
        .exclude(pk__in=on_list)
        .select_related("sector", "lead_unit")
        .order_by("sector__sort", "code")
    )
    return [(p, rolled[p.pk]) for p in projects]


def ready_candidates(user: User, year_list: YearList):
    """The pool's candidates the office may promote into the list: in the list's region, accepted,
    ready to start (可开工), not promoted and not on this list yet."""
    on_list = ListEntry.objects.filter(year_list=year_list, candidate__isnull=False).values("candidate_id")
    return (
        Candidate.objects.for_user(user)
        .in_pool()
        .filter(
            region=year_list.region,
            review_state=Candidate.Review.ACCEPTED,
            maturity=Candidate.Maturity.READY,
        )
        .exclude(pk__in=on_list)
        .select_related("sector", "lead_unit")
        .order_by("sector__sort", "name", "pk")
    )


@dataclass
class Side:
    projects: int = 0
    planned: Decimal = ZERO


@dataclass
class CompareRow:
    key: object
    label: str
    draft: Side
    this_year: Side

    @property
    def count_change(self) -> int:
        return self.draft.projects - self.this_year.projects

    @property
    def planned_change(self) -> Decimal:
        return self.draft.planned - self.this_year.planned


# How the draft's entries group: (key, label) through the project or the candidate.
_DRAFT_GROUPS = {"sector": ("sector", "sector__name"), "unit": ("lead_unit", "lead_unit__name")}


def comparison(user: User, year_list: YearList, *, by: str) -> tuple[list[CompareRow], CompareRow]:
    """The list against the base year, per sector or lead unit: projects and annual planned investment,
    side by side. The base year's side is the figures core's (month_plans … figures_by); the list's
    side sums its entries. Four queries at most, whatever the number of entries."""
    key, label = _DRAFT_GROUPS[by]
    rows: dict[object, CompareRow] = {}
    entries = ListEntry.objects.for_user(user).filter(year_list=year_list).order_by()
    for via in ("project", "candidate"):
        grouped = (
            entries.filter(**{f"{via}__isnull": False})
            .values(k := f"{via}__{key}", lab := f"{via}__{label}")
            .annotate(n=Count("pk"), planned=Sum("planned_investment"))
        )
        for row in grouped:
            item = rows.setdefault(row[k], CompareRow(row[k], row[lab], Side(), Side()))
            item.draft.projects += row["n"]
            item.draft.planned += q2(row["planned"])
    base = month_plans(user, year=year_list.base_year, month=DECEMBER).filter(
        project__region=year_list.region
    )
    for figures in base.figures_by(by):
        item = rows.setdefault(figures.key, CompareRow(figures.key, figures.label, Side(), Side()))
        item.this_year = Side(figures.projects, figures.planned)
    sorts = dict(Sector.objects.filter(pk__in=list(rows)).values_list("pk", "sort")) if by == "sector" else {}
    ordered = sorted(rows.values(), key=lambda r: (sorts.get(r.key, 0), r.label, str(r.key)))
    total = CompareRow(
        None,
        "",
        Side(sum(r.draft.projects for r in ordered), sum((r.draft.planned for r in ordered), ZERO)),
        Side(sum(r.this_year.projects for r in ordered), sum((r.this_year.planned for r in ordered), ZERO)),
    )
    return ordered, total
