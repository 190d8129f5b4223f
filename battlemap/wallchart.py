"""The wall chart (挂图): a row per project across the year's twelve months, grouped for the wall.

A page of rows costs a fixed number of queries: the month's plans (reports.figures.month_plans), the
page's projects with their open blockers, their month amounts and monthly plans (one read), their
milestones and the group figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from blockers.models import Blocker
from lib import schedule, statements
from lib.money import ZERO, fmt, q2
from lib.today import today
from milestones import selectors as milestone_selectors
from milestones.models import Milestone
from projects.models import PlanMonth, Project, YearPlan
from projects.templatetags.kp import pct, wan
from reports.config import rules_for
from reports.figures import Figures, month_plans
from reports.ledger import detail_link
from reports.lights import annotate_reasons
from reports.models import MonthlyReport, YearSetting
from reports.paging import PagedPlans, PlanLine
from reports.selectors import counted

from .selectors import as_of, figures_json

GROUPINGS = {
    # by (also reports' grouping name): (ordering of the rows, the group key of a row's project)
    "sector": (("project__sector__sort", "project__sector__name"), lambda p: p.sector_id),
    "unit": (("project__lead_unit__name",), lambda p: p.lead_unit_id),
    "leader": (("project__leader__sort", "project__leader__title"), lambda p: p.leader_id),
}
PAGE_SIZE = 150
MAX_PAGE_SIZE = 1000
MONTHS = range(1, 13)


class ProjectLine(NamedTuple):
    """What the wall prints of a row's project, read as a tuple: a page of 150 rows read as model
    instances (with unit, leader and region) cost more Python than the rest of the page's rows."""

    id: int
    code: str
    name: str
    sector_id: int | None
    lead_unit_id: int | None
    unit: str | None  # the lead unit's name
    leader_id: int | None
    leader: str | None  # the leader's title
    region_path: str  # whose year setting judges the cells
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_end: dt.date | None
    actual_end: dt.date | None
    blockers: int  # open on the wall's day
    overdue_blockers: int  # of those, past their deadline on that day


PROJECT_COLUMNS = (
    "id",
    "code",
    "name",
    "sector_id",
    "lead_unit_id",
    "lead_unit__name",
    "leader_id",
    "leader__title",
    "region__path",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
)


class MilestoneLine(NamedTuple):
    """A milestone as the wall's marks read it (milestones.selectors.state and reason read these
    three), a tuple rather than a model instance."""

    name: str
    planned_date: dt.date
    actual_date: dt.date | None


def milestone_lines(project_ids: list[int], year: int) -> dict[int, list[MilestoneLine]]:
    """Project id → its milestones of the year in planned order, in one query of tuples."""
    found: dict[int, list[MilestoneLine]] = {}
    for project_id, *line in statements.rows(
        Milestone,
        ("wall milestones", year, tuple(project_ids)),
        lambda: (
            Milestone.objects.filter(project_id__in=project_ids, year=year)
            .order_by("planned_date", "pk")
            .values_list("project_id", "name", "planned_date", "actual_date")
        ),
    ):
        found.setdefault(project_id, []).append(MilestoneLine._make(line))
    return found


# Which of month_lines' reads a row comes from: text, which Django reads without a converter (an
# integer Value is converted row by row: 1,300 calls a page).
REPORTED, PLANNED = "reported", "planned"


def month_lines(
    project_ids: list[int], plan_ids: list[int], year: int
) -> tuple[dict[int, dict[int, Decimal]], dict[int, dict[int, Decimal]]]:
    """The page's counted month amounts (project id → month → amount) and monthly plans (plan id →
    month → amount), in one query (UNION ALL of the two reads: a round trip fewer a page). Both
    unordered: the rows go into dicts (one report a project and month, one plan line a plan and
    month), and the models' orderings by project code joined every project of the province."""

    def build():
        reported = (
            counted(year)
            .filter(project_id__in=project_ids)
            .order_by()
            .annotate(_read=Value(REPORTED))
            .values_list("project_id", "month", "amount", "_read")
        )
        planned = (
            PlanMonth.objects.filter(plan_id__in=plan_ids)
            .order_by()
            .annotate(_read=Value(PLANNED))
            .values_list("plan_id", "month", "amount", "_read")
        )
        return reported.union(planned, all=True)

    amounts: dict[int, dict[int, Decimal]] = defaultdict(dict)
    monthly: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if not project_ids:
        return amounts, monthly
    for pk, m, amount, read in statements.rows(
        MonthlyReport, ("wall month lines", year, tuple(project_ids), tuple(plan_ids)), build
    ):
        (amounts if read == REPORTED else monthly)[pk][m] = amount
    return amounts, monthly


