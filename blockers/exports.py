"""The blocker register as an .xlsx, the way the office prints it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

from .models import Blocker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_sheet(blockers: Iterable[Blocker], *, region: Region, on: dt.date) -> Sheet:
    columns = [
        Column(_("No."), 6),
        Column(_("Project"), 28, wrap=True),
        Column(_("Kind"), 14),
        Column(_("Description"), 40, wrap=True),
        Column(_("Lead responsible unit"), 16, wrap=True),
        Column(_("Cooperating units"), 18, wrap=True),
        Column(_("Leader in charge"), 16, wrap=True),
        Column(_("Raised on"), 12),
        Column(_("Deadline"), 12),
        Column(_("Status"), 10),
        Column(_("Escalation level"), 14),
        Column(_("Measures"), 40, wrap=True),
        Column(_("Overdue"), 8),
    ]
    sheet = Sheet(
        title=_("%(region)s key project blocker register") % {"region": region.name},
        columns=columns,
        unit_note="",
        subtitle=_("As of %(date)s") % {"date": on.isoformat()},
        name=_("Blockers"),
    )
    for n, b in enumerate(blockers, start=1):
        sheet.rows.append(
            [
                n,
                b.project.name,
                b.get_kind_display(),
                b.description,
                b.lead_unit.name,
                "、".join(u.name for u in b.cooperating_units.all()),
                b.leader.title if b.leader else "",
                b.raised_at.date(),
                b.deadline or "",
                b.get_status_display(),
                b.get_level_display(),
                b.measures,
                _("Yes") if b.is_overdue(on) else "",
            ]
        )
    return sheet


def register_response(blockers: Iterable[Blocker], *, region: Region, on: dt.date) -> HttpResponse:
    body = workbook_bytes([register_sheet(blockers, region=region, on=on)])
    filename = f"{region.name}重点项目卡点台账{on:%Y%m%d}.xlsx"
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
