"""The ledger as an .xlsx an office prints: grouped by sector with subtotals and a total row."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.money import ZERO
from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

from .models import YearPlan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_sheet(plans: Iterable[YearPlan], *, year: int, region: Region) -> Sheet:
    columns = [
        Column(_("No."), 6),
        Column(_("Code"), 12),
        Column(_("Project name"), 30, wrap=True),
        Column(_("Construction content and scale"), 40, wrap=True),
        Column(_("Sector"), 12),
        Column(_("Stage"), 8),
        Column(_("Construction period"), 12),
        Column(_("Total investment"), 12, money=True, group=_("Investment")),
        Column(_("Completed before the year"), 12, money=True, group=_("Investment")),
        Column(_("%(year)s planned investment") % {"year": year}, 12, money=True, group=_("Investment")),
        Column(_("Lead responsible unit"), 16, wrap=True),
        Column(_("Owner"), 16, wrap=True),
        Column(_("Location"), 14, wrap=True),
        Column(_("Leader in charge"), 14, wrap=True),
        Column(_("Physical progress target"), 30, wrap=True),
    ]
    sheet = Sheet(
        title=_("%(region)s %(year)s key projects") % {"region": region.name, "year": year},
        columns=columns,
        unit_note=_("Unit: 10k yuan"),
        name=_("Ledger"),
    )
    by_sector: dict[str, list[YearPlan]] = {}
    for plan in sorted(plans, key=lambda p: (p.project.sector.sort, p.project.sector.name)):
        by_sector.setdefault(p_sector(plan), []).append(plan)
    grand = [ZERO, ZERO, ZERO]
    n = 0
    for sector, items in by_sector.items():
        sub = [sum((p.project.total_investment for p in items), ZERO),
               sum((p.invested_before for p in items), ZERO),
               sum((p.planned_investment for p in items), ZERO)]
        sheet.emphasis.add(len(sheet.rows))
        sheet.rows.append(["", "", _("%(sector)s (%(n)d projects)") % {"sector": sector, "n": len(items)}, "", "", "", "", *sub])
        for plan in items:
            n += 1
            project = plan.project
            period = "-".join(str(d.year) for d in (project.planned_start, project.planned_end) if d)
            sheet.rows.append([
                n, project.code, project.name, project.content, sector, plan.get_stage_display(), period,
                project.total_investment, plan.invested_before, plan.planned_investment,
                project.lead_unit.name, project.owner,
                "、".join(t.name for t in project.townships.all()) or project.location,
                project.leader.title if project.leader else "", plan.progress_target,
            ])
        grand = [a + b for a, b in zip(grand, sub, strict=True)]
    sheet.emphasis.add(len(sheet.rows))
    sheet.rows.append(["", "", _("Total (%(n)d projects)") % {"n": n}, "", "", "", "", *grand])
    return sheet


def p_sector(plan: YearPlan) -> str:
    return plan.project.sector.name


def ledger_response(plans: Iterable[YearPlan], *, year: int, region: Region) -> HttpResponse:
    body = workbook_bytes([ledger_sheet(plans, year=year, region=region)])
    filename = f"{region.name}{year}年重点项目台账.xlsx"
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