def project_lines(project_ids: list[int], on: dt.date) -> dict[int, ProjectLine]:
    """The page's projects by id (their plans are already in scope), with their open and overdue
    blockers on `on`, in one query of tuples: the counts were a grouped query of their own (a round
    trip more a page)."""

    def build():
        open_here = (
            Blocker.objects.filter(project_id=OuterRef("pk")).open_on(on).order_by().values("project_id")
        )
        counted = {
            "open_blockers": open_here.annotate(n=Count("pk")).values("n"),
            "overdue_open_blockers": open_here.annotate(n=Count("pk", filter=Q(deadline__lt=on))).values("n"),
        }
        return (
            Project.objects.filter(pk__in=project_ids)
            .order_by()
            .annotate(**{name: Coalesce(Subquery(n), 0) for name, n in counted.items()})
            .values_list(*PROJECT_COLUMNS, *counted)
        )

    rows = statements.rows(Project, ("wall projects", on, tuple(project_ids)), build)
    return {row[0]: ProjectLine._make(row) for row in rows}


# django.utils.html.escape (html.escape, quote=True) as one translation: the wall escapes six texts
# a row, and each call of escape() costs several Python calls. tests/test_wallchart_html.py holds
# the two equal.
ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: object) -> str:
    return str(text).translate(ESCAPES)


@dataclass
class Cell:
    month: int
    plan: Decimal | None = None  # the month's planned amount, when a monthly plan exists
    actual: Decimal | None = None  # the month's counted report amount
    future: bool = False
    behind: bool = False  # cumulative rate more than the yellow threshold below the plan or schedule
    marks: list[str] = field(default_factory=list)  # planned_start, actual_start, planned_end, actual_end
    milestones: list[tuple[str, str]] = field(default_factory=list)  # (mark, the milestone's words)


class Months(NamedTuple):
    """A row's twelve months as the wall reads them: a few dicts rather than an object a month (a
    page has 1,800 cells); the HTML and the JSON are written from these, and `cells()` makes the
    Cells of them for a reader who wants one a month."""

    month: int  # the wall's month: the months after it are still to come
    plans: dict[int, Decimal]  # month → the monthly plan's amount, when a monthly plan exists
    actuals: dict[int, Decimal]  # month → the month's counted report amount
    behind: Sequence[bool]  # behind[m]: month m is red (index 0 unused)
    marks: dict[int, list[str]]  # month → planned_start, actual_start, planned_end, actual_end
    milestones: dict[int, list[tuple[str, str]]]  # month → (mark, the milestone's words)

    def cells(self) -> list[Cell]:
        month, plans, actuals, behind, marks, milestones = self
        return [
            Cell(
                m,
                plans[m] if m in plans else None,
                actuals[m] if m in actuals else None,
                m > month,
                behind[m],
                marks[m] if m in marks else [],
                milestones[m] if m in milestones else [],
            )
            for m in MONTHS
        ]


@dataclass
class Row:
    plan: PlanLine
    project: ProjectLine
    months: Months
    blockers: int = 0
    overdue_blockers: int = 0

    @property
    def cells(self) -> list[Cell]:
        return self.months.cells()


MARK_ICONS = {
    "planned_start": "bi-caret-up-fill",
    "actual_start": "bi-play-fill",
    "planned_end": "bi-flag",
    "actual_end": "bi-flag-fill",
    "milestone": "bi-diamond",
    "milestone_done": "bi-diamond-fill",
    "milestone_slipped": "bi-exclamation-diamond-fill",
}
WHOLE = Decimal(1)


class RowWords:
    """What every row of a page shares, worked out once a page rather than once a group or a row:
    the project link, a red cell's tooltip and the blocker badge's words (translated, escaped)."""

    def __init__(self) -> None:
        self.url = detail_link("projects:detail")
        self.behind_title = _("Behind the plan or schedule by more than the yellow threshold").translate(
            ESCAPES
        )
        self.overdue = _("%(n)s overdue")
        self.lights = [
            (c, escape(_(word))) for c, word in (("red", "Red"), ("yellow", "Yellow"), ("green", "Green"))
        ]


