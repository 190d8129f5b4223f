"""Make cadence documents and issue them. A draft is rendered from today's figures every time it is read
and carries no number; issuing gives the document its number (in sequence per region, kind and year),
stores its file and headline figures, and from then on it is served as issued. Figures corrected later
are not changed behind a numbered document: the next document of the kind prints them as adjustments
(上期数据调整). Jobs and views both call these."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lib.money import fmt
from lib.today import now, today
from meetings.documents import minutes_docx
from regions.models import Region

from . import documents, selectors
from .documents import Head
from .models import DocumentSettings, GeneratedDocument
from .periods import Period, month_period, quarter_period, week_of

if TYPE_CHECKING:
    from accounts.models import User

Kind = GeneratedDocument.Kind
TITLES = {
    Kind.WEEKLY: "重点项目周汇总",
    Kind.MONTHLY: "重点项目月度研究材料",
    Kind.QUARTERLY: "重点项目季度调度通报",
}
# How often issuing retries when another issue took the same serial number in the meantime.
ISSUE_ATTEMPTS = 5


def period_for(
    kind: str, *, day: dt.date | None = None, year: int | None = None, number: int | None = None
) -> Period:
    """The period of a document: the week containing `day`, month `number` or quarter `number` of `year`."""
    if kind == Kind.WEEKLY:
        return week_of(day or today())
    if kind == Kind.MONTHLY:
        return month_period(year, number)
    return quarter_period(year, number)


def period_of(doc: GeneratedDocument) -> Period:
    if doc.kind == Kind.WEEKLY:
        return week_of(doc.period_start)
    if doc.kind == Kind.MONTHLY:
        return month_period(doc.period_start.year, doc.period_start.month)
    return quarter_period(doc.period_end.year, doc.period_end.month // 3)


def collect(kind: str, region: Region, period: Period, *, user: User | None = None):
    """The figures a document shows (also rendered on its page): the whole region's, or, given a user,
    only what that user may see (a unit its own projects, a leader those in their charge)."""
    return {
        Kind.WEEKLY: selectors.weekly,
        Kind.MONTHLY: selectors.monthly,
        Kind.QUARTERLY: selectors.quarterly,
    }[kind](region, period, user=user)


def title_for(kind: str, region: Region, period: Period) -> str:
    return f"{region.name}{TITLES[kind]}（{period.short}）"


# --- issued figures and adjustments -------------------------------------------------------------------


def figures_of(kind: str, data) -> dict:
    """The headline figures of a document as JSON: stored when it is issued, compared by the next one."""
    if kind == Kind.WEEKLY:
        names = ("reports_filed", "blockers_opened", "blockers_resolved", "blockers_open", "blockers_overdue")
        names += ("tasks_due", "tasks_overdue", "tasks_closed", "inspections")
        return {name: getattr(data, name) for name in names}
    figures = {"summary": _figures_json(data.summary) if data.summary else None}
    if kind == Kind.MONTHLY:
        figures["groups"] = {f.label: _figures_json(f) for f in data.sectors}
        figures["blockers"] = {"open": data.blockers_open, "overdue": data.blockers_overdue}
    else:
        figures["groups"] = {r.label: _figures_json(r) for r in data.units}
    return figures


def _figures_json(f) -> dict:
    return {
        "ytd": f"{f.ytd:.2f}",
        "rate": None if f.rate is None else f"{f.rate:.2f}",
        "started": getattr(f, "started", None),
    }


def previous_issued(kind: str, region: Region, period: Period) -> GeneratedDocument | None:
    """The last document of the kind issued for the region for an earlier period."""
    return (
        GeneratedDocument.objects.filter(
            region=region, kind=kind, issued_at__isnull=False, period_end__lt=period.start
        )
        .order_by("-period_end", "-pk")
        .first()
    )


def adjustments(kind: str, region: Region, period: Period) -> list[str]:
    """What changed, since it was issued, in the figures of the last document of the kind (reports
    corrected afterwards), as sentences for the 上期数据调整 section. Only the documents made of report
    figures (the study pack and the dispatch) carry them; a weekly summary counts the week's events."""
    if kind not in (Kind.MONTHLY, Kind.QUARTERLY):
        return []
    before = previous_issued(kind, region, period)
    if before is None or not before.figures:
        return []
    now_figures = figures_of(kind, collect(kind, region, period_of(before)))
    lines = []
    whole = documents.whole(region)
    old, new = before.figures.get("summary") or {}, now_figures.get("summary") or {}
    if change := _change(old, new):
        lines.append(f"{whole}{change}")
    for label, figures in now_figures["groups"].items():
        if change := _change(before.figures["groups"].get(label, {}), figures):
            lines.append(f"{label}{change}")
    if not lines:
        return []
    head = f"{before.number}（{period_of(before).short}）印发后，部分月报经审核更正，相关数据调整如下"
    return [f"{head}：" + "；".join(lines) + "。"]


