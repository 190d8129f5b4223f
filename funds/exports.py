"""Funds by source as .xlsx, through lib.xlsx like every export: the totals by source, then each
project's year."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_response(rows, total, projects, funds, *, year: int, region: Region) -> HttpResponse:
    sources = Sheet(
        title=_("%(region)s key projects: funds by source %(year)s") % {"region": region.name, "year": year},
        name=_("By source"),
        columns=[
            Column(_("Source of funds"), 18),
            Column(_("Projects"), 8, number_format="0"),
            Column(_("Planned"), 14, money=True),
            Column(_("Arrived"), 14, money=True),
            Column(_("Paid"), 14, money=True),
            Column(_("Arrival rate (%)"), 12, number_format="0.00"),
        ],
        rows=[[r.label, r.project_count, r.planned, r.arrived, r.paid, r.rate] for r in [*rows, total]],
        emphasis={len(rows)},
    )
    per_project = Sheet(
        title=_("%(region)s key projects: funds by project %(year)s") % {"region": region.name, "year": year},
        name=_("By project"),
        columns=[
            Column(_("Project code"), 14),
            Column(_("Project"), 30, wrap=True),
            Column(_("Lead responsible unit"), 22, wrap=True),
            Column(_("Planned"), 14, money=True),
            Column(_("Arrived"), 14, money=True),
            Column(_("Paid"), 14, money=True),
            Column(_("Arrival rate (%)"), 12, number_format="0.00"),
            Column(_("Invested this year"), 14, money=True),
            Column(_("Funds behind"), 10),
        ],
        rows=[
            [
                p.code,
                p.name,
                p.lead_unit.name,
                funds[p.pk].planned,
                funds[p.pk].arrived,
                funds[p.pk].paid,
                funds[p.pk].rate,
                funds[p.pk].reported,
                _("Yes") if funds[p.pk].behind else "",
            ]
            for p in projects
        ],
    )
    response = HttpResponse(workbook_bytes([sources, per_project]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="funds-{year}.xlsx"'
    return response
