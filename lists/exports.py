"""A published list as the .xlsx an office circulates: grouped by stage, as published."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.money import ZERO, q2
from lib.xlsx import Column, Sheet, workbook_bytes
from projects.models import YearPlan

from .models import ListEntry, YearList

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_sheet(entries: list[ListEntry], *, year_list: YearList) -> Sheet:
    """One row per entry with the figures it was published with (not the plans as since changed),
    a subtotal per stage and a total."""
    year = year_list.year
    columns = [
        Column(_("No."), 6),
        Column(_("Code"), 11),
        Column(_("National project code"), 26),
        Column(_("Project name"), 28, wrap=True),
        Column(_("Sector"), 10),
        Column(_("Lead responsible unit"), 16, wrap=True),
        Column(_("Total investment"), 12, money=True, group=_("Investment")),
        Column(_("Completed before the year"), 12, money=True, group=_("Investment")),
        Column(_("%(year)s planned investment") % {"year": year}, 12, money=True, group=_("Investment")),
        Column(_("Planned start month"), 8, number_format="0"),
        Column(_("Physical progress target"), 28, wrap=True),
    ]
    rows: list[list[object]] = []
    emphasis: set[int] = set()
    grand = [0, ZERO, ZERO, ZERO]
    for stage, label in YearPlan.Stage.choices:
        group = [e for e in entries if e.stage == stage]
        if not group:
            continue
        sums = [
            len(group),
            q2(sum((e.total_investment for e in group), ZERO)),
            q2(sum((e.before for e in group), ZERO)),
            q2(sum((e.planned_investment for e in group), ZERO)),
        ]
        grand = [a + b for a, b in zip(grand, sums, strict=True)]
        emphasis.add(len(rows))
        rows.append(
            [
                "",
                "",
                "",
                _("%(stage)s (%(n)s projects)") % {"stage": label, "n": sums[0]},
                "",
                "",
                *sums[1:],
                "",
                "",
            ]
        )
        for n, e in enumerate(group, start=1):
            project = e.plan.project if e.plan_id else e.project
            rows.append(
                [
                    n,
                    project.code if project else "",
                    project.national_code if project else "",
                    e.name,
                    e.sector.name,
                    e.lead_unit.name,
                    e.total_investment,
                    e.before,
                    e.planned_investment,
                    e.planned_start_month,
                    e.progress_target,
                ]
            )
    emphasis.add(len(rows))
    rows.append(["", "", "", _("Total (%(n)s projects)") % {"n": grand[0]}, "", "", *grand[1:], "", ""])
    published = year_list.published_at.strftime("%Y-%m-%d") if year_list.published_at else ""
    return Sheet(
        title=_("%(region)s key projects of %(year)s") % {"region": year_list.region.name, "year": year},
        subtitle=_("Published %(day)s") % {"day": published},
        columns=columns,
        rows=rows,
        emphasis=emphasis,
        name=str(year),
    )


def list_response(entries: list[ListEntry], *, year_list: YearList) -> HttpResponse:
    sheet = list_sheet(entries, year_list=year_list)
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    filename = f"{sheet.title}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
