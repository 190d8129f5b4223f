"""The office's audit log page (等保 安全审计): who changed what, when, old → new; and its .xlsx."""

from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import office_required
from lib.xlsx import Column, Sheet, workbook_bytes

from .selectors import AuditFilterForm, entries_for, filtered, lines

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MAX_ROWS = 20_000  # the newest first; narrow the filters for older ones


@office_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, office=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else getattr(form, "cleaned_data", {})
    entries = filtered(entries_for(request.user), data)
    if request.GET.get("format") == "xlsx":
        return _export(request, entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page, "lines": lines(page.object_list)})


def _export(request: HttpRequest, entries) -> HttpResponse:
    sheet = Sheet(
        title=_("Audit log"),
        unit_note="",
        columns=[
            Column(_("Time"), 20),
            Column(_("Changed by"), 14),
            Column(_("Action"), 10),
            Column(_("Object type"), 16),
            Column(_("Object"), 36, wrap=True),
            Column(_("Changes (old → new)"), 60, wrap=True),
        ],
    )
    for line in lines(entries[:EXPORT_MAX_ROWS]):
        entry = line.entry
        sheet.rows.append(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.by.username if entry.by else _("system"),
                entry.get_action_display(),
                line.type_name,
                entry.object_repr,
                "\n".join(f"{label}: {old} → {new}" for label, old, new in line.changes),
            ]
        )
    response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    filename = f"{_('Audit log')}{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