def _cells_html(months: Months, behind_title: str) -> str:
    """A row's twelve month cells as HTML, written here rather than in the template: a page of 150
    rows has 1,800 of them, and the template engine spent most of the page's time on them. Numbers,
    fixed strings and escaped milestone words; `behind_title`: a red cell's tooltip, escaped and
    translated once a page."""
    month, plans, actuals, behind, marks, milestones = months
    html = ""
    for m in MONTHS:
        future = m > month
        if behind[m]:
            html += f'<td class="bm-month behind{" future" if future else ""}" title="{behind_title}">'
        else:
            html += '<td class="bm-month future">' if future else '<td class="bm-month">'
        if m in marks:
            for mark in marks[m]:
                html += f'<i class="bi bm-mark {mark} {MARK_ICONS[mark]}"></i>'
        if m in milestones:
            for mark, words in milestones[m]:
                html += (
                    f'<i class="bi bm-mark {mark} {MARK_ICONS[mark]}" title="{words.translate(ESCAPES)}"></i>'
                )
        if m in plans:
            html += f'<span class="bm-plan">{schedule.q(plans[m], WHOLE)}</span>'
        if m in actuals:
            html += f"{schedule.q(actuals[m], WHOLE)}</td>"
        elif future:
            html += "</td>"
        else:
            html += '<span class="text-secondary">·</span></td>'
    return html


@dataclass
class Group:
    key: object
    label: str
    figures: dict | None
    rows: list[Row] = field(default_factory=list)
    words: RowWords | None = None  # shared by the page's groups (made here when not given)

    @property
    def head_html(self) -> str:
        """The group's head row (label, project count and figures) as HTML, written here rather than
        in the template: the markup templates/battlemap/_wall_group_row.html draws, with the same
        filters (tests/test_wallchart_group_row.py holds the two equal)."""
        return _head_html(self, self.words or RowWords())

    @property
    def rows_html(self) -> str:
        """The group's rows as HTML, numbered from 1, written here rather than in the template (a
        page has 150 rows: the template engine spent most of the page's time on them)."""
        return _rows_html(self.rows, self.words or RowWords())


def _head_html(group: Group, words: RowWords) -> str:
    label, f = escape(group.label), group.figures
    if not f:
        return mark_safe(
            f'<tr class="bm-group">\n      <td colspan="4">{label}</td>\n      <td colspan="17"></td>\n    </tr>'
        )  # noqa: S308 — escaped
    n = f["projects"]
    lights = f["lights"]
    counts = "&emsp;".join(
        f'<span class="kp-light {c}" title="{title}"></span> {escape(lights.get(c, ""))}'
        for c, title in words.lights
    )
    return mark_safe(  # noqa: S308 — every text escaped
        '<tr class="bm-group">\n'
        f'      <td colspan="4">{label} <span class="fw-normal">'
        f"{ngettext('(%(n)s project)', '(%(n)s projects)', n) % {'n': n}}</span></td>\n"
        "      \n"
        f'      <td class="num"><a href="{escape(f["url"])}">{escape(wan(f["planned_investment"]))}</a></td>\n'
        f'      <td class="num">{escape(wan(f["ytd_investment"]))}</td>\n'
        f'      <td class="num">{escape(pct(f["completion_rate"]))}</td>\n'
        "      <td></td>\n"
        f'      <td colspan="13" class="fw-normal text-nowrap">{counts}</td>\n'
        "      \n"
        "    </tr>"
    )


