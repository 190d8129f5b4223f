"""The tender register as .xlsx, through lib.xlsx like every export: one row a package, then the total."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from lib.xlsx import Column, Sheet, workbook_bytes
from regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_response(packages, total, found, *, year: int, region: Region) -> HttpResponse:
    """`packages` decorated (works.selectors.decorate), `total` their Totals, `found` project id →
    its bidding warnings."""
    rows = [
        [
            p.project.code,
            p.project.name,
            p.project.lead_unit.name,
            p.get_kind_display(),
            p.name,
            p.get_method_display(),
            p.get_state_display(),
            p.announced_on,
            p.opened_on,
            p.awarded_on,
            p.budget,
            p.winner,
            p.contract_price,
            p.rate,
            p.agency,
            p.chief_engineer,
            "；".join(w.reason for w in found.get(p.project_id, [])),
        ]
        for p in packages
    ]
    rows.append(
        [
            _("Total"),
            "",
            "",
            "",
            "",
            "",
            "",
            None,
            None,
            None,
            total.budget,
            "",
            total.contract_price,
            total.rate,
        ]
        + ["", "", ""]
    )
    sheet = Sheet(
        title=_("%(region)s key projects: tender register %(year)s") % {"region": region.name, "year": year},
        name=_("Tender register"),
        columns=[
            Column(_("Project code"), 14),
            Column(_("Project"), 28, wrap=True),
            Column(_("Lead responsible unit"), 18, wrap=True),
            Column(_("Kind"), 8),
            Column(_("Package"), 26, wrap=True),
            Column(_("Method"), 12),
            Column(_("State"), 8),
            Column(_("Announced"), 11),
            Column(_("Opened"), 11),
            Column(_("Awarded"), 11),
            Column(_("Ceiling price"), 13, money=True),
            Column(_("Winning bidder"), 26, wrap=True),
            Column(_("Contract price"), 13, money=True),
            Column(_("Discount rate (%)"), 10, number_format="0.00"),
            Column(_("Tendering agency"), 20, wrap=True),
            Column(_("Chief supervising engineer"), 12),
            Column(_("Warnings"), 36, wrap=True),
        ],
        rows=rows,
        emphasis={len(rows) - 1},
    )
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tenders-{year}.xlsx"'
    return response
