"""Cadence pages: the weekly summary, the monthly study pack and the quarterly dispatch for a chosen period,
a button to generate the .docx, and the list of generated documents."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lib.months import previous_month
from lib.today import today

from .models import GeneratedDocument
from .periods import Period, previous_quarter
from .services import collect, document_generate, period_for

Kind = GeneratedDocument.Kind
TEMPLATES = {
    Kind.WEEKLY: "cadence/weekly.html",
    Kind.MONTHLY: "cadence/monthly.html",
    Kind.QUARTERLY: "cadence/quarterly.html",
}


def can_generate(user) -> bool:
    return user.is_overseer


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


def _period(request: HttpRequest, kind: str) -> tuple[Period, dict]:
    source = request.POST if request.method == "POST" else request.GET
    on = today()
    if kind == Kind.WEEKLY:
        try:
            day = dt.date.fromisoformat(source.get("date", ""))
        except ValueError:
            day = on
        return period_for(kind, day=day), {"date": day}
    if kind == Kind.MONTHLY:
        y, m = previous_month(on)
        year, month = _int(source.get("year"), y, 2000, 2100), _int(source.get("month"), m, 1, 12)
        return period_for(kind, year=year, number=month), {"year": year, "month": month}
    y, q = previous_quarter(on)
    year, quarter = _int(source.get("year"), y, 2000, 2100), _int(source.get("quarter"), q, 1, 4)
    return period_for(kind, year=year, number=quarter), {"year": year, "quarter": quarter}


def _page(request: HttpRequest, kind: str) -> HttpResponse:
    period, chosen = _period(request, kind)
    region = request.user.region
    if request.method == "POST":
        if not can_generate(request.user):
            raise PermissionDenied
        doc = document_generate(kind=kind, region=region, period=period, by=request.user)
        messages.success(request, _("Document generated: %(title)s") % {"title": doc.title})
        return redirect("cadence:list")
    context = {
        "kind": kind,
        "period": period,
        "chosen": chosen,
        "data": collect(kind, region, period, user=request.user),
        "region": region,
        "can_generate": can_generate(request.user),
        "months": range(1, 13),
        "quarters": range(1, 5),
        "documents": GeneratedDocument.objects.for_user(request.user).filter(
            kind=kind, period_start=period.start, region=region
        )[:5],
    }
    return render(request, TEMPLATES[kind], context)


@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    return _page(request, Kind.WEEKLY)


@login_required
def monthly(request: HttpRequest) -> HttpResponse:
    return _page(request, Kind.MONTHLY)


@login_required
def quarterly(request: HttpRequest) -> HttpResponse:
    return _page(request, Kind.QUARTERLY)


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    qs = GeneratedDocument.objects.for_user(request.user).select_related("region", "generated_by")
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "cadence/list.html", {"page": page, "kind": kind, "kinds": Kind.choices})


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(GeneratedDocument.objects.for_user(request.user), pk=pk)
    response = FileResponse(
        doc.file.open("rb"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.title + '.docx')}"
    return response
