"""The audit log page (等保 安全审计): who changed what, when, old → new; and its .xlsx and .csv.

The security auditor's (安全审计员) page, the office's under `make run` (accounts.duties). Every
export is itself a line of the audit log: who exported, when, which filters, how many lines.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import duties
from accounts.duties import duty_required
from lib.xlsx import Column, Sheet, workbook_bytes

from .models import AuditEntry
from .selectors import AuditFilterForm, entries_for, filtered, lines

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MAX_ROWS = 20_000  # the newest first; narrow the filters for older ones


EXPORTS = {"xlsx", "csv"}


@duty_required(duties.AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, office=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else getattr(form, "cleaned_data", {})
    entries = filtered(entries_for(request.user), data)
    kind = request.GET.get("format")
    if kind in EXPORTS:
        return _export(request, entries, kind, data)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page, "lines": lines(page.object_list)})


def _rows(entries) -> list[list[str]]:
    rows = []
    for line in lines(entries[:EXPORT_MAX_ROWS]):
        entry = line.entry
        rows.append(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.by.username if entry.by else _("system"),
                entry.get_action_display(),
                line.type_name,
                entry.object_repr,
                "\n".join(f"{label}: {old} → {new}" for label, old, new in line.changes),
            ]
        )
    return rows


def _filters_text(data: dict) -> str:
    """The filters of an export, in words, for its own line in the audit log."""
    parts = []
    for name, label in (
        ("user", _("Changed by")),
        ("model", _("Object type")),
        ("start", _("Date from")),
        ("end", _("Date to")),
        ("q", _("Text")),
    ):
        if data.get(name):
            parts.append(f"{label}={data[name]}")
    return "; ".join(parts) or _("none")


def _record_export(request: HttpRequest, kind: str, data: dict, count: int) -> None:
    shown = _("Audit log export (%(kind)s, %(n)d lines)") % {"kind": kind, "n": count}
    filters = _filters_text(data)
    AuditEntry.objects.create(
        at=timezone.now(),
        by=request.user,
        action=AuditEntry.Action.EXPORTED,
        model=AuditEntry._meta.label_lower,
        object_id="",
        object_repr=shown[:200],
        region=request.user.region,
        changes=[{"field": "filters", "old": "", "new": filters}],
        text=f"{shown} {filters}".lower(),
    )


def _export(request: HttpRequest, entries, kind: str, data: dict) -> HttpResponse:
    headers = [
        _("Time"),
        _("Changed by"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("Changes (old → new)"),
    ]
    rows = _rows(entries)
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        # With a byte-order mark, Excel opens the Chinese text as UTF-8.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        widths = [20, 14, 10, 16, 36, 60]
        sheet = Sheet(
            title=_("Audit log"),
            unit_note="",
            columns=[Column(h, w, wrap=w > 30) for h, w in zip(headers, widths, strict=True)],
        )
        sheet.rows.extend(rows)
        response = HttpResponse(workbook_bytes([sheet]), content_type=XLSX)
    _record_export(request, kind, data, len(rows))
    filename = f"{_('Audit log')}{timezone.localdate():%Y%m%d}.{kind}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
