"""The ledger as an .xlsx an office prints: grouped by sector with subtotals and a total row.

The columns are the ones exchange.project_import reads back, so an exported ledger can be
imported into another installation (or the same one) unchanged. Subtotals and the total are
aggregated by the database over the same scoped, filtered queryset as the rows.
"""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Count, QuerySet, Sum
from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.money import q2
from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

from .models import Project, YearPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMERALS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (sector group numbers as offices write them)."""
    if n < 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def _columns(year: int, with_region: bool) -> list[Column]:
    investment = _("Investment")
    columns = [
        Column(_("No."), 6),
        Column(_("Code"), 11),
        Column(_("Project name"), 28, wrap=True),
        Column(_("Construction content and scale"), 36, wrap=True),
        Column(_("Level"), 14, wrap=True),  # "县级重点项目" on one line
        Column(_("Stage"), 9),
        Column(_("Construction period"), 11),
        Column(_("Total investment"), 12, money=True, group=investment),
        Column(_("Completed before the year"), 12, money=True, group=investment),
        Column(_("%(year)s planned investment") % {"year": year}, 12, money=True, group=investment),
        Column(_("Planned start month"), 8),
        Column(_("Physical progress target"), 28, wrap=True),
        Column(_("Lead responsible unit"), 16, wrap=True),
        Column(_("Cooperating units"), 16, wrap=True),
        Column(_("Owner"), 16, wrap=True),
        Column(_("Location"), 14, wrap=True),
        Column(_("Leader in charge"), 14, wrap=True),
    ]
    if with_region:
        columns.insert(2, Column(_("County or district"), 10))
    return columns


def ledger_sheet(plans: QuerySet[YearPlan], *, year: int, region: Region) -> Sheet:
    """The rows of `plans` (already scoped and filtered) grouped by sector, with database subtotals."""
    with_region = region.level != Region.Level.COUNTY
    sheet = Sheet(
        title=_("%(region)s %(year)s key projects") % {"region": region.name, "year": year},
        columns=_columns(year, with_region),
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
    grand = unsorted.aggregate(
        n=Count("pk"),
        total=Sum("project__total_investment"),
        before=Sum("invested_before"),
        plan=Sum("planned_investment"),
    )
    ordering = [o for o in plans.query.order_by] or ["project__code"]
    rows = plans.order_by("project__sector__sort", "project__sector__name", *ordering).prefetch_related(None)
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

    def summary(first: str, label: str, row: dict) -> list[object]:
        padding = [""] * (money_at - name_at - 1)
        return [
            first,
            *[""] * (name_at - 1),
            label,
            *padding,
            q2(row["total"]),
            q2(row["before"]),
            q2(row["plan"]),
        ]

    by_sector: dict[int, list[YearPlan]] = {}
    for plan in rows:
        by_sector.setdefault(plan.project.sector_id, []).append(plan)
    n = 0
    for index, group in enumerate(groups, start=1):
        label = _("%(sector)s (%(n)d projects)") % {"sector": group["project__sector__name"], "n": group["n"]}
        sheet.emphasis.add(len(sheet.rows))
        sheet.rows.append(summary(chinese_numeral(index), label, group))
        for plan in by_sector.get(group["project__sector_id"], []):
            n += 1
            project = plan.project_id
            sheet.rows.append(
                _row(n, plan, with_region, cooperating.get(project, []), townships.get(project, []))
            )
    sheet.emphasis.add(len(sheet.rows))
    sheet.rows.append(summary("", _("Total (%(n)d projects)") % {"n": grand["n"]}, grand))
    return sheet


def _names(links: QuerySet, name: str, ordering: list[str]) -> dict[int, list[str]]:
    """{project id: [names]} from a many-to-many table, in the related model's order."""
    names: dict[int, list[str]] = {}
    for project_id, value in links.order_by("project_id", *ordering).values_list("project_id", name):
        names.setdefault(project_id, []).append(value)
    return names


def _row(
    n: int, plan: YearPlan, with_region: bool, cooperating: list[str], townships: list[str]
) -> list[object]:
    project = plan.project
    period = "-".join(str(d.year) for d in (project.planned_start, project.planned_end) if d)
    row: list[object] = [
        n,
        project.code,
        project.name,
        project.content,
        project.get_level_display(),
        plan.get_stage_display(),
        period,
        project.total_investment,
        plan.invested_before,
        plan.planned_investment,
        plan.planned_start_month or "",
        plan.progress_target,
        project.lead_unit.name,
        "、".join(cooperating),
        project.owner,
        "、".join(townships) or project.location,
        project.leader.title if project.leader else "",
    ]
    if with_region:
        row.insert(2, project.region.name)
    return row


def ledger_bytes(plans: QuerySet[YearPlan], *, year: int, region: Region) -> bytes:
    return workbook_bytes([ledger_sheet(plans, year=year, region=region)])


def ledger_filename(region: Region, year: int) -> str:
    return f"{region.name}{year}年重点项目台账.xlsx"


def ledger_response(plans: QuerySet[YearPlan], *, year: int, region: Region) -> HttpResponse:
    response = HttpResponse(ledger_bytes(plans, year=year, region=region), content_type=XLSX)
    filename = ledger_filename(region, year)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
