"""Generate cadence documents and keep them (GeneratedDocument). Jobs and views both call these."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction

from lib.today import now, today
from regions.models import Region

from . import documents, selectors
from .models import GeneratedDocument
from .periods import Period, month_period, quarter_period, week_of

if TYPE_CHECKING:
    from accounts.models import User

Kind = GeneratedDocument.Kind
TITLES = {
    Kind.WEEKLY: "重点项目周汇总",
    Kind.MONTHLY: "重点项目月度研究材料",
    Kind.QUARTERLY: "重点项目季度调度通报",
}


def period_for(
    kind: str, *, day: dt.date | None = None, year: int | None = None, number: int | None = None
) -> Period:
    """The period of a document: the week containing `day`, month `number` or quarter `number` of `year`."""
    if kind == Kind.WEEKLY:
        return week_of(day or today())
    if kind == Kind.MONTHLY:
        return month_period(year, number)
    return quarter_period(year, number)


def collect(kind: str, region: Region, period: Period, *, user: User | None = None):
    """The figures a document shows (also rendered on its page): the whole region's, or, given a user,
    only what that user may see (a unit its own projects, a leader those in their charge)."""
    return {
        Kind.WEEKLY: selectors.weekly,
        Kind.MONTHLY: selectors.monthly,
        Kind.QUARTERLY: selectors.quarterly,
    }[kind](region, period, user=user)


def render_docx(kind: str, region: Region, data, *, on: dt.date) -> bytes:
    writer = {
        Kind.WEEKLY: documents.weekly_docx,
        Kind.MONTHLY: documents.monthly_docx,
        Kind.QUARTERLY: documents.quarterly_docx,
    }[kind]
    return writer(region, data, on=on)


def document_generate(
    *,
    kind: str,
    region: Region,
    period: Period,
    by: User | None = None,
    trigger: str = GeneratedDocument.Trigger.ON_DEMAND,
) -> GeneratedDocument:
    """Build the .docx for the region and period and store it; earlier versions stay listed."""
    on = today()
    body = render_docx(kind, region, collect(kind, region, period), on=on)
    title = f"{region.name}{TITLES[kind]}（{period.label}）"
    with transaction.atomic():
        doc = GeneratedDocument(
            region=region,
            kind=kind,
            title=title,
            period_start=period.start,
            period_end=period.end,
            trigger=trigger,
            generated_by=by,
            generated_at=now(),
        )
        doc.file.save(f"{kind}.docx", ContentFile(body), save=False)
        doc.save()
    return doc


def regions_with_projects() -> list[Region]:
    """Counties (or districts) that run a key-project list: the ones scheduled documents are made for."""
    return list(
        Region.objects.filter(level=Region.Level.COUNTY, projects__isnull=False).distinct().order_by("path")
    )
