"""The ledger as an .xlsx an office prints: grouped by sector with subtotals and a total row.

The columns are the ones exchange.project_import reads back, at full precision (exact dates, amounts
to the cent), so that an exported ledger re-imported unchanged changes nothing. Subtotals and the total are
aggregated by the database over the same scoped, filtered queryset as the rows.
"""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Count, QuerySet, Sum
from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.money import q2
from lib.xlsx import PERCENT, POINTS, Column, Sheet, period_text, workbook_bytes
from regions.models import Region

from . import baseline
from .models import Project, YearPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMERALS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (sector group numbers as offices write them)."""
    if n < 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def _columns(year: int, month: int | None, with_region: bool) -> list[Column]:
    """Every field the list import reads (exchange.project_columns), and after the plan columns the
    month figures the ledger page shows (read by the import as nothing: they are not the list's)."""
    investment = _("Investment")
    done = _("By the end of month %(month)s") % {"month": month or ""}
    columns = [
        Column(_("No."), 6),
        Column(_("Code"), 11),
        Column(_("Project name"), 28, wrap=True),
        Column(_("Construction content and scale"), 36, wrap=True),
        Column(_("Level"), 14, wrap=True),  # "县级重点项目" on one line
        Column(_("Stage"), 9),
        Column(_("Construction period"), 12, wrap=True),
        Column(_("Total investment"), 12, money=True, group=investment),
        Column(_("Completed before the year"), 12, money=True, group=investment),
        Column(_("%(year)s planned investment") % {"year": year}, 12, money=True, group=investment),
        Column(_("Year to date"), 12, money=True, group=done),
        Column(_("Completion rate (%)"), 9, number_format=PERCENT, group=done),
        Column(_("Gap (points)"), 9, number_format=POINTS, group=done),
        Column(_("Light"), 7, group=done),
        Column(_("Planned start month"), 8, number_format="0"),
        Column(_("Physical progress target"), 28, wrap=True),
        Column(_("Lead responsible unit"), 16, wrap=True),
        Column(_("Cooperating units"), 16, wrap=True),
        Column(_("Owner"), 16, wrap=True),
        Column(_("Townships"), 14, wrap=True),
        Column(_("Location"), 14, wrap=True),
        Column(_("Leader in charge"), 14, wrap=True),
        # The list's other fields, so that a re-import reads back everything (the sector also heads
        # each group of rows).
        Column(_("Sector"), 10, wrap=True),
        Column(_("Nature"), 9, wrap=True),
        Column(_("Funding sources"), 16, wrap=True),
        Column(_("Contact person"), 9),
        Column(_("Contact phone"), 13),
        Column(_("National project code"), 26),  # the columns before it keep their places
        # The baseline (projects/baseline.py) after every column the import reads; it reads none of them.
        Column(_("Original total investment"), 12, money=True),
        Column(_("Over the estimate (%)"), 9, number_format=PERCENT),
        Column(_("Months late"), 8, number_format="0"),
    ]
    if with_region:
        columns.insert(2, Column(_("County or district"), 10))
    return columns


def _light(value: str | None) -> str:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}.get(value or "", "")


