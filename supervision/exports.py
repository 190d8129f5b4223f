"""Supervision tasks as an .xlsx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

from .models import SupervisionTask

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tasks_response(tasks: Iterable[SupervisionTask], *, region: Region, on: dt.date) -> HttpResponse:
    sheet = Sheet(
        title=_("%(region)s supervision tasks") % {"region": region.name},
        columns=[
            Column(_("No."), 6),
            Column(_("Task"), 36, wrap=True),
            Column(_("Source"), 12),
            Column(_("Project"), 26, wrap=True),
            Column(_("Assignee unit"), 16, wrap=True),
            Column(_("Leader in charge"), 16, wrap=True),
            Column(_("Deadline"), 12),
            Column(_("Status"), 10),
            Column(_("Overdue"), 8),
        ],
        unit_note="",
        subtitle=_("As of %(date)s") % {"date": on.isoformat()},
        name=_("Tasks"),
    )
    for n, t in enumerate(tasks, start=1):
        sheet.rows.append(
            [
                n,
                t.title,
                t.get_source_display(),
                t.project.name if t.project else "",
                t.assignee_unit.name,
                t.leader.title if t.leader else "",
                t.deadline,
                t.get_status_display(),
                _("Yes") if t.is_overdue(on) else "",
            ]
        )
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    filename = f"{region.name}督办事项{on:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
