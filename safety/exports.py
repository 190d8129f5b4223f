"""Quality and safety as .xlsx, through lib.xlsx like every export: the hazard register, and the
statistics per unit."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lib.xlsx import PERCENT, Column, Sheet, workbook_bytes
from regions.models import Region

from .selectors import UnitRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(sheets: list[Sheet], filename: str) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def hazards_response(hazards: QuerySet, *, region: Region, on: dt.date) -> HttpResponse:
    sheet = Sheet(
        title=_("%(region)s key projects: quality and safety hazards") % {"region": region.name},
        subtitle=_("As of %(day)s") % {"day": on.isoformat()},
        unit_note="",
        name=_("Hazards"),
        columns=[
            Column(_("No."), 6),
            Column(_("Project code"), 14),
            Column(_("Project"), 28, wrap=True),
            Column(_("Inspection date"), 12),
            Column(_("Inspecting body"), 14, wrap=True),
            Column(_("Level"), 10),
            Column(_("Category"), 12, wrap=True),
            Column(pgettext("hazard", "Description"), 34, wrap=True),
            Column(_("Responsible unit"), 20, wrap=True),
            Column(_("Contractor"), 18, wrap=True),
            Column(_("Rectification deadline"), 12),
            Column(_("State"), 14, wrap=True),
            Column(_("Days overdue"), 8, number_format="0"),
            Column(_("Measures taken"), 30, wrap=True),
            Column(_("Rectified on"), 12),
            Column(_("Verified on"), 12),
        ],
        rows=[
            [
                n,
                h.project.code,
                h.project.name,
                h.inspection.date,
                h.inspection.get_body_display(),
                h.get_level_display(),
                h.get_category_display(),
                h.description,
                h.responsible_unit.name,
                h.contractor,
                h.deadline,
                h.get_state_display(),
                h.days_overdue(on) or None,
                h.measures,
                h.rectified_on,
                h.verified_on,
            ]
            for n, h in enumerate(hazards.iterator(chunk_size=1000), start=1)
        ],
    )
    return _response([sheet], f"hazards-{on.isoformat()}.xlsx")


def units_response(rows: list[UnitRow], total: UnitRow, *, year: int, region: Region) -> HttpResponse:
    sheet = Sheet(
        title=_("%(region)s key projects: quality and safety by unit %(year)s")
        % {"region": region.name, "year": year},
        unit_note="",
        name=str(year),
        columns=[
            Column(_("Responsible unit"), 24, wrap=True),
            Column(_("Hazards found"), 10, number_format="0"),
            Column(_("Rectified"), 10, number_format="0"),
            Column(_("Verified"), 10, number_format="0"),
            Column(pgettext("hazard state", "Open"), 8, number_format="0"),
            Column(_("Overdue"), 8, number_format="0"),
            Column(_("Major hazards open"), 10, number_format="0"),
            Column(_("Rectification rate (%)"), 12, number_format=PERCENT),
            Column(_("Verification rate (%)"), 12, number_format=PERCENT),
            Column(_("Accidents"), 8, number_format="0"),
            Column(_("Deaths"), 8, number_format="0"),
            Column(_("Injuries"), 8, number_format="0"),
        ],
        rows=[
            [
                r.unit.name if r.unit else _("Total"),
                r.found,
                r.rectified,
                r.verified,
                r.open,
                r.overdue,
                r.major_open,
                r.rectification_rate,
                r.verification_rate,
                r.accidents,
                r.deaths,
                r.injuries,
            ]
            for r in [*rows, total]
        ],
        emphasis={len(rows)},
    )
    return _response([sheet], f"safety-units-{year}.xlsx")
