"""The milestones register as .xlsx, through lib.xlsx like every export."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

from .models import Milestone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def state_label(state: str) -> str:
    return {
        "reached": _("Reached"),
        "reached_late": _("Reached late"),
        "slipped": _("Slipped"),
        "ahead": _("Not yet due"),
    }[state]


def register_response(rows: list[Milestone], *, year: int, on: dt.date, region: Region) -> HttpResponse:
    sheet = Sheet(
        title=_("%(region)s key milestones %(year)s") % {"region": region.name, "year": year},
        subtitle=_("As of %(day)s") % {"day": on.isoformat()},
        unit_note="",
        name=str(year),
        columns=[
            Column(_("No."), 6),
            Column(_("Project code"), 14),
            Column(_("Project"), 30, wrap=True),
            Column(_("Lead responsible unit"), 22, wrap=True),
            Column(_("Milestone"), 24, wrap=True),
            Column(_("Planned date"), 12),
            Column(_("Actual date"), 12),
            Column(_("State"), 10),
            Column(_("Days late"), 10, number_format="0"),
            Column(_("Note"), 30, wrap=True),
        ],
        rows=[
            [
                n,
                m.project.code,
                m.project.name,
                m.project.lead_unit.name,
                m.name,
                m.planned_date,
                m.actual_date,
                state_label(m.state),
                m.days_late,
                m.note,
            ]
            for n, m in enumerate(rows, start=1)
        ],
    )
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="milestones-{year}.xlsx"'
    return response