def _change(old: dict, new: dict) -> str:
    parts = []
    if old.get("ytd") != new.get("ytd") and old.get("ytd") is not None and new.get("ytd") is not None:
        parts.append(f"累计完成投资由{_wan(old['ytd'])}万元调整为{_wan(new['ytd'])}万元")
    if old.get("rate") != new.get("rate") and None not in (old.get("rate"), new.get("rate")):
        parts.append(f"完成率由{old['rate']}%调整为{new['rate']}%")
    if old.get("started") != new.get("started") and None not in (old.get("started"), new.get("started")):
        parts.append(f"已开工项目由{old['started']}个调整为{new['started']}个")
    return "，".join(parts)


def _wan(value: str) -> str:
    return fmt(Decimal(value))


# --- rendering ------------------------------------------------------------------------------------------


def render_docx(kind: str, region: Region, data, *, head: Head) -> bytes:
    writer = {
        Kind.WEEKLY: documents.weekly_docx,
        Kind.MONTHLY: documents.monthly_docx,
        Kind.QUARTERLY: documents.quarterly_docx,
    }[kind]
    return writer(region, data, head=head)


def head_for(region: Region, *, number: str = "", on: dt.date, adjusted: list[str] | None = None) -> Head:
    settings = DocumentSettings.of(region)
    return Head(number=number, on=on, copy_to=settings.copy_to, adjustments=adjusted or [])


def draft_docx(kind: str, region: Region, period: Period) -> bytes:
    """The document as it would be issued today, without a number and marked 征求意见稿."""
    head = head_for(region, on=today(), adjusted=adjustments(kind, region, period))
    return render_docx(kind, region, collect(kind, region, period), head=head)


def document_generate(
    *,
    kind: str,
    region: Region,
    period: Period,
    by: User | None = None,
    trigger: str = GeneratedDocument.Trigger.ON_DEMAND,
) -> GeneratedDocument:
    """Make a draft of the document for the region and period and list it (the scheduled jobs make one
    for the office to review and issue). The stored file is the draft as made; downloading a draft
    renders it again from today's figures."""
    body = draft_docx(kind, region, period)
    with transaction.atomic():
        doc = GeneratedDocument(
            region=region,
            kind=kind,
            title=title_for(kind, region, period),
            period_start=period.start,
            period_end=period.end,
            trigger=trigger,
            generated_by=by,
            generated_at=now(),
        )
        doc.file.save(f"{kind}.docx", ContentFile(body), save=False)
        doc.save()
    return doc


def issued_for(kind: str, region: Region, period: Period) -> GeneratedDocument | None:
    return GeneratedDocument.objects.filter(
        region=region, kind=kind, period_start=period.start, issued_at__isnull=False, meeting__isnull=True
    ).first()


