"""The approvals register and the departments' figures as .xlsx."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet
from regions.models import Region

from .lateness import Lateness
from .models import ApprovalNode
from .selectors import DepartmentFigures


def register_sheet(rows: list[tuple[ApprovalNode, Lateness]], *, region: Region, on: dt.date) -> Sheet:
    sheet = Sheet(
        title=_("%(region)s pre-construction approvals register") % {"region": region.name},
        columns=[
            Column(_("No."), 6),
            Column(_("Project"), 28, wrap=True),
            Column(_("Node"), 20, wrap=True),
            Column(_("Approving department"), 16, wrap=True),
            Column(_("Planned submission"), 12),
            Column(_("Submitted on"), 12),
            Column(_("Approved on"), 12),
            Column(_("Time limit (working days)"), 10),
            Column(_("Working days taken"), 10),
            Column(_("Department late (working days)"), 12),
            Column(_("Owner late (working days)"), 12),
            Column(_("Document number"), 20, wrap=True),
        ],
        unit_note="",
        subtitle=_("As of %(date)s") % {"date": on.isoformat()},
        name=_("Approvals"),
    )
    for n, (node, late) in enumerate(rows, start=1):
        sheet.rows.append(
            [
                n,
                node.project.name,
                node.name,
                node.department.name if node.department else "",
                node.planned_on or "",
                node.submitted_on or "",
                node.approved_on or "",
                node.time_limit,
                "" if late.used is None else late.used,
                late.department_late or "",
                late.owner_late or "",
                node.doc_number,
            ]
        )
    return sheet


def departments_sheet(figures: list[DepartmentFigures], *, region: Region, on: dt.date) -> Sheet:
    sheet = Sheet(
        title=_("%(region)s approving departments") % {"region": region.name},
        columns=[
            Column(_("Approving department"), 20, wrap=True),
            Column(_("Nodes"), 8),
            Column(_("In hand"), 8),
            Column(_("Over the limit"), 8),
            Column(_("Approvals granted"), 8),
            Column(_("Approved late"), 10),
            Column(_("Average working days"), 12, number_format="0.0"),
        ],
        unit_note="",
        subtitle=_("As of %(date)s") % {"date": on.isoformat()},
        name=_("Departments"),
    )
    for f in figures:
        sheet.rows.append(
            [
                f.name or _("No department"),
                f.nodes,
                f.pending,
                f.overdue,
                f.approved,
                f.approved_late,
                "" if f.average_days is None else f.average_days,
            ]
        )
    return sheet
