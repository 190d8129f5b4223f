"""The land register by township as an .xlsx: one sheet by township with its total, one of the plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

from .models import LandPlan
from .selectors import TownshipRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figure_columns() -> list[Column]:
    area, people, money = _("Area (mu)"), _("Relocation"), _("Compensation (10k yuan)")
    return [
        Column(_("Needed"), 11, group=area, number_format="0.00"),
        Column(_("Of it farmland"), 11, group=area, number_format="0.00"),
        Column(_("Acquired"), 11, group=area, number_format="0.00"),
        Column(_("Handed over"), 11, group=area, number_format="0.00"),
        Column(_("Households"), 9, group=people),
        Column(_("Households relocated"), 10, group=people),
        Column(_("Buildings"), 9, group=people),
        Column(_("Buildings relocated"), 10, group=people),
        Column(_("Needed"), 12, money=True, group=money),
        Column(_("Paid"), 12, money=True, group=money),
    ]


def _figures(row) -> list:
    return [
        row.area_needed,
        row.farmland,
        row.acquired,
        row.handed_over,
        row.households,
        row.households_done,
        row.buildings,
        row.buildings_done,
        row.compensation_needed,
        row.compensation_paid,
    ]


def township_sheet(rows: list[TownshipRow], total: TownshipRow, *, region: Region, year: int) -> Sheet:
    sheet = Sheet(
        title=_("%(region)s land acquisition and demolition by township, %(year)s")
        % {"region": region.name, "year": year},
        columns=[
            Column(_("Township"), 16),
            Column(_("Plans"), 8),
            *_figure_columns(),
            Column(_("Behind"), 8),
        ],
        unit_note="",
        name=_("By township"),
    )
    for row in [*rows, total]:
        sheet.rows.append([row.name, row.plans, *_figures(row), row.behind])
    sheet.emphasis.add(len(sheet.rows) - 1)
    return sheet


class _PlanFigures:
    def __init__(self, plan: LandPlan) -> None:
        self.area_needed, self.farmland = plan.area_needed, plan.farmland
        self.acquired, self.handed_over = plan.acquired_total, plan.handed_total
        self.households, self.households_done = plan.households, plan.households_done
        self.buildings, self.buildings_done = plan.buildings, plan.buildings_done
        self.compensation_needed, self.compensation_paid = plan.compensation_needed, plan.paid_total


def plans_sheet(plans: Iterable[LandPlan], *, region: Region, on: dt.date) -> Sheet:
    sheet = Sheet(
        title=_("%(region)s land plans of the key projects") % {"region": region.name},
        columns=[
            Column(_("No."), 6),
            Column(_("Township"), 14),
            Column(_("Project"), 28, wrap=True),
            Column(_("Land-use approval"), 12),
            Column(_("Approval document number"), 18, wrap=True),
            *_figure_columns(),
            Column(_("Planned hand-over date"), 12),
        ],
        unit_note="",
        subtitle=_("As of %(date)s") % {"date": on.isoformat()},
        name=_("Plans"),
    )
    for n, plan in enumerate(plans, start=1):
        sheet.rows.append(
            [
                n,
                plan.township.name,
                plan.project.name,
                plan.get_approval_display(),
                plan.approval_number,
                *_figures(_PlanFigures(plan)),
                plan.handover_due or "",
            ]
        )
    return sheet


def register_response(
    rows: list[TownshipRow],
    total: TownshipRow,
    plans: Iterable[LandPlan],
    *,
    region: Region,
    year: int,
    on: dt.date,
) -> HttpResponse:
    body = workbook_bytes(
        [township_sheet(rows, total, region=region, year=year), plans_sheet(plans, region=region, on=on)]
    )
    filename = f"{region.name}重点项目征地拆迁台账{year}.xlsx"
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