def document_issue(*, kind: str, region: Region, period: Period, by: User) -> GeneratedDocument:
    """Issue the region's document for the period: give it the next number of its kind and year, write it
    with that number and today's figures, and keep the file and the figures. Refused if already issued."""
    if issued := issued_for(kind, region, period):
        raise ValidationError(
            _("This document was already issued as %(number)s.") % {"number": issued.number}, code="issued"
        )
    on = today()
    data = collect(kind, region, period)
    adjusted = adjustments(kind, region, period)

    def write(number: str) -> bytes:
        return render_docx(kind, region, data, head=head_for(region, number=number, on=on, adjusted=adjusted))

    doc = GeneratedDocument(
        region=region,
        kind=kind,
        title=title_for(kind, region, period),
        period_start=period.start,
        period_end=period.end,
        generated_by=by,
        figures=figures_of(kind, data),
    )
    return _issue(doc, by=by, on=on, write=write)


def _issue(doc: GeneratedDocument, *, by: User, on: dt.date, write) -> GeneratedDocument:
    """Give `doc` the next serial number of its region, kind and year and save it with the file `write`
    makes for that number. Two offices issuing at once may both read the same last number: the unique
    constraint refuses the second, which then takes the next one (on SQLite, writes are serialised)."""
    settings = DocumentSettings.of(doc.region)
    for _attempt in range(ISSUE_ATTEMPTS):
        try:
            with transaction.atomic():
                last = GeneratedDocument.objects.filter(
                    region=doc.region, kind=doc.kind, year=on.year, serial__isnull=False
                ).aggregate(last=Max("serial"))["last"]
                doc.pk = None
                doc.year, doc.serial = on.year, (last or 0) + 1
                doc.number = settings.number(doc.kind, doc.year, doc.serial)
                doc.issued_at = doc.generated_at = now()
                doc.issued_by = by
                doc.file.save(f"{doc.kind}.docx", ContentFile(write(doc.number)), save=False)
                doc.save()
            return doc
        except IntegrityError:
            doc.file.delete(save=False)
            if doc.meeting_id is None:
                issued = issued_for(doc.kind, doc.region, period_of(doc))
            else:
                issued = GeneratedDocument.objects.filter(
                    meeting=doc.meeting, issued_at__isnull=False
                ).first()
            if issued is not None:
                raise ValidationError(
                    _("This document was already issued as %(number)s.") % {"number": issued.number},
                    code="issued",
                ) from None
    raise ValidationError(_("Another document is being issued; please try again."), code="busy")


def minutes_issue(*, meeting, by: User) -> GeneratedDocument:
    """Issue a meeting's minutes: the next 纪 number of the region and year, the whole minutes as a file,
    and which decisions, projects and blockers they hold (a unit's part is read from those)."""
    if issued := minutes_issued(meeting):
        raise ValidationError(
            _("This document was already issued as %(number)s.") % {"number": issued.number}, code="issued"
        )
    doc = GeneratedDocument(
        region=meeting.region,
        kind=Kind.MINUTES,
        meeting=meeting,
        title=f"{meeting.title}纪要",
        period_start=meeting.date,
        period_end=meeting.date,
        generated_by=by,
        figures={
            "decisions": list(meeting.decisions.values_list("pk", flat=True)),
            "projects": list(meeting.projects.values_list("pk", flat=True)),
            "blockers": list(meeting.blockers.values_list("pk", flat=True)),
        },
    )
    copy_to = DocumentSettings.of(meeting.region).copy_to
    on = today()

    def write(number: str) -> bytes:
        return minutes_docx(meeting, number=number, copy_to=copy_to, printed_on=on)

    return _issue(doc, by=by, on=on, write=write)


def minutes_issued(meeting) -> GeneratedDocument | None:
    return GeneratedDocument.objects.filter(meeting=meeting, issued_at__isnull=False).first()


def regions_with_projects() -> list[Region]:
    """Counties (or districts) that run a key-project list: the ones scheduled documents are made for."""
    return list(
        Region.objects.filter(level=Region.Level.COUNTY, projects__isnull=False).distinct().order_by("path")
    )
