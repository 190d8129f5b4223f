"""What the scheduled tasks do, testable without huey's clock: which documents to make on a given day."""

from __future__ import annotations

import datetime as dt

from lib.months import previous_month
from reports.config import region_rules

from .models import GeneratedDocument
from .periods import previous_quarter
from .services import document_generate, period_for, regions_with_projects

Kind = GeneratedDocument.Kind
SCHEDULED = GeneratedDocument.Trigger.SCHEDULED


def weekly(*, on: dt.date) -> list[GeneratedDocument]:
    period = period_for(Kind.WEEKLY, day=on)
    return [
        document_generate(kind=Kind.WEEKLY, region=r, period=period, trigger=SCHEDULED)
        for r in regions_with_projects()
    ]


def _deadline(region, year: int, month: int) -> dt.date:
    return region_rules(region, year).deadline(month)


def monthly(*, on: dt.date) -> list[GeneratedDocument]:
    """The study pack for last month, made the day after that month's report deadline (each county's own)."""
    year, month = previous_month(on)
    made = []
    for region in regions_with_projects():
        if on != _deadline(region, year, month) + dt.timedelta(days=1):
            continue
        period = period_for(Kind.MONTHLY, year=year, number=month)
        made.append(document_generate(kind=Kind.MONTHLY, region=region, period=period, trigger=SCHEDULED))
    return made


def quarterly(*, on: dt.date) -> list[GeneratedDocument]:
    year, quarter = previous_quarter(on)
    period = period_for(Kind.QUARTERLY, year=year, number=quarter)
    return [
        document_generate(kind=Kind.QUARTERLY, region=r, period=period, trigger=SCHEDULED)
        for r in regions_with_projects()
    ]