def ledger_sheet(plans: QuerySet[YearPlan], *, year: int, region: Region) -> Sheet:
    """The rows of `plans` (the ledger's scoped, filtered queryset, annotated with the month's
    figures by reports.figures) grouped by sector, with the database's subtotals and figures."""
    with_region = region.level != Region.Level.COUNTY
    light_month = plans.query.annotations.get("light_month")
    month = getattr(light_month, "value", None)
    sheet = Sheet(
        title=_("%(region)s %(year)s key projects") % {"region": region.name, "year": year},
        columns=_columns(year, month, with_region),
        unit_note=_("Unit: 10k yuan"),
        name=_("Ledger"),
    )
    unsorted = plans.order_by()
    groups = list(
        unsorted.values("project__sector_id", "project__sector__name", "project__sector__sort")
        .annotate(
            n=Count("pk"),
            total=Sum("project__total_investment"),
            before=Sum("invested_before"),
            plan=Sum("planned_investment"),
        )
        .order_by("project__sector__sort", "project__sector__name")
    )
    # The year to date, rate and gap of each group and of all, as the figures core gives them.
    by_sector = {f.key: f for f in plans.figures_by("sector")}
    overall, sums = plans.figures_with(total=Sum("project__total_investment"), before=Sum("invested_before"))
    grand = {**sums, "n": overall.projects, "plan": overall.planned}
    ordering = [o for o in plans.query.order_by] or ["project__code"]
    rows = (
        plans.order_by("project__sector__sort", "project__sector__name", *ordering)
        .prefetch_related(None)
        .select_related("project__baseline")
    )
    # Names of the cooperating units and townships of every project, in two flat queries selected by
    # a subquery: prefetch_related would send the ids of 20,000 projects as parameters.
    projects = plans.order_by().values("project_id")
    cooperating = _names(
        Project.cooperating_units.through.objects.filter(project_id__in=projects),
        "unit__name",
        ["unit__region", "unit__kind", "unit__name"],  # Unit's ordering
    )
    townships = _names(
        Project.townships.through.objects.filter(project_id__in=projects),
        "township__name",
        ["township__region", "township__sort", "township__name"],  # Township's ordering
    )
    name_at = 3 if with_region else 2
    money_at = name_at + 5  # content, level, stage, period lie between the name and the amounts

    def summary(first: str, label: str, row: dict, figures) -> list[object]:
        padding = [""] * (money_at - name_at - 1)
        return [
            first,
            *[""] * (name_at - 1),
            label,
            *padding,
            q2(row["total"]),
            q2(row["before"]),
            q2(row["plan"]),
            *_figures(figures),
        ]

    plans_by_sector: dict[int, list[YearPlan]] = {}
    for plan in rows:
        plans_by_sector.setdefault(plan.project.sector_id, []).append(plan)
    n = 0
    for index, group in enumerate(groups, start=1):
        sector = group["project__sector_id"]
        label = _("%(sector)s (%(n)d projects)") % {"sector": group["project__sector__name"], "n": group["n"]}
        sheet.emphasis.add(len(sheet.rows))
        sheet.rows.append(summary(chinese_numeral(index), label, group, by_sector.get(sector)))
        for plan in plans_by_sector.get(sector, []):
            n += 1
            project = plan.project_id
            sheet.rows.append(
                _row(n, plan, with_region, cooperating.get(project, []), townships.get(project, []))
            )
    sheet.emphasis.add(len(sheet.rows))
    sheet.rows.append(summary("", _("Total (%(n)d projects)") % {"n": grand["n"]}, grand, overall))
    return sheet


def _figures(figures) -> list[object]:
    """A group's year to date, rate and gap (reports.figures.Figures), or blanks."""
    if figures is None:
        return ["", "", "", ""]
    return [
        figures.ytd,
        "—" if figures.rate is None else figures.rate,
        "—" if figures.gap is None else figures.gap,
        "",
    ]


def _names(links: QuerySet, name: str, ordering: list[str]) -> dict[int, list[str]]:
    """{project id: [names]} from a many-to-many table, in the related model's order."""
    names: dict[int, list[str]] = {}
    for project_id, value in links.order_by("project_id", *ordering).values_list("project_id", name):
        names.setdefault(project_id, []).append(value)
    return names


def _row(
    n: int, plan: YearPlan, with_region: bool, cooperating: list[str], townships: list[str]
) -> list[object]:
    """One project at full precision: exact dates, every amount to the cent, and its month figures
    as the ledger rows carry them (ytd, rate, gap, light: never recomputed here)."""
    project = plan.project
    rate, gap = getattr(plan, "rate", None), getattr(plan, "gap", None)
    row: list[object] = [
        n,
        project.code,
        project.name,
        project.content,
        project.get_level_display(),
        plan.get_stage_display(),
        period_text(project.planned_start, project.planned_end),
        project.total_investment,
        plan.invested_before,
        plan.planned_investment,
        getattr(plan, "ytd", None),
        "—" if rate is None else rate,
        "—" if gap is None else gap,
        _light(getattr(plan, "light", None)),
        plan.planned_start_month or "",
        plan.progress_target,
        project.lead_unit.name,
        "、".join(cooperating),
        project.owner,
        "、".join(townships),
        project.location,
        project.leader.title if project.leader else "",
        project.sector.name,
        project.get_nature_display(),
        project.funding_sources,
        project.contact_person,
        project.contact_phone,
        project.national_code,
        *_baseline(project),
    ]
    if with_region:
        row.insert(2, project.region.name)
    return row


def _baseline(project: Project) -> list[object]:
    """Original total investment, 超概算 % and months late, as the ledger page shows them."""
    base, v = baseline.baseline_of(project), baseline.variance(project)
    return [
        base.total_investment if base else "—",
        "—" if v.overrun_pct is None else v.overrun_pct,
        "—" if v.months_late is None else v.months_late,
    ]


def ledger_bytes(plans: QuerySet[YearPlan], *, year: int, region: Region) -> bytes:
    return workbook_bytes([ledger_sheet(plans, year=year, region=region)])


def ledger_filename(region: Region, year: int) -> str:
    return f"{region.name}{year}年重点项目台账.xlsx"


def ledger_response(plans: QuerySet[YearPlan], *, year: int, region: Region) -> HttpResponse:
    response = HttpResponse(ledger_bytes(plans, year=year, region=region), content_type=XLSX)
    filename = ledger_filename(region, year)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