def _rows_html(rows: list[Row], words: RowWords) -> str:
    """Every text is a str read from the database or translated: escaped by `ESCAPES` (equal to
    django's escape(), tests/test_wallchart_html.py)."""
    url, behind_title, overdue = words.url, words.behind_title, words.overdue
    out = []
    for n, row in enumerate(rows, start=1):
        plan, project = row.plan, row.project
        leader = project.leader.translate(ESCAPES) if project.leader else "—"
        reason = plan.light_reason.translate(ESCAPES)
        badge = ""
        if row.blockers:
            title = overdue % {"n": row.overdue_blockers}
            badge = f'<span class="bm-blocker-badge" title="{title}">{row.blockers}</span>'
        planned, ytd = plan.planned_investment, plan.ytd
        out.append(
            "<tr>"
            f'<td class="num">{n}</td>'
            f'<td><a href="{url(project.id)}">{project.name.translate(ESCAPES)}</a>'
            f'<div class="text-secondary">{project.code.translate(ESCAPES)}</div></td>'
            f"<td>{project.unit.translate(ESCAPES) if project.unit else ''}</td>"
            f"<td>{leader}</td>"
            f'<td class="num">{"—" if planned is None else fmt(planned)}</td>'
            f'<td class="num">{"—" if ytd is None else fmt(ytd)}</td>'
            f'<td class="num">{"—" if plan.rate is None else f"{Decimal(str(plan.rate)):.2f}%"}</td>'
            f'<td title="{reason}"><span class="kp-light {plan.light.translate(ESCAPES)}"></span>'
            f'<span class="visually-hidden">{reason}</span></td>'
            f"{_cells_html(row.months, behind_title)}"
            f'<td class="text-center">{badge}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every text escaped above


def wall_chart(
    user: User, *, year: int, month: int, by: str = "sector", page: int | str = 1, size: int = PAGE_SIZE
) -> tuple[list[Group], Page]:
    """The page's rows grouped by sector, lead unit or leader, with each group's figures."""
    if by not in GROUPINGS:
        by = "sector"
    ordering, key_of = GROUPINGS[by]
    scope = month_plans(user, year=year, month=month)
    rows = scope.order_by(*ordering, "project__code")
    paginator = Paginator(PagedPlans(rows), max(1, min(size, MAX_PAGE_SIZE)))
    current = paginator.get_page(page)
    # The wall shows neither townships nor the sector's name per row (the group's label is the figures'):
    # a project's unit, leader, region (for its year setting) and dates are all it reads.
    plans = annotate_reasons(current.object_list, month=month)
    project_ids = [p.project_id for p in plans]
    on = as_of(year, month)
    lines = project_lines(project_ids, on)

    plan_ids = [p.id for p in plans]
    amounts, monthly_plans = month_lines(project_ids, plan_ids, year)
    project_milestones = milestone_lines(project_ids, year)
    rules = rules_for(user, year)

    figures = {f.key: f for f in scope.figures_by(by)}
    # What each cell is judged against, once per year setting (a county has one; the province a few),
    # not once per cell: the twelve schedule targets and the yellow threshold.
    dues: dict[int | None, Due] = {}
    by_region: dict[str, Due] = {}
    on_day = today()
    words = RowWords()
    groups: list[Group] = []
    # Read once a row: a plan's project_id is a descriptor call each time (the page has 150 rows).
    for plan, pid in zip(plans, project_ids, strict=True):
        line = lines[pid]
        key = key_of(line)
        if not groups or groups[-1].key != key:
            found: Figures | None = figures.get(key)
            label = found.label if found else "—"
            groups.append(
                Group(
                    key=key,
                    label=label,
                    figures=figures_json(found, year=year, month=month, by=by) if found else None,
                    words=words,
                )
            )
        due = by_region[line.region_path] if line.region_path in by_region else None
        if due is None:
            setting = rules.setting_for_path(line.region_path)
            # By pk: a region with no setting up its path gets the defaults, unsaved (pk None).
            due = by_region[line.region_path] = dues.setdefault(setting.pk, Due.of(setting))
        groups[-1].rows.append(
            Row(
                plan=plan,
                project=line,
                months=_months(
                    plan,
                    line,
                    year=year,
                    month=month,
                    amounts=amounts[pid],
                    monthly=monthly_plans[plan.id] if plan.id in monthly_plans else {},
                    setting=due,
                    milestones=project_milestones[pid] if pid in project_milestones else [],
                    on=on_day,
                ),
                blockers=line.blockers,
                overdue_blockers=line.overdue_blockers,
            )
        )
    return groups, current


class Due:
    """A year setting as the wall's cells read it: the twelve schedule targets (`targets[m]`) and
    the yellow threshold, worked out once per setting for a page rather than once per cell."""

    def __init__(self, setting: YearSetting) -> None:
        self.setting = setting
        self.threshold = Decimal(setting.yellow_threshold)
        self.targets = [ZERO, *(setting.target(m) for m in MONTHS)]

    @classmethod
    def of(cls, setting: YearSetting) -> Due:
        return cls(setting)

    def target(self, month: int) -> Decimal:
        return self.targets[month]


NEVER_BEHIND = (False,) * 13  # a row never judged (no year setting or nothing planned)


def _months(
    plan: PlanLine,
    project: ProjectLine,
    *,
    year: int,
    month: int,
    amounts: dict[int, Decimal],
    monthly: dict[int, Decimal],
    setting: YearSetting | Due | None,
    milestones: list[MilestoneLine] = (),
    on: dt.date | None = None,
) -> Months:
    """A row's twelve months: its plan and counted amount, its marks, and whether it is red.

    A month's cell is red when judged like the warning light's red, not at every shortfall: the
    cumulative completion rate (two places) is more than the year's yellow threshold below what was
    due by that month — the cumulative monthly plan when one exists, else the time-elapsed
    schedule. A small shortfall (the light's yellow band) is not red, and nothing is due before the
    planned start month or from a preparatory project with no start planned, as for the light.
    """
    if isinstance(setting, YearSetting):
        setting = Due.of(setting)
    marks: dict[int, list[str]] = {}
    milestone_marks: dict[int, list[tuple[str, str]]] = {}
    for milestone in milestones:
        # Reached: in the month it was reached; else in its planned month, red once it has slipped.
        done = milestone.actual_date
        state = milestone_selectors.state(milestone, on or today())
        mark = {"reached": "milestone_done", "reached_late": "milestone_done", "slipped": "milestone_slipped"}
        day = done if done and done.year == year else milestone.planned_date
        words = f"{milestone.name} · {milestone.planned_date.isoformat()}"
        if state == "slipped":
            words = milestone_selectors.reason(milestone, on or today())
        milestone_marks.setdefault(day.month, []).append((mark.get(state, "milestone"), words))
    if plan.planned_start_month:
        marks.setdefault(plan.planned_start_month, []).append("planned_start")
    elif project.planned_start and project.planned_start.year == year:
        marks.setdefault(project.planned_start.month, []).append("planned_start")
    for name, day in (
        ("actual_start", project.actual_start),
        ("planned_end", project.planned_end),
        ("actual_end", project.actual_end),
    ):
        if day and day.year == year:
            marks.setdefault(day.month, []).append(name)

    planned = plan.planned_investment
    judged = setting is not None and planned is not None and planned > 0  # else no rate: never red
    # While nothing is done, no month before this one is due (13: none of the year).
    quiet_before = plan.planned_start_month or (13 if plan.stage == YearPlan.Stage.PREPARATORY else 0)
    if not judged:
        return Months(month, monthly, amounts, NEVER_BEHIND, marks, milestone_marks)
    behind = [False] * 13
    # The rates are worked out again only when what they are of has changed (a rate of nothing is 0).
    done = planned_so_far = rate = rated = due = dued = ZERO
    for m in MONTHS[:month]:  # the months to come are never judged
        if m in monthly:
            planned_so_far += monthly[m]
        if m in amounts:
            done += amounts[m]
        if done or m >= quiet_before:
            if done != rated:
                rate, rated = schedule.completion_rate(done, planned), done
            if not monthly:
                due = setting.targets[m]
            elif planned_so_far != dued:
                due, dued = schedule.completion_rate(planned_so_far, planned), planned_so_far
            behind[m] = rate < due - setting.threshold
    return Months(month, monthly, amounts, behind, marks, milestone_marks)


def wall_chart_json(groups: list[Group], page: Page, *, year: int, month: int, by: str) -> dict:
    def money(value: Decimal | None) -> str | None:
        return None if value is None else f"{q2(value):.2f}"

    return {
        "year": year,
        "month": month,
        "by": by,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "figures": g.figures,
                "rows": [
                    {
                        "id": r.plan.project_id,
                        "code": r.project.code,
                        "name": r.project.name,
                        "unit": r.project.unit,
                        "leader": r.project.leader if r.project.leader_id else "",
                        "planned_investment": money(r.plan.planned_investment),
                        "ytd_investment": money(r.plan.ytd),
                        "completion_rate": None if r.plan.rate is None else float(q2(r.plan.rate)),
                        "light": r.plan.light,
                        "reason": r.plan.light_reason,
                        "planned_start": _iso(r.project.planned_start),
                        "actual_start": _iso(r.project.actual_start),
                        "planned_end": _iso(r.project.planned_end),
                        "actual_end": _iso(r.project.actual_end),
                        "blockers_open": r.blockers,
                        "blockers_overdue": r.overdue_blockers,
                        "months": _months_json(r.months, money),
                    }
                    for r in g.rows
                ],
            }
            for g in groups
        ],
    }


def _months_json(months: Months, money: Callable[[Decimal | None], str | None]) -> list[dict]:
    _month, plans, actuals, behind, marks, _milestones = months
    return [
        {
            "month": m,
            "plan": money(plans[m]) if m in plans else None,
            "actual": money(actuals[m]) if m in actuals else None,
            "behind": behind[m],
            "marks": marks[m] if m in marks else [],
        }
        for m in MONTHS
    ]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
