"""The month's table and the unit ranking as .xlsx, laid out the way the office prints them."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.money import ZERO
from lib.xlsx import PERCENT, POINTS, Column, Sheet, workbook_bytes
from regions.models import Region

from .figures import Figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _light(value: str) -> str:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}.get(value, "")


def monthly_sheet(rows: Iterable, *, year: int, month: int, region: Region) -> Sheet:
    done = _("Investment completed")
    columns = [
        Column(_("No."), 6),
        Column(_("Code"), 12),
        Column(_("Project name"), 30, wrap=True),
        Column(_("Lead responsible unit"), 16, wrap=True),
        Column(_("Annual plan"), 12, money=True),
        Column(_("In the month"), 12, money=True, group=done),
        Column(_("Year to date"), 12, money=True, group=done),
        Column(_("Since start"), 12, money=True, group=done),
        Column(_("Completion rate (%)"), 10, number_format=PERCENT),
        Column(_("Gap to schedule (points)"), 10, number_format=POINTS),
        Column(_("Light"), 6),
        Column(_("Reason"), 30, wrap=True),
        Column(_("Report status"), 10),
    ]
    sheet = Sheet(
        title=_("%(region)s key projects: investment completed by %(year)s-%(month)02d")
        % {"region": region.name, "year": year, "month": month},
        columns=columns,
        unit_note=_("Unit: 10k yuan"),
        name=_("Monthly"),
    )
    totals = [ZERO, ZERO, ZERO, ZERO]
    n = 0
    for row in rows:
        n += 1
        project = row.project
        sheet.rows.append(
            [
                n,
                project.code,
                project.name,
                project.lead_unit.name,
                row.planned_investment,
                row.month_amount,
                row.ytd,
                row.since_start,
                "—" if row.rate is None else row.rate,
                "—" if row.gap is None else row.gap,
                _light(row.light),
                row.light_reason,
                _status(row.report_status),
            ]
        )
        totals = [
            a + b
            for a, b in zip(
                totals, [row.planned_investment, row.month_amount, row.ytd, row.since_start], strict=True
            )
        ]
    sheet.emphasis.add(len(sheet.rows))
    sheet.rows.append(["", "", _("Total (%(n)d projects)") % {"n": n}, "", *totals, "", "", "", "", ""])
    return sheet


def _status(value: str | None) -> str:
    from .models import MonthlyReport

    return str(dict(MonthlyReport.Status.choices).get(value, _("Not filed"))) if value else _("Not filed")


def units_sheet(figures: list[Figures], *, year: int, month: int, region: Region) -> Sheet:
    columns = [
        Column(_("Rank"), 6),
        Column(_("Responsible unit"), 24, wrap=True),
        Column(_("Projects"), 8, number_format="0"),
        Column(_("Annual plan"), 14, money=True),
        Column(_("Completed to date"), 14, money=True),
        Column(_("Completion rate (%)"), 12, number_format=PERCENT),
        Column(_("Schedule target (%)"), 12, number_format=PERCENT),
        Column(_("Gap (points)"), 12, number_format=POINTS),
        Column(_("Red / yellow / green"), 14),
    ]
    sheet = Sheet(
        title=_(
            "%(region)s %(year)s annual investment plan by responsible unit, to the end of month %(month)s"
        )
        % {"region": region.name, "year": year, "month": month},
        columns=columns,
        unit_note=_("Unit: 10k yuan"),
        name=_("Units"),
    )
    for f in figures:
        sheet.rows.append(
            [
                "—" if f.rank is None else f.rank,
                f.label,
                f.projects,
                f.planned,
                f.ytd,
                "—" if f.rate is None else f.rate,
                f.target,
                "—" if f.gap is None else f.gap,
                f"{f.lights['red']} / {f.lights['yellow']} / {f.lights['green']}",
            ]
        )
    return sheet


def _response(sheet: Sheet, filename: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def monthly_response(rows: Iterable, *, year: int, month: int, region: Region) -> HttpResponse:
    return _response(
        monthly_sheet(rows, year=year, month=month, region=region),
        f"{region.name}{year}年{month}月重点项目投资完成情况.xlsx",
    )


def units_response(figures: list[Figures], *, year: int, month: int, region: Region) -> HttpResponse:
    return _response(
        units_sheet(figures, year=year, month=month, region=region),
        f"{region.name}{year}年1-{month}月责任单位投资完成排名.xlsx",
    )
