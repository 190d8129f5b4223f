"""The reserve pool as an .xlsx, with the columns an import reads (exchange/pool_columns.py): what
the page shows, filtered as it is, from the same scoped query."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lib.today import today
from lib.xlsx import Sheet, workbook_bytes
from pool.models import Candidate
from pool.views import filtered
from regions.models import Region

from .pool_columns import export_columns, export_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pool_sheet(candidates: QuerySet[Candidate], *, region: Region) -> Sheet:
    rows = candidates.select_related("sector", "lead_unit", "leader").prefetch_related(
        "townships", "channels"
    )
    ordered = rows.order_by("-proposed_start_year", "sector__sort", "name", "pk")
    return Sheet(
        title=_("%(region)s reserve pool") % {"region": region.name},
        subtitle=_("As of %(day)s") % {"day": today().isoformat()},
        columns=export_columns(),
        rows=[export_row(i, c) for i, c in enumerate(ordered, 1)],
        name=_("Reserve pool"),
    )


def pool_template() -> Sheet:
    """The import template: the export's columns, no rows."""
    return Sheet(title=_("Reserve pool"), columns=export_columns(), name=_("Reserve pool"))


@login_required
def pool_export(request: HttpRequest) -> HttpResponse:
    region = request.user.region
    if region is None:
        return HttpResponse(status=403)
    body = workbook_bytes([pool_sheet(filtered(request).qs, region=region)])
    filename = f"{region.name}储备项目库-{today():%Y%m%d}.xlsx"
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
